package io.runjournal.server.cli;

import io.runjournal.Journal;
import io.runjournal.RepairReport;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code runjournal repair}: moves the torn tail of the named runs (or all runs) to {@code
 * events.jsonl.torn}, under the journal's file lock, so it is safe beside running writers.
 */
@Command(
    name = "repair",
    description = {
      "Moves torn tails out of journals.",
      "",
      "A torn tail is the bytes after the last newline: a write that was never",
      "acknowledged. They move to events.jsonl.torn and the journal is cut back",
      "to its last complete line, under the journal's file lock. Malformed",
      "complete lines stay: 'verify' lists them."
    })
final class RepairCommand extends JournalCommand {
  @Parameters(arity = "0..*", paramLabel = "RUN", description = "Run ids (default: every run).")
  private List<String> runs;

  RepairCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(Journal journal) {
    List<String> selected = runsOrAll(journal, runs);
    if (selected.isEmpty()) {
      out().print("no runs in " + dataDir() + "\n");
    }
    for (String run : selected) {
      RepairReport report = journal.repair(run);
      if (report.tornBytes() > 0) {
        out()
            .print(
                run
                    + ": moved "
                    + report.tornBytes()
                    + " torn bytes from "
                    + report.path()
                    + " to "
                    + report.path().resolveSibling("events.jsonl.torn")
                    + "\n");
      } else {
        out().print(run + ": ok, nothing to repair\n");
      }
    }
    return ExitCodes.OK;
  }
}
