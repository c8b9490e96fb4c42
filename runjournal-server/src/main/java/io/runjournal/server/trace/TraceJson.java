package io.runjournal.server.trace;

import com.fasterxml.jackson.core.JsonGenerator;
import io.runjournal.internal.json.Timestamps;
import io.runjournal.internal.logging.RecordCodec;
import io.runjournal.logging.LogEntry;
import io.runjournal.logging.SpanLink;
import io.runjournal.trace.Trace;
import io.runjournal.trace.TraceSpan;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * A trace as RunJournal's tree JSON: {@code {"run","branch","traceId","lastEventAt"?,"spans",
 * "unfinished","logs","malformedRecords","roots":[span…],"unattachedLogs":[log…]}}, where a span is
 * {@code {"spanId","name","source","parentSpanId"?,"start","end"?,"durationMs"?,"status"?,
 * "finished","error"?,"attributes"?,"links"?,"body"?,"logs":[…],"children":[…]}}. Optional fields
 * are omitted when absent; timestamps are in the journal's {@code ts} format; logs are written as
 * the record codec writes them.
 *
 * <p>Spans nest at most {@value #MAX_DEPTH} levels deep in the output, so that any trace stays
 * within JSON parsers' nesting limits: the descendants of a span at that depth are listed flat, in
 * tree order, as its {@code children}, each with empty {@code children} of its own (their {@code
 * parentSpanId} still names their real parent). Stateless and thread-safe.
 */
public final class TraceJson {
  /** How many levels of spans nest in the output before the rest are listed flat. */
  public static final int MAX_DEPTH = 128;

  private TraceJson() {}

  /** Writes {@code trace} as one JSON object. */
  public static void write(Trace trace, JsonGenerator out) throws IOException {
    out.writeStartObject();
    out.writeStringField("run", trace.run());
    out.writeStringField("branch", trace.branch());
    out.writeStringField("traceId", trace.traceId());
    if (trace.lastEventAt() != null) {
      out.writeStringField("lastEventAt", timestamp(trace.lastEventAt()));
    }
    out.writeNumberField("spans", trace.spanCount());
    out.writeNumberField("unfinished", trace.unfinishedCount());
    out.writeNumberField("logs", trace.logCount());
    out.writeNumberField("malformedRecords", trace.malformedRecords());
    out.writeArrayFieldStart("roots");
    for (TraceSpan root : trace.roots()) {
      writeSpan(root, 1, out);
    }
    out.writeEndArray();
    writeLogs("unattachedLogs", trace.logs(), out);
    out.writeEndObject();
  }

  private static void writeSpan(TraceSpan span, int depth, JsonGenerator out) throws IOException {
    out.writeStartObject();
    writeFields(span, out);
    out.writeArrayFieldStart("children");
    if (depth < MAX_DEPTH) {
      for (TraceSpan child : span.children()) {
        writeSpan(child, depth + 1, out);
      }
    } else {
      writeDescendantsFlat(span, out);
    }
    out.writeEndArray();
    out.writeEndObject();
  }

  private static void writeDescendantsFlat(TraceSpan span, JsonGenerator out) throws IOException {
    Deque<TraceSpan> pending = new ArrayDeque<>();
    span.children().reversed().forEach(pending::push);
    while (!pending.isEmpty()) {
      TraceSpan descendant = pending.pop();
      out.writeStartObject();
      writeFields(descendant, out);
      out.writeArrayFieldStart("children");
      out.writeEndArray();
      out.writeEndObject();
      descendant.children().reversed().forEach(pending::push);
    }
  }

  /** Every field of a span but its children. */
  private static void writeFields(TraceSpan span, JsonGenerator out) throws IOException {
    out.writeStringField("spanId", span.spanId());
    out.writeStringField("name", span.name());
    out.writeStringField("source", span.source());
    optional("parentSpanId", span.parentSpanId(), out);
    out.writeStringField("start", timestamp(span.start()));
    if (span.end() != null) {
      out.writeStringField("end", timestamp(span.end()));
    }
    if (span.durationMs() != null) {
      out.writeNumberField("durationMs", span.durationMs());
    }
    if (span.status() != null) {
      out.writeStringField("status", span.status().wireName());
    }
    out.writeBooleanField("finished", span.finished());
    optional("error", span.error(), out);
    if (!span.attributes().isEmpty()) {
      out.writeObjectFieldStart("attributes");
      for (Map.Entry<String, Object> attribute : span.attributes().entrySet()) {
        out.writeFieldName(attribute.getKey());
        writeScalar(attribute.getValue(), out);
      }
      out.writeEndObject();
    }
    if (!span.links().isEmpty()) {
      out.writeArrayFieldStart("links");
      for (SpanLink link : span.links()) {
        out.writeStartObject();
        out.writeStringField("spanId", link.spanId());
        optional("run", link.run(), out);
        out.writeEndObject();
      }
      out.writeEndArray();
    }
    if (span.body() != null) {
      out.writeFieldName("body");
      out.writeRawValue(span.body());
    }
    writeLogs("logs", span.logs(), out);
  }

  private static void writeLogs(String field, List<LogEntry> logs, JsonGenerator out)
      throws IOException {
    out.writeArrayFieldStart(field);
    for (LogEntry entry : logs) {
      RecordCodec.write(entry, out);
    }
    out.writeEndArray();
  }

  private static void optional(String field, String value, JsonGenerator out) throws IOException {
    if (value != null) {
      out.writeStringField(field, value);
    }
  }

  private static void writeScalar(Object value, JsonGenerator out) throws IOException {
    switch (value) {
      case null -> out.writeNull();
      case String text -> out.writeString(text);
      case Boolean bool -> out.writeBoolean(bool);
      case Long number -> out.writeNumber(number);
      case Double number -> out.writeNumber(number);
      default -> out.writeString(value.toString()); // attributes are normalised; never reached
    }
  }

  static String timestamp(Instant instant) {
    return Timestamps.format(instant.toEpochMilli());
  }
}
