package io.runjournal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runjournal.AppendRequest;
import io.runjournal.FsyncPolicy;
import io.runjournal.model.NewEvent;
import io.runjournal.server.SseConnection.Frame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SSE wire contract of {@code GET /v1/runs/{run}/stream} (DESIGN §7), read off the socket. */
class SseStreamTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server =
        TestServer.start(
            data,
            config ->
                config
                    .withFsync(FsyncPolicy.NONE)
                    .withHeartbeat(Duration.ofMillis(200))
                    .withSseRetry(Duration.ofMillis(250)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void append(String run, String type, String dataJson) {
    server.server().journal().append(run, NewEvent.of(type, dataJson));
  }

  private void append(String run, String type) {
    server.server().journal().append(run, NewEvent.of(type));
  }

  private List<String> journalLines(String run) throws Exception {
    return Files.readAllLines(data.resolve("runs").resolve(run).resolve("events.jsonl"));
  }

  /** The next {@code count} messages, skipping heartbeats; fails on any other frame. */
  private static List<Frame> messages(SseConnection stream, int count) throws Exception {
    List<Frame> messages = new ArrayList<>();
    while (messages.size() < count) {
      Frame frame = stream.nextNonComment();
      assertThat(frame).as("stream ended after %s", messages).isNotNull();
      assertThat(frame.isMessage()).as("a message frame, got %s", frame).isTrue();
      messages.add(frame);
    }
    return messages;
  }

  private static List<Long> seqs(List<Frame> frames) {
    return frames.stream().map(Frame::seq).toList();
  }

  private static Frame firstFrame(SseConnection stream) throws Exception {
    assertThat(stream.status()).as("status of %s", stream.body()).isEqualTo(200);
    return stream.next();
  }

  @Test
  void stream_startsWithRetry_thenSendsEachEventAsItsSeqAndExactJournalLine() throws Exception {
    append("wire", "run.started", "{\"goal\":\"héllo ✓ \\\"quoted\\\"\"}");
    append("wire", "node.started", "[1,2,{\"deep\":null}]");
    server
        .server()
        .journal()
        .append("wire", NewEvent.of("note").withId("ev-3").withMeta("{\"agent\":\"a\"}"));

    try (SseConnection stream = SseConnection.open(server, "/v1/runs/wire/stream")) {
      assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
      assertThat(stream.header("Cache-Control")).isEqualTo("no-cache");
      assertThat(firstFrame(stream).lines()).containsExactly("retry: 250");

      List<String> lines = journalLines("wire");
      List<Frame> frames = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        frames.add(stream.nextNonComment());
      }
      assertThat(frames)
          .extracting(Frame::lines)
          .containsExactly(
              List.of("id: 1", "data: " + lines.get(0)),
              List.of("id: 2", "data: " + lines.get(1)),
              List.of("id: 3", "data: " + lines.get(2)));
      assertThat(frames.get(0).data()).contains("héllo ✓");
    }
  }

  @Test
  void idleStream_sendsHeartbeatCommentsAtTheConfiguredInterval() throws Exception {
    try (SseConnection stream = SseConnection.open(server, "/v1/runs/quiet/stream")) {
      assertThat(firstFrame(stream).field("retry")).isEqualTo("250");
      // With nothing to send, the next frames are heartbeats: comment lines and nothing else.
      for (int beat = 0; beat < 3; beat++) {
        Frame frame = stream.next();
        assertThat(frame).isNotNull();
        assertThat(frame.isComment()).as("a heartbeat comment, got %s", frame).isTrue();
      }
      append("quiet", "after.heartbeats");
      assertThat(seqs(messages(stream, 1))).containsExactly(1L);
    }
  }

  @Test
  void lastEventId_takesPrecedenceOverAfterSeq() throws Exception {
    for (int i = 1; i <= 5; i++) {
      append("resume", "step");
    }
    try (SseConnection stream =
        SseConnection.open(server, "/v1/runs/resume/stream?afterSeq=1", "3")) {
      firstFrame(stream);
      assertThat(seqs(messages(stream, 2))).containsExactly(4L, 5L);
    }
    try (SseConnection stream = SseConnection.open(server, "/v1/runs/resume/stream?afterSeq=1")) {
      firstFrame(stream);
      assertThat(seqs(messages(stream, 4))).containsExactly(2L, 3L, 4L, 5L);
    }
  }

  @Test
  void afterSeqAtTheHead_startsAtTheLiveTail() throws Exception {
    for (int i = 1; i <= 5; i++) {
      append("tail", "old");
    }
    try (SseConnection stream = SseConnection.open(server, "/v1/runs/tail/stream?afterSeq=5")) {
      firstFrame(stream);
      append("tail", "new");
      append("tail", "new");
      List<Frame> live = messages(stream, 2);
      assertThat(seqs(live)).containsExactly(6L, 7L);
      assertThat(live).allSatisfy(frame -> assertThat(frame.data()).contains("\"type\":\"new\""));
    }
  }

  @Test
  void eventsAppendedWhileConnected_arriveInOrder() throws Exception {
    int total = 300;
    try (SseConnection stream = SseConnection.open(server, "/v1/runs/live/stream")) {
      firstFrame(stream);
      Thread writer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int seq = 1; seq <= total; seq += 3) {
                      server
                          .server()
                          .journal()
                          .append(
                              "live",
                              AppendRequest.of(
                                  NewEvent.of("tick", Integer.toString(seq)),
                                  NewEvent.of("tick", Integer.toString(seq + 1)),
                                  NewEvent.of("tick", Integer.toString(seq + 2))));
                    }
                  });
      List<Frame> frames = messages(stream, total);
      writer.join();
      List<Long> expected = new ArrayList<>();
      for (long seq = 1; seq <= total; seq++) {
        expected.add(seq);
      }
      assertThat(seqs(frames)).isEqualTo(expected);
      // data carries the seq the writer put in it, so order is the append order too.
      assertThat(frames)
          .allSatisfy(
              frame ->
                  assertThat(JSON.readTree(frame.data()).get("data").asLong())
                      .isEqualTo(frame.seq()));
    }
  }

  @Test
  void terminalEvent_isFollowedByAnEndFrameWithTheSummary_thenTheServerCloses() throws Exception {
    append("done", "run.started");
    try (SseConnection stream = SseConnection.open(server, "/v1/runs/done/stream")) {
      firstFrame(stream);
      assertThat(seqs(messages(stream, 1))).containsExactly(1L);
      append("done", "work");
      append("done", "run.completed", "{\"ok\":true}");
      assertThat(seqs(messages(stream, 2))).containsExactly(2L, 3L);

      Frame end = stream.nextNonComment();
      assertThat(end).isNotNull();
      assertThat(end.event()).isEqualTo("end");
      JsonNode summary = JSON.readTree(end.data());
      assertThat(summary.get("id").asText()).isEqualTo("done");
      assertThat(summary.get("status").asText()).isEqualTo("succeeded");
      assertThat(summary.get("endedBy").asText()).isEqualTo("run.completed");
      assertThat(summary.get("head").get("main").asLong()).isEqualTo(3);
      assertThat(summary.get("eventCount").asLong()).isEqualTo(3);

      assertThat(stream.readToEnd()).as("frames after end").isEmpty();
      assertThat(stream.readFailure()).as("the stream ended cleanly").isNull();
    }
    assertThat(server.server().openStreams()).isZero();
  }

  @Test
  void endedRun_replaysToTheEndFrame_andAReconnectFromTheTerminalSeqGets204() throws Exception {
    append("over", "run.started");
    append("over", "run.failed", "{\"error\":\"boom\"}");
    try (SseConnection stream = SseConnection.open(server, "/v1/runs/over/stream")) {
      firstFrame(stream);
      assertThat(seqs(messages(stream, 2))).containsExactly(1L, 2L);
      Frame end = stream.nextNonComment();
      assertThat(end.event()).isEqualTo("end");
      assertThat(JSON.readTree(end.data()).get("status").asText()).isEqualTo("failed");
      assertThat(stream.readToEnd()).isEmpty();
    }
    try (SseConnection again = SseConnection.open(server, "/v1/runs/over/stream", "2")) {
      assertThat(again.status()).isEqualTo(204);
      assertThat(again.body()).isEmpty();
    }
    // The URL still carries the original query on a browser's reconnect: the header wins.
    try (SseConnection again = SseConnection.open(server, "/v1/runs/over/stream?afterSeq=0", "2")) {
      assertThat(again.status()).isEqualTo(204);
    }
  }

  @Test
  void resumePointBeyondTheHead_sendsResetWithBothNumbers_thenStreamsFromTheHead()
      throws Exception {
    for (int i = 1; i <= 3; i++) {
      append("restored", "step");
    }
    try (SseConnection stream = SseConnection.open(server, "/v1/runs/restored/stream", "10")) {
      firstFrame(stream);
      Frame reset = stream.nextNonComment();
      assertThat(reset.event()).isEqualTo("reset");
      assertThat(reset.data()).isEqualTo("{\"lastEventId\":10,\"head\":3}");
      // A client that reconnects after the reset resumes at the head, not at its stale id.
      assertThat(reset.id()).isEqualTo("3");

      append("restored", "step");
      append("restored", "step");
      assertThat(seqs(messages(stream, 2))).containsExactly(4L, 5L);
    }
  }

  @Test
  void afterSeqBeyondTheHead_isAResetToo() throws Exception {
    append("ahead", "step");
    try (SseConnection stream = SseConnection.open(server, "/v1/runs/ahead/stream?afterSeq=7")) {
      firstFrame(stream);
      Frame reset = stream.nextNonComment();
      assertThat(reset.event()).isEqualTo("reset");
      assertThat(reset.data()).isEqualTo("{\"lastEventId\":7,\"head\":1}");
      append("ahead", "step");
      assertThat(seqs(messages(stream, 1))).containsExactly(2L);
    }
  }

  @Test
  void typeFilter_deliversOnlyThoseTypes_withTheirSeqsAsIds() throws Exception {
    for (String type : List.of("a", "b", "a", "c", "b", "c")) {
      append("typed", type);
    }
    try (SseConnection stream = SseConnection.open(server, "/v1/runs/typed/stream?type=a,c")) {
      firstFrame(stream);
      List<Frame> frames = messages(stream, 4);
      assertThat(seqs(frames)).containsExactly(1L, 3L, 4L, 6L);
      assertThat(frames)
          .extracting(frame -> JSON.readTree(frame.data()).get("type").asText())
          .containsExactly("a", "a", "c", "c");
    }
  }

  @Test
  void branchFilter_followsThatBranchWithItsOwnSeqs() throws Exception {
    append("branched", "main.1");
    server
        .server()
        .journal()
        .append(
            "branched",
            AppendRequest.of(NewEvent.of("alt.1"), NewEvent.of("alt.2")).onBranch("alt"));
    append("branched", "main.2");
    try (SseConnection stream = SseConnection.open(server, "/v1/runs/branched/stream?branch=alt")) {
      firstFrame(stream);
      List<Frame> frames = messages(stream, 2);
      assertThat(seqs(frames)).containsExactly(1L, 2L);
      assertThat(frames)
          .extracting(frame -> JSON.readTree(frame.data()).get("branch").asText())
          .containsOnly("alt");
      server
          .server()
          .journal()
          .append("branched", AppendRequest.of(NewEvent.of("alt.3")).onBranch("alt"));
      append("branched", "main.3");
      Frame next = messages(stream, 1).get(0);
      assertThat(next.seq()).isEqualTo(3);
      assertThat(next.data()).contains("\"type\":\"alt.3\"");
    }
  }

  @Test
  void resumeWithATypeFilter_missesNothingAndRepeatsNothing() throws Exception {
    List<String> types = List.of("x", "keep", "x", "keep", "x", "x", "keep");
    for (String type : types) {
      append("filtered", type);
    }
    List<Long> delivered = new ArrayList<>();
    String lastId;
    try (SseConnection stream = SseConnection.open(server, "/v1/runs/filtered/stream?type=keep")) {
      firstFrame(stream);
      List<Frame> first = messages(stream, 2);
      delivered.addAll(seqs(first));
      lastId = first.get(1).id();
    }
    // Appended while disconnected, both kinds.
    for (String type : List.of("x", "keep", "keep", "x")) {
      append("filtered", type);
    }
    try (SseConnection stream =
        SseConnection.open(server, "/v1/runs/filtered/stream?type=keep", lastId)) {
      firstFrame(stream);
      delivered.addAll(seqs(messages(stream, 3)));
      append("filtered", "x");
      append("filtered", "keep");
      delivered.addAll(seqs(messages(stream, 1)));
    }
    assertThat(delivered).containsExactly(2L, 4L, 7L, 9L, 10L, 13L);
  }

  @Test
  void typeFilterOnAnEndedRun_withNoLaterMatch_gets204() throws Exception {
    append("quietend", "keep");
    append("quietend", "x");
    append("quietend", "run.completed");
    try (SseConnection stream =
        SseConnection.open(server, "/v1/runs/quietend/stream?type=keep", "1")) {
      assertThat(stream.status()).isEqualTo(204);
    }
    try (SseConnection stream = SseConnection.open(server, "/v1/runs/quietend/stream?type=keep")) {
      firstFrame(stream);
      assertThat(seqs(messages(stream, 1))).containsExactly(1L);
      assertThat(stream.nextNonComment().event()).isEqualTo("end");
    }
  }

  @Test
  void streamOnARunThatDoesNotExistYet_waits_andDeliversItsFirstEventsWhenAppended()
      throws Exception {
    assertThat(server.server().journal().exists("later")).isFalse();
    try (SseConnection stream = SseConnection.open(server, "/v1/runs/later/stream")) {
      firstFrame(stream);
      assertThat(stream.next().isComment()).as("waits with heartbeats").isTrue();
      server.post("/v1/runs/later/events", "[{\"type\":\"run.started\"},{\"type\":\"first\"}]");
      List<Frame> frames = messages(stream, 2);
      assertThat(seqs(frames)).containsExactly(1L, 2L);
      assertThat(frames.get(1).data()).isEqualTo(journalLines("later").get(1));
    }
  }
}
