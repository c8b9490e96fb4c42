package io.runjournal.internal.logging;

import io.runjournal.logging.SinkWarnings;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The warnings of a fail-safe sink: the first failure of a streak is reported with its error, later
 * ones in the same streak are only counted, and the first success after a streak reports how many
 * records the streak dropped. So a broken disk gives two warnings, not one per record. Thread-safe;
 * the success path is one volatile read.
 */
public final class WarningStreak {
  private final SinkWarnings warnings;
  private final String subject;
  private final AtomicBoolean failing = new AtomicBoolean();
  private final AtomicLong droppedInStreak = new AtomicLong();

  /** Reports to {@code warnings}; {@code subject} (a file, a run) names the sink on recovery. */
  public WarningStreak(SinkWarnings warnings, String subject) {
    this.warnings = warnings;
    this.subject = subject;
  }

  /**
   * A failure that dropped {@code records} (0 for one that lost none, a failed sync say); warns
   * {@code message} with {@code error} if it starts a streak.
   */
  public void failed(long records, String message, Throwable error) {
    droppedInStreak.addAndGet(records);
    if (failing.compareAndSet(false, true)) {
      QuietWarnings.warn(warnings, message, error);
    }
  }

  /** The sink worked; ends a streak with one warning saying how many records it dropped. */
  public void succeeded() {
    if (failing.get() && failing.compareAndSet(true, false)) {
      QuietWarnings.warn(
          warnings,
          subject + " recovered after dropping " + droppedInStreak.getAndSet(0) + " records",
          null);
    }
  }
}
