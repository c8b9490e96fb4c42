package io.runjournal.logging;

import io.runjournal.Journal;
import io.runjournal.internal.logging.AsyncSink;
import io.runjournal.internal.logging.RunSink;
import io.runjournal.internal.store.FileOps;

/**
 * The sinks RunJournal ships: a run's journal ({@link #run}) and a rotating NDJSON file ({@link
 * #file}). Every sink made here is fail-safe and thread-safe; close it (or the {@link Logging} host
 * that owns it) when done so that its last records are written.
 */
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

  /**
   * A sink that appends records as NDJSON lines to {@code options.path()}, rotating at {@code
   * maxBytes} to {@code path.1} … {@code path.N} and syncing as {@code options.fsync()} says. The
   * caller never waits for the disk: records go through a queue of {@code queueCapacity} to one
   * daemon writer thread ({@code runjournal-log-writer}), and are dropped with a warning when the
   * queue is full or the file cannot be written. The file is opened on the first record; missing
   * directories are not created (records are dropped with a warning until the directory exists).
   * {@link LogSink#flush()} and {@link LogSink#close()} wait at most five seconds.
   *
   * @throws NullPointerException if options is null
   */
  public static LogSink file(FileSinkOptions options) {
    return AsyncSink.writingTo(options, FileOps.DEFAULT);
  }
}
