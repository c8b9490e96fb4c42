package io.runjournal.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runjournal.AppendRequest;
import io.runjournal.FsyncPolicy;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.model.NewEvent;
import io.runjournal.projection.FileSnapshots;
import io.runjournal.projection.RunProjections;
import io.runjournal.recovery.Recovery;
import io.runjournal.recovery.RecoveryOptions;
import io.runjournal.recovery.RecoveryReport;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * B6: start-up to ready on a store of 100,000 runs of which 1,000 are active (left as a crash
 * leaves them: snapshots behind their journals, some torn tails), and listing all the runs through
 * the API page by page. A plain main class, not JMH: every measurement needs the crash state
 * restored first, and the figure that matters is a cold JVM's.
 *
 * <p>Each round restores the active runs from a pristine copy, then measures
 *
 * <ol>
 *   <li>in-process {@code Journal.open} + {@link Recovery#run()} (fsync always) at each parallelism
 *       of {@code --parallelism}: what overlapping the syncs buys;
 *   <li>{@code runjournal serve} in a child JVM, from the process start to {@code /readyz} 200
 *       (what an operator waits for), with and without recovery ({@code --no-recovery}: the JVM and
 *       server start alone);
 *   <li>on that server, {@code GET /v1/runs?limit=1000} following {@code next} to the end, by id
 *       and with {@code order=recent}, twice each (the first pass loads the 100,000 run.json
 *       snapshots, the second finds them in memory).
 * </ol>
 *
 * The data directory is generated once (journal with fsync none; snapshots written without sync)
 * and kept for the next invocation with the same sizes. Usage: {@code java -cp benchmarks.jar
 * io.runjournal.bench.StartupBenchmark [--dir DIR] [--runs N] [--active N] [--events N] [--torn N]
 * [--rounds N] [--parallelism 1,8,64,256] [--no-serve] [--no-list] [--out FILE]}.
 */
public final class StartupBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SERVING =
      Pattern.compile("RunJournal serving .* on (http://[0-9.]+:[0-9]+)$");
  private static final Instant BASE = Instant.parse("2026-11-01T00:00:00Z");

  private final Path dir;
  private final int runs;
  private final int active;
  private final int events;
  private final int torn;
  private final int rounds;
  private final int[] parallelisms;
  private final boolean serve;
  private final boolean list;
  private final Map<String, List<Double>> figures = new LinkedHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private StartupBenchmark(Map<String, String> options) {
    String defaultDir =
        System.getProperty("runjournal.bench.dir", System.getProperty("java.io.tmpdir"));
    this.dir = Path.of(options.getOrDefault("dir", defaultDir + "/runjournal-b6")).toAbsolutePath();
    this.runs = Integer.parseInt(options.getOrDefault("runs", "100000"));
    this.active = Integer.parseInt(options.getOrDefault("active", "1000"));
    this.events = Integer.parseInt(options.getOrDefault("events", "20"));
    this.torn = Integer.parseInt(options.getOrDefault("torn", "10"));
    this.rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
    this.parallelisms =
        Arrays.stream(options.getOrDefault("parallelism", "1,8,64,256").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    this.serve = !options.containsKey("no-serve");
    this.list = !options.containsKey("no-list");
    if (active < 1 || active > runs || torn > active || events < 4) {
      throw new IllegalArgumentException(
          "need 1 <= active <= runs, torn <= active, events >= 4: " + options);
    }
  }

  /** Runs B6; see the class comment for the options. */
  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("--recover-once")) {
      recoverOnce(Path.of(args[1]), Integer.parseInt(args[2]));
      return;
    }
    Map<String, String> options = new TreeMap<>();
    for (int n = 0; n < args.length; n++) {
      if (!args[n].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + args[n]);
      }
      String name = args[n].substring(2);
      boolean flag = name.startsWith("no-");
      options.put(name, flag ? "" : args[++n]);
    }
    StartupBenchmark benchmark = new StartupBenchmark(options);
    String report = benchmark.run();
    System.out.println(report);
    if (options.containsKey("out")) {
      Files.writeString(Path.of(options.get("out")), report);
    }
  }

  private String run() throws Exception {
    prepare();
    for (int round = 1; round <= rounds; round++) {
      System.err.printf("round %d of %d%n", round, rounds);
      for (int parallelism : parallelisms) {
        restore();
        recoverInProcess(parallelism);
      }
      restore();
      recoverInFreshJvm(RecoveryOptions.DEFAULT_PARALLELISM);
      if (serve) {
        restore();
        serveAndList(/* recovery= */ false);
        restore();
        serveAndList(/* recovery= */ true);
      }
    }
    return summary();
  }

  // ------------------------------------------------------------------ measurements

  private void recoverInProcess(int parallelism) {
    long start = System.nanoTime();
    RecoveryReport report;
    try (Journal journal = Journal.open(dir)) {
      RunProjections projections = new RunProjections(journal, new FileSnapshots(dir), 4096);
      report =
          new Recovery(
                  journal, projections, RecoveryOptions.defaults().withParallelism(parallelism))
              .run();
    }
    double took = millisSince(start);
    check(report);
    record("in-process open + recovery, parallelism " + parallelism + " (ms)", took);
  }

  /**
   * {@code Journal.open} + recovery alone, in a JVM of its own: the start-up cost without the
   * server's, and with the JIT as cold as at a real start.
   */
  private void recoverInFreshJvm(int parallelism) throws Exception {
    Process child =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                StartupBenchmark.class.getName(),
                "--recover-once",
                dir.toString(),
                Integer.toString(parallelism))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (child.waitFor() != 0 || !out.startsWith("ms=")) {
      throw new IllegalStateException("the fresh-JVM recovery failed: " + out);
    }
    record(
        "fresh JVM: open + recovery, parallelism " + parallelism + " (ms)",
        Double.parseDouble(out.substring(3)));
  }

  /** The child of {@link #recoverInFreshJvm}: prints {@code ms=<open + recovery>}. */
  private static void recoverOnce(Path dataDir, int parallelism) {
    long start = System.nanoTime();
    try (Journal journal = Journal.open(dataDir)) {
      RunProjections projections = new RunProjections(journal, new FileSnapshots(dataDir), 4096);
      RecoveryReport report =
          new Recovery(
                  journal, projections, RecoveryOptions.defaults().withParallelism(parallelism))
              .run();
      if (!report.ok()) {
        throw new IllegalStateException(report.summary());
      }
    }
    System.out.printf(Locale.ROOT, "ms=%.1f%n", millisSince(start));
  }

  private void check(RecoveryReport report) {
    if (report.recovered().size() != active
        || report.runsRepaired() != torn
        || !report.failures().isEmpty()) {
      throw new IllegalStateException("unexpected recovery: " + report.summary());
    }
  }

  private void serveAndList(boolean recovery) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.addAll(List.of("io.runjournal.server.cli.Main", "serve", "--data", dir.toString()));
    command.addAll(List.of("--port", "0"));
    if (!recovery) {
      command.add("--no-recovery");
    }
    long start = System.nanoTime();
    Process child =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    try {
      URI base = awaitServing(child);
      double ready = millisSince(start);
      if (get(base, "/readyz").statusCode() != 200) {
        throw new IllegalStateException("serve printed its address before it was ready");
      }
      String label = recovery ? "serve: process start to ready (ms)" : "serve --no-recovery (ms)";
      record(label, ready);
      if (recovery) {
        JsonNode status = JSON.readTree(get(base, "/v1/recovery").body());
        record("serve: recovery tookMs (report)", status.path("report").path("tookMs").asDouble());
        if (list) {
          listAll(base, "id", "first");
          listAll(base, "id", "second");
          listAll(base, "recent", "first");
          listAll(base, "recent", "second");
        }
      }
    } finally {
      child.destroy();
      if (!child.waitFor(60, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }
  }

  private static URI awaitServing(Process child) throws IOException, InterruptedException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      Matcher matcher = SERVING.matcher(line);
      if (matcher.find()) {
        Thread.ofVirtual().start(() -> out.lines().forEach(rest -> {}));
        return URI.create(matcher.group(1));
      }
    }
    throw new IllegalStateException("serve exited with " + child.waitFor() + " without serving");
  }

  /** Pages through every run; records the whole pass and its first page. */
  private void listAll(URI base, String order, String pass) throws Exception {
    long start = System.nanoTime();
    double firstPage = -1;
    int listed = 0;
    int pages = 0;
    String cursor = null;
    do {
      String path =
          "/v1/runs?limit=1000&order=" + order + (cursor == null ? "" : "&cursor=" + cursor);
      HttpResponse<String> response = get(base, path);
      if (response.statusCode() != 200) {
        throw new IllegalStateException(path + " answered " + response.statusCode());
      }
      JsonNode page = JSON.readTree(response.body());
      listed += page.path("runs").size();
      pages++;
      if (firstPage < 0) {
        firstPage = millisSince(start);
      }
      cursor = page.path("next").isTextual() ? page.path("next").asText() : null;
    } while (cursor != null);
    double took = millisSince(start);
    if (listed != runs) {
      throw new IllegalStateException("listed " + listed + " runs of " + runs + " (" + order + ")");
    }
    String what = "list " + runs + " runs, order=" + order + ", " + pass + " pass";
    record(what + ", " + pages + " pages (ms)", took);
    record(what + ", first page (ms)", firstPage);
  }

  private HttpResponse<String> get(URI base, String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(10)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private void record(String what, double value) {
    figures.computeIfAbsent(what, ignored -> new ArrayList<>()).add(value);
    System.err.printf(Locale.ROOT, "  %-70s %10.1f%n", what, value);
  }

  private static double millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }

  private String summary() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "B6: %,d runs, %,d active (%d with a torn tail), %d events per run, %d round(s);"
                + " data in %s%n%n",
            runs,
            active,
            torn,
            events,
            rounds,
            dir));
    out.append("| measurement | median | min | max |\n|---|---:|---:|---:|\n");
    figures.forEach(
        (what, values) -> {
          List<Double> sorted = values.stream().sorted().toList();
          out.append(
              String.format(
                  Locale.ROOT,
                  "| %s | %,.0f | %,.0f | %,.0f |%n",
                  what,
                  sorted.get(sorted.size() / 2),
                  sorted.getFirst(),
                  sorted.getLast()));
        });
    return out.toString();
  }

  // ------------------------------------------------------------------ the data directory

  private Path pristine() {
    return dir.resolve("b6-pristine");
  }

  private Path stamp() {
    return dir.resolve("b6.properties");
  }

  private Properties sizes() {
    Properties sizes = new Properties();
    sizes.setProperty("runs", Integer.toString(runs));
    sizes.setProperty("active", Integer.toString(active));
    sizes.setProperty("events", Integer.toString(events));
    sizes.setProperty("torn", Integer.toString(torn));
    return sizes;
  }

  /** Generates the directory unless one with the same sizes is there. */
  private void prepare() throws IOException {
    if (Files.exists(stamp())) {
      Properties existing = new Properties();
      try (var in = Files.newInputStream(stamp())) {
        existing.load(in);
      }
      if (existing.equals(sizes())) {
        System.err.println("using the existing data in " + dir);
        return;
      }
    }
    TempDirs.delete(dir);
    Files.createDirectories(dir);
    long start = System.nanoTime();
    generate();
    System.err.printf(Locale.ROOT, "generated %s in %.1f s%n", dir, millisSince(start) / 1000);
    try (var out = Files.newOutputStream(stamp())) {
      sizes().store(out, "B6 data directory; delete it to regenerate");
    }
  }

  private String runId(int n) {
    return String.format(Locale.ROOT, "run-%06d", n);
  }

  private boolean isActive(int n) {
    return n % (runs / active) == 0 && n / (runs / active) < active;
  }

  /**
   * Every run: {@code run.created}, then its work, then {@code run.completed}; an active run stops
   * short, with a snapshot two events behind its journal (a crash within the server's 1 s flush)
   * and, for the first {@code torn} of them, half a line at the end.
   */
  private void generate() throws IOException {
    SettableClock clock = new SettableClock();
    List<String> activeRuns = new ArrayList<>();
    JournalOptions options = JournalOptions.defaults().withFsync(FsyncPolicy.NONE).withClock(clock);
    try (Journal journal = Journal.open(dir, options)) {
      RunProjections projections = new RunProjections(journal, new UnsyncedSnapshots(dir), 16);
      for (int n = 0; n < runs; n++) {
        String run = runId(n);
        clock.set(BASE.toEpochMilli() + n * 25_000L);
        journal.append(
            run, NewEvent.of("run.created").withMeta("{\"agent\":\"b6\",\"n\":" + n + "}"));
        clock.advance(1_000);
        List<NewEvent> work = new ArrayList<>();
        work.add(NewEvent.of("run.started", "{\"goal\":\"benchmark\"}"));
        for (int step = 0; step < events - 4; step++) {
          work.add(
              NewEvent.of(
                      "node.output",
                      "{\"node\":\"step-" + step + "\",\"tokens\":" + (100 + step) + "}")
                  .withMeta("{\"agent\":\"worker-" + (step % 3) + "\"}"));
        }
        journal.append(run, AppendRequest.of(work));
        projections.appended(run);
        clock.advance(5_000);
        if (isActive(n)) {
          projections.flush(run);
          journal.append(
              run,
              AppendRequest.of(
                  NewEvent.of("progress.reported", "{\"completed\":3,\"total\":5}"),
                  NewEvent.of("node.output", "{\"node\":\"late\"}")));
          activeRuns.add(run);
        } else {
          journal.append(
              run,
              AppendRequest.of(
                  NewEvent.of("progress.reported", "{\"completed\":5,\"total\":5}"),
                  NewEvent.of("run.completed", "{\"ok\":true}")));
          projections.flush(run);
        }
      }
    }
    for (int n = 0; n < torn; n++) {
      Files.writeString(
          journal(activeRuns.get(n)),
          "{\"seq\":99,\"ts\":\"2026-11-21T10:15:30.123Z\",\"run\":\"" + activeRuns.get(n) + "\",",
          StandardOpenOption.APPEND);
    }
    Files.createDirectories(pristine());
    for (String run : activeRuns) {
      copyDirectory(dir.resolve("runs").resolve(run), pristine().resolve(run));
    }
  }

  /** Puts the active runs back as the crash left them, markers included. */
  private void restore() throws IOException {
    try (var saved = Files.list(pristine())) {
      for (Path copy : saved.toList()) {
        String run = copy.getFileName().toString();
        Path target = dir.resolve("runs").resolve(run);
        TempDirs.delete(target);
        copyDirectory(copy, target);
        Path marker = dir.resolve("active").resolve(run);
        if (!Files.exists(marker)) {
          Files.createFile(marker);
        }
      }
    }
  }

  private Path journal(String run) {
    return dir.resolve("runs").resolve(run).resolve("events.jsonl");
  }

  private static void copyDirectory(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path file : files.toList()) {
        Files.copy(
            file, to.resolve(file.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** Snapshots in the format of {@link FileSnapshots}, written without a sync: for generating. */
  private static final class UnsyncedSnapshots implements RunProjections.Snapshots {
    private final FileSnapshots files;

    UnsyncedSnapshots(Path dataDir) {
      this.files = new FileSnapshots(dataDir);
    }

    @Override
    public Optional<RunProjections.Snapshot> load(String run) {
      return files.load(run);
    }

    @Override
    public void save(RunProjections.Snapshot snapshot) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
      try (JsonGenerator gen = JSON.createGenerator(out)) {
        gen.writeStartObject();
        gen.writeStringField("format", FileSnapshots.FORMAT);
        gen.writeNumberField("journalBytes", snapshot.journalBytes());
        gen.writeFieldName("projection");
        snapshot.projection().writeJson(gen, true);
        gen.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      out.write('\n');
      try {
        Files.write(files.file(snapshot.projection().run()), out.toByteArray());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The generator's clock: each run's events get their own times. */
  private static final class SettableClock extends Clock {
    private final AtomicLong millis = new AtomicLong();

    void set(long epochMillis) {
      millis.set(epochMillis);
    }

    void advance(long by) {
      millis.addAndGet(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long millis() {
      return millis.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }
  }
}
