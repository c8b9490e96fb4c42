package io.runjournal.logging;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code log} record: a message at a level, optionally inside a span.
 *
 * @param level the level
 * @param msg the message
 * @param timestamp when it was logged, truncated to milliseconds
 * @param source the component that logged it (stamped by the host)
 * @param spanId the span it was logged in, or null
 * @param attributes string, number, boolean or null values by key; empty when there are none
 */
public record LogEntry(
    Level level,
    String msg,
    Instant timestamp,
    String source,
    String spanId,
    Map<String, Object> attributes)
    implements LogRecord {

  /** The {@code kind} of this record. */
  public static final String KIND = "log";

  /** The event type of this record in a run. */
  public static final String EVENT_TYPE = "log";

  /**
   * Validates and normalises the fields (attribute values as in {@link Attributes#copyOf}).
   *
   * @throws NullPointerException if level, msg, timestamp or source is null
   */
  public LogEntry {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(msg, "msg");
    timestamp = Records.millis(timestamp);
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
  public LogEntry withAttributes(Map<String, Object> replaced) {
    return new LogEntry(level, msg, timestamp, source, spanId, replaced);
  }
}
