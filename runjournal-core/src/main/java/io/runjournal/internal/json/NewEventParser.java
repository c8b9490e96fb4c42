package io.runjournal.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.runjournal.InvalidEventException;
import io.runjournal.RunJournalException;
import io.runjournal.model.Ids;
import io.runjournal.model.NewEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads events to append from producer JSON in any of the three shapes the HTTP API and the CLI
 * accept: one object {@code {"type", "id"?, "data"?, "meta"?, "seq"?}}, an array of such objects
 * (an atomic batch), or NDJSON (objects one after another, separated by whitespace). Every event is
 * validated before any is returned, so a bad batch writes nothing; an error names the 1-based event
 * and the line it starts on. Thread-safe (stateless).
 */
public final class NewEventParser {
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private NewEventParser() {}

  /**
   * Parses every event of {@code in} (UTF-8).
   *
   * @param source how errors name the input, e.g. {@code "request body"} or {@code "stdin"}
   * @param maxEvents the largest number of events accepted in one input
   * @throws InvalidEventException naming the first bad event, when there is no event at all, or
   *     when there are more than {@code maxEvents}
   */
  public static List<NewEvent> parse(InputStream in, String source, int maxEvents)
      throws IOException {
    List<NewEvent> events = new ArrayList<>();
    try (JsonParser parser = JSON.createParser(in)) {
      JsonToken first = nextToken(parser, source, 0);
      if (first == JsonToken.START_ARRAY) {
        for (JsonToken token = nextToken(parser, source, 1);
            token != JsonToken.END_ARRAY;
            token = nextToken(parser, source, events.size() + 1)) {
          events.add(readEvent(parser, token, source, events.size() + 1, maxEvents));
        }
        if (nextToken(parser, source, events.size()) != null) {
          throw invalid(source, "trailing content after the JSON array");
        }
      } else {
        for (JsonToken token = first;
            token != null;
            token = nextToken(parser, source, events.size() + 1)) {
          events.add(readEvent(parser, token, source, events.size() + 1, maxEvents));
        }
      }
    }
    if (events.isEmpty()) {
      throw invalid(
          source, "has no events: expected a JSON object, an array of objects or NDJSON lines");
    }
    return events;
  }

  private static JsonToken nextToken(JsonParser parser, String source, int eventNo) {
    try {
      return parser.nextToken();
    } catch (IOException e) {
      throw invalid(source, "event " + eventNo + " " + where(parser) + ": " + reason(e));
    }
  }

  private static NewEvent readEvent(
      JsonParser parser, JsonToken start, String source, int eventNo, int maxEvents) {
    String at = "event " + eventNo + " " + where(parser);
    if (eventNo > maxEvents) {
      throw invalid(source, "has more than " + maxEvents + " events (the batch limit)");
    }
    if (start != JsonToken.START_OBJECT) {
      throw invalid(source, at + ": not a JSON object");
    }
    try {
      Draft draft = new Draft();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        readField(draft, parser, source, at);
      }
      if (draft.type == null) {
        throw invalid(source, at + ": missing \"type\"");
      }
      Ids.requireType(draft.type);
      Ids.requireEventId(draft.id);
      return new NewEvent(draft.type, draft.id, draft.data, draft.meta, draft.seq);
    } catch (IOException e) {
      throw invalid(source, at + ": " + reason(e));
    } catch (InvalidEventException e) {
      throw e;
    } catch (RunJournalException e) {
      throw invalid(source, at + ": " + e.getMessage());
    }
  }

  /** The fields of one event as they are read. */
  private static final class Draft {
    String type;
    String id;
    String data;
    String meta;
    Long seq;
  }

  private static void readField(Draft draft, JsonParser parser, String source, String at)
      throws IOException {
    String name = parser.currentName();
    JsonToken value = parser.nextToken();
    switch (name) {
      case "type" -> draft.type = text(parser, value, name, source, at);
      case "id" -> draft.id = text(parser, value, name, source, at);
      case "data" -> draft.data = copy(parser);
      case "meta" -> {
        if (value != JsonToken.START_OBJECT) {
          throw invalid(source, at + ": \"meta\" must be a JSON object");
        }
        draft.meta = copy(parser);
      }
      case "seq" -> {
        if (value != JsonToken.VALUE_NUMBER_INT
            || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            || parser.getLongValue() < 1) {
          throw invalid(source, at + ": \"seq\" must be a positive integer");
        }
        draft.seq = parser.getLongValue();
      }
      default ->
          throw invalid(
              source,
              at + ": unknown field \"" + name + "\" (an event has type, id, data, meta and seq)");
    }
  }

  private static String text(
      JsonParser parser, JsonToken value, String name, String source, String at)
      throws IOException {
    if (value != JsonToken.VALUE_STRING) {
      throw invalid(source, at + ": \"" + name + "\" must be a string");
    }
    return parser.getText();
  }

  /** The current value as compact JSON, numbers kept exactly as written. */
  private static String copy(JsonParser parser) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator generator = JSON.createGenerator(out)) {
      EventCodec.copyValue(parser, generator);
    }
    return out.toString();
  }

  private static String where(JsonParser parser) {
    return "(line " + parser.currentTokenLocation().getLineNr() + ")";
  }

  private static InvalidEventException invalid(String source, String reason) {
    return new InvalidEventException(source + " " + reason);
  }

  /** Jackson's message without its source excerpt and location lines. */
  private static String reason(IOException e) {
    String text = String.valueOf(e.getMessage());
    int end = text.indexOf('\n');
    return "invalid JSON: " + (end < 0 ? text : text.substring(0, end));
  }
}
