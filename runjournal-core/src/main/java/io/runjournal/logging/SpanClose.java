package io.runjournal.logging;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code span-close} record: a unit of work ended.
 *
 * @param spanId the span's id, as in its {@link SpanOpen}
 * @param name the span's name, as in its {@link SpanOpen}
 * @param timestamp when it closed, truncated to milliseconds
 * @param durationMs milliseconds from open to close, measured on the host's clock
 * @param status {@code ok}, or {@code error} when the work failed
 * @param source the component that closed it (stamped by the host)
 * @param error what went wrong when the status is {@code error}, or null
 * @param attributes values added while the span ran; empty when there are none
 */
public record SpanClose(
    String spanId,
    String name,
    Instant timestamp,
    long durationMs,
    SpanStatus status,
    String source,
    String error,
    Map<String, Object> attributes)
    implements LogRecord {

  /** The {@code kind} of this record. */
  public static final String KIND = "span-close";

  /** The event type of this record in a run. */
  public static final String EVENT_TYPE = "span.close";

  /**
   * Validates and normalises the fields.
   *
   * @throws NullPointerException if spanId, name, timestamp, status or source is null
   * @throws IllegalArgumentException if durationMs is negative
   */
  public SpanClose {
    Objects.requireNonNull(spanId, "spanId");
    Objects.requireNonNull(name, "name");
    timestamp = Records.millis(timestamp);
    if (durationMs < 0) {
      throw new IllegalArgumentException("durationMs must be >= 0, got " + durationMs);
    }
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(source, "source");
    attributes = Attributes.copyOf(attributes);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String eventType() {
    return EVENT_TYPE;
  }

  @Override
  public SpanClose withAttributes(Map<String, Object> replaced) {
    return new SpanClose(spanId, name, timestamp, durationMs, status, source, error, replaced);
  }
}
