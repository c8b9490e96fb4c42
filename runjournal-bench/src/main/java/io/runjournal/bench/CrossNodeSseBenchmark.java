package io.runjournal.bench;

import io.runjournal.model.NewEvent;
import io.runjournal.postgres.EmbeddedPostgresServer;
import io.runjournal.server.RunJournalServer;
import io.runjournal.server.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * B8, second half: how long an event appended through one server node takes to reach an SSE
 * subscriber on another node, at a steady 1,000 events/s, beside a subscriber on the node that took
 * the append (the baseline), both measured in one run.
 *
 * <p>A real PostgreSQL 17 (default durability) holds the journal; two {@code RunJournalServer}
 * nodes run on it in this JVM, each with its own HTTP port and its own {@code LISTEN} connection. A
 * producer appends through node A's journal at a fixed rate (a scheduler with enough threads that
 * commits overlap), each event carrying {@code System.nanoTime()} taken just before its append. Two
 * SSE clients ({@code java.net.http}) follow the run, one on node A and one on node B, and record
 * now − that time for every event they receive. Usage: {@code java -cp benchmarks.jar
 * io.runjournal.bench.CrossNodeSseBenchmark [--rate 1000] [--seconds 30] [--warmup 5] [--out
 * FILE]}.
 */
public final class CrossNodeSseBenchmark {
  private static final String RUN = "b8-sse";

  private CrossNodeSseBenchmark() {}

  /** Runs the measurement and prints a markdown table. */
  public static void main(String[] args) throws Exception {
    int rate = Integer.parseInt(option(args, "--rate", "1000"));
    int seconds = Integer.parseInt(option(args, "--seconds", "30"));
    int warmup = Integer.parseInt(option(args, "--warmup", "5"));
    String out = option(args, "--out", null);

    Path dirA = Files.createTempDirectory("b8-node-a");
    Path dirB = Files.createTempDirectory("b8-node-b");
    try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.startDurable()) {
      String url = postgres.createDatabase("b8sse");
      try (RunJournalServer nodeA = start(dirA, url);
          RunJournalServer nodeB = start(dirB, url)) {
        int total = rate * (warmup + seconds);
        Follower sameNode = Follower.start(nodeA.url(), total);
        Follower crossNode = Follower.start(nodeB.url(), total);
        long sent = produce(nodeA, rate, total);
        sameNode.awaitAll(Duration.ofSeconds(30));
        crossNode.awaitAll(Duration.ofSeconds(30));
        int skip = rate * warmup;
        String report =
            String.format(
                Locale.ROOT,
                "## B8 cross-node SSE delivery (%,d events/s for %d s after %d s warm-up)%n%n"
                    + "| subscriber | events | p50 ms | p90 ms | p99 ms | max ms |%n"
                    + "|---|---:|---:|---:|---:|---:|%n%s%s%n"
                    + "appended: %,d; target: cross-node p99 <= 100 ms -> %s%n",
                rate,
                seconds,
                warmup,
                sameNode.row("same node (baseline)", skip),
                crossNode.row("other node", skip),
                sent,
                crossNode.percentile(skip, 99) <= 100 ? "MET" : "MISSED");
        System.out.print(report);
        if (out != null) {
          Files.writeString(Path.of(out), report);
        }
      }
    } finally {
      TempDirs.delete(dirA);
      TempDirs.delete(dirB);
    }
  }

  private static RunJournalServer start(Path dataDir, String url) throws IOException {
    RunJournalServer server =
        RunJournalServer.start(ServerConfig.defaults(dataDir).withPostgres(url).withPort(0));
    HttpClient http = HttpClient.newHttpClient();
    for (int attempt = 0; attempt < 600; attempt++) {
      try {
        if (http.send(
                    HttpRequest.newBuilder(server.url().resolve("/readyz")).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return server;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
    throw new IOException("node " + server.url() + " never became ready");
  }

  /** Appends {@code total} events at {@code rate} per second through node A's journal. */
  private static long produce(RunJournalServer node, int rate, int total)
      throws InterruptedException {
    ExecutorService appenders = Executors.newFixedThreadPool(32);
    AtomicLong appended = new AtomicLong();
    long interval = TimeUnit.SECONDS.toNanos(1) / rate;
    long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long due = start + i * interval;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      appenders.execute(
          () -> {
            long sentNanos = System.nanoTime();
            node.journal().append(RUN, NewEvent.of("tick", "{\"sentNanos\":" + sentNanos + "}"));
            appended.incrementAndGet();
          });
    }
    appenders.shutdown();
    appenders.awaitTermination(1, TimeUnit.MINUTES);
    return appended.get();
  }

  /** An SSE client on one node that records each event's delivery latency. */
  private static final class Follower {
    private final long[] latencyNanos;
    private final AtomicLong received = new AtomicLong();
    private final Thread reader;

    private Follower(URI node, int expected) {
      this.latencyNanos = new long[expected];
      this.reader =
          Thread.ofPlatform()
              .daemon()
              .name("sse-" + node.getPort())
              .start(() -> follow(node, expected));
    }

    static Follower start(URI node, int expected) {
      return new Follower(node, expected);
    }

    private void follow(URI node, int expected) {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest request =
          HttpRequest.newBuilder(node.resolve("/v1/runs/" + RUN + "/stream?afterSeq=0")).build();
      try (Stream<String> lines = http.send(request, HttpResponse.BodyHandlers.ofLines()).body()) {
        lines
            .filter(line -> line.startsWith("data:"))
            .takeWhile(line -> received.get() < expected)
            .forEach(
                line -> {
                  long now = System.nanoTime();
                  int at = line.indexOf("\"sentNanos\":");
                  if (at < 0) {
                    return;
                  }
                  int from = at + "\"sentNanos\":".length();
                  int to = from;
                  while (to < line.length()
                      && (Character.isDigit(line.charAt(to)) || line.charAt(to) == '-')) {
                    to++;
                  }
                  long sent = Long.parseLong(line, from, to, 10);
                  int index = (int) received.getAndIncrement();
                  if (index < latencyNanos.length) {
                    latencyNanos[index] = now - sent;
                  }
                });
      } catch (IOException e) {
        System.err.println("SSE on " + node + " failed: " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void awaitAll(Duration patience) throws InterruptedException {
      reader.join(patience.toMillis());
    }

    double percentile(int skip, double percent) {
      long[] sorted = measured(skip);
      if (sorted.length == 0) {
        return Double.NaN;
      }
      int index = (int) Math.min(sorted.length - 1, Math.ceil(percent / 100 * sorted.length) - 1);
      return sorted[Math.max(0, index)] / 1e6;
    }

    private long[] measured(int skip) {
      int count = (int) Math.min(received.get(), latencyNanos.length);
      long[] sorted = Arrays.copyOfRange(latencyNanos, Math.min(skip, count), count);
      Arrays.sort(sorted);
      return sorted;
    }

    String row(String name, int skip) {
      long[] sorted = measured(skip);
      return String.format(
          Locale.ROOT,
          "| %s | %,d | %.2f | %.2f | %.2f | %.2f |%n",
          name,
          sorted.length,
          percentile(skip, 50),
          percentile(skip, 90),
          percentile(skip, 99),
          sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6);
    }
  }

  private static String option(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
