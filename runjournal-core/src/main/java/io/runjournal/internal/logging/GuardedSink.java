package io.runjournal.internal.logging;

import io.runjournal.logging.LogRecord;
import io.runjournal.logging.LogSink;
import io.runjournal.logging.SinkWarnings;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A sink as the host calls it: anything it throws is caught, the record dropped and counted. One
 * warning per streak of failures (the first, with its error), and one when it works again, so a
 * broken sink cannot flood the warnings with one line per record. Thread-safe.
 */
public final class GuardedSink {
  private final LogSink sink;
  private final WarningStreak streak;
  private final AtomicLong dropped = new AtomicLong();

  /** Guards {@code sink}, reporting to {@code warnings}. */
  public GuardedSink(LogSink sink, SinkWarnings warnings) {
    this.sink = sink;
    this.streak = new WarningStreak(warnings, "log sink " + sink);
  }

  /** Emits, or drops the record if the sink throws. */
  public void emit(LogRecord record) {
    try {
      sink.emit(record);
      streak.succeeded();
    } catch (RuntimeException | LinkageError | AssertionError e) {
      dropped.incrementAndGet();
      streak.failed(
          1, "log sink " + sink + " threw; dropped a " + record.kind() + " record: " + e, e);
    }
  }

  /** Flushes; a failure becomes a warning. */
  public void flush() {
    try {
      sink.flush();
    } catch (RuntimeException e) {
      streak.failed(0, "log sink " + sink + ": flush failed: " + e, e);
    }
  }

  /** Closes; a failure becomes a warning. */
  public void close() {
    try {
      sink.close();
    } catch (RuntimeException e) {
      streak.failed(0, "log sink " + sink + ": close failed: " + e, e);
    }
  }

  /** Records dropped because the sink threw. */
  public long dropped() {
    return dropped.get();
  }
}
