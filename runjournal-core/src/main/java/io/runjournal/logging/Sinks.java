package io.runjournal.logging;

import io.runjournal.internal.logging.AsyncSink;
import io.runjournal.internal.store.FileOps;

/**
 * The sinks RunJournal ships: a rotating NDJSON file ({@link #file}). Every sink made here is
 * fail-safe and thread-safe; close it when done so that its last records are written.
 */
public final class Sinks {
  private Sinks() {}

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
