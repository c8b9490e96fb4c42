package io.runjournal.server;

import static io.runjournal.server.Api.ok;
import static io.runjournal.server.Api.problem;
import static io.runjournal.server.Api.seqs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/runs/{run}/events} over real HTTP: cursors, paging, filters, NDJSON, strict. */
class ReplayApiTest {
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

  /** Appends {@code count} events whose types cycle through a, b, c. */
  private void appendEvents(String run, int count) throws Exception {
    StringBuilder batch = new StringBuilder("[");
    for (int i = 0; i < count; i++) {
      batch
          .append(i == 0 ? "" : ",")
          .append("{\"type\":\"")
          .append((char) ('a' + i % 3))
          .append("\"}");
    }
    ok(server.post("/v1/runs/" + run + "/events", batch.append(']').toString()), 201);
  }

  private JsonNode replay(String run, String query) throws Exception {
    return ok(server.get("/v1/runs/" + run + "/events" + query), 200);
  }

  private HttpResponse<String> ndjson(String path) throws Exception {
    return server.send(server.request(path).header("Accept", "application/x-ndjson").GET().build());
  }

  private static List<Long> range(long fromInclusive, long toInclusive) {
    return LongStream.rangeClosed(fromInclusive, toInclusive).boxed().toList();
  }

  @Test
  void replay_afterSeq_returnsOnlyLaterEvents() throws Exception {
    appendEvents("r1", 10);

    JsonNode replay = replay("r1", "?afterSeq=7");

    assertThat(replay.path("run").asText()).isEqualTo("r1");
    assertThat(replay.path("branch").asText()).isEqualTo("main");
    assertThat(seqs(replay)).containsExactly(8L, 9L, 10L);
    assertThat(replay.path("head").asLong()).isEqualTo(10);
    assertThat(replay.path("next").isNull()).isTrue();
    assertThat(seqs(replay("r1", "?afterSeq=10"))).isEmpty();
    assertThat(seqs(replay("r1", "?afterSeq=999"))).isEmpty();
  }

  @Test
  void replay_limitWithNext_pagesToTheEndExactlyOnce() throws Exception {
    appendEvents("r1", 10);

    List<Long> seen = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    long after = 0;
    while (true) {
      JsonNode page = replay("r1", "?limit=3&afterSeq=" + after);
      seen.addAll(seqs(page));
      pageSizes.add(page.path("events").size());
      if (page.path("next").isNull()) {
        break;
      }
      after = page.path("next").asLong();
      assertThat(pageSizes).as("pages so far").hasSizeLessThan(10);
    }

    assertThat(seen).isEqualTo(range(1, 10));
    assertThat(pageSizes).containsExactly(3, 3, 3, 1);
  }

  @Test
  void replay_descendingPagedWithBeforeSeq_returnsNewestFirstExactlyOnce() throws Exception {
    appendEvents("r1", 10);

    List<Long> seen = new ArrayList<>();
    String cursor = "";
    for (int pages = 0; pages < 10; pages++) {
      JsonNode page = replay("r1", "?order=desc&limit=4" + cursor);
      seen.addAll(seqs(page));
      if (page.path("next").isNull()) {
        break;
      }
      cursor = "&beforeSeq=" + page.path("next").asLong();
    }

    assertThat(seen).containsExactly(10L, 9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L);
  }

  @Test
  void replay_typeFilter_takesACommaListAndRepeatedParameters() throws Exception {
    appendEvents("r1", 9); // a b c a b c a b c

    JsonNode comma = replay("r1", "?type=a,c");
    JsonNode repeated = replay("r1", "?type=a&type=c");

    assertThat(seqs(comma)).containsExactly(1L, 3L, 4L, 6L, 7L, 9L);
    assertThat(seqs(repeated)).isEqualTo(seqs(comma));
    assertThat(comma.path("events"))
        .extracting(event -> event.path("type").asText())
        .containsOnly("a", "c");
    assertThat(comma.path("head").asLong()).isEqualTo(9);
  }

  @Test
  void replay_typeFilterDescendingLimitOne_findsTheLatestOfAType() throws Exception {
    appendEvents("r1", 8); // ... b at 2, 5, 8; a at 7

    assertThat(seqs(replay("r1", "?type=a&order=desc&limit=1"))).containsExactly(7L);
    assertThat(seqs(replay("r1", "?type=b&order=desc&limit=1"))).containsExactly(8L);
  }

  @Test
  void replay_typeFilterWithPaging_coversEveryMatchOnce() throws Exception {
    appendEvents("r1", 30);

    List<Long> seen = new ArrayList<>();
    long after = 0;
    for (int pages = 0; pages < 20; pages++) {
      JsonNode page = replay("r1", "?type=b&limit=4&afterSeq=" + after);
      seen.addAll(seqs(page));
      if (page.path("next").isNull()) {
        break;
      }
      after = page.path("next").asLong();
    }

    assertThat(seen).containsExactly(2L, 5L, 8L, 11L, 14L, 17L, 20L, 23L, 26L, 29L);
  }

  @Test
  void replay_branch_readsOnlyThatBranch() throws Exception {
    appendEvents("r1", 5);
    ok(server.post("/v1/runs/r1/events?branch=alt", "[{\"type\":\"x\"},{\"type\":\"y\"}]"), 201);

    JsonNode alt = replay("r1", "?branch=alt");

    assertThat(alt.path("branch").asText()).isEqualTo("alt");
    assertThat(seqs(alt)).containsExactly(1L, 2L);
    assertThat(alt.path("head").asLong()).isEqualTo(2);
    assertThat(alt.path("events"))
        .extracting(event -> event.path("type").asText())
        .containsExactly("x", "y");
    assertThat(replay("r1", "?branch=main").path("head").asLong()).isEqualTo(5);
    assertThat(seqs(replay("r1", "?branch=empty-branch"))).isEmpty();
  }

  @Test
  void replay_runWithNoJournal_isEmptyWithHeadZero() throws Exception {
    JsonNode replay = replay("never-written", "");

    assertThat(replay.path("events").isArray()).isTrue();
    assertThat(replay.path("events")).isEmpty();
    assertThat(replay.path("head").asLong()).isZero();
    assertThat(replay.path("next").isNull()).isTrue();
    assertThat(data.resolve("runs").resolve("never-written")).doesNotExist();
  }

  @Test
  void replay_defaultLimitIs1000_andNextContinues() throws Exception {
    appendEvents("r1", 1_200);

    JsonNode first = replay("r1", "");
    assertThat(seqs(first)).isEqualTo(range(1, 1_000));
    assertThat(first.path("next").asLong()).isEqualTo(1_000);
    assertThat(seqs(replay("r1", "?afterSeq=1000"))).isEqualTo(range(1_001, 1_200));
  }

  @Test
  void replay_ndjson_streamsEveryEventAsOneLine() throws Exception {
    appendEvents("r1", 2_500); // more than one internal page of 1,000

    HttpResponse<String> response = ndjson("/v1/runs/r1/events");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/x-ndjson"));
    assertThat(response.headers().firstValue("RunJournal-Head")).hasValue("2500");
    List<Long> seqs = ndjsonSeqs(response.body());
    assertThat(seqs).isEqualTo(range(1, 2_500));
    assertThat(response.body()).endsWith("\n");
  }

  @Test
  void replay_ndjson_respectsLimitAfterSeqOrderAndType() throws Exception {
    appendEvents("r1", 1_500);

    assertThat(ndjsonSeqs(ndjson("/v1/runs/r1/events?limit=5").body()))
        .containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(ndjsonSeqs(ndjson("/v1/runs/r1/events?afterSeq=1497").body()))
        .containsExactly(1498L, 1499L, 1500L);
    assertThat(ndjsonSeqs(ndjson("/v1/runs/r1/events?order=desc&limit=3").body()))
        .containsExactly(1500L, 1499L, 1498L);
    List<Long> descending = ndjsonSeqs(ndjson("/v1/runs/r1/events?order=desc").body());
    assertThat(descending).hasSize(1_500).startsWith(1500L, 1499L).endsWith(2L, 1L);
    List<Long> typeC = ndjsonSeqs(ndjson("/v1/runs/r1/events?type=c&limit=1200").body());
    assertThat(typeC).hasSize(500).allMatch(seq -> seq % 3 == 0);
  }

  @Test
  void replay_ndjsonOfRunWithNoJournal_isEmpty() throws Exception {
    HttpResponse<String> response = ndjson("/v1/runs/nothing-here/events");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
    assertThat(response.headers().firstValue("RunJournal-Head")).hasValue("0");
  }

  @Test
  void replay_ndjsonLines_equalTheJsonReplaysEvents() throws Exception {
    ok(
        server.post(
            "/v1/runs/r1/events",
            "[{\"type\":\"a\",\"id\":\"i1\",\"data\":{\"x\":[1,2.50,\"é\"]},\"meta\":{\"agent\":\"z\"}},"
                + "{\"type\":\"b\",\"data\":null}]"),
        201);

    List<JsonNode> lines = ndjson("/v1/runs/r1/events").body().lines().map(Api::parse).toList();
    List<JsonNode> events = new ArrayList<>();
    replay("r1", "").path("events").forEach(events::add);

    assertThat(lines).isEqualTo(events);
    assertThat(ndjson("/v1/runs/r1/events").body()).contains("\"data\":{\"x\":[1,2.50,\"é\"]}");
  }

  /** Appends a, b, c to {@code run}, then (server stopped) overwrites line 2 with garbage. */
  private void corruptMiddleLine(String run) throws Exception {
    appendEvents(run, 3);
    server.close();
    Path journal = data.resolve("runs").resolve(run).resolve("events.jsonl");
    List<String> lines = new ArrayList<>(Files.readAllLines(journal, StandardCharsets.UTF_8));
    assertThat(lines).hasSize(3);
    lines.set(1, "{\"seq\":2,\"ts\":garbage not json");
    Files.write(journal, lines, StandardCharsets.UTF_8);
    server = TestServer.start(data);
  }

  @Test
  void replay_strictOnACorruptedMiddleLine_is422NamingTheLine() throws Exception {
    corruptMiddleLine("r1");

    JsonNode problem =
        problem(server.get("/v1/runs/r1/events?strict=true"), 422, "malformed-event");

    assertThat(problem.path("line").asLong()).isEqualTo(2);
    assertThat(problem.path("detail").asText())
        .contains("events.jsonl line 2")
        .doesNotContain(data.toAbsolutePath().toString());
    HttpResponse<String> ndjson = ndjson("/v1/runs/r1/events?strict=true");
    assertThat(ndjson.statusCode()).as(ndjson.body()).isEqualTo(422);
  }

  @Test
  void replay_tolerantOnACorruptedMiddleLine_skipsItAndCountsIt() throws Exception {
    corruptMiddleLine("r1");

    JsonNode tolerant = replay("r1", "");

    assertThat(seqs(tolerant)).startsWith(1L).doesNotContain(2L);
    assertThat(tolerant.toString()).doesNotContain("garbage");
    assertThat(ok(server.get("/v1/runs/r1"), 200).path("malformedLines").asLong()).isPositive();
  }

  @Test
  void replay_tolerantOnACorruptedMiddleLine_stillServesTheLaterEvents() throws Exception {
    corruptMiddleLine("r1");

    JsonNode tolerant = replay("r1", "");
    // Seq 4 is the restart's run.recovered: it too continues after the head, 3.
    assertThat(seqs(tolerant)).containsExactly(1L, 3L, 4L);
    assertThat(tolerant.path("events").get(2).path("type").asText()).isEqualTo("run.recovered");
    assertThat(tolerant.path("events").get(2).path("data").path("head").asLong()).isEqualTo(3);
    assertThat(tolerant.path("head").asLong()).isEqualTo(4);
    JsonNode appended = ok(server.post("/v1/runs/r1/events", "{\"type\":\"d\"}"), 201);
    assertThat(appended.path("first").asLong()).isEqualTo(5);
  }

  private static List<Long> ndjsonSeqs(String body) {
    return body.lines().map(line -> Api.parse(line).path("seq").asLong()).toList();
  }
}
