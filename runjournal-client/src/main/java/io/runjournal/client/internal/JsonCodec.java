package io.runjournal.client.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runjournal.client.AppendResult;
import io.runjournal.client.Event;
import io.runjournal.client.NewEvent;
import io.runjournal.client.ReadPage;
import io.runjournal.client.RunSummary;
import io.runjournal.client.RunsPage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of the HTTP API: request bodies out, responses and SSE frames in. Numbers keep their
 * exact value ({@code 1.50} stays {@code 1.50}). Thread-safe.
 */
public final class JsonCodec {
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  /** Reads one value of a parser that goes on after it. */
  private static final ObjectReader NESTED =
      MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonCodec() {}

  /**
   * {@code value} as a JSON tree: a {@link JsonNode} as it is, anything else as Jackson's default
   * mapping writes it; null stays null.
   *
   * @throws IllegalArgumentException if Jackson cannot convert it
   */
  public static JsonNode toTree(Object value) {
    if (value == null || value instanceof JsonNode) {
      return (JsonNode) value;
    }
    return MAPPER.valueToTree(value);
  }

  /**
   * The one JSON value of {@code json}, or null for null.
   *
   * @param field what the text is, for the message ({@code data}, {@code meta})
   * @throws IllegalArgumentException naming {@code field} if {@code json} is not exactly one value
   */
  public static JsonNode parseValue(String field, String json) {
    if (json == null) {
      return null;
    }
    if (json.isBlank()) {
      throw new IllegalArgumentException(field + " is empty: expected a JSON value");
    }
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(field + " is not valid JSON: " + message(e), e);
    }
  }

  /** A JSON tree of {@code body}, or null when it is not JSON. */
  static JsonNode treeOrNull(byte[] body) {
    try {
      return body.length == 0 ? null : MAPPER.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  /** The body of an append: the events as one JSON array, in order. */
  public static byte[] appendBody(List<NewEvent> events) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * events.size());
    try (JsonGenerator json = MAPPER.createGenerator(out)) {
      json.writeStartArray();
      for (NewEvent event : events) {
        json.writeStartObject();
        json.writeStringField("type", event.type());
        if (event.id() != null) {
          json.writeStringField("id", event.id());
        }
        if (event.data() != null) {
          json.writeFieldName("data");
          json.writeTree(event.data());
        }
        if (event.meta() != null) {
          json.writeFieldName("meta");
          json.writeTree(event.meta());
        }
        if (event.seq() != null) {
          json.writeNumberField("seq", event.seq());
        }
        json.writeEndObject();
      }
      json.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing to memory does not fail
    }
    return out.toByteArray();
  }

  /** The body of a comparison: {@code {"left", "right"}}. */
  public static byte[] compareBody(String left, String right) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("left", left);
    body.put("right", right);
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The body of a run creation: {@code {"id"?, "meta"?}}. */
  public static byte[] createRunBody(String id, JsonNode meta) {
    ObjectNode body = MAPPER.createObjectNode();
    if (id != null) {
      body.put("id", id);
    }
    if (meta != null) {
      body.set("meta", meta);
    }
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code {"run","branch","first","last","head","seqs":[…],"duplicates":[…]}}. */
  public static AppendResult appendResult(byte[] body) {
    JsonNode json = object(body);
    return new AppendResult(
        text(json, "run"),
        text(json, "branch"),
        number(json, "first"),
        number(json, "last"),
        number(json, "head"),
        numbers(json, "seqs"),
        numbers(json, "duplicates"));
  }

  /** A run summary object. */
  public static RunSummary summary(byte[] body) {
    return summary(object(body));
  }

  /** {@code {"runs":[summary…],"next":cursor?}}. */
  public static RunsPage runsPage(byte[] body) {
    JsonNode json = object(body);
    JsonNode runs = json.get("runs");
    if (runs == null || !runs.isArray()) {
      throw new InvalidResponseException("\"runs\" is missing or not an array");
    }
    List<RunSummary> summaries = new ArrayList<>(runs.size());
    runs.forEach(run -> summaries.add(summary(run)));
    JsonNode next = json.get("next");
    return new RunsPage(summaries, next == null || next.isNull() ? null : next.asText());
  }

  /**
   * {@code {"run","branch","events":[…],"head","next"}}. Each event keeps its JSON exactly as sent,
   * so it is read with a streaming parser that notes where each event object starts and ends.
   */
  public static ReadPage readPage(byte[] body) {
    String run = null;
    String branch = null;
    Long head = null;
    Long next = null;
    List<Event> events = null;
    try (JsonParser parser = MAPPER.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new InvalidResponseException("not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (name) {
          case "run" -> run = parser.getValueAsString();
          case "branch" -> branch = parser.getValueAsString();
          case "head" -> head = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : null;
          case "next" -> next = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : null;
          case "events" -> events = events(parser, body);
          default -> parser.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new InvalidResponseException("not valid JSON: " + message(e), e);
    }
    if (run == null || branch == null || head == null || events == null) {
      throw new InvalidResponseException(
          "a read page needs \"run\", \"branch\", \"events\", \"head\"");
    }
    return new ReadPage(run, branch, events, head, next);
  }

  private static List<Event> events(JsonParser parser, byte[] body) throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw new InvalidResponseException("\"events\" is not an array");
    }
    List<Event> events = new ArrayList<>();
    while (parser.nextToken() == JsonToken.START_OBJECT) {
      long start = parser.currentTokenLocation().getByteOffset();
      JsonNode node = NESTED.readTree(parser);
      long end = parser.currentTokenLocation().getByteOffset() + 1;
      String raw =
          start >= 0 && end > start && end <= body.length
              ? new String(body, (int) start, (int) (end - start), StandardCharsets.UTF_8)
              : node.toString();
      events.add(event(node, raw));
    }
    if (parser.currentToken() != JsonToken.END_ARRAY) {
      throw new InvalidResponseException("\"events\" holds something other than event objects");
    }
    return events;
  }

  /** An event from its JSON line (an SSE frame's data). */
  public static Event event(String line) {
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (IOException e) {
      throw new InvalidResponseException("event is not valid JSON: " + message(e), e);
    }
    if (node == null || !node.isObject()) {
      throw new InvalidResponseException("event is not a JSON object");
    }
    return event(node, line);
  }

  private static Event event(JsonNode node, String raw) {
    Instant ts;
    try {
      ts = Instant.parse(text(node, "ts"));
    } catch (DateTimeParseException e) {
      throw new InvalidResponseException("event has an invalid \"ts\": " + node.get("ts"), e);
    }
    JsonNode id = node.get("id");
    return new Event(
        number(node, "seq"),
        ts,
        text(node, "run"),
        text(node, "branch"),
        text(node, "type"),
        id == null || id.isNull() ? null : id.asText(),
        node.get("data"),
        node.get("meta"),
        raw);
  }

  /** The JSON object of an SSE {@code reset} or {@code end} frame, a problem, or a summary. */
  public static JsonNode object(String text) {
    return object(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Any JSON object answer, as a tree. */
  public static JsonNode object(byte[] body) {
    JsonNode json;
    try {
      json = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new InvalidResponseException("not valid JSON: " + message(e), e);
    }
    if (json == null || !json.isObject()) {
      throw new InvalidResponseException("not a JSON object");
    }
    return json;
  }

  private static RunSummary summary(JsonNode json) {
    JsonNode id = json.get("id");
    if (id == null || !id.isTextual()) {
      throw new InvalidResponseException("a run summary has no string \"id\"");
    }
    return new RunSummary(id.asText(), json);
  }

  /** A required integer field. */
  public static long number(JsonNode json, String name) {
    JsonNode value = json.get(name);
    if (value == null || !value.canConvertToExactIntegral() || !value.canConvertToLong()) {
      throw new InvalidResponseException("\"" + name + "\" is missing or not an integer");
    }
    return value.asLong();
  }

  private static String text(JsonNode json, String name) {
    JsonNode value = json.get(name);
    if (value == null || !value.isTextual()) {
      throw new InvalidResponseException("\"" + name + "\" is missing or not a string");
    }
    return value.asText();
  }

  private static List<Long> numbers(JsonNode json, String name) {
    JsonNode values = json.get(name);
    if (values == null || !values.isArray()) {
      throw new InvalidResponseException("\"" + name + "\" is missing or not an array");
    }
    List<Long> numbers = new ArrayList<>(values.size());
    for (JsonNode value : values) {
      if (!value.canConvertToExactIntegral()) {
        throw new InvalidResponseException("\"" + name + "\" holds a non-integer: " + value);
      }
      numbers.add(value.asLong());
    }
    return numbers;
  }

  /** Jackson's message without the source excerpt it appends. */
  static String message(IOException e) {
    String text = String.valueOf(e.getMessage());
    int source = text.indexOf("\n at [Source");
    return source < 0 ? text : text.substring(0, source);
  }
}
