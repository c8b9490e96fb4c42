package io.runjournal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runjournal.AppendRequest;
import io.runjournal.FsyncPolicy;
import io.runjournal.model.NewEvent;
import io.runjournal.server.SseConnection.Frame;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that connects and never reads, with a backlog far larger than every TCP and server
 * buffer together, blocks only its own stream: another subscriber and appends keep going.
 */
class SseStalledClientTest {
  /** 4,000 events of about 4 KiB: 16 MiB, past loopback socket buffers (a few MiB at most). */
  private static final int BACKLOG = 4_000;

  private static final String PAD = "x".repeat(4_000);
  private static final Pattern FRAMES =
      Pattern.compile("(?m)^runjournal_sse_frames_total(?:\\{[^}]*})? ([0-9.eE+]+)$");

  @TempDir Path data;

  private static long framesSent(TestServer server) throws Exception {
    HttpResponse<String> metrics = server.get("/metrics");
    Matcher matcher = FRAMES.matcher(metrics.body());
    assertThat(matcher.find()).as("frame counter in %s", metrics.body()).isTrue();
    return (long) Double.parseDouble(matcher.group(1));
  }

  @Test
  void clientThatNeverReads_delaysNeitherAnotherSubscriberNorAppends() throws Exception {
    try (TestServer server =
        TestServer.start(
            data,
            config -> config.withFsync(FsyncPolicy.NONE).withHeartbeat(Duration.ofMillis(200)))) {
      for (int batch = 0; batch < BACKLOG / 100; batch++) {
        List<NewEvent> events = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          events.add(NewEvent.of("bulk", "{\"pad\":\"" + PAD + "\"}"));
        }
        server.server().journal().append("big", AppendRequest.of(events));
      }

      SseConnection stalled =
          SseConnection.open(server.url(), "/v1/runs/big/stream", null, /* receiveBuffer= */ 4096);
      try {
        await().atMost(10, TimeUnit.SECONDS).until(() -> server.server().openStreams() == 1);

        try (SseConnection reader = SseConnection.open(server, "/v1/runs/big/stream")) {
          assertThat(reader.status()).isEqualTo(200);
          long expected = 1;
          int appendedLive = 0;
          while (expected <= BACKLOG + 100) {
            Frame frame = reader.nextNonComment();
            assertThat(frame).as("the reader's stream ended at %s", expected).isNotNull();
            if (!frame.isMessage()) {
              continue; // retry
            }
            assertThat(frame.seq()).isEqualTo(expected++);
            // Appends made over HTTP while the stalled stream holds its backlog also get through.
            if (frame.seq() % 40 == 0 && appendedLive < 100) {
              HttpResponse<String> appended =
                  server.post("/v1/runs/big/events", "{\"type\":\"live\"}");
              assertThat(appended.statusCode()).as(appended.body()).isEqualTo(201);
              appendedLive++;
            }
          }
          assertThat(appendedLive).isEqualTo(100);
          assertThat(server.server().journal().head("big", "main")).isEqualTo(BACKLOG + 100);

          // The stalled stream really is stuck: of the 2 x 4,100 frames the two streams owe, the
          // reader got all of its own, so the stalled one is short of its backlog.
          assertThat(framesSent(server)).isLessThan(2L * (BACKLOG + 100));
          assertThat(server.server().openStreams()).isEqualTo(2);
        }
      } finally {
        stalled.close();
      }
      // Leaving frees the slot of the stalled stream too once its blocked write fails.
      await().atMost(30, TimeUnit.SECONDS).until(() -> server.server().openStreams() == 0);
    }
  }
}
