package io.runjournal;

import io.runjournal.model.Event;
import java.time.Duration;
import java.util.List;

/**
 * A cursor over one branch of a run (DESIGN §5): it holds the next seq to deliver and reads from
 * the store whenever the head moves past it, so replay and live tail are one loop with no gaps and
 * no duplicates. A slow subscriber only falls behind; it never loses events.
 *
 * <p>Not thread-safe: one consumer polls it. {@link #close()} may be called from any thread and
 * wakes a blocked {@link #poll}.
 */
public interface Subscription extends AutoCloseable {

  /**
   * Returns the next events after {@link #position()}, waiting up to {@code timeout} for one to be
   * appended (by this process or another on the same store). Returns an empty list on timeout or
   * after {@link #close()}.
   *
   * @throws InterruptedException if the thread is interrupted while waiting
   * @throws RunJournalException if the store cannot be read
   */
  List<Event> poll(Duration timeout) throws InterruptedException;

  /** The seq of the last event delivered (or skipped by the type filter); the resume point. */
  long position();

  /** The branch's head as last seen by this subscription. */
  long head();

  /** Whether the run has ended and every event up to its end has been delivered. */
  boolean isComplete();

  /** Stops the subscription; idempotent. */
  @Override
  void close();
}
