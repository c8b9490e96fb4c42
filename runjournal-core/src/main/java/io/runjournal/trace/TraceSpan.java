package io.runjournal.trace;

import io.runjournal.logging.Attributes;
import io.runjournal.logging.LogEntry;
import io.runjournal.logging.SpanLink;
import io.runjournal.logging.SpanStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One span of a {@link Trace}: its open and close records merged, with its logs and child spans.
 * Immutable and thread-safe.
 *
 * <p>A span whose close was read without its open is still a (finished) span: it starts {@code
 * durationMs} before it closed, has no parent, links, body or open seq.
 *
 * @param spanId the span's id
 * @param name what the span does, from its open (else its close)
 * @param source the component that opened it (else closed it)
 * @param parentSpanId the parent span's id as recorded, or null; a root may name a parent that the
 *     trace does not hold
 * @param start when it opened
 * @param end when it closed, or null while unfinished
 * @param durationMs milliseconds from open to close as the host measured them, or null while
 *     unfinished
 * @param status how it ended, or null while unfinished
 * @param error what went wrong when the status is {@code error}, or null
 * @param finished whether it was closed
 * @param attributes the open's attributes, then those the close added or overrode
 * @param links the spans this one relates to, as opened
 * @param body the open's body as compact JSON text, or null
 * @param openSeq the seq of its {@code span.open} event, or null for a close without an open
 * @param closeSeq the seq of its {@code span.close} event, or null while unfinished
 * @param logs the log records logged in it, in seq order
 * @param children its child spans, ordered by start time, then seq
 */
public record TraceSpan(
    String spanId,
    String name,
    String source,
    String parentSpanId,
    Instant start,
    Instant end,
    Long durationMs,
    SpanStatus status,
    String error,
    boolean finished,
    Map<String, Object> attributes,
    List<SpanLink> links,
    String body,
    Long openSeq,
    Long closeSeq,
    List<LogEntry> logs,
    List<TraceSpan> children) {

  /**
   * Copies the lists and the attributes (normalised as by {@link Attributes#copyOf}).
   *
   * @throws NullPointerException if spanId, name, source, start or a list is null
   */
  public TraceSpan {
    Objects.requireNonNull(spanId, "spanId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(start, "start");
    attributes = Attributes.copyOf(attributes);
    links = List.copyOf(links);
    logs = List.copyOf(logs);
    children = List.copyOf(children);
  }

  /** The seq the span is ordered by among its siblings: its open's, else its close's. */
  public long seq() {
    return openSeq != null ? openSeq : closeSeq;
  }
}
