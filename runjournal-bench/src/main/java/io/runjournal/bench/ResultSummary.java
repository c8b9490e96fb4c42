package io.runjournal.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the summary of a benchmark run from the JMH JSON files that {@code run-benchmarks.sh}
 * writes ({@code b1.json}, {@code b2.json}, {@code b3.json}, and optionally {@code breakdown.json}
 * and {@code group-commit.json}): markdown tables of each figure beside its baseline, and whether
 * each target of the issue is met.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.runjournal.bench.ResultSummary RESULTS_DIR}
 */
public final class ResultSummary {
  private static final String PREFIX = "io.runjournal.bench.";

  private final Map<String, Result> results = new LinkedHashMap<>();
  private final List<String> verdicts = new ArrayList<>();
  private final PrintStream out;

  private ResultSummary(PrintStream out) {
    this.out = out;
  }

  /** One benchmark's score (and its secondary metrics), keyed by "Class.method[:param]". */
  private record Result(
      double score,
      double error,
      String unit,
      Map<String, Double> secondary,
      Map<String, Double> percentiles) {}

  /** Reads the results in {@code args[0]} and prints the summary. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: ResultSummary RESULTS_DIR");
      System.exit(2);
    }
    ResultSummary summary = new ResultSummary(System.out);
    Path dir = Path.of(args[0]);
    for (String file :
        List.of(
            "b1.json",
            "b2.json",
            "b3.json",
            "breakdown.json",
            "group-commit.json",
            "b7.json",
            "b8.json")) {
      Path path = dir.resolve(file);
      if (Files.isRegularFile(path) && Files.size(path) > 0) {
        summary.load(path);
      }
    }
    summary.print();
  }

  private void load(Path path) throws IOException {
    for (JsonNode run : new ObjectMapper().readTree(path.toFile())) {
      String name = run.path("benchmark").asText().replace(PREFIX, "");
      JsonNode params = run.path("params");
      if (params.isObject()) {
        StringBuilder key = new StringBuilder(name);
        params.properties().forEach(param -> key.append(':').append(param.getValue().asText()));
        name = key.toString();
      }
      JsonNode primary = run.path("primaryMetric");
      Map<String, Double> secondary = new LinkedHashMap<>();
      run.path("secondaryMetrics")
          .properties()
          .forEach(
              metric -> secondary.put(metric.getKey(), metric.getValue().path("score").asDouble()));
      Map<String, Double> percentiles = new LinkedHashMap<>();
      primary
          .path("scorePercentiles")
          .properties()
          .forEach(entry -> percentiles.put(entry.getKey(), entry.getValue().asDouble()));
      results.put(
          name,
          new Result(
              primary.path("score").asDouble(),
              primary.path("scoreError").asDouble(Double.NaN),
              primary.path("scoreUnit").asText(),
              secondary,
              percentiles));
    }
  }

  private void print() {
    printAppend();
    printDurable();
    printReplay();
    printBreakdown();
    printGroupCommit();
    printLogging();
    printPostgres();
    if (!verdicts.isEmpty()) {
      out.println("## Targets");
      out.println();
      verdicts.forEach(verdict -> out.println("- " + verdict));
      out.println();
    }
  }

  private void printAppend() {
    Result journal = results.get("AppendBenchmark.journalAppendNone");
    Result raw = results.get("AppendBenchmark.rawChannelWrite");
    if (journal == null && raw == null) {
      return;
    }
    out.println("## B1 page-cache append (fsync none, 1 writer, 300-byte events)");
    out.println();
    out.println("| benchmark | events/s | ± (99.9%) | journal ÷ this |");
    out.println("|---|---:|---:|---:|");
    for (String method :
        List.of(
            "journalAppendNone",
            "rawChannelWrite",
            "openAppendClose",
            "lockWriteFlush",
            "lockWriteFlushHeld")) {
      Result result = results.get("AppendBenchmark." + method);
      if (result != null) {
        out.printf(
            Locale.ROOT,
            "| %s | %s | %s | %s |%n",
            method,
            count(result.score()),
            count(result.error()),
            journal == null ? "" : ratio(journal.score() / result.score()));
      }
    }
    out.println();
    if (journal != null && raw != null) {
      double ratio = journal.score() / raw.score();
      verdicts.add(
          verdict(
              ratio >= 0.5 && journal.score() >= 300_000,
              String.format(
                  Locale.ROOT,
                  "B1: journal %s events/s = %s of raw write (target >= 0.50x and >= 300,000/s)",
                  count(journal.score()),
                  ratio(ratio))));
    }
  }

  private void printDurable() {
    Result one = results.get("DurableAppendBenchmark.journalAppendAlways1");
    Result many = results.get("DurableAppendBenchmark.journalAppendAlways64");
    Result raw = results.get("DurableAppendBenchmark.rawFdatasync");
    if (one == null && many == null && raw == null) {
      return;
    }
    out.println("## B2 durable append (fsync always), writers on ONE run");
    out.println();
    out.println(
        "(journalAppendAlwaysN: N JMH platform threads; ...Virtual: N virtual threads started per"
            + " invocation, each making "
            + DurableAppendBenchmark.VIRTUAL_APPENDS
            + " appends.)");
    out.println();
    out.println(
        "| benchmark | events/s | ± (99.9%) | fdatasync/s | mean batch (events/fdatasync) |");
    out.println("|---|---:|---:|---:|---:|");
    for (String method :
        List.of(
            "journalAppendAlways1",
            "journalAppendAlways8",
            "journalAppendAlways64",
            "journalAppendAlways1Virtual",
            "journalAppendAlways64Virtual",
            "rawFdatasync",
            "rawFdatasyncBatch")) {
      Result result = results.get("DurableAppendBenchmark." + method);
      if (result != null) {
        Double fsyncs =
            method.startsWith("rawFdatasync") ? result.score() : result.secondary().get("fsyncs");
        out.printf(
            Locale.ROOT,
            "| %s | %s | %s | %s | %s |%n",
            method,
            count(result.score()),
            count(result.error()),
            fsyncs == null ? "" : count(fsyncs),
            method.equals("rawFdatasyncBatch")
                ? decimal(DurableAppendBenchmark.RAW_BATCH_LINES)
                : fsyncs == null || fsyncs == 0 ? "" : decimal(result.score() / fsyncs));
      }
    }
    out.println();
    out.println(
        "(rawFdatasyncBatch: ops/s are fdatasync/s of "
            + DurableAppendBenchmark.RAW_BATCH_LINES
            + "-line writes; a diagnostic, not a baseline.)");
    out.println();
    durableVerdicts("platform", one, many, raw);
    Result oneVirtual = results.get("DurableAppendBenchmark.journalAppendAlways1Virtual");
    Result manyVirtual = results.get("DurableAppendBenchmark.journalAppendAlways64Virtual");
    durableVerdicts("virtual", oneVirtual == null ? one : oneVirtual, manyVirtual, raw);
  }

  /** The two B2 targets for 64 writers of one kind (platform or virtual threads). */
  private void durableVerdicts(String writers, Result one, Result many, Result raw) {
    if (one != null && many != null) {
      double scaling = many.score() / one.score();
      verdicts.add(
          verdict(
              scaling >= 20,
              String.format(
                  Locale.ROOT,
                  "B2 (%s threads): 64 writers %s events/s = %s the 1-writer rate %s (target >="
                      + " 20x)",
                  writers,
                  count(many.score()),
                  ratio(scaling),
                  count(one.score()))));
    }
    Double fsyncs = many == null ? null : many.secondary().get("fsyncs");
    if (many != null && raw != null && fsyncs != null && fsyncs > 0) {
      double batch = many.score() / fsyncs;
      double ceiling = raw.score() * batch;
      verdicts.add(
          verdict(
              many.score() >= 0.8 * ceiling,
              String.format(
                  Locale.ROOT,
                  "B2 (%s threads): 64 writers %s events/s = %s of fdatasync/s %s x mean batch %s"
                      + " = %s (target >= 0.80x)",
                  writers,
                  count(many.score()),
                  ratio(many.score() / ceiling),
                  count(raw.score()),
                  decimal(batch),
                  count(ceiling))));
    }
  }

  private void printReplay() {
    Result replay = results.get("ReplayBenchmark.replayAll");
    Result resume = results.get("ReplayBenchmark.resumeRead100");
    Result append = results.get("AppendBenchmark.journalAppendNone");
    if (replay == null && resume == null) {
      return;
    }
    out.println("## B3 replay of a 1,000,000-event run");
    out.println();
    out.println("| benchmark | score | ± (99.9%) | unit |");
    out.println("|---|---:|---:|---|");
    if (replay != null) {
      out.printf(
          Locale.ROOT,
          "| replayAll (pages of 1000) | %s | %s | events/s |%n",
          count(replay.score()),
          count(replay.error()));
    }
    if (append != null) {
      out.printf(
          Locale.ROOT,
          "| B1 journalAppendNone (baseline) | %s | %s | events/s |%n",
          count(append.score()),
          count(append.error()));
    }
    if (resume != null) {
      out.printf(
          Locale.ROOT,
          "| resumeRead100 (after 999,900) | %s | %s | %s |%n",
          decimal(resume.score()),
          decimal(resume.error()),
          resume.unit());
    }
    Result middle = results.get("ReplayBenchmark.resumeRead100AtMiddle");
    if (middle != null) {
      out.printf(
          Locale.ROOT,
          "| resumeRead100AtMiddle (after 500,000; diagnostic) | %s | %s | %s |%n",
          decimal(middle.score()),
          decimal(middle.error()),
          middle.unit());
    }
    out.println();
    if (replay != null && append != null) {
      double ratio = replay.score() / append.score();
      verdicts.add(
          verdict(
              ratio >= 1.5,
              String.format(
                  Locale.ROOT,
                  "B3: replay %s events/s = %s B1's journal rate (target >= 1.5x)",
                  count(replay.score()),
                  ratio(ratio))));
    }
    if (resume != null) {
      double millis = toMillis(resume.score(), resume.unit());
      verdicts.add(
          verdict(
              millis <= 2.0,
              String.format(
                  Locale.ROOT,
                  "B3: resume read of 100 events after 999,900 takes %.3f ms (target <= 2 ms)",
                  millis)));
    }
  }

  private void printBreakdown() {
    List<Map.Entry<String, Result>> steps =
        results.entrySet().stream()
            .filter(e -> e.getKey().startsWith("BreakdownBenchmark."))
            .toList();
    if (steps.isEmpty()) {
      return;
    }
    out.println("## Breakdown of one append (each step alone)");
    out.println();
    out.println("| step | ns/op | ± (99.9%) | B/op allocated |");
    out.println("|---|---:|---:|---:|");
    for (Map.Entry<String, Result> step : steps) {
      Double allocated = step.getValue().secondary().get("gc.alloc.rate.norm");
      out.printf(
          Locale.ROOT,
          "| %s | %s | %s | %s |%n",
          step.getKey().substring("BreakdownBenchmark.".length()),
          decimal(step.getValue().score()),
          decimal(step.getValue().error()),
          allocated == null ? "" : count(allocated));
    }
    out.println();
  }

  private void printGroupCommit() {
    List<Map.Entry<String, Result>> models =
        results.entrySet().stream()
            .filter(e -> e.getKey().startsWith("GroupCommitBenchmark."))
            .toList();
    if (models.isEmpty()) {
      return;
    }
    out.println("## Group-commit model (64 writers, one file, no journal)");
    out.println();
    out.println("| protocol | lines/s | ± (99.9%) | fdatasync/s | mean batch |");
    out.println("|---|---:|---:|---:|---:|");
    for (Map.Entry<String, Result> model : models) {
      String name = model.getKey();
      Result result = model.getValue();
      Double fsyncs = result.secondary().get("fsyncs");
      out.printf(
          Locale.ROOT,
          "| %s | %s | %s | %s | %s |%n",
          name.substring(name.lastIndexOf(':') + 1),
          count(result.score()),
          count(result.error()),
          fsyncs == null ? "" : count(fsyncs),
          fsyncs == null || fsyncs == 0 ? "" : decimal(result.score() / fsyncs));
    }
    out.println();
  }

  private void printPostgres() {
    Result journal = results.get("PgAppendBenchmark.journalAppendBatch");
    Result copy = results.get("PgAppendBenchmark.copyBinary");
    if (journal == null || copy == null) {
      return;
    }
    out.println(
        "## B8 PostgreSQL: batched appends vs COPY BINARY (batches of 100, 300-byte events)");
    out.println();
    out.println("| benchmark | events/s | ± (99.9%) |");
    out.println("|---|---:|---:|");
    out.printf(
        Locale.ROOT,
        "| journalAppendBatch | %s | %s |%n",
        count(journal.score()),
        count(journal.error()));
    out.printf(Locale.ROOT, "| copyBinary | %s | %s |%n", count(copy.score()), count(copy.error()));
    out.println();
    double ratio = journal.score() / copy.score();
    verdicts.add(
        verdict(
            ratio >= 0.3,
            String.format(
                Locale.ROOT,
                "B8: batched appends %s events/s = %s of COPY BINARY %s (target >= 0.30x)",
                count(journal.score()),
                ratio(ratio),
                count(copy.score()))));
  }

  private void printLogging() {
    List<String> names =
        List.of(
            "LoggingBenchmark.runjournalInfo:healthy",
            "LoggingBenchmark.runjournalInfo:stuck",
            "LoggingBenchmark.runjournalInfo:full",
            "LoggingBenchmark.logbackAsyncInfo");
    if (names.stream().noneMatch(results::containsKey)) {
      return;
    }
    out.println("## B7 Logger.info with 4 attributes into the file sink (1 thread, ns per call)");
    out.println();
    out.println("| benchmark | p50 | p90 | p99 | p99.9 | p99.99 | max |");
    out.println("|---|---:|---:|---:|---:|---:|---:|");
    for (String name : names) {
      Result result = results.get(name);
      if (result != null) {
        Map<String, Double> p = result.percentiles();
        out.printf(
            Locale.ROOT,
            "| %s | %s | %s | %s | %s | %s | %s |%n",
            name.replace("LoggingBenchmark.", ""),
            count(p.getOrDefault("50.0", Double.NaN)),
            count(p.getOrDefault("90.0", Double.NaN)),
            count(p.getOrDefault("99.0", Double.NaN)),
            count(p.getOrDefault("99.9", Double.NaN)),
            count(p.getOrDefault("99.99", Double.NaN)),
            count(p.getOrDefault("100.0", Double.NaN)));
      }
    }
    out.println();
    Result healthy = results.get(names.get(0));
    if (healthy != null) {
      double median = healthy.percentiles().getOrDefault("50.0", Double.NaN);
      verdicts.add(
          verdict(
              median <= 2_000,
              String.format(
                  Locale.ROOT,
                  "B7: Logger.info median %s ns into the file sink (target <= 2,000 ns)",
                  count(median))));
    }
    // A caller that blocked on the stuck disk would wait for the whole trial; one that waited for
    // a failing write would take a syscall per call. So: the same distribution as the healthy
    // disk (p99.9 within 2x) and no call near the length of an iteration.
    for (String disk : List.of("stuck", "full")) {
      Result broken = results.get("LoggingBenchmark.runjournalInfo:" + disk);
      if (broken != null && healthy != null) {
        double max = broken.percentiles().getOrDefault("100.0", Double.NaN);
        double p999 = broken.percentiles().getOrDefault("99.9", Double.NaN);
        double healthyP999 = healthy.percentiles().getOrDefault("99.9", Double.NaN);
        verdicts.add(
            verdict(
                p999 <= 2 * healthyP999 && max < 100_000_000,
                String.format(
                    Locale.ROOT,
                    "B7: a %s disk does not block the caller: p99.9 %s ns (healthy disk %s ns),"
                        + " max %s ms (target: p99.9 within 2x of the healthy disk's, max < 100 ms)",
                    disk,
                    count(p999),
                    count(healthyP999),
                    decimal(max / 1e6))));
      }
    }
  }

  private static double toMillis(double value, String unit) {
    return switch (unit) {
      case "ns/op" -> value / 1e6;
      case "us/op" -> value / 1e3;
      case "ms/op" -> value;
      case "s/op" -> value * 1e3;
      default -> Double.NaN;
    };
  }

  private static String verdict(boolean met, String text) {
    return (met ? "MET    " : "MISSED ") + text;
  }

  private static String count(double value) {
    return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%,.0f", value);
  }

  private static String decimal(double value) {
    return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%,.2f", value);
  }

  private static String ratio(double value) {
    return String.format(Locale.ROOT, "%.2fx", value);
  }
}
