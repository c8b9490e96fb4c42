package io.runjournal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runjournal.AppendRequest;
import io.runjournal.FsyncPolicy;
import io.runjournal.model.NewEvent;
import io.runjournal.server.SseConnection.Frame;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §7's guarantee: a client that reconnects with the last id it saw receives every later
 * event exactly once, in order, however often its stream is cut while a writer appends.
 */
class SseExactlyOnceTest {
  private static final int EVENTS = 3_000;
  private static final int DROPS = 25;

  @TempDir Path data;

  /** What the resuming client saw. */
  private record Followed(List<Long> seqs, int connections, int cutShort, boolean sawEnd) {}

  /** Follows {@code run} to its end, reconnecting with {@code Last-Event-ID} after every cut. */
  private static Followed follow(TestServer server, String run, AtomicInteger received)
      throws Exception {
    List<Long> seqs = new ArrayList<>();
    String lastId = null;
    int connections = 0;
    int cutShort = 0;
    while (true) {
      try (SseConnection stream =
          SseConnection.open(server, "/v1/runs/" + run + "/stream", lastId)) {
        connections++;
        if (stream.status() == 204) {
          // Cut after the terminal event but before the end frame: the server says we are done.
          return new Followed(seqs, connections, cutShort, false);
        }
        assertThat(stream.status()).as(stream.body()).isEqualTo(200);
        for (Frame frame = stream.next(); frame != null; frame = stream.next()) {
          if (frame.isMessage()) {
            seqs.add(frame.seq());
            lastId = frame.id();
            received.set(seqs.size());
          } else if ("end".equals(frame.event())) {
            assertThat(stream.readToEnd()).as("frames after end").isEmpty();
            return new Followed(seqs, connections, cutShort, true);
          }
        }
        cutShort++;
      }
    }
  }

  @Test
  void dropStreams_manyTimesWhileAWriterAppends_deliversEveryEventExactlyOnceInOrder()
      throws Exception {
    try (TestServer server =
        TestServer.start(
            data,
            config -> config.withFsync(FsyncPolicy.NONE).withHeartbeat(Duration.ofMillis(200)))) {
      AtomicInteger received = new AtomicInteger();
      AtomicInteger appended = new AtomicInteger();
      AtomicReference<Throwable> writerFailure = new AtomicReference<>();
      CompletableFuture<Followed> client =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return follow(server, "cut", received);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      Thread writer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      // Batches of 1 to 7 events, so cuts land inside and between batches.
                      while (appended.get() < EVENTS) {
                        // Stay close ahead of the client, so that appends and cuts interleave.
                        await("client near the head")
                            .pollInterval(Duration.ofMillis(1))
                            .atMost(30, TimeUnit.SECONDS)
                            .until(() -> received.get() >= appended.get() - 50);
                        int size = Math.min(1 + appended.get() % 7, EVENTS - appended.get());
                        List<NewEvent> batch = new ArrayList<>();
                        for (int i = 0; i < size; i++) {
                          batch.add(NewEvent.of("tick", "{\"n\":" + (appended.get() + i) + "}"));
                        }
                        server.server().journal().append("cut", AppendRequest.of(batch));
                        appended.addAndGet(size);
                      }
                      server.server().journal().append("cut", NewEvent.of("run.completed"));
                    } catch (Throwable e) {
                      writerFailure.set(e);
                    }
                  });

      int drops = 0;
      for (int round = 1; round <= DROPS; round++) {
        int target = round * EVENTS / (DROPS + 1);
        await("client progress to " + target)
            .atMost(30, TimeUnit.SECONDS)
            .until(() -> received.get() >= target || client.isDone());
        if (server.server().openStreams() > 0) {
          drops++;
        }
        server.server().dropStreams();
      }

      Followed followed = client.get(60, TimeUnit.SECONDS);
      writer.join();
      assertThat(writerFailure.get()).isNull();
      assertThat(followed.seqs())
          .as("every event exactly once, in order")
          .isEqualTo(LongStream.rangeClosed(1, EVENTS + 1).boxed().toList());
      assertThat(followed.cutShort()).as("streams cut by dropStreams").isGreaterThanOrEqualTo(10);
      assertThat(followed.connections()).isGreaterThan(followed.cutShort());
      assertThat(drops).isGreaterThanOrEqualTo(10);
      await().atMost(10, TimeUnit.SECONDS).until(() -> server.server().openStreams() == 0);
    }
  }
}
