package io.runjournal.internal.logging;

import io.runjournal.logging.SinkWarnings;

/** Passes warnings on, swallowing anything a broken handler throws: a sink must never throw. */
public final class QuietWarnings {
  private QuietWarnings() {}

  /** Passes the warning on; never throws. */
  public static void warn(SinkWarnings warnings, String message, Throwable error) {
    try {
      warnings.warn(message, error);
    } catch (RuntimeException ignored) {
      // The handler broke its contract; the record path must still not fail.
    }
  }
}
