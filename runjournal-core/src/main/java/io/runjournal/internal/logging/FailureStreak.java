package io.runjournal.internal.logging;

import io.runjournal.logging.SinkWarnings;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Warnings for a fail-safe sink: the first failure of a streak is reported with its error, later
 * ones in the same streak only counted, and the first success after a streak reports how many
 * records were dropped. Thread-safe.
 */
public final class FailureStreak {
  private final SinkWarnings warnings;
  private final String subject;
  private final AtomicBoolean failing = new AtomicBoolean();
  private final AtomicLong droppedInStreak = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  /** Reports to {@code warnings}, naming {@code subject} (a file, a run) in every message. */
  public FailureStreak(SinkWarnings warnings, String subject) {
    this.warnings = warnings;
    this.subject = subject;
  }

  /** One record was dropped because of {@code error}; warns if this starts a streak. */
  public void failed(String what, Throwable error) {
    dropped.incrementAndGet();
    droppedInStreak.incrementAndGet();
    if (failing.compareAndSet(false, true)) {
      warn(
          subject
              + ": "
              + what
              + " (later failures are counted until it works again): "
              + (error == null ? "" : error.toString()),
          error);
    }
  }

  /** A record was written; ends a streak with one warning. */
  public void succeeded() {
    if (failing.get() && failing.compareAndSet(true, false)) {
      warn(
          subject + ": works again after dropping " + droppedInStreak.getAndSet(0) + " records",
          null);
    }
  }

  /** Records dropped so far. */
  public long dropped() {
    return dropped.get();
  }

  private void warn(String message, Throwable error) {
    try {
      warnings.warn(message, error);
    } catch (RuntimeException ignored) {
      // A failing warning handler must not fail the caller.
    }
  }
}
