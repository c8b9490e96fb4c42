package io.runjournal.server.cli;

import io.runjournal.Journal;
import io.runjournal.VerifyReport;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code runjournal verify}: a strict check of every line of the named runs (or all runs). Prints
 * each problem as {@code path:line: reason}, the form editors and CI annotate, then one summary
 * line per run.
 */
@Command(
    name = "verify",
    description = {
      "Checks journals strictly, line by line.",
      "",
      "Prints 'PATH:LINE: REASON' for each malformed line and for a torn tail,",
      "then one summary line per run. Exits 1 if any run has a problem, else 0."
    })
final class VerifyCommand extends JournalCommand {
  @Parameters(arity = "0..*", paramLabel = "RUN", description = "Run ids (default: every run).")
  private List<String> runs;

  VerifyCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(Journal journal) {
    List<String> selected = runsOrAll(journal, runs);
    if (selected.isEmpty()) {
      out().print("no runs in " + dataDir() + "\n");
    }
    boolean problems = false;
    for (String run : selected) {
      VerifyReport report = journal.verify(run);
      print(run, report);
      problems |= !report.ok();
    }
    return problems ? ExitCodes.PROBLEMS : ExitCodes.OK;
  }

  private void print(String run, VerifyReport report) {
    for (VerifyReport.Problem problem : report.problems()) {
      out().print(report.path() + ":" + problem.line() + ": " + problem.reason() + "\n");
    }
    if (report.tornBytes() > 0) {
      out()
          .print(
              report.path()
                  + ":"
                  + (report.lines() + 1)
                  + ": torn tail: "
                  + report.tornBytes()
                  + " bytes after the last newline ('runjournal repair "
                  + run
                  + "' moves them to events.jsonl.torn)\n");
    }
    String counts = report.events() + " events in " + report.lines() + " lines";
    if (report.ok()) {
      out().print(run + ": ok, " + counts + "\n");
    } else {
      out()
          .print(
              run
                  + ": FAILED, "
                  + report.problems().size()
                  + " malformed lines, "
                  + report.tornBytes()
                  + " torn bytes; "
                  + counts
                  + "\n");
    }
  }
}
