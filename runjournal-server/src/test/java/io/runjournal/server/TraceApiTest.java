package io.runjournal.server;

import static io.runjournal.server.Api.ok;
import static io.runjournal.server.Api.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.runjournal.internal.json.Timestamps;
import io.runjournal.internal.logging.RecordCodec;
import io.runjournal.logging.Attributes;
import io.runjournal.logging.Level;
import io.runjournal.logging.LogEntry;
import io.runjournal.logging.LogRecord;
import io.runjournal.logging.SpanClose;
import io.runjournal.logging.SpanLink;
import io.runjournal.logging.SpanOpen;
import io.runjournal.logging.SpanStatus;
import io.runjournal.server.trace.OtlpJson;
import io.runjournal.server.trace.TraceJson;
import io.runjournal.trace.Trace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/runs/{run}/trace} over real HTTP: the tree JSON, OTLP/JSON, problems, auth. */
class TraceApiTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final String ROOT = "1111111111111111";
  private static final String TOOL = "2222222222222222";
  private static final String HTTP = "3333333333333333";

  @TempDir Path data;
  @TempDir Path config;
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start(data);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static Instant at(long millis) {
    return T0.plusMillis(millis);
  }

  /** Appends the records to {@code branch} of {@code run} as one batch of events. */
  private void append(String run, String branch, LogRecord... records) throws Exception {
    StringJoiner batch = new StringJoiner(",", "[", "]");
    for (LogRecord record : records) {
      batch.add(
          "{\"type\":\"" + record.eventType() + "\",\"data\":" + RecordCodec.toJson(record) + "}");
    }
    ok(server.post("/v1/runs/" + run + "/events?branch=" + branch, batch.toString()), 201);
  }

  /**
   * An agent run that crashed inside its root span: the root is unfinished; its tool call is
   * closed, with an error inside it, a log, links and a body; one log belongs to no span.
   */
  private void appendAgentRun(String run) throws Exception {
    append(
        run,
        "main",
        new SpanOpen(
            ROOT, "agent.run", at(0), "agent", null, List.of(), Attributes.of("model", "m1"), null),
        new LogEntry(Level.INFO, "starting", at(1), "agent", null, Map.of()),
        new SpanOpen(
            TOOL,
            "tool.call",
            at(10),
            "agent",
            ROOT,
            List.of(SpanLink.to(ROOT), new SpanLink("other-span", "other-run")),
            Attributes.of("tool", "search", "attempt", 1, "score", 0.5, "cached", false),
            "{\"query\":\"weather\"}"),
        new LogEntry(Level.WARN, "slow", at(20), "agent", TOOL, Attributes.of("ms", 900)),
        new SpanOpen("http-get-1", "http.get", at(12), "http", TOOL, List.of(), Map.of(), null),
        new SpanClose(
            "http-get-1",
            "http.get",
            at(40),
            28,
            SpanStatus.ERROR,
            "http",
            "503 from upstream",
            Attributes.of("status", 503)),
        new SpanClose(
            TOOL,
            "tool.call",
            at(132),
            122,
            SpanStatus.OK,
            "agent",
            null,
            Attributes.of("attempt", 2, "empty", null)));
  }

  @Test
  void trace_nestedAndUnfinishedSpansWithTheirLogs_asTreeJson() throws Exception {
    appendAgentRun("r1");

    JsonNode trace = ok(server.get("/v1/runs/r1/trace"), 200);

    assertThat(trace.path("run").asText()).isEqualTo("r1");
    assertThat(trace.path("branch").asText()).isEqualTo("main");
    assertThat(trace.path("traceId").asText()).isEqualTo(Trace.traceIdOf("r1"));
    assertThat(trace.path("spans").asLong()).isEqualTo(3);
    assertThat(trace.path("unfinished").asLong()).isEqualTo(1);
    assertThat(trace.path("logs").asLong()).isEqualTo(2);
    assertThat(trace.path("malformedRecords").asLong()).isZero();
    JsonNode root = trace.path("roots").get(0);
    assertThat(trace.path("roots")).hasSize(1);
    assertThat(root.path("name").asText()).isEqualTo("agent.run");
    assertThat(root.path("finished").asBoolean(true)).isFalse();
    assertThat(root.path("start").asText()).isEqualTo("2026-03-01T10:00:00.000Z");
    assertThat(root.has("end") || root.has("durationMs") || root.has("status")).isFalse();
    assertThat(root.has("parentSpanId")).isFalse();

    JsonNode tool = root.path("children").get(0);
    assertThat(tool.path("spanId").asText()).isEqualTo(TOOL);
    assertThat(tool.path("parentSpanId").asText()).isEqualTo(ROOT);
    assertThat(tool.path("source").asText()).isEqualTo("agent");
    assertThat(tool.path("finished").asBoolean()).isTrue();
    assertThat(tool.path("end").asText()).isEqualTo("2026-03-01T10:00:00.132Z");
    assertThat(tool.path("durationMs").asLong()).isEqualTo(122);
    assertThat(tool.path("status").asText()).isEqualTo("ok");
    assertThat(tool.has("error")).isFalse();
    assertThat(tool.path("attributes"))
        .isEqualTo(
            Api.parse(
                "{\"tool\":\"search\",\"attempt\":2,\"score\":0.5,\"cached\":false,\"empty\":null}"));
    assertThat(tool.path("links"))
        .isEqualTo(
            Api.parse(
                "[{\"spanId\":\""
                    + ROOT
                    + "\"},{\"spanId\":\"other-span\",\"run\":\"other-run\"}]"));
    assertThat(tool.path("body")).isEqualTo(Api.parse("{\"query\":\"weather\"}"));
    assertThat(tool.path("logs")).hasSize(1);
    assertThat(tool.path("logs").get(0))
        .isEqualTo(
            Api.parse(
                RecordCodec.toJson(
                    new LogEntry(
                        Level.WARN, "slow", at(20), "agent", TOOL, Attributes.of("ms", 900)))));

    JsonNode http = tool.path("children").get(0);
    assertThat(http.path("name").asText()).isEqualTo("http.get");
    assertThat(http.path("status").asText()).isEqualTo("error");
    assertThat(http.path("error").asText()).isEqualTo("503 from upstream");
    assertThat(http.path("children")).isEmpty();
    assertThat(http.path("logs")).isEmpty();

    assertThat(trace.path("unattachedLogs")).hasSize(1);
    assertThat(trace.path("unattachedLogs").get(0).path("msg").asText()).isEqualTo("starting");
  }

  @Test
  void trace_formatOtlp_isAnExportTraceServiceRequestTheProtobufParserAccepts() throws Exception {
    appendAgentRun("r1");
    JsonNode tree = ok(server.get("/v1/runs/r1/trace"), 200);
    long lastEventNanos = Timestamps.parse(tree.path("lastEventAt").asText()) * 1_000_000L;

    var response = server.get("/v1/runs/r1/trace?format=otlp");
    JsonNode json = ok(response, 200);
    ExportTraceServiceRequest.Builder parsed = ExportTraceServiceRequest.newBuilder();
    JsonFormat.parser().merge(response.body(), parsed); // strict: an unknown field fails

    ExportTraceServiceRequest request = parsed.build();
    assertThat(request.getResourceSpansCount()).isEqualTo(1);
    ResourceSpans resource = request.getResourceSpans(0);
    assertThat(attributes(resource.getResource().getAttributesList()))
        .containsExactly(
            Map.entry("service.name", string("runjournal")),
            Map.entry("runjournal.run", string("r1")),
            Map.entry("runjournal.branch", string("main")));
    ScopeSpans scope = resource.getScopeSpans(0);
    assertThat(scope.getScope().getName()).isEqualTo("io.runjournal");
    List<Span> spans = scope.getSpansList();
    assertThat(spans)
        .extracting(Span::getName)
        .containsExactly("agent.run", "tool.call", "http.get");
    assertThat(spans).extracting(Span::getKind).containsOnly(Span.SpanKind.SPAN_KIND_INTERNAL);
    Span root = spans.get(0);
    Span tool = spans.get(1);
    Span http = spans.get(2);
    assertThat(root.getTraceId()).isEqualTo(tool.getTraceId()).isEqualTo(http.getTraceId());
    assertThat(root.getParentSpanId().isEmpty()).isTrue();
    assertThat(tool.getParentSpanId()).isEqualTo(root.getSpanId());
    assertThat(http.getParentSpanId()).isEqualTo(tool.getSpanId());

    assertThat(root.getStartTimeUnixNano()).isEqualTo(nanos(at(0)));
    assertThat(root.getEndTimeUnixNano()).isEqualTo(lastEventNanos);
    assertThat(root.hasStatus()).isFalse();
    assertThat(attributes(root.getAttributesList()))
        .containsEntry("runjournal.unfinished", AnyValue.newBuilder().setBoolValue(true).build())
        .containsEntry("runjournal.source", string("agent"));

    assertThat(tool.getStartTimeUnixNano()).isEqualTo(nanos(at(10)));
    assertThat(tool.getEndTimeUnixNano()).isEqualTo(nanos(at(132)));
    assertThat(tool.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_OK);
    Map<String, AnyValue> toolAttributes = attributes(tool.getAttributesList());
    assertThat(toolAttributes)
        .containsEntry("tool", string("search"))
        .containsEntry("attempt", AnyValue.newBuilder().setIntValue(2).build())
        .containsEntry("score", AnyValue.newBuilder().setDoubleValue(0.5).build())
        .containsEntry("cached", AnyValue.newBuilder().setBoolValue(false).build())
        .containsEntry("empty", AnyValue.getDefaultInstance())
        .doesNotContainKeys("runjournal.unfinished", "runjournal.span_id");
    assertThat(tool.getEventsList()).hasSize(1);
    Span.Event slow = tool.getEvents(0);
    assertThat(slow.getName()).isEqualTo("slow");
    assertThat(slow.getTimeUnixNano()).isEqualTo(nanos(at(20)));
    assertThat(attributes(slow.getAttributesList()))
        .containsExactly(
            Map.entry("log.severity", string("warn")),
            Map.entry("runjournal.source", string("agent")),
            Map.entry("ms", AnyValue.newBuilder().setIntValue(900).build()));
    assertThat(tool.getLinksList()).hasSize(2);
    assertThat(tool.getLinks(0).getTraceId()).isEqualTo(root.getTraceId());
    assertThat(tool.getLinks(0).getSpanId()).isEqualTo(root.getSpanId());
    assertThat(tool.getLinks(1).getTraceId()).isNotEqualTo(root.getTraceId());

    assertThat(http.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(http.getStatus().getMessage()).isEqualTo("503 from upstream");
    assertThat(attributes(http.getAttributesList()))
        .containsEntry("runjournal.span_id", string("http-get-1"))
        .containsEntry("runjournal.source", string("http"));

    // JsonFormat reads the ids as base64; the wire form must be hex.
    JsonNode wireSpans = json.at("/resourceSpans/0/scopeSpans/0/spans");
    List<String> traceIds = new ArrayList<>();
    List<String> spanIds = new ArrayList<>();
    for (JsonNode span : wireSpans) {
      traceIds.add(span.path("traceId").asText());
      spanIds.add(span.path("spanId").asText());
      if (span.has("parentSpanId")) {
        spanIds.add(span.path("parentSpanId").asText());
      }
      span.path("links")
          .forEach(
              link -> {
                traceIds.add(link.path("traceId").asText());
                spanIds.add(link.path("spanId").asText());
              });
    }
    assertThat(traceIds).isNotEmpty().allMatch(id -> id.matches("^[0-9a-f]{32}$"));
    assertThat(spanIds).hasSize(7).allMatch(id -> id.matches("^[0-9a-f]{16}$"));
    assertThat(wireSpans.get(0).path("traceId").asText()).isEqualTo(Trace.traceIdOf("r1"));
    assertThat(wireSpans.get(0).path("spanId").asText()).isEqualTo(ROOT);
    assertThat(wireSpans.get(2).path("spanId").asText())
        .isEqualTo(OtlpJson.spanIdOf("http-get-1"))
        .isNotEqualTo(OtlpJson.spanIdOf("http-get-2"));
    assertThat(wireSpans.get(1).at("/links/1/traceId").asText())
        .isEqualTo(Trace.traceIdOf("other-run"));
    assertThat(wireSpans.get(0).path("startTimeUnixNano").isTextual()).isTrue();
  }

  @Test
  void trace_otlp_leavesOutLogsOutsideSpans_andMapsAllZeroIds() throws Exception {
    append(
        "r2",
        "main",
        new SpanOpen("0000000000000000", "zero", at(0), "agent", null, List.of(), Map.of(), null),
        new LogEntry(Level.INFO, "loose", at(1), "agent", null, Map.of()));

    JsonNode otlp = ok(server.get("/v1/runs/r2/trace?format=otlp"), 200);

    JsonNode span = otlp.at("/resourceSpans/0/scopeSpans/0/spans/0");
    assertThat(span.path("spanId").asText()).isEqualTo(OtlpJson.spanIdOf("0000000000000000"));
    assertThat(span.path("spanId").asText())
        .matches("[0-9a-f]{16}")
        .isNotEqualTo("0000000000000000");
    assertThat(span.has("events")).isFalse();
    assertThat(otlp.toString()).doesNotContain("loose");
  }

  @Test
  void trace_branchParameter_readsThatBranch() throws Exception {
    append(
        "r3",
        "main",
        new SpanOpen(ROOT, "on.main", at(0), "agent", null, List.of(), Map.of(), null));
    append(
        "r3",
        "retry",
        new SpanOpen(TOOL, "on.retry", at(0), "agent", null, List.of(), Map.of(), null));

    JsonNode retry = ok(server.get("/v1/runs/r3/trace?branch=retry"), 200);

    assertThat(retry.path("branch").asText()).isEqualTo("retry");
    assertThat(retry.path("roots")).hasSize(1);
    assertThat(retry.at("/roots/0/name").asText()).isEqualTo("on.retry");
  }

  @Test
  void trace_malformedRecords_areCountedAndLeftOut() throws Exception {
    ok(
        server.post(
            "/v1/runs/r4/events",
            "[{\"type\":\"span.open\",\"data\":{\"kind\":\"span-open\"}},"
                + "{\"type\":\"log\",\"data\":\"just text\"}]"),
        201);

    JsonNode trace = ok(server.get("/v1/runs/r4/trace"), 200);

    assertThat(trace.path("malformedRecords").asLong()).isEqualTo(2);
    assertThat(trace.path("roots")).isEmpty();
    assertThat(trace.path("unattachedLogs")).isEmpty();
  }

  @Test
  void trace_chainDeeperThanTheNestingCap_listsTheDeeperSpansFlatUnderTheLastLevel()
      throws Exception {
    int depth = TraceJson.MAX_DEPTH + 20;
    List<LogRecord> chain = new ArrayList<>();
    for (int level = 1; level <= depth; level++) {
      String parent = level == 1 ? null : "level-" + (level - 1);
      chain.add(
          new SpanOpen(
              "level-" + level,
              "level " + level,
              at(level),
              "agent",
              parent,
              List.of(),
              Map.of(),
              null));
    }
    append("deep", "main", chain.toArray(LogRecord[]::new));

    JsonNode trace = ok(server.get("/v1/runs/deep/trace"), 200);

    JsonNode span = trace.path("roots").get(0);
    for (int level = 1; level < TraceJson.MAX_DEPTH; level++) {
      assertThat(span.path("children")).as("children at level %d", level).hasSize(1);
      span = span.path("children").get(0);
    }
    assertThat(span.path("name").asText()).isEqualTo("level " + TraceJson.MAX_DEPTH);
    JsonNode flat = span.path("children");
    assertThat(flat).hasSize(20);
    for (int i = 0; i < 20; i++) {
      int level = TraceJson.MAX_DEPTH + 1 + i;
      assertThat(flat.get(i).path("name").asText()).isEqualTo("level " + level);
      assertThat(flat.get(i).path("parentSpanId").asText()).isEqualTo("level-" + (level - 1));
      assertThat(flat.get(i).path("children")).isEmpty();
    }
    JsonNode otlp = ok(server.get("/v1/runs/deep/trace?format=otlp"), 200);
    assertThat(otlp.at("/resourceSpans/0/scopeSpans/0/spans")).hasSize(depth);
  }

  @Test
  void trace_unknownRun_is404NamingIt() throws Exception {
    JsonNode missing = problem(server.get("/v1/runs/no-such-run/trace"), 404, "not-found");

    assertThat(missing.path("run").asText()).isEqualTo("no-such-run");
    assertThat(missing.path("detail").asText()).contains("no-such-run");
  }

  @Test
  void trace_badFormatBranchOrRunId_is400() throws Exception {
    appendAgentRun("r1");

    JsonNode format =
        problem(server.get("/v1/runs/r1/trace?format=zipkin"), 400, "invalid-request");
    assertThat(format.path("detail").asText()).contains("format", "json", "otlp", "zipkin");
    problem(server.get("/v1/runs/r1/trace?branch=..%2Fx"), 400, "invalid-branch");
    problem(server.get("/v1/runs/..bad/trace"), 400, "invalid-run-id");
  }

  @Test
  void trace_withTokensConfigured_aReadTokenMayReadAndNoTokenIs401() throws Exception {
    appendAgentRun("r1");
    server.close();
    Path tokens = config.resolve("tokens");
    Files.writeString(tokens, "reader read read-token-5d1c9e7a3b60f284\n");
    server = TestServer.start(data, c -> c.withTokenFile(tokens));

    problem(server.get("/v1/runs/r1/trace"), 401, "unauthorized");
    JsonNode trace =
        ok(
            server.send(
                server
                    .request("/v1/runs/r1/trace?format=otlp")
                    .header("Authorization", "Bearer read-token-5d1c9e7a3b60f284")
                    .GET()
                    .build()),
            200);
    assertThat(trace.at("/resourceSpans/0/scopeSpans/0/spans")).hasSize(3);
  }

  private static long nanos(Instant instant) {
    return instant.toEpochMilli() * 1_000_000L;
  }

  private static AnyValue string(String value) {
    return AnyValue.newBuilder().setStringValue(value).build();
  }

  private static Map<String, AnyValue> attributes(List<KeyValue> keyValues) {
    Map<String, AnyValue> attributes = new LinkedHashMap<>();
    keyValues.forEach(keyValue -> attributes.put(keyValue.getKey(), keyValue.getValue()));
    return attributes;
  }
}
