package io.runjournal.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.runjournal.Journal;
import io.runjournal.client.RunJournalClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runjournal compare LEFT RIGHT}: two runs side by side, as a readable diff. */
@Command(
    name = "compare",
    description = {
      "Compares two runs (DESIGN §8): statuses, durations, confidence and progress deltas",
      "(right - left), participants and signals (+ right only, - left only, = both), event",
      "counts that differ, and the first position where their event types differ."
    })
final class CompareCommand extends ServerCapableCommand {
  @Parameters(index = "0", paramLabel = "LEFT", description = "The left run.")
  private String left;

  @Parameters(index = "1", paramLabel = "RIGHT", description = "The right run.")
  private String right;

  @Option(names = "--json", description = "Print the comparison as one JSON object.")
  private boolean json;

  CompareCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(Journal journal) {
    requireRun(journal, left);
    requireRun(journal, right);
    return print(RunViews.compare(journal, RunViews.projections(journal, dataDir()), left, right));
  }

  @Override
  int run(RunJournalClient client) {
    requireRun(client, left);
    requireRun(client, right);
    return print(client.compare(left, right));
  }

  private int print(JsonNode diff) {
    if (json) {
      out().print(diff + "\n");
    } else {
      RunViews.compare(diff).forEach(line -> out().print(line + "\n"));
    }
    return ExitCodes.OK;
  }
}
