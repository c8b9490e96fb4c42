package io.runjournal.logging;

import io.runjournal.internal.logging.SpanIds;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.MDC;

/**
 * An open unit of work. Opening it writes a {@code span-open} record; {@link #close()} writes the
 * {@code span-close} record, with {@code durationMs} measured on the host's clock and status {@code
 * ok}, or {@code error} after {@link #fail}. Use try-with-resources, and call {@link #fail} in a
 * catch block (or use {@link Logger#inSpan}, which does both).
 *
 * <p>If the process dies inside the span, no close is ever written: a trace shows the span as
 * unfinished. Thread-safe; {@link #close()} is idempotent.
 */
public final class Span implements AutoCloseable {
  private final Logging host;
  private final String source;
  private final String spanId;
  private final String name;
  private final Instant opened;
  private final Logger logger;
  private final ReentrantLock lock = new ReentrantLock();

  // Guarded by lock.
  private boolean closed;
  private SpanStatus status = SpanStatus.OK;
  private String error;
  private Map<String, Object> closeAttributes;

  private Span(Logging host, String source, String name, Instant opened) {
    this.host = host;
    this.source = source;
    this.spanId = SpanIds.next();
    this.name = name;
    this.opened = opened;
    this.logger = new Logger(host, source, spanId);
  }

  static Span open(
      Logging host,
      String source,
      String parentSpanId,
      String name,
      Map<String, ?> attributes,
      List<SpanLink> links,
      String body) {
    Span span = new Span(host, source, name, host.now());
    try {
      host.emit(
          new SpanOpen(
              span.spanId,
              name,
              span.opened,
              source,
              parentSpanId,
              links,
              attributes == null ? Map.of() : Collections.unmodifiableMap(attributes),
              validBody(host, source, body)));
    } catch (RuntimeException e) {
      host.warn("dropped a span-open record from " + source + ": " + e.getMessage(), e);
    }
    return span;
  }

  private static String validBody(Logging host, String source, String body) {
    if (body == null) {
      return null;
    }
    try {
      return Records.compactJson("body", body);
    } catch (IllegalArgumentException e) {
      host.warn("dropped the body of a span from " + source + ": " + e.getMessage(), null);
      return null;
    }
  }

  /** The span's id: 16 lower-case hex digits, unique with overwhelming probability. */
  public String spanId() {
    return spanId;
  }

  /** The span's name. */
  public String name() {
    return name;
  }

  /** A logger whose records belong to this span and whose spans are its children. */
  public Logger logger() {
    return logger;
  }

  /** The SLF4J MDC key {@link #inMdc()} sets: {@code spanId}. */
  public static final String MDC_KEY = "spanId";

  /**
   * Puts this span's id into the SLF4J MDC of the calling thread under {@link #MDC_KEY} until the
   * returned scope is closed (which restores the previous value), so that plain SLF4J logging on
   * this thread, sent through the RunJournal logback appender, is attached to this span.
   */
  public MdcScope inMdc() {
    String previous = MDC.get(MDC_KEY);
    MDC.put(MDC_KEY, spanId);
    return () -> {
      if (previous == null) {
        MDC.remove(MDC_KEY);
      } else {
        MDC.put(MDC_KEY, previous);
      }
    };
  }

  /** A span id held in the MDC; closing restores what was there before. */
  @FunctionalInterface
  public interface MdcScope extends AutoCloseable {
    /** Restores the MDC; never throws. */
    @Override
    void close();
  }

  /** Opens a child span; as {@code logger().span(name)}. */
  public Span child(String name) {
    return logger.span(name);
  }

  /** Adds an attribute to the {@code span-close} record (a result, a count). */
  public Span setAttribute(String key, Object value) {
    if (key == null) {
      return this;
    }
    lock.lock();
    try {
      if (closeAttributes == null) {
        closeAttributes = new LinkedHashMap<>();
      }
      closeAttributes.put(key, Attributes.normalise(value));
    } finally {
      lock.unlock();
    }
    return this;
  }

  /** Marks the span failed: it closes with status {@code error} and this error's description. */
  public void fail(Throwable failure) {
    fail(Errors.describe(failure));
  }

  /** Marks the span failed with this message. */
  public void fail(String message) {
    lock.lock();
    try {
      status = SpanStatus.ERROR;
      error = message == null ? "unknown error" : message;
    } finally {
      lock.unlock();
    }
  }

  /** Writes the {@code span-close} record, once; later calls do nothing. Never throws. */
  @Override
  public void close() {
    SpanClose record;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      Instant now = host.now();
      long durationMs = Math.max(0, Duration.between(opened, now).toMillis());
      record = new SpanClose(spanId, name, now, durationMs, status, source, error, closeAttributes);
    } catch (RuntimeException e) {
      host.warn("dropped a span-close record from " + source + ": " + e.getMessage(), e);
      return;
    } finally {
      lock.unlock();
    }
    host.emit(record);
  }
}
