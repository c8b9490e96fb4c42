package io.runjournal.server.trace;

import com.fasterxml.jackson.core.JsonGenerator;
import io.runjournal.logging.LogEntry;
import io.runjournal.logging.SpanLink;
import io.runjournal.logging.SpanStatus;
import io.runjournal.trace.Trace;
import io.runjournal.trace.TraceSpan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Map;

/**
 * A trace as an OTLP/JSON {@code ExportTraceServiceRequest} (the OTLP/HTTP JSON encoding: ids as
 * hex, enums as integers, 64-bit integers as decimal strings, lowerCamelCase names), one resource
 * ({@code service.name} {@code runjournal}, {@code runjournal.run}, {@code runjournal.branch}) with
 * one scope ({@code io.runjournal}) holding every span of the trace, parents before children.
 *
 * <ul>
 *   <li>The trace id is {@link Trace#traceIdOf}; a span id that is 16 lower-case hex digits and not
 *       all zeros is kept, any other is replaced by {@link #spanIdOf} and kept in the attribute
 *       {@code runjournal.span_id}.
 *   <li>A root has no {@code parentSpanId}, even when it names a parent the trace does not hold.
 *   <li>An unfinished span ends at the run's last event, has the attribute {@code
 *       runjournal.unfinished} true and no status.
 *   <li>A span's logs are its events ({@code name} = the message, {@code log.severity} = the
 *       level); logs outside any span have no place in OTLP traces and are left out.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class OtlpJson {
  /** {@code SPAN_KIND_INTERNAL}. */
  private static final int KIND_INTERNAL = 1;

  /** {@code STATUS_CODE_OK}. */
  private static final int STATUS_OK = 1;

  /** {@code STATUS_CODE_ERROR}. */
  private static final int STATUS_ERROR = 2;

  private static final HexFormat HEX = HexFormat.of();

  private OtlpJson() {}

  /**
   * The OTLP span id of a RunJournal span id: the id itself if it is 16 lower-case hex digits and
   * not all zeros (what a {@code Logger} makes), else the first 8 bytes of its SHA-256 (UTF-8) as
   * 16 lower-case hex digits.
   */
  public static String spanIdOf(String spanId) {
    return isOtlpSpanId(spanId) ? spanId : HEX.formatHex(sha256(spanId), 0, 8);
  }

  private static boolean isOtlpSpanId(String spanId) {
    if (spanId.length() != 16) {
      return false;
    }
    boolean allZeros = true;
    for (int i = 0; i < spanId.length(); i++) {
      char c = spanId.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
      allZeros &= c == '0';
    }
    return !allZeros;
  }

  /** Writes {@code trace} as one {@code ExportTraceServiceRequest} JSON object. */
  public static void write(Trace trace, JsonGenerator out) throws IOException {
    out.writeStartObject();
    out.writeArrayFieldStart("resourceSpans");
    out.writeStartObject();
    out.writeObjectFieldStart("resource");
    out.writeArrayFieldStart("attributes");
    attribute("service.name", "runjournal", out);
    attribute("runjournal.run", trace.run(), out);
    attribute("runjournal.branch", trace.branch(), out);
    out.writeEndArray();
    out.writeEndObject();
    out.writeArrayFieldStart("scopeSpans");
    out.writeStartObject();
    out.writeObjectFieldStart("scope");
    out.writeStringField("name", "io.runjournal");
    out.writeEndObject();
    out.writeArrayFieldStart("spans");
    writeSpans(trace, out);
    out.writeEndArray();
    out.writeEndObject();
    out.writeEndArray();
    out.writeEndObject();
    out.writeEndArray();
    out.writeEndObject();
  }

  /** Every span, each parent before its children, without recursion. */
  private static void writeSpans(Trace trace, JsonGenerator out) throws IOException {
    Deque<Placed> pending = new ArrayDeque<>();
    trace.roots().reversed().forEach(root -> pending.push(new Placed(root, null)));
    while (!pending.isEmpty()) {
      Placed placed = pending.pop();
      writeSpan(trace, placed.span(), placed.parentOtlpId(), out);
      String otlpId = spanIdOf(placed.span().spanId());
      placed.span().children().reversed().forEach(child -> pending.push(new Placed(child, otlpId)));
    }
  }

  /** A span and its parent's OTLP id, null for a root. */
  private record Placed(TraceSpan span, String parentOtlpId) {}

  private static void writeSpan(Trace trace, TraceSpan span, String parentOtlpId, JsonGenerator out)
      throws IOException {
    String otlpId = spanIdOf(span.spanId());
    out.writeStartObject();
    out.writeStringField("traceId", trace.traceId());
    out.writeStringField("spanId", otlpId);
    if (parentOtlpId != null) {
      out.writeStringField("parentSpanId", parentOtlpId);
    }
    out.writeStringField("name", span.name());
    out.writeNumberField("kind", KIND_INTERNAL);
    out.writeStringField("startTimeUnixNano", nanos(span.start()));
    out.writeStringField("endTimeUnixNano", nanos(end(trace, span)));
    out.writeArrayFieldStart("attributes");
    writeAttributes(span.attributes(), out);
    attribute("runjournal.source", span.source(), out);
    if (!otlpId.equals(span.spanId())) {
      attribute("runjournal.span_id", span.spanId(), out);
    }
    if (!span.finished()) {
      attribute("runjournal.unfinished", Boolean.TRUE, out);
    }
    out.writeEndArray();
    if (!span.logs().isEmpty()) {
      out.writeArrayFieldStart("events");
      for (LogEntry entry : span.logs()) {
        writeEvent(entry, out);
      }
      out.writeEndArray();
    }
    if (!span.links().isEmpty()) {
      out.writeArrayFieldStart("links");
      for (SpanLink link : span.links()) {
        out.writeStartObject();
        out.writeStringField(
            "traceId", Trace.traceIdOf(link.run() == null ? trace.run() : link.run()));
        out.writeStringField("spanId", spanIdOf(link.spanId()));
        out.writeEndObject();
      }
      out.writeEndArray();
    }
    if (span.status() != null) {
      out.writeObjectFieldStart("status");
      if (span.status() == SpanStatus.ERROR && span.error() != null) {
        out.writeStringField("message", span.error());
      }
      out.writeNumberField("code", span.status() == SpanStatus.OK ? STATUS_OK : STATUS_ERROR);
      out.writeEndObject();
    }
    out.writeEndObject();
  }

  /**
   * Its close, or for an unfinished span the run's last event (never before its start: the
   * producer's clock, which timed the open, may run ahead of the journal's).
   */
  private static Instant end(Trace trace, TraceSpan span) {
    if (span.end() != null) {
      return span.end();
    }
    Instant now = trace.lastEventAt();
    return now == null || now.isBefore(span.start()) ? span.start() : now;
  }

  private static void writeEvent(LogEntry entry, JsonGenerator out) throws IOException {
    out.writeStartObject();
    out.writeStringField("timeUnixNano", nanos(entry.timestamp()));
    out.writeStringField("name", entry.msg());
    out.writeArrayFieldStart("attributes");
    attribute("log.severity", entry.level().wireName(), out);
    attribute("runjournal.source", entry.source(), out);
    writeAttributes(entry.attributes(), out);
    out.writeEndArray();
    out.writeEndObject();
  }

  private static void writeAttributes(Map<String, Object> attributes, JsonGenerator out)
      throws IOException {
    for (Map.Entry<String, Object> attribute : attributes.entrySet()) {
      attribute(attribute.getKey(), attribute.getValue(), out);
    }
  }

  /** A {@code KeyValue} whose value is the {@code AnyValue} of a record attribute. */
  private static void attribute(String key, Object value, JsonGenerator out) throws IOException {
    out.writeStartObject();
    out.writeStringField("key", key);
    out.writeObjectFieldStart("value");
    switch (value) {
      case null -> {} // an empty AnyValue
      case String text -> out.writeStringField("stringValue", text);
      case Boolean bool -> out.writeBooleanField("boolValue", bool);
      case Long number -> out.writeStringField("intValue", Long.toString(number));
      case Double number -> out.writeNumberField("doubleValue", number);
      default -> out.writeStringField("stringValue", value.toString()); // never: normalised
    }
    out.writeEndObject();
    out.writeEndObject();
  }

  /**
   * Nanoseconds since the epoch as a decimal string, as OTLP/JSON writes a fixed64; an instant
   * before the epoch (or past the year 2262) is clamped to what the field can hold.
   */
  private static String nanos(Instant instant) {
    if (instant.getEpochSecond() < 0) {
      return "0";
    }
    try {
      return Long.toString(
          Math.addExact(
              Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano()));
    } catch (ArithmeticException e) {
      return Long.toString(Long.MAX_VALUE);
    }
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
