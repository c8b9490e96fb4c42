package io.runjournal.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runjournal.AppendRequest;
import io.runjournal.FsyncPolicy;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.internal.logging.RecordCodec;
import io.runjournal.logging.Attributes;
import io.runjournal.logging.Level;
import io.runjournal.logging.LogEntry;
import io.runjournal.logging.LogRecord;
import io.runjournal.logging.SpanClose;
import io.runjournal.logging.SpanOpen;
import io.runjournal.logging.SpanStatus;
import io.runjournal.model.NewEvent;
import io.runjournal.server.TestServer;
import io.runjournal.trace.Trace;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runjournal trace}, on a data directory and through a server: same output. */
class TraceCommandTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;

  private static Instant at(long millis) {
    return T0.plusMillis(millis);
  }

  private void append(String branch, LogRecord... records) {
    List<NewEvent> events = new ArrayList<>();
    for (LogRecord record : records) {
      events.add(NewEvent.of(record.eventType(), RecordCodec.toJson(record)));
    }
    try (Journal journal =
        Journal.open(data, JournalOptions.defaults().withFsync(FsyncPolicy.NONE))) {
      journal.append("r1", AppendRequest.of(events).onBranch(branch));
    }
  }

  /** An agent run killed inside its root span, with a tool call and an HTTP call that failed. */
  private void agentRun() {
    append(
        "main",
        new LogEntry(Level.INFO, "starting", at(0), "agent", null, Map.of()),
        new SpanOpen("a1", "agent.run", at(1), "agent", null, List.of(), Map.of(), null),
        new SpanOpen("t1", "tool.call", at(10), "agent", "a1", List.of(), Map.of(), "{\"q\":1}"),
        new LogEntry(Level.INFO, "calling", at(11), "agent", "t1", Attributes.of("n", 1)),
        new SpanOpen("h1", "http.get", at(12), "http", "t1", List.of(), Map.of(), null),
        new SpanClose("h1", "http.get", at(40), 28, SpanStatus.ERROR, "http", "503", Map.of()),
        new LogEntry(Level.WARN, "retrying", at(41), "agent", "t1", Map.of()),
        new SpanClose("t1", "tool.call", at(142), 132, SpanStatus.OK, "agent", null, Map.of()),
        new LogEntry(Level.ERROR, "killed", at(150), "agent", "a1", Map.of()));
  }

  @Test
  void trace_printsAnIndentedTreeInTimeOrder_sameLocallyAndThroughAServer() throws Exception {
    agentRun();

    var local = new CliRunner(data).inData("trace", "r1");

    assertThat(local.exitCode()).as(local.err()).isZero();
    assertThat(local.out().lines())
        .containsExactly(
            "trace "
                + Trace.traceIdOf("r1")
                + "  run r1  branch main  3 spans (1 unfinished), 4 logs",
            "info starting",
            "agent.run  … unfinished  [agent]",
            "  tool.call  132 ms  ok  [agent]",
            "    info calling",
            "    http.get  28 ms  error: 503  [http]",
            "    warn retrying",
            "  error killed");
    try (TestServer server = TestServer.start(data)) {
      var remote = new CliRunner(data).execute("trace", "r1", "--server", server.url().toString());
      assertThat(remote.exitCode()).as(remote.err()).isZero();
      assertThat(remote.out()).isEqualTo(local.out());
    }
  }

  @Test
  void trace_otlp_printsTheOtlpJson_sameLocallyAndThroughAServer() throws Exception {
    agentRun();
    // The server's start-up recovery appends run.recovered to the open run, which moves the end
    // of its unfinished span: start it first so that both paths see the same run.
    try (TestServer server = TestServer.start(data)) {
      var local = new CliRunner(data).inData("trace", "r1", "--otlp");
      var remote =
          new CliRunner(data).execute("trace", "r1", "--otlp", "--server", server.url().toString());

      assertThat(local.exitCode()).as(local.err()).isZero();
      assertThat(local.out().lines()).hasSize(1);
      JsonNode otlp = JSON.readTree(local.out());
      JsonNode spans = otlp.at("/resourceSpans/0/scopeSpans/0/spans");
      assertThat(spans).hasSize(3);
      assertThat(spans.get(0).path("traceId").asText()).isEqualTo(Trace.traceIdOf("r1"));
      assertThat(spans.get(1).path("name").asText()).isEqualTo("tool.call");
      assertThat(spans.get(1).path("parentSpanId").asText())
          .isEqualTo(spans.get(0).path("spanId").asText());
      assertThat(remote.out()).isEqualTo(local.out());
    }
  }

  @Test
  void trace_branch_readsThatBranch() {
    agentRun();
    append(
        "retry",
        new SpanOpen("b1", "retry.run", at(0), "agent", null, List.of(), Map.of(), null),
        new SpanClose("b1", "retry.run", at(5), 5, SpanStatus.OK, "agent", null, Map.of()));

    var retry = new CliRunner(data).inData("trace", "r1", "--branch", "retry");

    assertThat(retry.exitCode()).as(retry.err()).isZero();
    assertThat(retry.out().lines())
        .containsExactly(
            "trace "
                + Trace.traceIdOf("r1")
                + "  run r1  branch retry  1 span (0 unfinished), 0 logs",
            "retry.run  5 ms  ok  [agent]");
  }

  @Test
  void trace_missingRun_exitsNotFound_locallyAndThroughAServer() throws Exception {
    agentRun();

    var local = new CliRunner(data).inData("trace", "nope");

    assertThat(local.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(local.err()).contains("nope", "does not exist");
    try (TestServer server = TestServer.start(data)) {
      var remote =
          new CliRunner(data).execute("trace", "nope", "--server", server.url().toString());
      assertThat(remote.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
      assertThat(remote.err()).contains("nope", "does not exist");
    }
  }
}
