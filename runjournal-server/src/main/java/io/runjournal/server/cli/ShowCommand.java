package io.runjournal.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.runjournal.Journal;
import io.runjournal.client.RunJournalClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runjournal show RUN}: the run's projection, one field per line (or as JSON). */
@Command(
    name = "show",
    description = {
      "Shows what a run is: status, times, duration, heads, progress, participants, signals,",
      "confidence, error, meta and counts by type (the projection of DESIGN §8)."
    })
final class ShowCommand extends ServerCapableCommand {
  @Parameters(index = "0", paramLabel = "RUN", description = "Run id.")
  private String run;

  @Option(names = "--json", description = "Print the summary as one JSON object.")
  private boolean json;

  ShowCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(Journal journal) {
    requireRun(journal, run);
    return print(RunViews.json(RunViews.projections(journal, dataDir()).get(run)));
  }

  @Override
  int run(RunJournalClient client) {
    requireRun(client, run);
    return print(client.run(run).orElseThrow().json());
  }

  private int print(JsonNode summary) {
    if (json) {
      out().print(summary + "\n");
    } else {
      RunViews.show(summary).forEach(line -> out().print(line + "\n"));
    }
    return ExitCodes.OK;
  }
}
