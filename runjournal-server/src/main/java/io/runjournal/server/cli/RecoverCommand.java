package io.runjournal.server.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runjournal.Journal;
import io.runjournal.RunJournalException;
import io.runjournal.projection.FileSnapshots;
import io.runjournal.projection.RunProjections;
import io.runjournal.recovery.Recovery;
import io.runjournal.recovery.RecoveryOptions;
import io.runjournal.recovery.RecoveryReport;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code runjournal recover}: the start-up recovery of {@code serve}, run offline on a data
 * directory (after a crash, before starting the server with {@code --no-recovery}, or to see what
 * it would find). Prints what it did per run, then the summary; exit 1 if it failed on a run.
 */
@Command(
    name = "recover",
    description = {
      "Recovers the runs that were active when the store went down.",
      "",
      "For each active run (<data>/active/<run>): moves a torn tail to",
      "events.jsonl.torn, appends run.recovered {head, tornBytes, downtimeMs},",
      "and saves its projection; with --interrupt-after, a run idle longer than",
      "that also gets run.interrupted, which ends it. Markers of runs that have",
      "ended or have no events are removed. 'serve' does the same at start-up."
    })
final class RecoverCommand extends JournalCommand {
  @Option(
      names = "--interrupt-after",
      paramLabel = "DURATION",
      description = "End runs idle longer than this with run.interrupted, e.g. 2h, 7d (never).")
  private String interruptAfter;

  @Option(
      names = "--json",
      description = "Print the report as one JSON object (the report of GET /v1/recovery).")
  private boolean json;

  private Duration idle;

  RecoverCommand(CliContext context) {
    super(context);
  }

  @Override
  void validate() {
    if (interruptAfter == null) {
      return;
    }
    try {
      idle = ServeCommand.duration(interruptAfter);
      RecoveryOptions.defaults().withInterruptAfter(idle);
    } catch (IllegalArgumentException e) {
      throw usage("--interrupt-after: " + e.getMessage());
    }
  }

  @Override
  int run(Journal journal) throws IOException {
    if (!Files.isDirectory(dataDir())) {
      throw new RunJournalException(
          "not-found",
          "data directory " + dataDir() + " does not exist (use --data DIR or $RUNJOURNAL_DATA)");
    }
    RunProjections projections = new RunProjections(journal, new FileSnapshots(dataDir()), 1024);
    Recovery recovery =
        new Recovery(journal, projections, RecoveryOptions.defaults().withInterruptAfter(idle));
    RecoveryReport report;
    try (Progress progress = Progress.start("recover")) {
      report =
          recovery.run(
              new Recovery.Listener() {
                @Override
                public void started(int activeRuns) {
                  progress.total(activeRuns);
                }

                @Override
                public void checked(String run) {
                  progress.step();
                }
              });
    }
    projections.flush();
    if (json) {
      out().print(toJson(report) + "\n");
    } else {
      perRun(report).forEach((run, outcome) -> out().print(run + ": " + outcome + "\n"));
      out().print(report.summary() + "\n");
    }
    return report.ok() ? ExitCodes.OK : ExitCodes.PROBLEMS;
  }

  /** What happened to each run, in run order. */
  private Map<String, String> perRun(RecoveryReport report) {
    Map<String, List<String>> lines = new TreeMap<>();
    for (RecoveryReport.Repaired repaired : report.repaired()) {
      lines
          .computeIfAbsent(repaired.run(), run -> new ArrayList<>())
          .add("moved " + repaired.tornBytes() + " torn bytes to events.jsonl.torn");
    }
    report.recovered().forEach(run -> add(lines, run, "recovered"));
    report
        .interrupted()
        .forEach(run -> add(lines, run, "interrupted (idle longer than " + interruptAfter + ")"));
    report
        .markersReleased()
        .forEach(run -> add(lines, run, "marker released (the run had ended or had no events)"));
    report.failures().forEach(failure -> add(lines, failure.run(), "FAILED: " + failure.reason()));
    Map<String, String> joined = new TreeMap<>();
    lines.forEach((run, parts) -> joined.put(run, String.join("; ", parts)));
    return joined;
  }

  private static void add(Map<String, List<String>> lines, String run, String part) {
    lines.computeIfAbsent(run, ignored -> new ArrayList<>()).add(part);
  }

  private static String toJson(RecoveryReport report) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator gen = new ObjectMapper().createGenerator(out)) {
      report.writeJson(gen);
    }
    return out.toString();
  }
}
