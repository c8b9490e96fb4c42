package io.runjournal;

/**
 * Told what the journal writes and syncs, for metrics. Called on the appending or syncing thread,
 * so implementations must be fast, thread-safe and must not throw (a thrown exception is logged and
 * otherwise ignored; it never fails an append).
 */
public interface JournalObserver {
  /** An observer that ignores everything. */
  JournalObserver NONE = new JournalObserver() {};

  /** An append wrote {@code events} new events, {@code bytes} bytes of lines, to {@code run}. */
  default void appended(String run, int events, long bytes) {}

  /**
   * An {@code fdatasync} of {@code run}'s journal took {@code nanos} and made {@code events} events
   * durable (events of this process written since the previous sync: the group-commit batch).
   */
  default void synced(String run, long nanos, long events) {}
}
