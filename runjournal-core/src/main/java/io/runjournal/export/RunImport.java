package io.runjournal.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.runjournal.InvalidEventException;
import io.runjournal.internal.json.EventCodec;
import io.runjournal.internal.json.MalformedLineException;
import io.runjournal.model.Event;
import io.runjournal.model.Ids;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * Reads what an import is given, an export bundle ({@value RunExport#FORMAT}) or a raw journal (its
 * NDJSON lines, as {@code format=jsonl} downloads it), into the events {@link
 * io.runjournal.Journal#importEvents} writes. Each event keeps the exact text it came as, so the
 * journal can check that it is canonical; nothing is re-encoded. Stateless and thread-safe.
 *
 * <p>The form is told by the first JSON value: an object with a {@code format} field is a bundle;
 * anything else is the first line of a journal. Errors are {@link InvalidEventException}s whose
 * message names the 1-based bundle event or line ({@link InvalidEventException#position()}), or the
 * bundle field, that is wrong.
 */
public final class RunImport {
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private RunImport() {}

  /** The form of an import. */
  public enum Form {
    /** An export bundle: a JSON object with {@code format} and {@code events}. */
    BUNDLE,
    /** A raw journal: one canonical event per line. */
    JOURNAL
  }

  /**
   * What an import holds.
   *
   * @param form a bundle or a raw journal
   * @param run the run the events are imported into
   * @param events the events in journal order
   */
  public record Source(Form form, String run, List<Event> events) {
    /** Copies the list. */
    public Source {
      events = List.copyOf(events);
    }

    /**
     * {@code error} from importing these events, its message saying where the offending event is in
     * this input: {@code line N: event N …} in a raw journal, {@code bundle event N …} in a bundle.
     * An error about no one event is returned as it is.
     */
    public InvalidEventException locate(InvalidEventException error) {
      if (error.position() < 1) {
        return error;
      }
      String where = form == Form.JOURNAL ? "line " + error.position() + ": " : "bundle ";
      return new InvalidEventException(error.position(), where + error.getMessage());
    }
  }

  /**
   * Reads a bundle or a raw journal.
   *
   * @param run the run to import into instead of the one the input names, or null to keep it: the
   *     events' {@code run} is rewritten, everything else of their lines stays as it is
   * @param progress told the number of events read so far, after each one
   * @throws InvalidEventException if the input is neither, naming the event, line or field
   * @throws io.runjournal.InvalidIdentifierException if {@code run} is not a valid run id
   */
  public static Source parse(byte[] input, String run, LongConsumer progress) {
    if (run != null) {
      Ids.requireRunId(run);
    }
    int start = 0;
    while (start < input.length && isWhitespace(input[start])) {
      start++;
    }
    if (start == input.length) {
      throw invalid(0, "the import is empty: expected an export bundle or a journal's lines");
    }
    if (input[start] != '{') {
      throw invalid(
          0,
          "the import is neither an export bundle (a JSON object) nor a journal (one JSON object"
              + " per line): it starts with '"
              + (char) (input[start] & 0xff)
              + "'");
    }
    Bundle bundle = Bundle.read(input);
    Source source = bundle != null ? bundle.source(input, progress) : journal(input, progress);
    return run == null ? source : renamed(source, run);
  }

  private static boolean isWhitespace(byte b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  /** The top-level fields of a bundle; the events as byte ranges of the input. */
  private static final class Bundle {
    String format;
    String run;
    boolean hasEvents;
    final List<long[]> events = new ArrayList<>();
    Map<String, Long> branches;

    /** The bundle the input is, or null if its first value is not one. */
    static Bundle read(byte[] input) {
      Bundle bundle = new Bundle();
      boolean hasFormat = false;
      try (JsonParser parser = JSON.createParser(input, 0, input.length)) {
        parser.nextToken(); // START_OBJECT, checked by the caller
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          JsonToken value = parser.nextToken();
          switch (name) {
            case "format" -> {
              hasFormat = true;
              bundle.format = value == JsonToken.VALUE_STRING ? parser.getText() : null;
            }
            case "run" -> bundle.run = value == JsonToken.VALUE_STRING ? parser.getText() : null;
            case "events" -> bundle.readEvents(parser, value);
            case "branches" -> bundle.readBranches(parser, value);
            default -> parser.skipChildren();
          }
        }
        if (!hasFormat) {
          return null; // the first line of a journal
        }
        if (parser.nextToken() != null) {
          throw invalid(
              0,
              "the bundle has content after its closing brace, at "
                  + where(parser.currentTokenLocation()));
        }
        return bundle;
      } catch (JsonProcessingException e) {
        throw invalid(
            0,
            "the import is not valid JSON at "
                + where(e.getLocation())
                + ": "
                + e.getOriginalMessage());
      } catch (IOException e) {
        throw new InvalidEventException("the import could not be read: " + e.getMessage(), e);
      }
    }

    private void readEvents(JsonParser parser, JsonToken value) throws IOException {
      if (value != JsonToken.START_ARRAY) {
        throw invalid(0, "the bundle's \"events\" is not an array");
      }
      hasEvents = true;
      JsonToken element;
      while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
        if (element != JsonToken.START_OBJECT) {
          throw invalid(
              events.size() + 1, "bundle event " + (events.size() + 1) + " is not a JSON object");
        }
        long from = parser.currentTokenLocation().getByteOffset();
        parser.skipChildren();
        events.add(new long[] {from, parser.currentLocation().getByteOffset()});
      }
    }

    private void readBranches(JsonParser parser, JsonToken value) throws IOException {
      if (value != JsonToken.START_OBJECT) {
        throw invalid(0, "the bundle's \"branches\" is not an object");
      }
      branches = new TreeMap<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String branch = parser.currentName();
        if (parser.nextToken() != JsonToken.VALUE_NUMBER_INT) {
          throw invalid(0, "the bundle's \"branches\" must map branch names to heads");
        }
        branches.put(branch, parser.getLongValue());
      }
    }

    Source source(byte[] input, LongConsumer progress) {
      if (!RunExport.FORMAT.equals(format)) {
        throw invalid(
            0,
            "unsupported bundle format "
                + (format == null ? "(not a string)" : "\"" + format + "\"")
                + ": expected \""
                + RunExport.FORMAT
                + "\"");
      }
      if (run == null) {
        throw invalid(0, "the bundle has no \"run\" (a string)");
      }
      Ids.requireRunId(run);
      if (!hasEvents) {
        throw invalid(
            0, "the bundle has no \"events\" (exported with events=false?): nothing to import");
      }
      List<Event> parsed = new ArrayList<>(events.size());
      for (long[] range : events) {
        int position = parsed.size() + 1;
        try {
          parsed.add(
              EventCodec.parseAnyLine(input, (int) range[0], (int) (range[1] - range[0]), run));
        } catch (MalformedLineException e) {
          throw invalid(position, "bundle event " + position + ": " + e.getMessage());
        }
        tick(progress, position);
      }
      if (branches != null) {
        Map<String, Long> heads = new TreeMap<>();
        parsed.forEach(event -> heads.put(event.branch(), event.seq()));
        if (!heads.equals(branches)) {
          throw invalid(
              0,
              "the bundle's \"branches\" "
                  + branches
                  + " are not the heads of its events "
                  + heads
                  + ": was it cut short or edited?");
        }
      }
      return new Source(Form.BUNDLE, run, parsed);
    }
  }

  /** A raw journal: no blank lines; the last line may lack its newline. */
  private static Source journal(byte[] input, LongConsumer progress) {
    List<Event> events = new ArrayList<>();
    String run = null;
    int lineStart = 0;
    for (int lineNo = 1; lineStart < input.length; lineNo++) {
      int end = lineStart;
      while (end < input.length && input[end] != '\n') {
        end++;
      }
      if (end == lineStart) {
        throw invalid(lineNo, "line " + lineNo + " is empty: a journal has no blank lines");
      }
      if (run == null) {
        run = runOf(input, lineStart, end - lineStart);
      }
      try {
        events.add(EventCodec.parseAnyLine(input, lineStart, end - lineStart, run));
      } catch (MalformedLineException e) {
        throw invalid(lineNo, "line " + lineNo + ": " + e.getMessage());
      }
      tick(progress, lineNo);
      lineStart = end + 1;
    }
    return new Source(Form.JOURNAL, run, events);
  }

  /** The run named by the first line of a journal. */
  private static String runOf(byte[] input, int offset, int length) {
    try (JsonParser parser = JSON.createParser(input, offset, length)) {
      if (parser.nextToken() == JsonToken.START_OBJECT) {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          JsonToken value = parser.nextToken();
          if (name.equals("run") && value == JsonToken.VALUE_STRING) {
            return Ids.requireRunId(parser.getText());
          }
          parser.skipChildren();
        }
      }
    } catch (IOException e) {
      // the full parse of the line says what is wrong
    }
    try {
      EventCodec.parseAnyLine(input, offset, length, "");
    } catch (MalformedLineException e) {
      throw invalid(1, "line 1: " + e.getMessage());
    }
    throw invalid(1, "line 1: missing run");
  }

  /** The events under another run id; each must be canonical, as the journal would check. */
  private static Source renamed(Source source, String run) {
    List<Event> events = new ArrayList<>(source.events().size());
    for (Event event : source.events()) {
      Event moved =
          new Event(
              event.seq(),
              event.tsMillis(),
              run,
              event.branch(),
              event.type(),
              event.id(),
              event.data(),
              event.meta(),
              null);
      Event same =
          new Event(
              event.seq(),
              event.tsMillis(),
              event.run(),
              event.branch(),
              event.type(),
              event.id(),
              event.data(),
              event.meta(),
              null);
      if (!same.line().equals(event.line())) {
        int position = events.size() + 1;
        throw invalid(
            position,
            (source.form() == Form.BUNDLE ? "bundle event " : "line ")
                + position
                + " is not written as the journal writes it (fields in order, no whitespace):"
                + " import events exactly as exported");
      }
      events.add(moved);
    }
    return new Source(source.form(), run, events);
  }

  private static void tick(LongConsumer progress, long count) {
    progress.accept(count);
  }

  private static String where(JsonLocation location) {
    return "line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  private static InvalidEventException invalid(long position, String message) {
    return new InvalidEventException(position, message);
  }
}
