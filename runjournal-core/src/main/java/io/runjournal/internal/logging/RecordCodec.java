package io.runjournal.internal.logging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.runjournal.InvalidEventException;
import io.runjournal.internal.json.EventCodec;
import io.runjournal.internal.json.MalformedLineException;
import io.runjournal.internal.json.Timestamps;
import io.runjournal.logging.Level;
import io.runjournal.logging.LogEntry;
import io.runjournal.logging.LogRecord;
import io.runjournal.logging.SpanClose;
import io.runjournal.logging.SpanLink;
import io.runjournal.logging.SpanOpen;
import io.runjournal.logging.SpanStatus;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of log and span records (DESIGN §9): one compact object per record, {@code kind}
 * first, then the fields in the order the design lists them; optional fields are omitted when
 * absent, never written as null. The same object is a line of the file sink and the {@code data} of
 * a run's {@code log}/{@code span.open}/{@code span.close} event. Thread-safe.
 */
public final class RecordCodec {
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build())
          .build();

  private RecordCodec() {}

  /** The record as compact JSON text, without a line break. */
  public static String toJson(LogRecord record) {
    StringWriter out = new StringWriter(160);
    try (JsonGenerator generator = JSON.createGenerator(out)) {
      write(record, generator);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  /** The record as one UTF-8 line ending in exactly one {@code \n}. */
  public static byte[] toLine(LogRecord record) {
    ByteArrayBuilder out = new ByteArrayBuilder(256);
    try (JsonGenerator generator = JSON.createGenerator(out)) {
      write(record, generator);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // an in-memory builder does not fail
    }
    out.append('\n');
    return out.toByteArray();
  }

  /** Writes the record as one JSON object. */
  public static void write(LogRecord record, JsonGenerator out) throws IOException {
    out.writeStartObject();
    out.writeStringField("kind", record.kind());
    switch (record) {
      case LogEntry entry -> {
        out.writeStringField("level", entry.level().wireName());
        out.writeStringField("msg", entry.msg());
        writeCommon(entry, out);
        optional(out, "spanId", entry.spanId());
      }
      case SpanOpen open -> {
        out.writeStringField("spanId", open.spanId());
        out.writeStringField("name", open.name());
        writeCommon(open, out);
        optional(out, "parentSpanId", open.parentSpanId());
        if (!open.links().isEmpty()) {
          out.writeArrayFieldStart("links");
          for (SpanLink link : open.links()) {
            out.writeStartObject();
            out.writeStringField("spanId", link.spanId());
            optional(out, "run", link.run());
            out.writeEndObject();
          }
          out.writeEndArray();
        }
      }
      case SpanClose close -> {
        out.writeStringField("spanId", close.spanId());
        out.writeStringField("name", close.name());
        out.writeStringField("timestamp", Timestamps.format(close.timestamp().toEpochMilli()));
        out.writeNumberField("durationMs", close.durationMs());
        out.writeStringField("status", close.status().wireName());
        out.writeStringField("source", close.source());
        optional(out, "error", close.error());
      }
    }
    if (!record.attributes().isEmpty()) {
      out.writeObjectFieldStart("attributes");
      for (Map.Entry<String, Object> attribute : record.attributes().entrySet()) {
        out.writeFieldName(attribute.getKey());
        writeScalar(attribute.getValue(), out);
      }
      out.writeEndObject();
    }
    if (record instanceof SpanOpen open && open.body() != null) {
      out.writeFieldName("body");
      out.writeRawValue(open.body());
    }
    out.writeEndObject();
  }

  private static void writeCommon(LogRecord record, JsonGenerator out) throws IOException {
    out.writeStringField("timestamp", Timestamps.format(record.timestamp().toEpochMilli()));
    out.writeStringField("source", record.source());
  }

  private static void optional(JsonGenerator out, String field, String value) throws IOException {
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
      default -> out.writeString(value.toString()); // Attributes normalises; never reached
    }
  }

  /**
   * Parses one record from its JSON object; unknown fields are ignored, so that later versions may
   * add fields.
   *
   * @throws MalformedLineException naming the first missing or wrong field
   */
  public static LogRecord parse(String json) throws MalformedLineException {
    try (JsonParser parser = JSON.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new MalformedLineException("a record must be a JSON object");
      }
      Fields fields = Fields.read(parser);
      if (parser.nextToken() != null) {
        throw new MalformedLineException("trailing content after the record's JSON object");
      }
      return fields.toRecord();
    } catch (JsonProcessingException e) {
      throw new MalformedLineException("not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new MalformedLineException("not valid JSON: " + e.getMessage());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new MalformedLineException(e.getMessage());
    }
  }

  /** The fields of one record as read, before they are checked against its kind. */
  private static final class Fields {
    final Map<String, String> text = new LinkedHashMap<>();
    Long durationMs;
    Map<String, Object> attributes = Map.of();
    List<SpanLink> links = List.of();
    String body;

    static Fields read(JsonParser parser) throws IOException, MalformedLineException {
      Fields fields = new Fields();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (name) {
          case "durationMs" -> {
            if (value != JsonToken.VALUE_NUMBER_INT) {
              throw new MalformedLineException("durationMs must be an integer");
            }
            fields.durationMs = parser.getLongValue();
          }
          case "attributes" -> fields.attributes = readAttributes(parser, value);
          case "links" -> fields.links = readLinks(parser, value);
          case "body" -> fields.body = copy(parser);
          default -> {
            if (value == JsonToken.VALUE_STRING) {
              fields.text.put(name, parser.getText());
            } else {
              parser.skipChildren(); // unknown, or a known text field of another type
              fields.text.remove(name);
              if (KNOWN_TEXT.contains(name)) {
                throw new MalformedLineException(name + " must be a string");
              }
            }
          }
        }
      }
      return fields;
    }

    private static final List<String> KINDS = List.of(LogEntry.KIND, SpanOpen.KIND, SpanClose.KIND);

    private static final List<String> KNOWN_TEXT =
        List.of(
            "kind",
            "level",
            "msg",
            "timestamp",
            "source",
            "spanId",
            "name",
            "parentSpanId",
            "status",
            "error");

    LogRecord toRecord() throws MalformedLineException {
      String kind = required("kind");
      if (!KINDS.contains(kind)) {
        throw new MalformedLineException(
            "kind must be log, span-open or span-close, got \"" + kind + "\"");
      }
      Instant timestamp = timestamp();
      return switch (kind) {
        case LogEntry.KIND ->
            new LogEntry(
                Level.fromWireName(required("level")),
                required("msg"),
                timestamp,
                required("source"),
                text.get("spanId"),
                attributes);
        case SpanOpen.KIND ->
            new SpanOpen(
                required("spanId"),
                required("name"),
                timestamp,
                required("source"),
                text.get("parentSpanId"),
                links,
                attributes,
                body);
        case SpanClose.KIND -> {
          if (durationMs == null) {
            throw new MalformedLineException("a span-close record needs durationMs");
          }
          yield new SpanClose(
              required("spanId"),
              required("name"),
              timestamp,
              durationMs,
              SpanStatus.fromWireName(required("status")),
              required("source"),
              text.get("error"),
              attributes);
        }
        default ->
            throw new MalformedLineException(
                "kind must be log, span-open or span-close, got \"" + kind + "\"");
      };
    }

    private String required(String field) throws MalformedLineException {
      String value = text.get(field);
      if (value == null) {
        String kind = text.get("kind");
        String record = kind == null ? "a record" : "a " + kind + " record";
        throw new MalformedLineException(record + " needs " + field);
      }
      return value;
    }

    private Instant timestamp() throws MalformedLineException {
      return Instant.ofEpochMilli(Timestamps.parse(required("timestamp")));
    }
  }

  private static Map<String, Object> readAttributes(JsonParser parser, JsonToken value)
      throws IOException, MalformedLineException {
    if (value != JsonToken.START_OBJECT) {
      throw new MalformedLineException("attributes must be a JSON object");
    }
    Map<String, Object> attributes = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      JsonToken token = parser.nextToken();
      attributes.put(
          key,
          switch (token) {
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT ->
                parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? parser.getText()
                    : parser.getLongValue();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default ->
                throw new MalformedLineException(
                    "attribute \"" + key + "\" must be a string, number, boolean or null");
          });
    }
    return Collections.unmodifiableMap(attributes);
  }

  private static List<SpanLink> readLinks(JsonParser parser, JsonToken value)
      throws IOException, MalformedLineException {
    if (value != JsonToken.START_ARRAY) {
      throw new MalformedLineException("links must be a JSON array");
    }
    List<SpanLink> links = new ArrayList<>();
    while (parser.nextToken() == JsonToken.START_OBJECT) {
      String spanId = null;
      String run = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken token = parser.nextToken();
        if (name.equals("spanId") && token == JsonToken.VALUE_STRING) {
          spanId = parser.getText();
        } else if (name.equals("run") && token == JsonToken.VALUE_STRING) {
          run = parser.getText();
        } else {
          parser.skipChildren();
        }
      }
      if (spanId == null) {
        throw new MalformedLineException("every link needs a spanId");
      }
      links.add(new SpanLink(spanId, run));
    }
    if (parser.currentToken() != JsonToken.END_ARRAY) {
      throw new MalformedLineException("links must hold only objects");
    }
    return links;
  }

  /**
   * The JSON value as compact text.
   *
   * @throws IllegalArgumentException naming {@code field} if it is not exactly one JSON value
   */
  public static String compactJson(String field, String json) {
    try {
      return EventCodec.canonicalJson(field, json);
    } catch (InvalidEventException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static String copy(JsonParser parser) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator generator = JSON.createGenerator(out)) {
      generator.copyCurrentStructure(parser);
    }
    return out.toString();
  }
}
