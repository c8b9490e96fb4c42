package io.runjournal.client;

import static io.runjournal.client.RunJournalClientTest.event;
import static io.runjournal.client.ScriptedPeer.problem;
import static io.runjournal.client.ScriptedPeer.startStream;
import static io.runjournal.client.ScriptedPeer.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubscribeTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String STREAM = "/v1/runs/r1/stream";
  private static final String SUMMARY = "{\"id\":\"r1\",\"status\":\"succeeded\"}";

  private final ScriptedPeer peer = new ScriptedPeer();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  SubscribeTest() throws IOException {}

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : closeables) {
      closeable.close();
    }
    peer.close();
  }

  private RunJournalClient client() {
    return client(RetryPolicy.reconnectForever());
  }

  private RunJournalClient client(RetryPolicy reconnect) {
    return client(reconnect, Duration.ofSeconds(60));
  }

  private RunJournalClient client(RetryPolicy reconnect, Duration idleTimeout) {
    RunJournalClient client =
        RunJournalClient.builder(peer.url())
            .token("tok")
            .reconnectPolicy(reconnect.withBackoff(Duration.ofMillis(1), Duration.ofMillis(20)))
            .idleTimeout(idleTimeout)
            .build();
    closeables.add(client);
    return client;
  }

  private ClientSubscription subscribe(
      RunJournalClient client, SubscribeOptions options, Recorder recorder) {
    ClientSubscription subscription = client.subscribe("r1", options, recorder);
    closeables.add(subscription);
    return subscription;
  }

  /** What a listener was told, in order. */
  static final class Recorder implements SubscriptionListener {
    record Failure(Throwable error, boolean willRetry) {}

    final List<Long> seqs = new CopyOnWriteArrayList<>();
    final List<String> resets = new CopyOnWriteArrayList<>();
    final List<String> ends = new CopyOnWriteArrayList<>();
    final List<Failure> failures = new CopyOnWriteArrayList<>();
    volatile Consumer<Event> onEvent = event -> {};

    @Override
    public void onEvent(Event event) {
      onEvent.accept(event);
      seqs.add(event.seq());
    }

    @Override
    public void onReset(long lastEventId, long head) {
      resets.add(lastEventId + "->" + head);
    }

    @Override
    public void onEnd(JsonNode summary) {
      ends.add(String.valueOf(summary));
    }

    @Override
    public void onError(Throwable error, boolean willRetry) {
      failures.add(new Failure(error, willRetry));
    }

    List<Boolean> willRetry() {
      return failures.stream().map(Failure::willRetry).toList();
    }
  }

  private static String frame(long seq) {
    return "id: " + seq + "\ndata: " + event(seq) + "\n\n";
  }

  private static List<Long> seqs(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  private static void awaitTerminated(ClientSubscription subscription) throws InterruptedException {
    assertThat(subscription.awaitTermination(WAIT)).as("terminated").isTrue();
    assertThat(subscription.isTerminated()).isTrue();
  }

  @Test
  void deliversEventsInOrder_ignoresHeartbeats_andStopsOnEnd() throws Exception {
    peer.on(
        STREAM,
        (exchange, call) -> {
          OutputStream out = startStream(exchange);
          write(out, "retry: 5\r\n\r\n: heartbeat\r\n");
          write(out, (frame(1) + frame(2)).replace("\n", "\r\n"));
          write(out, ":\n" + frame(3) + "event: end\ndata: " + SUMMARY + "\n\n");
        });
    Recorder recorder = new Recorder();

    ClientSubscription subscription =
        subscribe(client(), SubscribeOptions.fromStart().branch("main").types("t", "u"), recorder);

    awaitTerminated(subscription);
    assertThat(recorder.seqs).containsExactly(1L, 2L, 3L);
    assertThat(recorder.ends).containsExactly(SUMMARY);
    assertThat(recorder.failures).isEmpty();
    assertThat(subscription.lastSeq()).isEqualTo(3);
    ScriptedPeer.Request request = peer.requests().getFirst();
    assertThat(request.query()).isEqualTo("branch=main&type=t%2Cu");
    assertThat(request.header("Accept")).isEqualTo("text/event-stream");
    assertThat(request.header("Authorization")).isEqualTo("Bearer tok");
    assertThat(request.header("Last-Event-ID")).isNull();
  }

  @Test
  void afterTheStreamDropsMidway_reconnectsWithLastEventId_andTheOriginalQuery() throws Exception {
    peer.on(
        STREAM,
        (exchange, call) -> {
          OutputStream out = startStream(exchange);
          if (call == 1) {
            write(out, "retry: 1\n\n" + frame(1) + frame(2) + "id: 3\ndata: {\"seq\":3,");
            throw new ScriptedPeer.Drop(); // mid-frame, without the final chunk
          }
          write(out, frame(3) + frame(4) + "event: end\ndata: " + SUMMARY + "\n\n");
        });
    Recorder recorder = new Recorder();

    ClientSubscription subscription =
        subscribe(client(), SubscribeOptions.after(0).types("t"), recorder);

    awaitTerminated(subscription);
    assertThat(recorder.seqs).containsExactly(1L, 2L, 3L, 4L);
    assertThat(peer.requests())
        .extracting(r -> r.query() + " Last-Event-ID=" + r.header("Last-Event-ID"))
        .containsExactly(
            "afterSeq=0&type=t Last-Event-ID=null", "afterSeq=0&type=t Last-Event-ID=2");
    assertThat(recorder.willRetry()).containsExactly(true);
    assertThat(recorder.failures.getFirst().error())
        .isInstanceOf(RunJournalClientException.class)
        .hasMessageContaining("lost after seq 2");
    assertThat(recorder.ends).containsExactly(SUMMARY);
  }

  @Test
  void eventsRepeatedByTheServer_areDeliveredOnce() throws Exception {
    peer.on(
        STREAM,
        (exchange, call) -> {
          OutputStream out = startStream(exchange);
          if (call == 1) {
            write(out, "retry: 1\n\n" + frame(1) + frame(2));
            throw new ScriptedPeer.Drop();
          }
          write(
              out, frame(1) + frame(2) + frame(3) + frame(2) + frame(4) + "event: end\ndata:\n\n");
        });
    Recorder recorder = new Recorder();

    ClientSubscription subscription = subscribe(client(), SubscribeOptions.fromStart(), recorder);

    awaitTerminated(subscription);
    assertThat(recorder.seqs).containsExactly(1L, 2L, 3L, 4L);
    assertThat(recorder.ends).containsExactly("null");
  }

  @Test
  void manyDrops_deliverEveryEventExactlyOnceInOrder() throws Exception {
    int events = 40;
    peer.on(
        STREAM,
        (exchange, call) -> {
          String lastEventId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
          long after = lastEventId == null ? 0 : Long.parseLong(lastEventId);
          OutputStream out = startStream(exchange);
          write(out, "retry: 1\n\n");
          if (after == events) {
            write(out, "event: end\ndata: " + SUMMARY + "\n\n");
            return;
          }
          // A burst that the drop cuts: one whole event and the start of the next.
          write(out, frame(after + 1) + "id: " + (after + 2) + "\ndata: {\"seq\"");
          if (call % 3 == 0) {
            return; // a clean end of the response instead of a drop
          }
          throw new ScriptedPeer.Drop();
        });
    Recorder recorder = new Recorder();

    ClientSubscription subscription = subscribe(client(), SubscribeOptions.fromStart(), recorder);

    awaitTerminated(subscription);
    assertThat(recorder.seqs).containsExactlyElementsOf(seqs(1, events));
    // A drop may also lose a whole event still in flight: then the same resume point comes again.
    assertThat(peer.requests().stream().map(r -> r.header("Last-Event-ID")).distinct())
        .containsExactlyElementsOf(
            LongStream.rangeClosed(0, events)
                .mapToObj(seq -> seq == 0 ? null : Long.toString(seq))
                .toList());
    assertThat(recorder.willRetry()).hasSize(peer.requests().size() - 1).containsOnly(true);
    assertThat(recorder.ends).containsExactly(SUMMARY);
  }

  @Test
  void reconnectAnswered204_endsTheSubscription() throws Exception {
    peer.on(
        STREAM,
        (exchange, call) -> {
          if (call == 1) {
            OutputStream out = startStream(exchange);
            write(out, "retry: 1\n\n" + frame(1) + frame(2));
          } else {
            exchange.sendResponseHeaders(204, -1);
          }
        });
    Recorder recorder = new Recorder();

    ClientSubscription subscription = subscribe(client(), SubscribeOptions.fromStart(), recorder);

    awaitTerminated(subscription);
    assertThat(recorder.seqs).containsExactly(1L, 2L);
    assertThat(recorder.ends).containsExactly("null");
    assertThat(peer.requests())
        .extracting(r -> r.header("Last-Event-ID"))
        .containsExactly(null, "2");
    assertThat(recorder.failures)
        .singleElement()
        .satisfies(
            failure -> assertThat(failure.error()).hasMessageContaining("closed the stream"));
  }

  @Test
  void reset_isReported_andMovesTheResumePointToTheHead() throws Exception {
    peer.on(
        STREAM,
        (exchange, call) -> {
          OutputStream out = startStream(exchange);
          if (call == 1) {
            write(out, "retry: 1\n\nevent: reset\ndata: {\"lastEventId\":10,\"head\":4}\n\n");
            throw new ScriptedPeer.Drop();
          }
          write(out, frame(5) + frame(6) + "event: end\ndata: " + SUMMARY + "\n\n");
        });
    Recorder recorder = new Recorder();

    ClientSubscription subscription = subscribe(client(), SubscribeOptions.after(10), recorder);

    awaitTerminated(subscription);
    assertThat(recorder.resets).containsExactly("10->4");
    assertThat(recorder.seqs).containsExactly(5L, 6L);
    assertThat(peer.requests())
        .extracting(r -> r.query() + " " + r.header("Last-Event-ID"))
        .containsExactly("afterSeq=10 null", "afterSeq=10 4");
  }

  @ParameterizedTest
  @CsvSource({
    "400, invalid-run-id",
    "401, unauthorized",
    "403, forbidden",
    "404, not-found",
    "409, conflict"
  })
  void clientErrors_stopTheSubscriptionWithoutRetry(int status, String type) throws Exception {
    peer.on(STREAM, (exchange, call) -> problem(exchange, status, type, "refused", ""));
    Recorder recorder = new Recorder();

    ClientSubscription subscription = subscribe(client(), SubscribeOptions.fromStart(), recorder);

    awaitTerminated(subscription);
    assertThat(peer.requests()).hasSize(1);
    assertThat(recorder.willRetry()).containsExactly(false);
    assertThat(recorder.failures.getFirst().error())
        .isInstanceOfSatisfying(
            RunJournalClientException.class,
            error -> {
              assertThat(error.status()).isEqualTo(status);
              assertThat(error.type()).isEqualTo(type);
            });
    assertThat(recorder.ends).isEmpty();
  }

  @Test
  void serverErrors_areRetried_untilTheReconnectPolicyGivesUp() throws Exception {
    peer.on(
        STREAM,
        (exchange, call) -> {
          if (call == 2) {
            OutputStream out = startStream(exchange);
            write(out, frame(1)); // an opened stream resets the count of failed attempts
            return;
          }
          problem(exchange, 503, "unavailable", "busy", "");
        });
    Recorder recorder = new Recorder();

    ClientSubscription subscription =
        subscribe(
            client(RetryPolicy.reconnectForever().withMaxAttempts(3)),
            SubscribeOptions.fromStart(),
            recorder);

    awaitTerminated(subscription);
    assertThat(recorder.seqs).containsExactly(1L);
    assertThat(peer.requests()).hasSize(5);
    assertThat(recorder.willRetry()).containsExactly(true, true, true, true, false);
  }

  @Test
  void close_endsASubscriptionBlockedOnASilentStream() throws Exception {
    peer.on(
        STREAM,
        (exchange, call) -> {
          OutputStream out = startStream(exchange);
          write(out, "retry: 1\n\n" + frame(1));
          peer.awaitRelease();
        });
    Recorder recorder = new Recorder();
    ClientSubscription subscription = subscribe(client(), SubscribeOptions.fromStart(), recorder);
    await().atMost(WAIT).until(() -> recorder.seqs.size() == 1);

    subscription.close();
    subscription.close();

    awaitTerminated(subscription);
    assertThat(recorder.failures).isEmpty();
    assertThat(recorder.ends).isEmpty();
    assertThat(peer.requests()).hasSize(1);
  }

  @Test
  void close_fromTheListener_stopsAfterThatEvent() throws Exception {
    peer.on(
        STREAM,
        (exchange, call) -> {
          OutputStream out = startStream(exchange);
          write(out, frame(1) + frame(2) + frame(3));
          peer.awaitRelease();
        });
    Recorder recorder = new Recorder();
    ClientSubscription[] subscription = new ClientSubscription[1];
    recorder.onEvent =
        event -> {
          if (event.seq() == 2) {
            await().atMost(WAIT).until(() -> subscription[0] != null);
            subscription[0].close();
          }
        };

    subscription[0] = subscribe(client(), SubscribeOptions.fromStart(), recorder);

    awaitTerminated(subscription[0]);
    assertThat(recorder.seqs).containsExactly(1L, 2L);
    assertThat(recorder.failures).isEmpty();
  }

  @Test
  void closingTheClient_closesItsSubscriptions() throws Exception {
    peer.on(
        STREAM,
        (exchange, call) -> {
          startStream(exchange).flush();
          peer.awaitRelease();
        });
    RunJournalClient client = client();
    ClientSubscription subscription =
        subscribe(client, SubscribeOptions.fromStart(), new Recorder());
    await().atMost(WAIT).until(() -> peer.requests().size() == 1);

    client.close();

    awaitTerminated(subscription);
  }

  @Test
  void aSilentStream_isDroppedAfterTheIdleTimeout_andResumed() throws Exception {
    peer.on(
        STREAM,
        (exchange, call) -> {
          OutputStream out = startStream(exchange);
          if (call == 1) {
            write(out, "retry: 1\n\n" + frame(1));
            peer.awaitRelease(); // silent: no heartbeat
          } else {
            write(out, frame(2) + "event: end\ndata: " + SUMMARY + "\n\n");
          }
        });
    Recorder recorder = new Recorder();

    ClientSubscription subscription =
        subscribe(
            client(RetryPolicy.reconnectForever(), Duration.ofMillis(200)),
            SubscribeOptions.fromStart(),
            recorder);

    awaitTerminated(subscription);
    assertThat(recorder.seqs).containsExactly(1L, 2L);
    assertThat(peer.requests())
        .extracting(r -> r.header("Last-Event-ID"))
        .containsExactly(null, "1");
    assertThat(recorder.failures)
        .singleElement()
        .satisfies(
            failure -> {
              assertThat(failure.willRetry()).isTrue();
              assertThat(failure.error()).hasMessageContaining("not even a heartbeat");
            });
  }

  @Test
  void aListenerThatThrows_stopsTheSubscription_andItsEventIsNotCounted() throws Exception {
    peer.on(
        STREAM, (exchange, call) -> write(startStream(exchange), frame(1) + frame(2) + frame(3)));
    Recorder recorder = new Recorder();
    IllegalStateException boom = new IllegalStateException("boom");
    recorder.onEvent =
        event -> {
          if (event.seq() == 2) {
            throw boom;
          }
        };

    ClientSubscription subscription = subscribe(client(), SubscribeOptions.fromStart(), recorder);

    awaitTerminated(subscription);
    assertThat(recorder.seqs).containsExactly(1L);
    assertThat(subscription.lastSeq()).isEqualTo(1);
    assertThat(recorder.failures).containsExactly(new Recorder.Failure(boom, false));
  }

  @Test
  void anInvalidFrame_orAResponseThatIsNotAnEventStream_stopsWithAnError() throws Exception {
    peer.on(STREAM, (exchange, call) -> write(startStream(exchange), frame(1) + "data: {oops\n\n"));
    peer.on(
        "/v1/runs/html/stream",
        (exchange, call) -> ScriptedPeer.send(exchange, 200, "text/html", "<html>login</html>"));
    Recorder badFrame = new Recorder();
    Recorder notSse = new Recorder();
    RunJournalClient client = client();

    ClientSubscription first = subscribe(client, SubscribeOptions.fromStart(), badFrame);
    ClientSubscription second = client.subscribe("html", SubscribeOptions.fromStart(), notSse);
    closeables.add(second);

    awaitTerminated(first);
    awaitTerminated(second);
    assertThat(badFrame.seqs).containsExactly(1L);
    assertThat(badFrame.willRetry()).containsExactly(false);
    assertThat(((RunJournalClientException) badFrame.failures.getFirst().error()).type())
        .isEqualTo("invalid-response");
    assertThat(notSse.failures.getFirst().error()).hasMessageContaining("not text/event-stream");
  }
}
