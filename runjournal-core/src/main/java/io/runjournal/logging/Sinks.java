package io.runjournal.logging;

import io.runjournal.Journal;
import io.runjournal.internal.logging.RunSink;

/** The built-in sinks. Every sink they return is fail-safe and thread-safe. */
public final class Sinks {
  private Sinks() {}

  /**
   * A sink that appends records to {@code run} (branch {@code main}) as events {@code log}, {@code
   * span.open} and {@code span.close}. Each record is one append under the journal's fsync policy:
   * with {@code always}, a span-open is durable before {@code span()} returns. Failed appends (the
   * run ended, the disk is full) drop the record with a warning through SLF4J.
   *
   * @throws io.runjournal.InvalidIdentifierException for a bad run id
   */
  public static LogSink run(Journal journal, String run) {
    return new RunSink(journal, run, "main", SinkWarnings.SLF4J);
  }

  /**
   * As {@link #run(Journal, String)}, on {@code branch}, reporting dropped records to {@code
   * warnings}.
   *
   * @throws io.runjournal.InvalidIdentifierException for a bad run id or branch
   */
  public static LogSink run(Journal journal, String run, String branch, SinkWarnings warnings) {
    return new RunSink(journal, run, branch, warnings);
  }
}
