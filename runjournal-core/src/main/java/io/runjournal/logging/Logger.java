package io.runjournal.logging;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Logs and opens spans on behalf of one component: every record carries the component's {@code
 * source}, and, for the logger of a {@link Span}, that span's id. Get one from {@link
 * Logging#logger}, {@link #child} or {@link Span#logger()}.
 *
 * <p>No method throws because of a sink, an odd attribute value or a null message: logging never
 * fails the caller. Thread-safe and immutable.
 */
public final class Logger {
  private final Logging host;
  private final String source;
  private final String spanId;

  Logger(Logging host, String source, String spanId) {
    this.host = host;
    this.source = source;
    this.spanId = spanId;
  }

  /** The {@code source} this logger stamps on its records. */
  public String source() {
    return source;
  }

  /** The span this logger's records belong to, or null outside a span. */
  public String spanId() {
    return spanId;
  }

  /**
   * A logger for a part of this component: its source is this source, a dot and {@code component}
   * ({@code planner.search}), in the same span.
   *
   * @throws IllegalArgumentException for a blank name or one with control characters
   */
  public Logger child(String component) {
    return new Logger(host, source + "." + Logging.requireComponent(component), spanId);
  }

  /**
   * A logger of the same component whose records belong to the span {@code id}: for a span opened
   * elsewhere whose id travelled here (in the MDC, in a message). A null id gives a logger outside
   * any span.
   */
  public Logger forSpan(String id) {
    return new Logger(host, source, id);
  }

  /** Whether records at this level are kept (the host's minimum level, and not closed). */
  public boolean isEnabled(Level level) {
    return host.isEnabled(level);
  }

  /** Logs at debug. */
  public void debug(String msg) {
    log(Level.DEBUG, msg, Map.of());
  }

  /** Logs at debug with attributes. */
  public void debug(String msg, Map<String, ?> attributes) {
    log(Level.DEBUG, msg, attributes);
  }

  /** Logs at info. */
  public void info(String msg) {
    log(Level.INFO, msg, Map.of());
  }

  /** Logs at info with attributes. */
  public void info(String msg, Map<String, ?> attributes) {
    log(Level.INFO, msg, attributes);
  }

  /** Logs at warn. */
  public void warn(String msg) {
    log(Level.WARN, msg, Map.of());
  }

  /** Logs at warn with attributes. */
  public void warn(String msg, Map<String, ?> attributes) {
    log(Level.WARN, msg, attributes);
  }

  /** Logs at error. */
  public void error(String msg) {
    log(Level.ERROR, msg, Map.of());
  }

  /** Logs at error with attributes. */
  public void error(String msg, Map<String, ?> attributes) {
    log(Level.ERROR, msg, attributes);
  }

  /**
   * Logs at error with the error's class and message as the attributes {@code exception.type} and
   * {@code exception.message} (OpenTelemetry's names).
   */
  public void error(String msg, Throwable error) {
    log(Level.ERROR, msg, Errors.attributes(error));
  }

  /** Logs at {@code level} with attributes (string, number, boolean or null values). */
  public void log(Level level, String msg, Map<String, ?> attributes) {
    if (level == null || !host.isEnabled(level)) {
      return;
    }
    try {
      host.emit(
          new LogEntry(
              level,
              msg == null ? "null" : msg,
              host.now(),
              source,
              spanId,
              attributes == null ? Map.of() : Collections.unmodifiableMap(attributes)));
    } catch (RuntimeException e) {
      host.warn("dropped a log record from " + source + ": " + e.getMessage(), e);
    }
  }

  /** Opens a span in this logger's span (if any); close it, best with try-with-resources. */
  public Span span(String name) {
    return span(name, Map.of());
  }

  /** Opens a span with attributes. */
  public Span span(String name, Map<String, ?> attributes) {
    return spanBuilder(name).attributes(attributes).open();
  }

  /** A builder for a span with links or a body. */
  public SpanBuilder spanBuilder(String name) {
    return new SpanBuilder(host, source, spanId, name);
  }

  /**
   * Runs {@code work} in a span and returns its result; if it throws, the span closes with status
   * {@code error} and the error, and the error is rethrown.
   *
   * @param <T> the result type
   * @param <E> the checked exception {@code work} may throw
   * @throws E what {@code work} throws
   */
  public <T, E extends Exception> T inSpan(String name, SpanWork<T, E> work) throws E {
    try (Span span = span(name)) {
      try {
        return work.run(span);
      } catch (RuntimeException | Error failure) {
        span.fail(failure);
        throw failure;
      } catch (Exception failure) {
        span.fail(failure);
        throw failure;
      }
    }
  }

  /** As {@link #inSpan}, for work without a result. */
  public <E extends Exception> void runInSpan(String name, SpanTask<E> task) throws E {
    inSpan(
        name,
        span -> {
          task.run(span);
          return null;
        });
  }

  /**
   * Work done inside a span.
   *
   * @param <T> the result type
   * @param <E> the checked exception it may throw
   */
  @FunctionalInterface
  public interface SpanWork<T, E extends Exception> {
    /** Does the work; {@code span} is open. */
    T run(Span span) throws E;
  }

  /**
   * Work without a result done inside a span.
   *
   * @param <E> the checked exception it may throw
   */
  @FunctionalInterface
  public interface SpanTask<E extends Exception> {
    /** Does the work; {@code span} is open. */
    void run(Span span) throws E;
  }

  /** Builds and opens one span. Not thread-safe; use it on one thread, then drop it. */
  public static final class SpanBuilder {
    private final Logging host;
    private final String source;
    private final String parentSpanId;
    private final String name;
    private Map<String, ?> attributes = Map.of();
    private List<SpanLink> links = List.of();
    private String body;

    SpanBuilder(Logging host, String source, String parentSpanId, String name) {
      this.host = host;
      this.source = source;
      this.parentSpanId = parentSpanId;
      this.name = name == null || name.isBlank() ? "unnamed" : name;
    }

    /** The span's attributes. */
    public SpanBuilder attributes(Map<String, ?> values) {
      this.attributes = values == null ? Map.of() : values;
      return this;
    }

    /** Links to spans this one relates to. */
    public SpanBuilder links(List<SpanLink> related) {
      this.links = related == null ? List.of() : related;
      return this;
    }

    /** A JSON value carried by the span-open record (its input, say); invalid JSON is dropped. */
    public SpanBuilder body(String json) {
      this.body = json;
      return this;
    }

    /** Writes the span-open record and returns the open span. */
    public Span open() {
      return Span.open(host, source, parentSpanId, name, attributes, links, body);
    }
  }
}
