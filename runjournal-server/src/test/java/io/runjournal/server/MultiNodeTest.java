package io.runjournal.server;

import static io.runjournal.server.Api.ok;
import static io.runjournal.server.Api.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.runjournal.postgres.EmbeddedPostgresServer;
import io.runjournal.server.SseConnection.Frame;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several {@code serve --store postgres} nodes on one database form one journal (DESIGN §10): an
 * append through one node wakes subscribers on the others, an SSE client resumes on any node with
 * {@code Last-Event-ID}, and appends through different nodes get one dense sequence.
 */
class MultiNodeTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgresServer postgres;

  @TempDir Path base;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private String url;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() {
    postgres.close();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : toClose.reversed()) {
      closeable.close();
    }
  }

  private void freshDatabase() {
    url = postgres.createDatabase("nodes_" + DATABASES.incrementAndGet());
  }

  /** A node on the test's database, with a data directory of its own (for its log). */
  private TestServer node(String name) throws IOException {
    TestServer node =
        TestServer.start(
            base.resolve(name),
            config -> config.withPostgres(url).withHeartbeat(Duration.ofMillis(200)));
    toClose.add(node);
    return node;
  }

  private HttpResponse<String> post(URI base, String path, String body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  @Test
  void eventAppendedThroughNodeA_reachesAnSseSubscriberOnNodeB() throws Exception {
    freshDatabase();
    TestServer nodeA = node("a");
    TestServer nodeB = node("b");
    ok(nodeA.post("/v1/runs/shared/events", "{\"type\":\"run.started\"}"), 201);

    try (SseConnection stream = SseConnection.open(nodeB, "/v1/runs/shared/stream?afterSeq=1")) {
      assertThat(stream.status()).as(stream.body()).isEqualTo(200);
      ok(nodeA.post("/v1/runs/shared/events", "{\"type\":\"step\",\"data\":{\"n\":2}}"), 201);

      Frame frame = stream.nextNonComment();
      while (frame != null && !frame.isMessage()) {
        frame = stream.nextNonComment();
      }
      assertThat(frame).as("a message frame on node B").isNotNull();
      assertThat(frame.seq()).isEqualTo(2);
      assertThat(Api.parse(frame.data()).path("data").path("n").asInt()).isEqualTo(2);
    }
  }

  @Test
  void sseClientDroppedByNodeA_resumesOnNodeB_withLastEventId_exactlyOnce() throws Exception {
    freshDatabase();
    TestServer nodeA = node("a");
    TestServer nodeB = node("b");
    TestServer writerNode = node("w");
    int events = 400;
    AtomicInteger received = new AtomicInteger();
    CountDownLatch halfway = new CountDownLatch(1);
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              try {
                for (int n = 1; n <= events; n++) {
                  if (n == events / 2 + 1) {
                    halfway.await(30, TimeUnit.SECONDS); // the cut lands while appends go on
                  }
                  ok(
                      post(
                          writerNode.url(),
                          "/v1/runs/moving/events",
                          "{\"type\":\"tick\",\"data\":" + n + "}"),
                      201);
                }
                ok(
                    post(
                        writerNode.url(), "/v1/runs/moving/events", "{\"type\":\"run.completed\"}"),
                    201);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });

    List<Long> seqs = new ArrayList<>();
    String lastId = null;
    try (SseConnection first = SseConnection.open(nodeA, "/v1/runs/moving/stream")) {
      assertThat(first.status()).as(first.body()).isEqualTo(200);
      for (Frame frame = first.next(); frame != null; frame = first.next()) {
        if (frame.isMessage()) {
          seqs.add(frame.seq());
          lastId = frame.id();
          received.incrementAndGet();
          if (seqs.size() == events / 4) {
            nodeA.server().close(); // node A goes away mid-stream (a deploy, a crash)
            halfway.countDown();
          }
        }
      }
    }
    assertThat(lastId).as("node A delivered events before it went away").isNotNull();
    try (SseConnection resumed = SseConnection.open(nodeB, "/v1/runs/moving/stream", lastId)) {
      assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
      for (Frame frame = resumed.next(); frame != null; frame = resumed.next()) {
        if (frame.isMessage()) {
          seqs.add(frame.seq());
        } else if ("end".equals(frame.event())) {
          break;
        }
      }
    }
    writer.get(60, TimeUnit.SECONDS);

    assertThat(seqs)
        .as("every event exactly once, in order, across both nodes")
        .isEqualTo(LongStream.rangeClosed(1, events + 1).boxed().toList());
  }

  @Test
  void concurrentAppendsThroughThreeNodes_getContiguousSequences() throws Exception {
    freshDatabase();
    List<TestServer> nodes = List.of(node("a"), node("b"), node("c"));
    int threadsPerNode = 4;
    int appendsPerThread = 25;
    ConcurrentLinkedQueue<Long> assigned = new ConcurrentLinkedQueue<>();
    List<CompletableFuture<Void>> workers = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    for (TestServer node : nodes) {
      for (int thread = 0; thread < threadsPerNode; thread++) {
        String producer = node.url().getPort() + "-" + thread;
        workers.add(
            CompletableFuture.runAsync(
                () -> {
                  try {
                    go.await();
                    for (int n = 0; n < appendsPerThread; n++) {
                      JsonNode result =
                          ok(
                              post(
                                  node.url(),
                                  "/v1/runs/contended/events",
                                  "{\"type\":\"step\",\"id\":\"" + producer + "-" + n + "\"}"),
                              201);
                      assigned.add(result.path("first").asLong());
                    }
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                },
                command -> Thread.ofVirtual().start(command)));
      }
    }
    go.countDown();
    CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);

    int total = nodes.size() * threadsPerNode * appendsPerThread;
    List<Long> expected = LongStream.rangeClosed(1, total).boxed().toList();
    assertThat(assigned.stream().sorted().toList())
        .as("seqs the appends were given")
        .isEqualTo(expected);
    JsonNode replay = ok(nodes.get(1).get("/v1/runs/contended/events?limit=10000"), 200);
    assertThat(seqs(replay)).isEqualTo(expected);
    assertThat(replay.path("events").findValuesAsText("id")).doesNotHaveDuplicates().hasSize(total);
  }

  @Test
  void serveInAChildJvm_andAnInProcessNode_shareOneJournalBothWays() throws Exception {
    freshDatabase();
    TestServer inProcess = node("in");
    Path stderr = Files.createFile(base.resolve("child.err"));
    ServeProcess child =
        ServeProcess.start(base.resolve("child"), stderr, "--store", "postgres", "--pg-url", url);
    toClose.add(() -> stopChild(child));

    HttpResponse<String> ready =
        http.send(
            HttpRequest.newBuilder(URI.create(child.url() + "/readyz")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode())
        .as("the child is ready once it printed its address")
        .isEqualTo(200);

    try (SseConnection onChild = SseConnection.open(child.url(), "/v1/runs/both/stream", null, 0);
        SseConnection inHere = SseConnection.open(inProcess, "/v1/runs/both/stream")) {
      ok(inProcess.post("/v1/runs/both/events", "{\"type\":\"from.in-process\"}"), 201);
      ok(post(child.url(), "/v1/runs/both/events", "{\"type\":\"from.child\"}"), 201);

      assertThat(messageTypes(onChild, 2)).containsExactly("from.in-process", "from.child");
      assertThat(messageTypes(inHere, 2)).containsExactly("from.in-process", "from.child");
    }
    assertThat(child.stderr()).doesNotContain("Exception");
  }

  /** The types of the next {@code count} messages of {@code stream}. */
  private static List<String> messageTypes(SseConnection stream, int count)
      throws InterruptedException {
    List<String> types = new ArrayList<>();
    while (types.size() < count) {
      Frame frame = stream.next();
      assertThat(frame).as("stream ended after " + types).isNotNull();
      if (frame.isMessage()) {
        types.add(Api.parse(frame.data()).path("type").asText());
      }
    }
    return types;
  }

  private static void stopChild(ServeProcess child) throws InterruptedException {
    child.process().destroy(); // SIGTERM: a clean stop
    if (!child.process().waitFor(30, TimeUnit.SECONDS)) {
      child.process().destroyForcibly();
    }
    await().atMost(30, TimeUnit.SECONDS).until(() -> !child.process().isAlive());
  }
}
