package io.runjournal.server;

import static io.runjournal.server.Api.longs;
import static io.runjournal.server.Api.ok;
import static io.runjournal.server.Api.problem;
import static io.runjournal.server.Api.seqs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/runs/{run}/events} over real HTTP: shapes, sequences, idempotency, run end. */
class AppendApiTest {
  @TempDir Path data;
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start(data);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private JsonNode replay(String run, String query) throws Exception {
    return ok(server.get("/v1/runs/" + run + "/events" + query), 200);
  }

  @Test
  void append_singleObject_answers201WithItsSeq() throws Exception {
    HttpResponse<String> response =
        server.post("/v1/runs/r1/events", "{\"type\":\"node.started\",\"id\":\"e1\",\"data\":[1]}");

    JsonNode body = ok(response, 201);
    assertThat(body.path("run").asText()).isEqualTo("r1");
    assertThat(body.path("branch").asText()).isEqualTo("main");
    assertThat(body.path("first").asLong()).isEqualTo(1);
    assertThat(body.path("last").asLong()).isEqualTo(1);
    assertThat(body.path("head").asLong()).isEqualTo(1);
    assertThat(longs(body.path("seqs"))).containsExactly(1L);
    assertThat(body.path("duplicates").isArray()).isTrue();
    assertThat(body.path("duplicates")).isEmpty();

    JsonNode event = replay("r1", "").path("events").get(0);
    assertThat(event.path("type").asText()).isEqualTo("node.started");
    assertThat(event.path("id").asText()).isEqualTo("e1");
    assertThat(event.path("data").toString()).isEqualTo("[1]");
  }

  @Test
  void append_array_isOneBatchWithContiguousSeqs() throws Exception {
    ok(server.post("/v1/runs/r1/events", "{\"type\":\"a\"}"), 201);

    JsonNode body =
        ok(
            server.post(
                "/v1/runs/r1/events", "[{\"type\":\"b\"},{\"type\":\"c\"},{\"type\":\"d\"}]"),
            201);

    assertThat(body.path("first").asLong()).isEqualTo(2);
    assertThat(body.path("last").asLong()).isEqualTo(4);
    assertThat(body.path("head").asLong()).isEqualTo(4);
    assertThat(longs(body.path("seqs"))).containsExactly(2L, 3L, 4L);
    assertThat(seqs(replay("r1", ""))).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void append_batchWithOneInvalidEvent_writesNothing() throws Exception {
    ok(server.post("/v1/runs/r1/events", "{\"type\":\"a\"}"), 201);

    problem(
        server.post(
            "/v1/runs/r1/events", "[{\"type\":\"b\"},{\"type\":\"has space\"},{\"type\":\"c\"}]"),
        400,
        "invalid-event");

    JsonNode replay = replay("r1", "");
    assertThat(seqs(replay)).containsExactly(1L);
    assertThat(replay.path("head").asLong()).isEqualTo(1);
  }

  @Test
  void append_batchWhoseLastEventConflictsById_writesNothing() throws Exception {
    ok(server.post("/v1/runs/r1/events", "{\"type\":\"a\",\"id\":\"x\",\"data\":1}"), 201);

    problem(
        server.post(
            "/v1/runs/r1/events",
            "[{\"type\":\"b\"},{\"type\":\"c\"},{\"type\":\"a\",\"id\":\"x\",\"data\":2}]"),
        409,
        "id-conflict");

    assertThat(seqs(replay("r1", ""))).containsExactly(1L);
  }

  @Test
  void append_ndjson_acceptsObjectsOnLinesWithBlankLines() throws Exception {
    String ndjson =
        "{\"type\":\"a\"}\n\n{\"type\":\"b\",\"data\":{\"k\":\"v\"}}\r\n   \n{\"type\":\"c\"}\n\n";
    HttpResponse<String> response =
        server.send(
            server
                .request("/v1/runs/r1/events")
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(ndjson, StandardCharsets.UTF_8))
                .build());

    JsonNode body = ok(response, 201);
    assertThat(longs(body.path("seqs"))).containsExactly(1L, 2L, 3L);
    JsonNode events = replay("r1", "").path("events");
    assertThat(events)
        .extracting(event -> event.path("type").asText())
        .containsExactly("a", "b", "c");
    assertThat(events.get(1).path("data").toString()).isEqualTo("{\"k\":\"v\"}");
  }

  @Test
  void append_toBranch_hasItsOwnSequence() throws Exception {
    ok(server.post("/v1/runs/r1/events", "[{\"type\":\"a\"},{\"type\":\"a\"}]"), 201);

    JsonNode body = ok(server.post("/v1/runs/r1/events?branch=retry-1", "{\"type\":\"b\"}"), 201);

    assertThat(body.path("branch").asText()).isEqualTo("retry-1");
    assertThat(longs(body.path("seqs"))).containsExactly(1L);
    JsonNode branch = replay("r1", "?branch=retry-1");
    assertThat(branch.path("branch").asText()).isEqualTo("retry-1");
    assertThat(branch.path("events").get(0).path("branch").asText()).isEqualTo("retry-1");
    assertThat(seqs(branch)).containsExactly(1L);
    assertThat(replay("r1", "").path("head").asLong()).isEqualTo(2);
  }

  @Test
  void append_withCurrentExpectedSeq_succeeds() throws Exception {
    ok(server.post("/v1/runs/r1/events?expectedSeq=0", "{\"type\":\"a\"}"), 201);
    JsonNode body = ok(server.post("/v1/runs/r1/events?expectedSeq=1", "{\"type\":\"b\"}"), 201);

    assertThat(body.path("head").asLong()).isEqualTo(2);
  }

  @Test
  void append_withStaleExpectedSeq_failsWithBothNumbers() throws Exception {
    ok(
        server.post("/v1/runs/r1/events", "[{\"type\":\"a\"},{\"type\":\"a\"},{\"type\":\"a\"}]"),
        201);

    JsonNode problem =
        problem(
            server.post("/v1/runs/r1/events?expectedSeq=1", "{\"type\":\"b\"}"),
            409,
            "sequence-conflict");

    assertThat(problem.path("expected").asLong()).isEqualTo(3);
    assertThat(problem.path("actual").asLong()).isEqualTo(1);
    assertThat(problem.path("detail").asText()).contains("expected 3, got 1");
    assertThat(replay("r1", "").path("head").asLong()).isEqualTo(3);
  }

  @Test
  void append_withExpectedSeqOnOtherBranch_checksThatBranch() throws Exception {
    ok(server.post("/v1/runs/r1/events", "[{\"type\":\"a\"},{\"type\":\"a\"}]"), 201);

    ok(server.post("/v1/runs/r1/events?branch=b2&expectedSeq=0", "{\"type\":\"b\"}"), 201);
    problem(
        server.post("/v1/runs/r1/events?branch=b2&expectedSeq=2", "{\"type\":\"b\"}"),
        409,
        "sequence-conflict");
  }

  @Test
  void append_withExplicitSeq_mustBeHeadPlusOne() throws Exception {
    ok(server.post("/v1/runs/r1/events", "{\"type\":\"a\",\"seq\":1}"), 201);
    ok(server.post("/v1/runs/r1/events", "[{\"type\":\"a\",\"seq\":2},{\"type\":\"a\"}]"), 201);

    JsonNode problem =
        problem(
            server.post("/v1/runs/r1/events", "{\"type\":\"a\",\"seq\":7}"),
            409,
            "sequence-conflict");

    assertThat(problem.path("expected").asLong()).isEqualTo(4);
    assertThat(problem.path("actual").asLong()).isEqualTo(7);
    assertThat(problem.path("detail").asText()).contains("expected 4, got 7");
    assertThat(seqs(replay("r1", ""))).containsExactly(1L, 2L, 3L);
  }

  @Test
  void append_retryWithSameIds_answers200WithOriginalSeqs() throws Exception {
    ok(server.post("/v1/runs/r1/events", "{\"type\":\"a\"}"), 201);
    String batch =
        "[{\"type\":\"b\",\"id\":\"b-1\",\"data\":{\"n\":1}},{\"type\":\"b\",\"id\":\"b-2\"}]";
    ok(server.post("/v1/runs/r1/events", batch), 201);

    JsonNode retry = ok(server.post("/v1/runs/r1/events", batch), 200);

    assertThat(longs(retry.path("seqs"))).containsExactly(2L, 3L);
    assertThat(longs(retry.path("duplicates"))).containsExactly(2L, 3L);
    assertThat(retry.path("head").asLong()).isEqualTo(3);
    assertThat(seqs(replay("r1", ""))).containsExactly(1L, 2L, 3L);
  }

  @Test
  void append_batchWithSomeDuplicates_answers201AndListsOnlyThem() throws Exception {
    ok(server.post("/v1/runs/r1/events", "{\"type\":\"a\",\"id\":\"a-1\"}"), 201);

    JsonNode body =
        ok(
            server.post(
                "/v1/runs/r1/events",
                "[{\"type\":\"a\",\"id\":\"a-1\"},{\"type\":\"a\",\"id\":\"a-2\"}]"),
            201);

    assertThat(longs(body.path("seqs"))).containsExactly(1L, 2L);
    assertThat(longs(body.path("duplicates"))).containsExactly(1L);
    assertThat(seqs(replay("r1", ""))).containsExactly(1L, 2L);
  }

  @Test
  void append_sameIdWithDifferentData_isAnIdConflict() throws Exception {
    ok(server.post("/v1/runs/r1/events", "{\"type\":\"a\",\"id\":\"x\",\"data\":{\"v\":1}}"), 201);

    JsonNode problem =
        problem(
            server.post("/v1/runs/r1/events", "{\"type\":\"a\",\"id\":\"x\",\"data\":{\"v\":2}}"),
            409,
            "id-conflict");

    assertThat(problem.path("id").asText()).isEqualTo("x");
    assertThat(problem.path("originalSeq").asLong()).isEqualTo(1);
    assertThat(seqs(replay("r1", ""))).containsExactly(1L);
  }

  @Test
  void append_afterRunCompleted_isRunEnded() throws Exception {
    ok(server.post("/v1/runs/r1/events", "[{\"type\":\"a\"},{\"type\":\"run.completed\"}]"), 201);

    JsonNode problem =
        problem(server.post("/v1/runs/r1/events", "{\"type\":\"late\"}"), 409, "run-ended");

    assertThat(problem.path("endedBy").asText()).isEqualTo("run.completed");
    assertThat(seqs(replay("r1", ""))).containsExactly(1L, 2L);
  }
}
