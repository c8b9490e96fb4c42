package io.runjournal.client;

import java.time.Duration;

/**
 * A running subscription, from {@link RunJournalClient#subscribe}. Thread-safe.
 *
 * <p>It ends when the run ends ({@link SubscriptionListener#onEnd}), on an error it does not retry
 * ({@link SubscriptionListener#onError} with {@code willRetry = false}), or when closed.
 */
public interface ClientSubscription extends AutoCloseable {

  /**
   * The seq of the last event delivered to the listener; before the first, the resume point after a
   * reset or the {@code afterSeq} the subscription started from (0 when none was given).
   */
  long lastSeq();

  /** Whether the subscription has stopped and will call its listener no more. */
  boolean isTerminated();

  /**
   * Waits until the subscription has stopped.
   *
   * @return true if it stopped, false if {@code timeout} elapsed first
   * @throws InterruptedException if the waiting thread is interrupted
   */
  boolean awaitTermination(Duration timeout) throws InterruptedException;

  /**
   * Stops the subscription: interrupts the read (and a reconnect backoff) and calls the listener no
   * more once a callback in progress returns. Idempotent; does not wait (see {@link
   * #awaitTermination}).
   */
  @Override
  void close();
}
