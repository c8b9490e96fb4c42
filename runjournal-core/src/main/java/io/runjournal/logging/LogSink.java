package io.runjournal.logging;

/**
 * Where records go: a run's journal ({@link Sinks#run}), a rotating NDJSON file ({@link
 * Sinks#file}), or your own. The {@link Logging} host calls a sink with records already stamped and
 * redacted.
 *
 * <p>Sinks are fail-safe: a record that cannot be written is dropped with a warning to the sink's
 * {@link SinkWarnings}, and neither method throws into the caller. (The host also catches anything
 * a custom sink throws, and treats it the same way.) Implementations must be thread-safe.
 */
public interface LogSink extends AutoCloseable {

  /** Writes one record, or drops it with a warning; never throws. */
  void emit(LogRecord record);

  /**
   * Waits until the records emitted so far have been handed to storage (the file, the journal),
   * within a bounded time; a stuck sink gives up with a warning rather than block forever.
   */
  default void flush() {}

  /** Flushes, makes what was written durable where the sink's policy says so, and closes. */
  @Override
  default void close() {}
}
