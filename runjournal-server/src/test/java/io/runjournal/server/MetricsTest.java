package io.runjournal.server;

import static io.runjournal.server.Api.ok;
import static io.runjournal.server.Api.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics}: the counters move by exactly what the requests did. */
class MetricsTest {
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

  /** Every sample of the scrape, by name with labels as written ({@code name{a="b"}}). */
  private Map<String, Double> scrape() throws Exception {
    HttpResponse<String> response = server.get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    Map<String, Double> samples = new LinkedHashMap<>();
    for (String line : response.body().lines().toList()) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return samples;
  }

  private double sample(String name) throws Exception {
    Double value = scrape().get(name);
    assertThat(value).as("sample " + name).isNotNull();
    return value;
  }

  /**
   * The value of the one sample of {@code name} whose labels include every one of {@code labels}.
   */
  private static Double labelled(Map<String, Double> samples, String name, String... labels) {
    Double found = null;
    for (Map.Entry<String, Double> sample : samples.entrySet()) {
      String key = sample.getKey();
      if (!key.startsWith(name + "{")) {
        continue;
      }
      boolean all = true;
      for (String label : labels) {
        all &= key.contains(label);
      }
      if (all) {
        assertThat(found).as("one sample of " + name + " with " + List.of(labels)).isNull();
        found = sample.getValue();
      }
    }
    return found;
  }

  @Test
  void freshServer_showsEveryMeterAtZero() throws Exception {
    Map<String, Double> samples = scrape();

    assertThat(samples)
        .containsEntry("runjournal_append_requests_total", 0.0)
        .containsEntry("runjournal_events_appended_total", 0.0)
        .containsEntry("runjournal_events_duplicate_total", 0.0)
        .containsEntry("runjournal_sse_frames_total", 0.0)
        .containsEntry("runjournal_sse_subscribers", 0.0);
  }

  @Test
  void appends_countRequestsEventsAndDuplicates() throws Exception {
    String batch = "[{\"type\":\"a\",\"id\":\"e1\"},{\"type\":\"a\",\"id\":\"e2\"}]";
    ok(server.post("/v1/runs/r1/events", batch), 201);
    ok(server.post("/v1/runs/r1/events", batch), 200);
    ok(server.post("/v1/runs/r1/events", "[{\"type\":\"a\",\"id\":\"e1\"},{\"type\":\"b\"}]"), 201);
    ok(server.post("/v1/runs/r2/events?branch=x", "{\"type\":\"c\"}"), 201);

    Map<String, Double> samples = scrape();

    assertThat(samples)
        .containsEntry("runjournal_append_requests_total", 4.0)
        .containsEntry("runjournal_events_appended_total", 4.0)
        .containsEntry("runjournal_events_duplicate_total", 3.0);
  }

  @Test
  void failedAppends_areNotCountedAsAppends() throws Exception {
    ok(server.post("/v1/runs/r1/events", "{\"type\":\"a\"}"), 201);
    problem(
        server.post("/v1/runs/r1/events?expectedSeq=0", "{\"type\":\"a\"}"),
        409,
        "sequence-conflict");
    problem(server.post("/v1/runs/r1/events", "{\"type\":\"a\",\"x\":1}"), 400, "invalid-event");

    assertThat(sample("runjournal_append_requests_total")).isEqualTo(1.0);
    assertThat(sample("runjournal_events_appended_total")).isEqualTo(1.0);
  }

  @Test
  void errors_areCountedByProblemTypeAndStatus() throws Exception {
    ok(server.post("/v1/runs/r1/events", "{\"type\":\"a\"}"), 201);
    problem(
        server.post("/v1/runs/r1/events?expectedSeq=0", "{\"type\":\"a\"}"),
        409,
        "sequence-conflict");
    problem(
        server.post("/v1/runs/r1/events?expectedSeq=5", "{\"type\":\"a\"}"),
        409,
        "sequence-conflict");
    problem(server.get("/no/such/endpoint"), 404, "not-found");
    problem(server.get("/v1/runs/.."), 400, "invalid-run-id");

    Map<String, Double> samples = scrape();

    String errors = "runjournal_http_errors_total";
    assertThat(labelled(samples, errors, "type=\"sequence-conflict\"", "status=\"409\""))
        .isEqualTo(2.0);
    assertThat(labelled(samples, errors, "type=\"not-found\"", "status=\"404\"")).isEqualTo(1.0);
    assertThat(labelled(samples, errors, "type=\"invalid-run-id\"", "status=\"400\""))
        .isEqualTo(1.0);
    assertThat(labelled(samples, errors, "type=\"id-conflict\"")).isNull();
  }

  @Test
  void sseStream_countsSubscribersAndFrames() throws Exception {
    ok(server.post("/v1/runs/live/events", "[{\"type\":\"a\"},{\"type\":\"b\"}]"), 201);

    HttpResponse<InputStream> stream =
        server
            .http()
            .send(
                server.request("/v1/runs/live/stream").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.statusCode()).isEqualTo(200);
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      readUntil(reader, lines, "id: 2");
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                assertThat(sample("runjournal_sse_subscribers")).isEqualTo(1.0);
                assertThat(sample("runjournal_sse_frames_total")).isEqualTo(2.0);
              });

      ok(server.post("/v1/runs/live/events", "{\"type\":\"run.completed\"}"), 201);
      for (String line; (line = reader.readLine()) != null; ) {
        lines.add(line);
      }
    }

    assertThat(lines).contains("id: 1", "id: 2", "id: 3", "event: end");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(sample("runjournal_sse_subscribers")).isEqualTo(0.0);
              assertThat(sample("runjournal_sse_frames_total")).isEqualTo(3.0);
            });
  }

  private static void readUntil(BufferedReader reader, List<String> lines, String wanted)
      throws Exception {
    for (String line; (line = reader.readLine()) != null; ) {
      lines.add(line);
      if (line.equals(wanted)) {
        return;
      }
    }
    throw new AssertionError("the stream ended before \"" + wanted + "\": " + lines);
  }

  @Test
  void fsyncHistogram_andBytes_coverEveryAppendedEvent() throws Exception {
    ok(server.post("/v1/runs/r1/events", "[{\"type\":\"a\"},{\"type\":\"a\"}]"), 201);
    ok(server.post("/v1/runs/r1/events", "{\"type\":\"a\"}"), 201);
    ok(server.post("/v1/runs/r1/events", "{\"type\":\"a\",\"id\":\"once\"}"), 201);
    ok(server.post("/v1/runs/r1/events", "{\"type\":\"a\",\"id\":\"once\"}"), 200);
    long journalBytes = Files.size(data.resolve("runs/r1/events.jsonl"));

    Map<String, Double> samples = scrape();

    // fsync always: each append waits for a sync covering it; the sums count every event once.
    assertThat(samples.get("runjournal_fsync_seconds_count")).isBetween(1.0, 4.0);
    assertThat(samples.get("runjournal_group_commit_batch_events_sum")).isEqualTo(4.0);
    assertThat(samples.get("runjournal_bytes_appended_bytes_total"))
        .isEqualTo((double) journalBytes);
  }
}
