package io.runjournal.internal.logging;

/**
 * A run of consecutive failures of a sink, so that it warns at the first failure and once when the
 * run ends instead of once per record. Not thread-safe: its owner guards it.
 */
final class FailureStreak {
  private boolean failing;
  private long dropped;

  /** Counts a failure that dropped {@code records}; true if it starts a streak (warn then). */
  boolean fail(long records) {
    dropped += records;
    if (failing) {
      return false;
    }
    failing = true;
    return true;
  }

  /** Ends the streak: how many records it dropped, or -1 if there was none. */
  long recover() {
    if (!failing) {
      return -1;
    }
    long records = dropped;
    failing = false;
    dropped = 0;
    return records;
  }
}
