package io.runjournal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runjournal.model.NewEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Subscriber limits per run and in total answer {@code 429 too-many-subscribers}; a client that
 * leaves (detected by the next heartbeat write) gives its slot back.
 */
class SseSubscriberLimitsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;
  private TestServer server;
  private final List<SseConnection> streams = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server =
        TestServer.start(
            data,
            config ->
                config
                    .withHeartbeat(Duration.ofMillis(200))
                    .withLimits(
                        ServerConfig.Limits.defaults()
                            .withMaxSubscribers(/* perRun= */ 2, /* total= */ 3)));
  }

  @AfterEach
  void stop() throws Exception {
    for (SseConnection stream : streams) {
      stream.close();
    }
    server.close();
  }

  /** Opens a stream, checks that it was admitted (its first frame is the retry frame). */
  private SseConnection admitted(String run) throws Exception {
    SseConnection stream = SseConnection.open(server, "/v1/runs/" + run + "/stream");
    streams.add(stream);
    assertThat(stream.status()).as(stream.body()).isEqualTo(200);
    assertThat(stream.next().field("retry")).isNotNull();
    return stream;
  }

  private void assertRefused(String run, String detailPart) throws Exception {
    try (SseConnection refused = SseConnection.open(server, "/v1/runs/" + run + "/stream")) {
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
      JsonNode problem = JSON.readTree(refused.body());
      assertThat(problem.get("type").asText()).isEqualTo("too-many-subscribers");
      assertThat(problem.get("status").asInt()).isEqualTo(429);
      assertThat(problem.get("detail").asText()).contains(detailPart);
    }
  }

  private void awaitOpenStreams(int count) {
    await().atMost(10, TimeUnit.SECONDS).until(() -> server.server().openStreams() == count);
  }

  @Test
  void perRunLimit_refusesTheNextStreamOnThatRun_only() throws Exception {
    admitted("a");
    admitted("a");
    assertRefused("a", "per-run limit");
    admitted("b");
    assertThat(server.server().openStreams()).isEqualTo(3);
  }

  @Test
  void totalLimit_refusesAStreamOnAnyRun() throws Exception {
    admitted("a");
    admitted("b");
    admitted("c");
    assertRefused("d", "3 streams");
    assertRefused("a", "3 streams");
  }

  @Test
  void clientsThatLeave_giveTheirSlotsBack() throws Exception {
    SseConnection first = admitted("a");
    admitted("a");
    assertRefused("a", "per-run limit");
    admitted("b");
    assertRefused("c", "3 streams");

    first.close();
    awaitOpenStreams(2);
    admitted("a");
    assertRefused("c", "3 streams");

    for (SseConnection stream : streams) {
      stream.close();
    }
    streams.clear();
    awaitOpenStreams(0);
    // Refused requests held no slot: the whole budget is free again.
    admitted("a");
    admitted("a");
    admitted("c");
    assertThat(server.server().openStreams()).isEqualTo(3);
  }

  @Test
  void streamsEndedByTheServer_giveTheirSlotsBack() throws Exception {
    server.server().journal().append("done", NewEvent.of("run.completed"));
    for (int round = 0; round < 5; round++) {
      SseConnection stream = admitted("done");
      assertThat(stream.nextNonComment().seq()).isEqualTo(1);
      assertThat(stream.nextNonComment().event()).isEqualTo("end");
      assertThat(stream.readToEnd()).isEmpty();
    }
    SseConnection a = admitted("live");
    SseConnection b = admitted("live");
    server.server().dropStreams();
    assertThat(a.readToEnd()).allMatch(SseConnection.Frame::isComment);
    assertThat(b.readToEnd()).allMatch(SseConnection.Frame::isComment);
    admitted("live");
    admitted("live");
    admitted("other");
    assertThat(server.server().openStreams()).isEqualTo(3);
  }
}
