package io.runjournal.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.runjournal.InvalidEventException;
import io.runjournal.model.Event;
import io.runjournal.model.Ids;
import io.runjournal.model.NewEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The canonical JSON line of DESIGN §2: encoding at append, parsing at read. Thread-safe.
 *
 * <p>Fields are written in the fixed order {@code seq, ts, run, branch, type, id, data, meta}, with
 * no insignificant whitespace and absent fields omitted. {@code data} and {@code meta} are parsed
 * once at append (duplicate keys and trailing content are rejected) and re-encoded compactly;
 * parsing a line slices them out as raw text without building a tree.
 */
public final class EventCodec {
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build())
          .build();

  private EventCodec() {}

  /**
   * Validates an event's identifiers and JSON and encodes {@code data}/{@code meta} canonically.
   *
   * @throws io.runjournal.InvalidIdentifierException for a bad type or id
   * @throws InvalidEventException for bad JSON, or a {@code meta} that is not an object
   */
  public static PreparedEvent prepare(NewEvent event) {
    if (event == null) {
      throw new InvalidEventException("an event must not be null");
    }
    String type = Ids.requireType(event.type());
    String id = Ids.requireEventId(event.id());
    // The UTF-8 bytes checked for compact input are the bytes the line will hold: keep them, so an
    // append encodes its data once.
    byte[] dataUtf8 = event.data() == null ? null : compactUtf8(event.data(), false);
    String data =
        event.data() == null || dataUtf8 != null
            ? event.data()
            : reencode("data", event.data(), false);
    byte[] metaUtf8 = event.meta() == null ? null : compactUtf8(event.meta(), true);
    String meta =
        event.meta() == null || metaUtf8 != null
            ? event.meta()
            : reencode("meta", event.meta(), true);
    if (event.seq() != null && event.seq() < 1) {
      throw new InvalidEventException("seq must be >= 1, got " + event.seq());
    }
    long hash = id == null ? 0 : contentHash(type, data); // only ids are compared
    return new PreparedEvent(type, id, data, meta, event.seq(), hash, dataUtf8, metaUtf8);
  }

  /** A 64-bit FNV-1a hash of type and data: what makes two events with one id "the same". */
  public static long contentHash(String type, String data) {
    long hash = 0xcbf29ce484222325L;
    hash = mix(hash, type);
    hash = (hash ^ 0x1f) * 0x100000001b3L;
    return data == null ? hash : mix(hash, data);
  }

  private static long mix(long hash, String text) {
    for (int i = 0; i < text.length(); i++) {
      hash = (hash ^ text.charAt(i)) * 0x100000001b3L;
    }
    return hash;
  }

  /**
   * The UTF-8 bytes of {@code json} if it is already canonical and valid (kept as sent), else null.
   */
  private static byte[] compactUtf8(String json, boolean requireObject) {
    if (!isCompact(json)) {
      return null;
    }
    byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
    return CanonicalLine.isValidCompactValue(utf8, requireObject) ? utf8 : null;
  }

  /**
   * Any JSON value as compact canonical text (numbers kept as written).
   *
   * @throws InvalidEventException naming {@code field} for bad JSON, trailing content or an
   *     unpaired surrogate
   */
  public static String canonicalJson(String field, String json) {
    return reencode(field, json, false);
  }

  /** Re-encodes with the full parser, which also says precisely what is wrong with bad input. */
  private static String reencode(String field, String json, boolean requireObject) {
    StringWriter out = new StringWriter(json.length());
    try (JsonParser parser = JSON.createParser(json);
        JsonGenerator generator = JSON.createGenerator(out)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new InvalidEventException(field + " is empty: expected a JSON value");
      }
      if (requireObject && first != JsonToken.START_OBJECT) {
        throw new InvalidEventException(field + " must be a JSON object, got " + describe(first));
      }
      copyValue(parser, generator);
      if (parser.nextToken() != null) {
        throw new InvalidEventException(
            field + " has trailing content after its JSON value at " + position(parser));
      }
    } catch (IOException e) {
      throw new InvalidEventException(field + " is not valid JSON: " + message(e), e);
    }
    String encoded = out.toString();
    requirePairedSurrogates(field, encoded);
    return encoded;
  }

  /**
   * Refuses text with an unpaired UTF-16 surrogate (a raw one, or one a {@code \\uD800} escape
   * decoded to): UTF-8 cannot encode it, so the journal would store {@code ?} while the caller and
   * the cache hold the original.
   */
  static void requirePairedSurrogates(String field, String text) {
    int at = Ids.unpairedSurrogateAt(text);
    if (at >= 0) {
      throw new InvalidEventException(
          field
              + " holds an unpaired UTF-16 surrogate (\\u"
              + Integer.toHexString(text.charAt(at)).toUpperCase(Locale.ROOT)
              + "), which UTF-8 cannot encode");
    }
  }

  /**
   * Copies the value the parser is on (a scalar, or a whole object or array) to {@code generator},
   * numbers exactly as written; the parser is left on the value's last token.
   */
  static void copyValue(JsonParser parser, JsonGenerator generator) throws IOException {
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

  /**
   * Whether {@code json} is already written the way the canonical encoder would write it, so that a
   * validating parse suffices and the producer's text can be kept: no whitespace outside strings,
   * no escape sequences or control characters inside them, and only integer numbers other than
   * {@code -0} (the encoder may spell fractions, exponents and {@code -0} differently). Producers
   * that send compact JSON, which is most of them, skip the re-encoding.
   */
  static boolean isCompact(String json) {
    boolean inString = false;
    int length = json.length();
    for (int i = 0; i < length; i++) {
      char c = json.charAt(i);
      if (inString) {
        if (c == '"') {
          inString = false;
        } else if (c == '\\' || c < 0x20 || Character.isSurrogate(c)) {
          return false; // surrogates: the slow path checks that they pair up
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == 't' && json.startsWith("true", i) || c == 'n' && json.startsWith("null", i)) {
        i += 3;
      } else if (c == 'f' && json.startsWith("false", i)) {
        i += 4;
      } else if (c == '-' && i + 1 < length && json.charAt(i + 1) == '0') {
        return false;
      } else if (!(c >= '0' && c <= '9'
          || c == '-'
          || c == '{'
          || c == '}'
          || c == '['
          || c == ']'
          || c == ':'
          || c == ',')) {
        return false;
      }
    }
    return !inString;
  }

  private static String describe(JsonToken token) {
    return switch (token) {
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> token.toString();
    };
  }

  private static String position(JsonParser parser) {
    return "line "
        + parser.currentLocation().getLineNr()
        + ", column "
        + parser.currentLocation().getColumnNr();
  }

  private static String message(IOException e) {
    String text = e.getMessage();
    int source = text == null ? -1 : text.indexOf("\n at [Source");
    return source < 0 ? String.valueOf(text) : text.substring(0, source);
  }

  /** The canonical line of an event, without the trailing newline. */
  public static String encodeLine(
      long seq, String ts, String run, String branch, PreparedEvent event) {
    return encodeLine(seq, ts, run, branch, event.type(), event.id(), event.data(), event.meta());
  }

  /** The canonical line of an event whose line was not kept. */
  public static String encodeLine(Event event) {
    return encodeLine(
        event.seq(),
        Timestamps.format(event.tsMillis()),
        event.run(),
        event.branch(),
        event.type(),
        event.id(),
        event.data(),
        event.meta());
  }

  private static String encodeLine(
      long seq,
      String ts,
      String run,
      String branch,
      String type,
      String id,
      String data,
      String meta) {
    StringBuilder line = new StringBuilder(256 + (data == null ? 0 : data.length()));
    line.append("{\"seq\":").append(seq);
    line.append(",\"ts\":\"").append(ts);
    line.append("\",\"run\":\"").append(run);
    line.append("\",\"branch\":\"").append(branch);
    line.append("\",\"type\":\"").append(type).append('"');
    if (id != null) {
      line.append(",\"id\":\"");
      JsonStringEncoder.getInstance().quoteAsString(id, line);
      line.append('"');
    }
    if (data != null) {
      line.append(",\"data\":").append(data);
    }
    if (meta != null) {
      line.append(",\"meta\":").append(meta);
    }
    return line.append('}').toString();
  }

  /**
   * Writes the canonical line of an event and its newline into {@code out} as UTF-8, the same bytes
   * as {@link #encodeLine} without building the string.
   *
   * @return false (having written nothing useful) if {@code out} has too little room; the caller
   *     grows it and tries again
   */
  public static boolean writeLine(
      ByteBuffer out, long seq, byte[] ts, String run, String branch, PreparedEvent event) {
    try {
      out.put(CanonicalLine.SEQ);
      putDecimal(out, seq);
      out.put(CanonicalLine.TS).put(ts);
      putAscii(out.put(CanonicalLine.RUN), run);
      putAscii(out.put(CanonicalLine.BRANCH), branch);
      putAscii(out.put(CanonicalLine.TYPE), event.type()).put((byte) '"');
      if (event.id() != null) {
        out.put(CanonicalLine.ID)
            .put(JsonStringEncoder.getInstance().quoteAsUTF8(event.id()))
            .put((byte) '"');
      }
      if (event.data() != null) {
        out.put(CanonicalLine.DATA).put(utf8(event.data(), event.dataUtf8()));
      }
      if (event.meta() != null) {
        out.put(CanonicalLine.META).put(utf8(event.meta(), event.metaUtf8()));
      }
      out.put((byte) '}').put((byte) '\n');
      return true;
    } catch (java.nio.BufferOverflowException e) {
      return false;
    }
  }

  private static byte[] utf8(String text, byte[] kept) {
    return kept != null ? kept : text.getBytes(StandardCharsets.UTF_8);
  }

  /** Identifiers are validated ASCII: one byte per char. */
  private static ByteBuffer putAscii(ByteBuffer out, String text) {
    for (int i = 0; i < text.length(); i++) {
      out.put((byte) text.charAt(i));
    }
    return out;
  }

  private static void putDecimal(ByteBuffer out, long value) {
    if (value < 10) {
      out.put((byte) ('0' + value));
      return;
    }
    int digits = 0;
    for (long rest = value; rest > 0; rest /= 10) {
      digits++;
    }
    if (out.remaining() < digits) {
      throw new java.nio.BufferOverflowException();
    }
    int end = out.position() + digits;
    for (int at = end - 1; at >= end - digits; at--) {
      out.put(at, (byte) ('0' + value % 10));
      value /= 10;
    }
    out.position(end);
  }

  /**
   * Parses one line (without its newline) of a journal.
   *
   * @param buffer holds the line at {@code [offset, offset + length)}
   * @param expectedRun the run the journal belongs to; a line naming another run is malformed
   * @throws MalformedLineException if it is not a valid event, with the reason
   */
  public static Event parseLine(byte[] buffer, int offset, int length, String expectedRun)
      throws MalformedLineException {
    Event canonical = CanonicalLine.parse(buffer, offset, length, expectedRun);
    return canonical != null ? canonical : parseAnyLine(buffer, offset, length, expectedRun);
  }

  /**
   * Parses one line with the full JSON parser only: what {@code verify} uses, so that it also
   * rejects duplicate keys and invalid UTF-8 that the canonical fast path does not look for.
   */
  public static Event parseAnyLine(byte[] buffer, int offset, int length, String expectedRun)
      throws MalformedLineException {
    if (length == 0) {
      throw new MalformedLineException("empty line");
    }
    long seq = -1;
    long ts = Long.MIN_VALUE;
    String run = null;
    String branch = null;
    String type = null;
    String id = null;
    String data = null;
    String meta = null;
    try (JsonParser parser = JSON.createParser(buffer, offset, length)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new MalformedLineException("not a JSON object");
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (name) {
          case "seq" -> seq = requireSeq(parser, value);
          case "ts" -> ts = Timestamps.parse(requireString(parser, value, name));
          case "run" -> run = requireString(parser, value, name);
          case "branch" -> branch = requireString(parser, value, name);
          case "type" -> type = requireString(parser, value, name);
          case "id" -> id = requireString(parser, value, name);
          case "data" -> data = rawValue(parser, value, buffer, offset);
          case "meta" -> {
            if (value != JsonToken.START_OBJECT) {
              throw new MalformedLineException("meta is not an object");
            }
            meta = rawValue(parser, value, buffer, offset);
          }
          default -> parser.skipChildren();
        }
      }
      if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new MalformedLineException("trailing content after the event object");
      }
    } catch (IOException | RuntimeException e) {
      throw new MalformedLineException("invalid JSON: " + message(e));
    }
    if (seq < 1) {
      throw new MalformedLineException("missing seq");
    }
    if (ts == Long.MIN_VALUE) {
      throw new MalformedLineException("missing ts");
    }
    if (run == null || !run.equals(expectedRun)) {
      throw new MalformedLineException(
          run == null ? "missing run" : "run \"" + run + "\" does not match the journal's run");
    }
    if (branch == null || type == null) {
      throw new MalformedLineException(branch == null ? "missing branch" : "missing type");
    }
    String line = new String(buffer, offset, length, StandardCharsets.UTF_8);
    return new Event(seq, ts, run, branch, type, id, data, meta, line);
  }

  private static String message(Exception e) {
    return e instanceof IOException io ? message(io) : e.toString();
  }

  private static long requireSeq(JsonParser parser, JsonToken value)
      throws IOException, MalformedLineException {
    if (value != JsonToken.VALUE_NUMBER_INT
        || parser.getNumberType() != JsonParser.NumberType.INT
            && parser.getNumberType() != JsonParser.NumberType.LONG) {
      throw new MalformedLineException("seq is not a positive integer");
    }
    long seq = parser.getLongValue();
    if (seq < 1) {
      throw new MalformedLineException("seq is not a positive integer");
    }
    return seq;
  }

  private static String requireString(JsonParser parser, JsonToken value, String name)
      throws IOException, MalformedLineException {
    if (value != JsonToken.VALUE_STRING) {
      throw new MalformedLineException(name + " is not a string");
    }
    return parser.getText();
  }

  private static String rawValue(JsonParser parser, JsonToken value, byte[] buffer, int offset)
      throws IOException {
    int start = offset + (int) parser.currentTokenLocation().getByteOffset();
    if (value.isStructStart()) {
      parser.skipChildren();
    } else {
      parser.finishToken();
    }
    int end = offset + (int) parser.currentLocation().getByteOffset();
    return new String(buffer, start, end - start, StandardCharsets.UTF_8);
  }
}
