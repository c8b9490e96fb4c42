package io.runjournal.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import io.runjournal.server.SseConnection.Frame;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash test of start-up recovery (issue 4): {@code serve} in a child JVM under load from
 * concurrent appenders on several runs, with an SSE client on each run, is killed with SIGKILL; one
 * run's journal is then cut mid-line by hand (a torn write); the server restarts on the same
 * directory. Then every acknowledged event is in its run exactly once, each active run got exactly
 * one {@code run.recovered} per restart, the cut run was repaired and {@code GET /v1/recovery} says
 * so, and each SSE client resuming with its last id receives the rest without a gap or a duplicate.
 *
 * <p>One crash by default; {@code -Drunjournal.torture=long} runs many crashes with more load, each
 * restart checked the same way.
 */
class CrashRecoveryServerTest {
  private static final boolean LONG =
      "long".equalsIgnoreCase(System.getProperty("runjournal.torture", "quick").trim());
  private static final int RUNS = LONG ? 6 : 4;
  private static final int APPENDERS = LONG ? 12 : 6;
  private static final int CRASHES = LONG ? 12 : 1;
  private static final int ACKNOWLEDGED_PER_CRASH = LONG ? 3_000 : 300;

  @TempDir Path data;
  @TempDir Path scratch;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Process child;
  private int started;

  /** Every acknowledged event id, with its run. */
  private final Map<String, String> acknowledged = new ConcurrentHashMap<>();

  /** What each run's SSE clients have delivered so far, by run: the frames' seqs and data. */
  private final Map<String, List<Frame>> delivered = new HashMap<>();

  @AfterEach
  void killChild() {
    if (child != null && child.isAlive()) {
      child.destroyForcibly();
    }
  }

  private static List<String> runs() {
    List<String> runs = new ArrayList<>();
    for (int n = 1; n <= RUNS; n++) {
      runs.add("crash-" + n);
    }
    return runs;
  }

  @Test
  @Timeout(value = 61, unit = TimeUnit.MINUTES)
  void sigkillUnderLoad_thenATornWrite_restartRecoversEveryRunExactlyOnce_andStreamsResume() {
    assertTimeoutPreemptively(
        LONG ? Duration.ofMinutes(60) : Duration.ofMinutes(2), this::crashAndRecoverRepeatedly);
  }

  private void crashAndRecoverRepeatedly() throws Exception {
    URI base = startServe();
    for (String run : runs()) {
      Api.ok(post(base, "/v1/runs", "{\"id\":\"" + run + "\"}"), 201);
      delivered.put(run, new ArrayList<>());
    }
    for (int crash = 1; crash <= CRASHES; crash++) {
      loadThenKill(base, crash);
      String cut = runs().get(crash % RUNS);
      cutMidLine(cut);
      Map<String, Long> tornTails = new HashMap<>();
      for (String run : runs()) {
        tornTails.put(run, bytesAfterLastNewline(run));
      }
      assertThat(tornTails.get(cut)).isPositive();

      base = startServe();

      checkRecovery(base, crash, cut, tornTails);
    }
    child.destroy();
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  /** Appenders and one SSE client per run until enough is acknowledged, then SIGKILL. */
  private void loadThenKill(URI base, int crash) throws Exception {
    AtomicBoolean killed = new AtomicBoolean();
    AtomicReference<String> unexpected = new AtomicReference<>();
    int before = acknowledged.size();
    List<Thread> appenders = new ArrayList<>();
    for (int appender = 0; appender < APPENDERS; appender++) {
      int self = appender;
      appenders.add(
          Thread.ofVirtual()
              .name("appender-" + appender)
              .start(() -> append(base, crash, self, killed, unexpected)));
    }
    Map<String, List<Frame>> streamed = new HashMap<>();
    List<Thread> readers = new ArrayList<>();
    for (String run : runs()) {
      List<Frame> frames = Collections.synchronizedList(new ArrayList<>());
      streamed.put(run, frames);
      SseConnection stream = SseConnection.open(base, path(run, "stream"), lastId(run), 0);
      assertThat(stream.status()).isEqualTo(200);
      readers.add(Thread.ofVirtual().start(() -> drain(stream, frames)));
    }

    await()
        .atMost(Duration.ofMinutes(LONG ? 10 : 1))
        .until(
            () ->
                unexpected.get() != null
                    || acknowledged.size() - before >= ACKNOWLEDGED_PER_CRASH
                        && streamed.values().stream().allMatch(frames -> frames.size() >= 5));
    assertThat(unexpected.get()).as("an append failed before the crash").isNull();

    child.destroyForcibly(); // SIGKILL: no shutdown hook, no final sync
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    killed.set(true);
    for (Thread thread : appenders) {
      thread.join();
    }
    for (Thread thread : readers) {
      thread.join();
    }
    for (String run : runs()) {
      delivered.get(run).addAll(streamed.get(run));
    }
  }

  private void append(
      URI base, int crash, int appender, AtomicBoolean killed, AtomicReference<String> unexpected) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int n = 0; !killed.get(); n++) {
      String run = runs().get(random.nextInt(RUNS));
      int size = 1 + random.nextInt(3);
      List<String> ids = new ArrayList<>();
      StringBuilder body = new StringBuilder("[");
      for (int i = 0; i < size; i++) {
        String id = "c" + crash + "-a" + appender + "-" + n + "-" + i;
        ids.add(id);
        body.append(i == 0 ? "" : ",")
            .append("{\"type\":\"step\",\"id\":\"")
            .append(id)
            .append("\",\"data\":{\"n\":")
            .append(n)
            .append("}}");
      }
      body.append(']');
      HttpResponse<String> response;
      try {
        response = post(base, path(run, "events"), body.toString());
      } catch (IOException | InterruptedException e) {
        return; // the server is gone: this append was not acknowledged
      }
      if (response.statusCode() == 201) {
        ids.forEach(id -> acknowledged.put(id, run));
      } else if (!killed.get()) {
        unexpected.compareAndSet(null, Api.describe(response));
        return;
      }
    }
  }

  private static void drain(SseConnection stream, List<Frame> frames) {
    try (stream) {
      for (Frame frame = stream.next(); frame != null; frame = stream.next()) {
        if (frame.isMessage()) {
          frames.add(frame);
        }
      }
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private String lastId(String run) {
    List<Frame> frames = delivered.get(run);
    return frames.isEmpty() ? null : frames.getLast().id();
  }

  /** Appends half a line by hand, as a write torn by the crash would leave it. */
  private void cutMidLine(String run) throws IOException {
    String half =
        "{\"seq\":999999,\"ts\":\"2026-11-21T10:15:30.123Z\",\"run\":\"" + run + "\",\"bra";
    Files.writeString(journal(run), half, UTF_8, StandardOpenOption.APPEND);
  }

  private long bytesAfterLastNewline(String run) throws IOException {
    byte[] bytes = Files.readAllBytes(journal(run));
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] != '\n') {
      end--;
    }
    return bytes.length - end;
  }

  private Path journal(String run) {
    return data.resolve("runs").resolve(run).resolve("events.jsonl");
  }

  private void checkRecovery(URI base, int restarts, String cut, Map<String, Long> tornTails)
      throws Exception {
    assertThat(get(base, "/readyz").statusCode()).isEqualTo(200);
    JsonNode body = Api.ok(get(base, "/v1/recovery"), 200);
    assertThat(body.path("state").asText()).isEqualTo("done");
    JsonNode report = body.path("report");
    assertThat(report.path("failures")).as(report.toString()).isEmpty();
    assertThat(texts(report.path("recovered"))).containsExactlyElementsOf(runs());
    Map<String, Long> repaired = new HashMap<>();
    report
        .path("repaired")
        .forEach(
            entry -> repaired.put(entry.path("run").asText(), entry.path("tornBytes").asLong()));
    assertThat(repaired).containsEntry(cut, tornTails.get(cut));
    tornTails.forEach(
        (run, torn) -> {
          if (torn > 0) {
            assertThat(repaired).containsEntry(run, torn);
          }
        });

    Set<String> seenIds = new java.util.HashSet<>();
    for (String run : runs()) {
      List<JsonNode> events = readAll(base, run);
      assertThat(events)
          .extracting(event -> event.path("seq").asLong())
          .as("dense seqs of " + run)
          .isEqualTo(LongStream.rangeClosed(1, events.size()).boxed().toList());
      Map<String, Integer> idCounts = new HashMap<>();
      for (JsonNode event : events) {
        if (event.has("id")) {
          idCounts.merge(event.path("id").asText(), 1, Integer::sum);
        }
      }
      idCounts.forEach((id, count) -> assertThat(count).as("copies of " + id).isEqualTo(1));
      seenIds.addAll(idCounts.keySet());
      acknowledged.forEach(
          (id, owner) -> {
            if (owner.equals(run)) {
              assertThat(idCounts).as("acknowledged " + id + " in " + run).containsKey(id);
            }
          });
      List<JsonNode> recovered =
          events.stream()
              .filter(event -> event.path("type").asText().equals("run.recovered"))
              .toList();
      assertThat(recovered).as("run.recovered in " + run).hasSize(restarts);
      JsonNode last = events.getLast();
      assertThat(last.path("type").asText()).isEqualTo("run.recovered");
      assertThat(last.path("data").path("head").asLong()).isEqualTo(events.size() - 1);
      assertThat(last.path("data").path("tornBytes").asLong()).isEqualTo(tornTails.get(run));
      assertThat(last.path("data").path("downtimeMs").asLong()).isNotNegative();

      resumeStream(base, run, events);
    }
    assertThat(seenIds).containsAll(acknowledged.keySet());
  }

  /** Reconnects with the last id the run's clients saw; the union must be the whole journal. */
  private void resumeStream(URI base, String run, List<JsonNode> events) throws Exception {
    List<Frame> frames = delivered.get(run);
    try (SseConnection stream = SseConnection.open(base, path(run, "stream"), lastId(run), 0)) {
      assertThat(stream.status()).isEqualTo(200);
      while (frames.isEmpty() || frames.getLast().seq() < events.size()) {
        Frame frame = stream.nextNonComment();
        assertThat(frame).as("the resumed stream of " + run + " ended early").isNotNull();
        if (frame.isMessage()) {
          frames.add(frame);
        }
      }
    }
    assertThat(frames)
        .extracting(Frame::seq)
        .as("seqs delivered to the SSE clients of " + run + ", across the crash")
        .isEqualTo(LongStream.rangeClosed(1, events.size()).boxed().toList());
    for (Frame frame : frames) {
      assertThat(Api.parse(frame.data())).isEqualTo(events.get((int) frame.seq() - 1));
    }
  }

  private List<JsonNode> readAll(URI base, String run) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    long after = 0;
    while (true) {
      JsonNode page =
          Api.ok(get(base, path(run, "events") + "?limit=10000&afterSeq=" + after), 200);
      page.path("events").forEach(events::add);
      if (page.path("next").isNull() || page.path("next").isMissingNode()) {
        return events;
      }
      after = page.path("next").asLong();
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }

  private static String path(String run, String what) {
    return "/v1/runs/" + run + "/" + what;
  }

  private HttpResponse<String> get(URI base, String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString(UTF_8));
  }

  private HttpResponse<String> post(URI base, String path, String body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, UTF_8))
            .build(),
        HttpResponse.BodyHandlers.ofString(UTF_8));
  }

  /** Starts {@code serve} in a child JVM on this test's class path; returns its base URL. */
  private URI startServe() throws Exception {
    ServeProcess serve = ServeProcess.start(data, scratch.resolve("stderr-" + ++started + ".txt"));
    child = serve.process();
    return serve.url();
  }
}
