package io.runjournal.server.cli;

import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.RunJournalException;
import io.runjournal.server.store.RunMigration;
import io.runjournal.server.store.StoreLocation;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code runjournal migrate --from SRC --to DST}: copies runs between stores (a data directory or a
 * PostgreSQL URL on either side), byte for byte, resuming where an earlier run stopped. The work is
 * {@link RunMigration}'s; this parses, opens both stores, prints and sums up.
 */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Copies runs from one store to another: a data directory or a PostgreSQL URL.",
      "",
      "Every event keeps its seq, ts, id, data and meta: the destination's journal",
      "lines are byte for byte the source's. Each run is copied all or nothing. A run",
      "the destination already holds (same heads, same last event) is skipped, so a",
      "migration that was interrupted resumes when run again. A destination run that",
      "holds other events is reported and left alone; the others are still copied,",
      "and the exit status is 3. Prints one line per copied run and a summary."
    },
    footer = {
      "%nExamples:",
      "  runjournal migrate --from ./data --to postgresql://journal@db:5432/runjournal",
      "  runjournal migrate --from postgresql://journal@db/runjournal --to /backup/data",
      "  runjournal migrate --from ./data --to postgresql://db/runjournal pipe-01 pipe-02"
    })
final class MigrateCommand implements Callable<Integer> {
  /**
   * The destination takes events of any size: each was within the source's limit when it was
   * appended there (a server may run with a larger {@code --max-event-bytes} than the default).
   */
  private static final JournalOptions ANY_EVENT_SIZE =
      JournalOptions.defaults().withMaxEventBytes(Integer.MAX_VALUE);

  @Spec CommandSpec spec;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "SRC",
      description = "The source: a data directory or postgresql://user:password@host:port/db.")
  String from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "DST",
      description = "The destination: a data directory or a PostgreSQL URL (migrated first).")
  String to;

  @Parameters(
      paramLabel = "RUN",
      arity = "0..*",
      description = "Only these runs (default: every run of the source).")
  List<String> runs;

  private final CliContext context;

  MigrateCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    StoreLocation source = location("--from", from);
    StoreLocation destination = location("--to", to);
    if (source.sameAs(destination)) {
      throw new ParameterException(
          spec.commandLine(), "--from and --to are the same store: " + source);
    }
    if (!source.postgres() && !Files.isDirectory(source.dataDir())) {
      throw new RunJournalException(
          "not-found", "the source data directory " + source + " does not exist");
    }
    try (Journal sourceJournal = source.open(JournalOptions.defaults());
        Journal destinationJournal = destination.open(ANY_EVENT_SIZE)) {
      RunMigration migration = new RunMigration(sourceJournal, destinationJournal);
      List<String> selected = runs == null || runs.isEmpty() ? sourceJournal.listRuns() : runs;
      Totals totals = new Totals();
      try (Progress progress = Progress.start("migrate")) {
        progress.total(selected.size());
        for (String run : selected) {
          report(migration.copy(run), totals, progress);
          progress.step();
        }
      }
      context
          .out()
          .print(totals.summary(selected.size(), source.toString(), destination.toString()) + "\n");
      context.out().flush();
      return totals.exitCode();
    }
  }

  private StoreLocation location(String option, String text) {
    try {
      return StoreLocation.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage(), e);
    }
  }

  private void report(RunMigration.Outcome outcome, Totals totals, Progress progress) {
    switch (outcome.kind()) {
      case COPIED -> {
        totals.copied++;
        totals.events += outcome.events();
        progress.println(
            context.out(),
            "copied "
                + outcome.run()
                + " ("
                + outcome.events()
                + (outcome.events() == 1 ? " event)" : " events)"));
      }
      case SKIPPED -> totals.skipped++;
      case CONFLICT, FAILED -> {
        if (outcome.kind() == RunMigration.Kind.CONFLICT) {
          totals.conflicts++;
        } else {
          totals.failed++;
          if (totals.firstFailureCode == null) {
            totals.firstFailureCode = outcome.code();
          }
        }
        context.out().flush();
        context.err().println("runjournal: " + outcome.code() + ": " + outcome.detail());
        context.err().flush();
      }
    }
  }

  /** What the migration did. */
  private static final class Totals {
    int copied;
    int skipped;
    int conflicts;
    int failed;
    long events;
    String firstFailureCode;

    String summary(int runs, String source, String destination) {
      return "migrated "
          + runs
          + (runs == 1 ? " run" : " runs")
          + " from "
          + source
          + " to "
          + destination
          + ": "
          + copied
          + " copied ("
          + events
          + " events), "
          + skipped
          + " skipped (already there), "
          + conflicts
          + " conflicting, "
          + failed
          + " failed";
    }

    /** 0 when every run is there; 3 when some were refused; else the first failure's status. */
    int exitCode() {
      if (conflicts > 0) {
        return ExitCodes.REFUSED;
      }
      if (failed > 0) {
        return firstFailureCode == null
            ? ExitCodes.PROBLEMS
            : ExitCodes.forErrorCode(firstFailureCode);
      }
      return ExitCodes.OK;
    }
  }
}
