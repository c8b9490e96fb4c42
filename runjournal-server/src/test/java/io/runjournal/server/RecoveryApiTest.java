package io.runjournal.server;

import static io.runjournal.server.Api.ok;
import static io.runjournal.server.Api.problem;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.runjournal.Journal;
import io.runjournal.model.NewEvent;
import io.runjournal.recovery.Recovery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up recovery as the server runs it: {@code GET /v1/recovery}, readiness, refused writes. */
class RecoveryApiTest {
  @TempDir Path data;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : toClose.reversed()) {
      closeable.close();
    }
  }

  private TestServer start(java.util.function.UnaryOperator<ServerConfig> configure)
      throws IOException {
    TestServer server = TestServer.start(data, configure);
    toClose.add(server);
    return server;
  }

  /** Writes runs with the library, as a server that crashed would have left them. */
  private void before(java.util.function.Consumer<Journal> writes) {
    try (Journal journal = Journal.open(data)) {
      writes.accept(journal);
    }
  }

  private void cutMidLine(String run) throws IOException {
    Files.writeString(
        data.resolve("runs").resolve(run).resolve("events.jsonl"),
        "{\"seq\":99,\"ts\":\"2026-",
        StandardOpenOption.APPEND);
  }

  private static List<String> types(JsonNode replay) {
    List<String> types = new ArrayList<>();
    replay.path("events").forEach(event -> types.add(event.path("type").asText()));
    return types;
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }

  @Test
  void startUp_recoversTheActiveRuns_thenServesTheReport_andIsReady() throws Exception {
    before(
        journal -> {
          journal.append("open-1", NewEvent.of("run.started"));
          journal.append("open-2", NewEvent.of("run.started"));
          journal.append("done", NewEvent.of("run.started"));
          journal.append("done", NewEvent.of("run.completed"));
        });
    cutMidLine("open-2");

    TestServer server = start(config -> config);

    ok(server.get("/readyz"), 200);
    JsonNode body = ok(server.get("/v1/recovery"), 200);
    assertThat(body.path("state").asText()).isEqualTo("done");
    JsonNode report = body.path("report");
    assertThat(report.path("runsChecked").asInt()).isEqualTo(2);
    assertThat(texts(report.path("recovered"))).containsExactly("open-1", "open-2");
    assertThat(report.path("runsRepaired").asInt()).isEqualTo(1);
    assertThat(report.path("bytesQuarantined").asLong()).isEqualTo(21);
    assertThat(report.path("repaired").get(0).path("run").asText()).isEqualTo("open-2");
    assertThat(report.path("failures")).isEmpty();
    assertThat(report.path("tookMs").asLong()).isNotNegative();
    JsonNode replay = ok(server.get("/v1/runs/open-2/events"), 200);
    assertThat(types(replay)).containsExactly("run.started", "run.recovered");
    assertThat(replay.path("events").get(1).path("data").toString())
        .startsWith("{\"head\":1,\"tornBytes\":21,\"downtimeMs\":");
    assertThat(types(ok(server.get("/v1/runs/done/events"), 200)))
        .containsExactly("run.started", "run.completed");
    JsonNode summary = ok(server.get("/v1/runs/open-1"), 200);
    assertThat(summary.path("countsByType").path("run.recovered").asInt()).isEqualTo(1);
  }

  @Test
  void noRecovery_reportsOff_andLeavesTheRunsAsTheyWere() throws Exception {
    before(journal -> journal.append("open", NewEvent.of("run.started")));

    TestServer server = start(config -> config.withRecovery(false));

    ok(server.get("/readyz"), 200);
    JsonNode body = ok(server.get("/v1/recovery"), 200);
    assertThat(body.path("state").asText()).isEqualTo("off");
    assertThat(body.path("detail").asText()).contains("--no-recovery");
    assertThat(types(ok(server.get("/v1/runs/open/events"), 200))).containsExactly("run.started");
  }

  @Test
  void interruptAfter_endsTheRunsIdleLongerThanThat() throws Exception {
    before(journal -> journal.append("idle", NewEvent.of("run.started")));
    long appendedAt = Clock.systemUTC().millis();
    await().until(() -> Clock.systemUTC().millis() > appendedAt + 5);

    TestServer server = start(config -> config.withInterruptAfter(Duration.ofMillis(5)));

    JsonNode report = ok(server.get("/v1/recovery"), 200).path("report");
    assertThat(texts(report.path("interrupted"))).containsExactly("idle");
    assertThat(types(ok(server.get("/v1/runs/idle/events"), 200)))
        .containsExactly("run.started", "run.recovered", "run.interrupted");
    assertThat(ok(server.get("/v1/runs/idle"), 200).path("status").asText())
        .isEqualTo("interrupted");
    problem(server.post("/v1/runs/idle/events", "{\"type\":\"step\"}"), 409, "run-ended");
  }

  /**
   * Holds recovery mid-way without timing: a recovery listener blocks on a latch until the test has
   * looked at the server.
   */
  @Test
  void whileRecoveryRuns_writesGet503_readsAndHealthAnswer_andReadyzWaits() throws Exception {
    before(
        journal -> {
          journal.append("slow", NewEvent.of("run.started"));
          journal.append("other", NewEvent.of("run.started"));
        });
    CountDownLatch hold = new CountDownLatch(1);
    toClose.add(hold::countDown);
    Recovery.Listener holding =
        new Recovery.Listener() {
          @Override
          public void checked(String run) {
            try {
              hold.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    ServerConfig config = ServerConfig.defaults(data).withPort(port);
    CompletableFuture<RunJournalServer> starting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return RunJournalServer.start(config, holding);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    toClose.add(() -> starting.thenAccept(RunJournalServer::close));
    URI base = URI.create("http://127.0.0.1:" + port);
    HttpClient http = HttpClient.newHttpClient();

    await()
        .ignoreExceptions()
        .until(() -> send(http, base, "GET", "/healthz", null).statusCode() == 200);
    assertThat(send(http, base, "GET", "/readyz", null).statusCode()).isEqualTo(503);
    HttpResponse<String> append =
        send(http, base, "POST", "/v1/runs/other/events", "{\"type\":\"step\"}");
    JsonNode refused = problem(append, 503, "unavailable");
    assertThat(refused.path("detail").asText()).contains("recovery is running");
    assertThat(append.headers().firstValue("Retry-After")).hasValue("1");
    problem(send(http, base, "POST", "/v1/runs", "{\"id\":\"new\"}"), 503, "unavailable");
    JsonNode progress = ok(send(http, base, "GET", "/v1/recovery", null), 200);
    assertThat(progress.path("state").asText()).isEqualTo("running");
    assertThat(progress.path("activeRuns").asInt()).isEqualTo(2);
    ok(send(http, base, "GET", "/v1/runs/other/events", null), 200);
    ok(send(http, base, "GET", "/v1/runs/slow", null), 200);
    assertThat(starting).isNotDone();

    hold.countDown();
    RunJournalServer server = starting.get();

    assertThat(send(http, base, "GET", "/readyz", null).statusCode()).isEqualTo(200);
    assertThat(ok(send(http, base, "GET", "/v1/recovery", null), 200).path("state").asText())
        .isEqualTo("done");
    ok(send(http, base, "POST", "/v1/runs/other/events", "{\"type\":\"step\"}"), 201);
    assertThat(types(ok(send(http, base, "GET", "/v1/runs/slow/events", null), 200)))
        .containsExactly("run.started", "run.recovered");
    assertThat(server.port()).isEqualTo(port);
  }

  private static HttpResponse<String> send(
      HttpClient http, URI base, String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, UTF_8));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
  }
}
