package io.runjournal.server.cli;

import io.runjournal.ArchiveReport;
import io.runjournal.Journal;
import io.runjournal.RunJournalException;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code runjournal gc}: deletes (or archives) finished runs whose last event is older than a
 * cutoff. Never touches a run that has not ended or is marked active: the selection skips them, and
 * the journal checks again under the run's locks, so a run a producer is still writing to is safe.
 */
@Command(
    name = "gc",
    description = {
      "Deletes or archives finished runs older than a cutoff.",
      "",
      "Selects runs that have ended (a terminal event) and are not marked active,",
      "whose last event is older than --older-than, optionally only of the given",
      "statuses, and deletes them (their directory) or, with --archive, compresses",
      "their journal to events.jsonl.gz, which every command still reads.",
      "Prints one line per run and a summary; --dry-run changes nothing."
    })
final class GcCommand extends JournalCommand {
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})([dhms])");

  @Option(
      names = "--older-than",
      required = true,
      paramLabel = "DURATION",
      description = "Age of the last event: 30d, 12h, 90m, 45s or ISO-8601 (P30D, PT12H).")
  private String olderThan;

  @Option(
      names = "--status",
      split = ",",
      paramLabel = "STATUS",
      description = "Only runs with these statuses: succeeded, failed, cancelled, interrupted.")
  private List<String> statuses;

  @Option(names = "--archive", description = "Archive (gzip, still readable) instead of deleting.")
  private boolean archive;

  @Option(names = "--dry-run", description = "Print what would be done; change nothing.")
  private boolean dryRun;

  private Duration age;

  GcCommand(CliContext context) {
    super(context);
  }

  @Override
  void validate() {
    age = age(olderThan);
    for (String status : statuses()) {
      if (!GcSelection.STATUSES.contains(status)) {
        throw usage(
            "--status: unknown status \""
                + status
                + "\": gc selects finished runs: succeeded, failed, cancelled, interrupted");
      }
    }
  }

  private Set<String> statuses() {
    return statuses == null ? Set.of() : new LinkedHashSet<>(statuses);
  }

  /** {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s}, or ISO-8601 such as {@code P30D}. */
  private Duration age(String text) {
    Matcher matcher = SHORT_DURATION.matcher(text.strip());
    Duration duration;
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      duration =
          switch (matcher.group(2)) {
            case "d" -> Duration.ofDays(amount);
            case "h" -> Duration.ofHours(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofSeconds(amount);
          };
    } else {
      try {
        duration = Duration.parse(text.strip().toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        duration = null;
      }
    }
    if (duration == null || duration.isNegative()) {
      throw usage(
          "--older-than: \""
              + text
              + "\" is not a duration (examples: 30d, 12h, 90m, 45s, P30D, PT12H)");
    }
    return duration;
  }

  @Override
  int run(Journal journal) {
    List<String> runs = runsOrAll(journal, List.of());
    GcSelection selection =
        new GcSelection(journal, Clock.systemUTC().instant().minus(age), statuses(), archive);
    Map<GcSelection.Kept, Integer> kept = new EnumMap<>(GcSelection.Kept.class);
    Totals totals = new Totals();
    int exitCode = ExitCodes.OK;
    try (Progress progress = Progress.start("gc")) {
      progress.total(runs.size());
      for (String run : runs) {
        try {
          GcSelection.Verdict verdict = selection.examine(run);
          if (verdict.selected()) {
            String line = dryRun ? plan(verdict, totals) : act(journal, verdict, totals);
            if (line != null) {
              progress.println(out(), line);
            }
          } else {
            kept.merge(verdict.kept(), 1, Integer::sum);
          }
        } catch (RunJournalException e) {
          out().flush();
          context.err().println("runjournal: " + e.code() + ": " + e.getMessage());
          context.err().flush();
          totals.failed++;
          if (exitCode == ExitCodes.OK) {
            exitCode = ExitCodes.forErrorCode(e.code());
          }
        }
        progress.step();
      }
    }
    out().print(summary(runs.size(), totals, kept) + "\n");
    return exitCode;
  }

  /** What gc did (or would do). */
  private static final class Totals {
    int done;
    int skipped;
    int failed;
    long journalBytes;
    long archiveBytes;
  }

  private String plan(GcSelection.Verdict verdict, Totals totals) {
    totals.done++;
    totals.journalBytes += verdict.journalBytes();
    return archive
        ? "would archive " + verdict.run() + " (" + verdict.journalBytes() + " bytes)"
        : "would delete " + verdict.run();
  }

  /** Deletes or archives one run; null (and a warning) when it turned active meanwhile. */
  private String act(Journal journal, GcSelection.Verdict verdict, Totals totals) {
    String run = verdict.run();
    try {
      if (archive) {
        ArchiveReport report = journal.archive(run);
        totals.done++;
        totals.journalBytes += report.journalBytes();
        totals.archiveBytes += report.archiveBytes();
        return "archived "
            + run
            + " ("
            + report.journalBytes()
            + " bytes → "
            + report.archiveBytes()
            + " bytes)";
      }
      if (!journal.delete(run)) {
        return skip(run, "it was deleted by another process", totals);
      }
      totals.done++;
      totals.journalBytes += verdict.journalBytes();
      return "deleted " + run;
    } catch (RunJournalException e) {
      if (e.code().equals("run-active") || e.code().equals("not-found")) {
        return skip(run, e.getMessage(), totals); // changed since it was examined
      }
      throw e;
    }
  }

  private String skip(String run, String why, Totals totals) {
    totals.skipped++;
    out().flush();
    context.err().println("runjournal: WARN: skipped " + run + ": " + why);
    context.err().flush();
    return null;
  }

  private String summary(int runs, Totals totals, Map<GcSelection.Kept, Integer> kept) {
    String verb =
        dryRun
            ? (archive ? "dry run: would archive " : "dry run: would delete ")
            : (archive ? "archived " : "deleted ");
    StringBuilder line =
        new StringBuilder(verb)
            .append(totals.done)
            .append(" of ")
            .append(runs)
            .append(runs == 1 ? " run" : " runs");
    if (archive && totals.done > 0) {
      line.append(" (").append(totals.journalBytes).append(" bytes");
      if (!dryRun) {
        line.append(" → ").append(totals.archiveBytes).append(" bytes");
      }
      line.append(')');
    }
    int keptCount = kept.values().stream().mapToInt(Integer::intValue).sum();
    if (keptCount > 0) {
      line.append("; kept ")
          .append(keptCount)
          .append(": ")
          .append(
              kept.entrySet().stream()
                  .map(
                      entry ->
                          entry.getValue()
                              + " "
                              + (entry.getKey() == GcSelection.Kept.NEWER
                                  ? "newer than " + olderThan
                                  : entry.getKey().description))
                  .collect(Collectors.joining(", ")));
    }
    if (totals.skipped > 0) {
      line.append("; skipped ").append(totals.skipped).append(" that changed meanwhile");
    }
    if (totals.failed > 0) {
      line.append("; ").append(totals.failed).append(" failed");
    }
    if (dryRun) {
      line.append("; nothing was changed");
    }
    return line.toString();
  }
}
