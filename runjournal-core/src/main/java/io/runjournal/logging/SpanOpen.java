package io.runjournal.logging;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code span-open} record: a unit of work started. A span opened and never closed (the process
 * crashed inside it) shows as unfinished in a trace.
 *
 * @param spanId the span's id: 16 lower-case hex digits when made by a {@link Logger}
 * @param name what the span does ({@code tool.call}, {@code http.get})
 * @param timestamp when it opened, truncated to milliseconds
 * @param source the component that opened it (stamped by the host)
 * @param parentSpanId the enclosing span, or null for a root span
 * @param links spans this one relates to; empty when there are none
 * @param attributes string, number, boolean or null values by key; empty when there are none
 * @param body any JSON value (the span's input, say) as compact JSON text, or null
 */
public record SpanOpen(
    String spanId,
    String name,
    Instant timestamp,
    String source,
    String parentSpanId,
    List<SpanLink> links,
    Map<String, Object> attributes,
    String body)
    implements LogRecord {

  /** The {@code kind} of this record. */
  public static final String KIND = "span-open";

  /** The event type of this record in a run. */
  public static final String EVENT_TYPE = "span.open";

  /**
   * Validates and normalises the fields; {@code body} is re-encoded as compact JSON.
   *
   * @throws NullPointerException if spanId, name, timestamp or source is null
   * @throws IllegalArgumentException if body is not valid JSON
   */
  public SpanOpen {
    Objects.requireNonNull(spanId, "spanId");
    Objects.requireNonNull(name, "name");
    timestamp = Records.millis(timestamp);
    Objects.requireNonNull(source, "source");
    links = links == null ? List.of() : List.copyOf(links);
    attributes = Attributes.copyOf(attributes);
    body = body == null ? null : Records.compactJson("body", body);
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
  public SpanOpen withAttributes(Map<String, Object> replaced) {
    return new SpanOpen(spanId, name, timestamp, source, parentSpanId, links, replaced, body);
  }

  /** A copy with this body (used by redaction). */
  public SpanOpen withBody(String replaced) {
    return new SpanOpen(spanId, name, timestamp, source, parentSpanId, links, attributes, replaced);
  }
}
