package io.runjournal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running server answers for runs that {@code runjournal gc} archives or deletes under it, from
 * another process: an archived run reads exactly as before in every form (replay, NDJSON, SSE,
 * summary, listing) and refuses appends; a deleted run is gone (404) and replays as empty.
 */
class ArchivedRunsApiTest {
  @TempDir Path data;
  @TempDir Path scratch;
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start(data);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private record Cli(int exitCode, String out, String err) {}

  /** Runs the CLI in a child JVM, as an operator would beside the server. */
  private Cli gcInAnotherProcess(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            "io.runjournal.server.cli.Main",
            "gc",
            "--data",
            data.toString()));
    command.addAll(List.of(args));
    Path stderr = scratch.resolve("gc.err");
    Process child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    child.getOutputStream().close();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("gc finished").isTrue();
    return new Cli(child.exitValue(), out, Files.readString(stderr));
  }

  private void writeFinishedRun(String run) throws Exception {
    for (int batch = 0; batch < 10; batch++) {
      StringBuilder events = new StringBuilder("[");
      for (int i = 0; i < 15; i++) {
        int n = batch * 15 + i;
        events
            .append(i == 0 ? "" : ",")
            .append("{\"type\":\"step\",\"id\":\"e-")
            .append(n)
            .append("\",\"data\":{\"n\":")
            .append(n)
            .append("},\"meta\":{\"agent\":\"a-")
            .append(n % 3)
            .append("\"}}");
      }
      Api.ok(server.post("/v1/runs/" + run + "/events", events.append("]").toString()), 201);
    }
    Api.ok(server.post("/v1/runs/" + run + "/events?branch=side", "{\"type\":\"note\"}"), 201);
    Api.ok(server.post("/v1/runs/" + run + "/events", "{\"type\":\"run.completed\"}"), 201);
  }

  /** Every way the API reads the run, as the bytes it answers. */
  private Map<String, Object> everyRead(String run) throws Exception {
    Map<String, Object> reads = new LinkedHashMap<>();
    for (String path :
        List.of(
            "/v1/runs/" + run + "/events?limit=10000",
            "/v1/runs/" + run + "/events?afterSeq=70&limit=9",
            "/v1/runs/" + run + "/events?order=desc&limit=7",
            "/v1/runs/" + run + "/events?type=run.completed",
            "/v1/runs/" + run + "/events?branch=side&strict=true",
            "/v1/runs/" + run + "/export?format=jsonl",
            "/v1/runs/" + run)) {
      HttpResponse<String> response = server.get(path);
      reads.put(path, response.statusCode() + " " + response.body());
    }
    HttpResponse<String> ndjson =
        server.send(
            server
                .request("/v1/runs/" + run + "/events")
                .header("Accept", "application/x-ndjson")
                .GET()
                .build());
    reads.put("ndjson", ndjson.statusCode() + " " + ndjson.body());
    reads.put("list", Api.ok(server.get("/v1/runs?status=succeeded"), 200).path("runs"));
    try (SseConnection stream = SseConnection.open(server, "/v1/runs/" + run + "/stream")) {
      reads.put("sse", stream.readToEnd());
    }
    try (SseConnection stream = SseConnection.open(server, "/v1/runs/" + run + "/stream", "151")) {
      reads.put("sse after the end", stream.status());
    }
    return reads;
  }

  @Test
  void aRunArchivedUnderTheServer_readsTheSameEverywhere_andRefusesAppends() throws Exception {
    writeFinishedRun("done");
    Map<String, Object> before = everyRead("done");
    assertThat(before.get("sse after the end")).isEqualTo(204);

    Cli gc = gcInAnotherProcess("--older-than", "0s", "--archive");

    assertThat(gc.exitCode()).as(gc.err()).isZero();
    assertThat(gc.out()).startsWith("archived done (");
    assertThat(data.resolve("runs/done/events.jsonl")).doesNotExist();
    assertThat(everyRead("done")).isEqualTo(before);

    JsonNode refused =
        Api.problem(server.post("/v1/runs/done/events", "{\"type\":\"late\"}"), 409, "run-ended");
    assertThat(refused.path("endedBy").asText()).isEqualTo("run.completed");
    String journal = server.get("/v1/runs/done/export?format=jsonl").body();
    Api.ok(server.post("/v1/runs/import?run=done", journal), 200);
    Api.problem(
        server.post("/v1/runs/import?run=done", journal.substring(0, journal.indexOf('\n') + 1)),
        409,
        "run-exists");
    assertThat(data.resolve("runs/done/events.jsonl")).doesNotExist();
    assertThat(everyRead("done")).isEqualTo(before);
  }

  @Test
  void aRunDeletedUnderTheServer_isNotFound_andReplaysAsEmpty() throws Exception {
    writeFinishedRun("done");
    writeFinishedRun("kept");
    everyRead("done");
    Api.ok(server.post("/v1/runs/open/events", "{\"type\":\"run.started\"}"), 201);

    Cli gc = gcInAnotherProcess("--older-than", "0s", "--status", "succeeded");

    assertThat(gc.exitCode()).as(gc.err()).isZero();
    assertThat(gc.out())
        .isEqualTo("deleted done\ndeleted kept\ndeleted 2 of 3 runs; kept 1: 1 not finished\n");
    Api.problem(server.get("/v1/runs/done"), 404, "not-found");
    JsonNode replay = Api.ok(server.get("/v1/runs/done/events"), 200);
    assertThat(replay.path("events")).isEmpty();
    assertThat(replay.path("head").asLong()).isZero();
    assertThat(Api.ok(server.get("/v1/runs"), 200).findValuesAsText("id")).containsExactly("open");
  }
}
