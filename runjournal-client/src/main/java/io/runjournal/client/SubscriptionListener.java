package io.runjournal.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Receives what a subscription delivers. Every callback runs on the subscription's own (virtual)
 * thread, one at a time, in stream order; a callback that blocks holds the stream back (the server
 * keeps the events: nothing is lost). Only {@link #onEvent} must be implemented.
 *
 * <p>An exception thrown by a callback stops the subscription: it is reported to {@link #onError}
 * with {@code willRetry = false}, and the event it was thrown for does not count as delivered
 * ({@link ClientSubscription#lastSeq()} stays before it).
 */
@FunctionalInterface
public interface SubscriptionListener {

  /** One event; each is delivered exactly once, in seq order, across reconnects. */
  void onEvent(Event event);

  /**
   * The resume point {@code lastEventId} was beyond the branch's head (the journal was restored
   * from an older backup, or this is another deployment): the stream goes on after {@code head}, so
   * events numbered {@code head + 1 … lastEventId} are delivered again, with new content.
   */
  default void onReset(long lastEventId, long head) {}

  /**
   * The run has ended and every event up to its terminal event was delivered; the subscription
   * stops after this call.
   *
   * @param summary the run's summary, or null when the server ended the stream with {@code 204 No
   *     Content} (a resume after the terminal event), which carries none
   */
  default void onEnd(JsonNode summary) {}

  /**
   * The stream failed. With {@code willRetry} the subscription reconnects after a backoff and
   * resumes after the last delivered event; without it the subscription has stopped (an HTTP error
   * such as 401, 403, 404 or 400, reconnect attempts exhausted, an invalid frame, or a callback
   * that threw).
   */
  default void onError(Throwable error, boolean willRetry) {}
}
