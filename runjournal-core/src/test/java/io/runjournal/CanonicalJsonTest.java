package io.runjournal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.runjournal.internal.json.EventCodec;
import io.runjournal.model.Ids;
import io.runjournal.model.NewEvent;
import java.io.StringWriter;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The canonical form of {@code data}: whether the producer's text is kept (it is already compact)
 * or re-encoded, the result is the same as a full re-encoding.
 */
class CanonicalJsonTest {
  private static final JsonFactory JSON = new JsonFactory();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"x y\"}}",
        "{ \"a\" : 1 }",
        "[1, 2]",
        "\"with \\\"escapes\\\" and \\u0041\"",
        "\"\\/slash\"",
        "-0",
        "-0.0",
        "1e2",
        "1E+2",
        "12.50",
        "-17",
        "123456789012345678901234567890",
        "\"é 日本 🎉\"",
        "{\"k\":\"tab\\there\"}",
        "true",
        "null",
        "{\"nested\":[[[{}]]],\"empty\":[]}"
      })
  void prepare_keptOrReencoded_equalsAFullReencoding(String json) throws Exception {
    String prepared = EventCodec.prepare(NewEvent.of("t", json)).data();

    assertThat(prepared).isEqualTo(reencode(json));
  }

  @Test
  void prepare_randomCompactDocuments_equalAFullReencoding() throws Exception {
    Random random = new Random(42);
    for (int i = 0; i < 2000; i++) {
      String json = RandomJson.value(random);
      assertThat(EventCodec.prepare(NewEvent.of("t", json)).data())
          .as("document %s", json)
          .isEqualTo(reencode(json));
    }
  }

  @Test
  void prepare_acceptsExactlyWhatTheFullParserAccepts_onDamagedCompactDocuments() {
    Random random = new Random(5);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder json = new StringBuilder(RandomJson.value(random));
      int at = random.nextInt(json.length());
      String pieces = "{}[]\",:0-.e tfn\\\"k1\":1";
      switch (random.nextInt(3)) {
        case 0 -> json.setCharAt(at, pieces.charAt(random.nextInt(pieces.length())));
        case 1 -> json.deleteCharAt(at);
        default -> json.insert(at, random.nextBoolean() ? ",\"k1\":1" : pieces.charAt(at % 5));
      }
      String text = json.toString();
      String viaJournal = prepareOrNull(text);
      assertThat(viaJournal).as("document %s", text).isEqualTo(oracle(text));
    }
  }

  /** One strictly parsed JSON value, re-encoded; null where the journal must refuse it. */
  private static String oracle(String json) {
    StringWriter out = new StringWriter();
    try (JsonParser parser = STRICT.createParser(json);
        JsonGenerator generator = JSON.createGenerator(out)) {
      int depth = 0;
      JsonToken token = parser.nextToken();
      if (token == null) {
        return null;
      }
      do {
        generator.copyCurrentEventExact(parser);
        depth += token.isStructStart() ? 1 : token.isStructEnd() ? -1 : 0;
      } while (depth > 0 && (token = parser.nextToken()) != null);
      if (parser.nextToken() != null) {
        return null;
      }
    } catch (Exception e) {
      return null;
    }
    // UTF-8 cannot encode an unpaired surrogate: the journal refuses what it could not store.
    return Ids.unpairedSurrogateAt(out.toString()) >= 0 ? null : out.toString();
  }

  private static final JsonFactory STRICT =
      JsonFactory.builder()
          .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private static String prepareOrNull(String json) {
    try {
      return EventCodec.prepare(NewEvent.of("t", json)).data();
    } catch (InvalidEventException e) {
      return null;
    }
  }

  private static String reencode(String json) throws Exception {
    StringWriter out = new StringWriter();
    try (JsonParser parser = JSON.createParser(json);
        JsonGenerator generator = JSON.createGenerator(out)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        generator.copyCurrentEventExact(parser);
      }
    }
    return out.toString();
  }
}
