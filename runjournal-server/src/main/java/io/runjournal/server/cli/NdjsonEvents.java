package io.runjournal.server.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.runjournal.InvalidEventException;
import io.runjournal.RunJournalException;
import io.runjournal.model.Ids;
import io.runjournal.model.NewEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads events to append from NDJSON: one object per line, {@code {"type", "id"?, "data"?, "meta"?,
 * "seq"?}}; blank lines are skipped. Every line is validated before anything is appended, and an
 * error names the line, so a bad batch writes nothing. Thread-safe (stateless).
 */
final class NdjsonEvents {
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private NdjsonEvents() {}

  /**
   * Reads every event of {@code in} (UTF-8).
   *
   * @throws InvalidEventException naming the 1-based line of the first bad event, or when there is
   *     no event at all
   */
  static List<NewEvent> read(InputStream in) throws IOException {
    List<NewEvent> events = new ArrayList<>();
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    long lineNo = 0;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      lineNo++;
      if (!line.isBlank()) {
        events.add(parseLine(line, lineNo));
      }
    }
    if (events.isEmpty()) {
      throw new InvalidEventException("stdin has no events: expected one JSON object per line");
    }
    return events;
  }

  static NewEvent parseLine(String line, long lineNo) {
    try (JsonParser parser = JSON.createParser(line)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw invalid(lineNo, "not a JSON object");
      }
      Draft draft = new Draft();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        readField(draft, parser, lineNo);
      }
      if (parser.nextToken() != null) {
        throw invalid(lineNo, "trailing content after the JSON object");
      }
      if (draft.type == null) {
        throw invalid(lineNo, "missing \"type\"");
      }
      Ids.requireType(draft.type);
      Ids.requireEventId(draft.id);
      return new NewEvent(draft.type, draft.id, draft.data, draft.meta, draft.seq);
    } catch (IOException e) {
      throw invalid(lineNo, "invalid JSON: " + firstLine(e.getMessage()));
    } catch (RunJournalException e) {
      throw e instanceof InvalidEventException ? e : invalid(lineNo, e.getMessage());
    }
  }

  /** The fields of one line as they are read. */
  private static final class Draft {
    String type;
    String id;
    String data;
    String meta;
    Long seq;
  }

  private static void readField(Draft draft, JsonParser parser, long lineNo) throws IOException {
    String name = parser.currentName();
    JsonToken value = parser.nextToken();
    switch (name) {
      case "type" -> draft.type = text(parser, value, name, lineNo);
      case "id" -> draft.id = text(parser, value, name, lineNo);
      case "data" -> draft.data = copy(parser);
      case "meta" -> {
        if (value != JsonToken.START_OBJECT) {
          throw invalid(lineNo, "\"meta\" must be a JSON object");
        }
        draft.meta = copy(parser);
      }
      case "seq" -> {
        if (value != JsonToken.VALUE_NUMBER_INT
            || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          throw invalid(lineNo, "\"seq\" must be a positive integer");
        }
        draft.seq = parser.getLongValue();
      }
      default ->
          throw invalid(
              lineNo, "unknown field \"" + name + "\" (an event has type, id, data, meta and seq)");
    }
  }

  private static String text(JsonParser parser, JsonToken value, String name, long lineNo)
      throws IOException {
    if (value != JsonToken.VALUE_STRING) {
      throw invalid(lineNo, "\"" + name + "\" must be a string");
    }
    return parser.getText();
  }

  /** The current value as compact JSON, numbers kept exactly as written. */
  private static String copy(JsonParser parser) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator generator = JSON.createGenerator(out)) {
      int depth = 0;
      JsonToken token = parser.currentToken();
      do {
        generator.copyCurrentEventExact(parser);
        if (token.isStructStart()) {
          depth++;
        } else if (token.isStructEnd()) {
          depth--;
        }
      } while (depth > 0 && (token = parser.nextToken()) != null);
    }
    return out.toString();
  }

  private static InvalidEventException invalid(long lineNo, String reason) {
    return new InvalidEventException("stdin line " + lineNo + ": " + reason);
  }

  private static String firstLine(String message) {
    String text = String.valueOf(message);
    int end = text.indexOf('\n');
    return end < 0 ? text : text.substring(0, end);
  }
}
