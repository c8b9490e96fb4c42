package io.runjournal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.runjournal.Journal;
import io.runjournal.ReadQuery;
import io.runjournal.model.Event;
import io.runjournal.server.SseConnection.Frame;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runjournal serve} in a child JVM, stopped with SIGTERM while a stream is open and appends
 * are in flight: the stream ends cleanly, the process exits within a bounded wait (with status 0
 * once ServeCommand is fixed), and every acknowledged event is in the journal.
 */
class ServeShutdownTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;
  @TempDir Path scratch;
  private ServeProcess serve;
  private Process child;

  @AfterEach
  void killChild() {
    if (child != null && child.isAlive()) {
      child.destroyForcibly();
    }
  }

  /** Starts the server in a child JVM on this test's class path; returns its base URL. */
  private URI startServe() throws Exception {
    serve = ServeProcess.start(data, scratch.resolve("stderr.txt"));
    child = serve.process();
    return serve.url();
  }

  private String stderr() throws Exception {
    return serve.stderr();
  }

  @Test
  void sigterm_endsStreamsCleanly_andKeepsEveryAcknowledgedEvent() throws Exception {
    URI base = startServe();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    AtomicInteger attempted = new AtomicInteger();

    try (SseConnection stream = SseConnection.open(base, "/v1/runs/job/stream", null, 0)) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.next().field("retry")).isNotNull();

      // Appends until the server stops answering; each acknowledged id is recorded with its seq.
      Thread appender =
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int n = 1; ; n++) {
                      String id = "ev-" + n;
                      attempted.incrementAndGet();
                      try {
                        HttpResponse<String> response =
                            http.send(
                                HttpRequest.newBuilder(base.resolve("/v1/runs/job/events"))
                                    .timeout(Duration.ofSeconds(30))
                                    .header("Content-Type", "application/json")
                                    .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                            "{\"type\":\"step\",\"id\":\"" + id + "\"}"))
                                    .build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 201) {
                          return;
                        }
                        acknowledged.put(id, JSON.readTree(response.body()).get("first").asLong());
                      } catch (Exception e) {
                        return; // the server is gone
                      }
                    }
                  });

      List<Long> streamed = new ArrayList<>();
      while (streamed.size() < 20) {
        Frame frame = stream.nextNonComment();
        assertThat(frame).as("stream ended early, stderr: %s", stderr()).isNotNull();
        streamed.add(frame.seq());
      }

      child.destroy(); // SIGTERM

      for (Frame frame = stream.next(); frame != null; frame = stream.next()) {
        if (frame.isMessage()) {
          streamed.add(frame.seq());
        }
      }
      assertThat(stream.readFailure()).as("the stream ended cleanly, not reset").isNull();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the server exited").isTrue();
      // The status is checked by sigterm_exitsWithStatusZero (disabled until ServeCommand is
      // fixed).
      assertThat(child.exitValue()).as("exit status; stderr: %s", stderr()).isIn(0, 143);
      appender.join(Duration.ofSeconds(30));
      assertThat(appender.isAlive()).isFalse();

      assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(20);
      try (Journal journal = Journal.open(data)) {
        List<Event> events = journal.read("job", ReadQuery.all().failOnMalformed()).events();
        Map<String, Long> stored =
            events.stream().collect(Collectors.toMap(Event::id, Event::seq, (a, b) -> a));
        assertThat(stored)
            .as("every acknowledged event, with its seq")
            .containsAllEntriesOf(acknowledged);
        assertThat(events)
            .extracting(Event::seq)
            .isEqualTo(LongStream.rangeClosed(1, events.size()).boxed().toList());
        // What the stream delivered before it ended is a gap-free prefix of the journal.
        assertThat(streamed).isEqualTo(LongStream.rangeClosed(1, streamed.size()).boxed().toList());
        assertThat(streamed.size()).isLessThanOrEqualTo(events.size());
      }
    }
  }

  @Test
  void sigterm_exitsWithStatusZero() throws Exception {
    startServe();
    child.destroy(); // SIGTERM
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the server exited").isTrue();
    assertThat(child.exitValue()).as("exit status; stderr: %s", stderr()).isZero();
  }
}
