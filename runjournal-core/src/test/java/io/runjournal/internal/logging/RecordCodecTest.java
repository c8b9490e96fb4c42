package io.runjournal.internal.logging;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runjournal.internal.json.MalformedLineException;
import io.runjournal.logging.Attributes;
import io.runjournal.logging.Level;
import io.runjournal.logging.LogEntry;
import io.runjournal.logging.LogRecord;
import io.runjournal.logging.SpanClose;
import io.runjournal.logging.SpanLink;
import io.runjournal.logging.SpanOpen;
import io.runjournal.logging.SpanStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The JSON line of every record kind, full and minimal, and the refusal of malformed lines. */
class RecordCodecTest {
  private static final Instant WHEN = Instant.parse("2025-03-04T05:06:07.089Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One value of every type an attribute may hold. */
  private static final Map<String, Object> EVERY_TYPE =
      Attributes.of(
          "text", "a \"quoted\"\nvalue", "count", 42L, "ratio", 0.25, "ok", true, "none", null);

  static Stream<Arguments> records() {
    return Stream.of(
        Arguments.of(
            "log, full",
            new LogEntry(Level.WARN, "line one\nline two", WHEN, "agent", "00f1", EVERY_TYPE),
            List.of("kind", "level", "msg", "timestamp", "source", "spanId", "attributes")),
        Arguments.of(
            "log, minimal",
            new LogEntry(Level.DEBUG, "", WHEN, "agent", null, null),
            List.of("kind", "level", "msg", "timestamp", "source")),
        Arguments.of(
            "span-open, full",
            new SpanOpen(
                "00a1",
                "tool.call",
                WHEN,
                "agent",
                "00a0",
                List.of(SpanLink.to("0b01"), new SpanLink("0b02", "other-run")),
                EVERY_TYPE,
                "{\"query\": \"x\\ny\", \"n\": [1, 2.5, null, {\"deep\": true}]}"),
            List.of(
                "kind",
                "spanId",
                "name",
                "timestamp",
                "source",
                "parentSpanId",
                "links",
                "attributes",
                "body")),
        Arguments.of(
            "span-open, minimal",
            new SpanOpen("00a1", "tool.call", WHEN, "agent", null, null, null, null),
            List.of("kind", "spanId", "name", "timestamp", "source")),
        Arguments.of(
            "span-close, full",
            new SpanClose(
                "00a1",
                "tool.call",
                WHEN,
                1234,
                SpanStatus.ERROR,
                "agent",
                "timeout\nafter 3 tries",
                EVERY_TYPE),
            List.of(
                "kind",
                "spanId",
                "name",
                "timestamp",
                "durationMs",
                "status",
                "source",
                "error",
                "attributes")),
        Arguments.of(
            "span-close, minimal",
            new SpanClose("00a1", "tool.call", WHEN, 0, SpanStatus.OK, "agent", null, null),
            List.of("kind", "spanId", "name", "timestamp", "durationMs", "status", "source")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("records")
  void toLine_isOneLineEndingInOneNewline(String label, LogRecord record, List<String> fields) {
    byte[] line = RecordCodec.toLine(record);

    assertThat(line[line.length - 1]).isEqualTo((byte) '\n');
    long newlines = new String(line, UTF_8).chars().filter(c -> c == '\n').count();
    assertThat(newlines).as("newlines in %s", new String(line, UTF_8)).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("records")
  void parse_ofTheLine_givesAnEqualRecord(String label, LogRecord record, List<String> fields)
      throws MalformedLineException {
    String line = new String(RecordCodec.toLine(record), UTF_8);

    assertThat(RecordCodec.parse(line.strip())).isEqualTo(record);
    assertThat(RecordCodec.parse(RecordCodec.toJson(record))).isEqualTo(record);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("records")
  void toLine_writesExactlyThePresentFields_kindFirst(
      String label, LogRecord record, List<String> fields) throws Exception {
    JsonNode object = JSON.readTree(RecordCodec.toLine(record));

    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactlyElementsOf(fields);
    assertThat(object.get("kind").asText()).isEqualTo(record.kind());
    if (label.endsWith("minimal")) {
      assertThat(new String(RecordCodec.toLine(record), UTF_8)).doesNotContain("null");
    }
  }

  static Stream<Arguments> malformed() {
    String log = "\"kind\":\"log\",\"level\":\"info\",\"timestamp\":\"2025-03-04T05:06:07.089Z\"";
    String close =
        "\"kind\":\"span-close\",\"spanId\":\"a1\",\"name\":\"n\","
            + "\"timestamp\":\"2025-03-04T05:06:07.089Z\",\"durationMs\":5,\"source\":\"s\"";
    return Stream.of(
        Arguments.of("{" + log + ",\"source\":\"s\"}", "a log record needs msg"),
        Arguments.of(
            "{\"kind\":\"span-open\",\"spanId\":\"a1\",\"timestamp\":\"2025-03-04T05:06:07.089Z\","
                + "\"source\":\"s\"}",
            "a span-open record needs name"),
        Arguments.of("{" + close + "}", "a span-close record needs status"),
        Arguments.of("{\"msg\":\"m\"}", "a record needs kind"),
        Arguments.of(
            "{\"kind\":\"metric\"}", "kind must be log, span-open or span-close, got \"metric\""),
        Arguments.of(
            "{\"kind\":\"log\",\"level\":\"loud\",\"msg\":\"m\","
                + "\"timestamp\":\"2025-03-04T05:06:07.089Z\",\"source\":\"s\"}",
            "level must be one of debug, info, warn, error, got \"loud\""),
        Arguments.of(
            "{" + close + ",\"status\":\"fine\"}", "status must be ok or error, got \"fine\""),
        Arguments.of("{" + log + ",\"msg\":7,\"source\":\"s\"}", "msg must be a string"),
        Arguments.of("[1,2]", "a record must be a JSON object"),
        Arguments.of("\"log\"", "a record must be a JSON object"),
        Arguments.of("42", "a record must be a JSON object"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("malformed")
  void parse_ofAMalformedLine_failsNamingTheProblem(String json, String message) {
    assertThatThrownBy(() -> RecordCodec.parse(json))
        .isInstanceOf(MalformedLineException.class)
        .hasMessage(message);
  }
}
