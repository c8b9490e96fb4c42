package io.runjournal.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.runjournal.Journal;
import io.runjournal.client.ListRunsOptions;
import io.runjournal.client.RunJournalClient;
import io.runjournal.client.RunSummary;
import io.runjournal.client.RunsPage;
import io.runjournal.projection.RunProjections;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runjournal ls}: the runs of the data directory, sorted by id. */
@Command(
    name = "ls",
    description = {
      "Lists the runs, sorted by id.",
      "",
      "One run per line, runs with a directory but no event yet included.",
      "--long prints a table with a header: status (pending, running, succeeded, failed,",
      "cancelled, interrupted), progress, duration, event count and the last event's time;",
      "when runs are archived (see gc), a last column ARCHIVED says which."
    })
final class LsCommand extends ServerCapableCommand {
  /** The page size of a server's run listing (its maximum). */
  private static final int LIST_PAGE = 1000;

  @Option(
      names = {"-l", "--long"},
      description = "A table: status, progress, duration, events, last event.")
  private boolean longFormat;

  LsCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(Journal journal) {
    List<String> runs = runsOrAll(journal, List.of());
    if (!longFormat) {
      runs.forEach(run -> out().print(run + "\n"));
      return ExitCodes.OK;
    }
    RunProjections projections = RunViews.projections(journal, dataDir());
    List<JsonNode> summaries = new ArrayList<>();
    for (String run : runs) {
      summaries.add(RunViews.json(projections.get(run)));
    }
    List<String> lines = RunViews.table(summaries);
    List<Boolean> archived = runs.stream().map(journal::isArchived).toList();
    if (archived.contains(true)) {
      lines = withArchivedColumn(lines, archived);
    }
    lines.forEach(line -> out().print(line + "\n"));
    return ExitCodes.OK;
  }

  /** Adds a last column, ARCHIVED, that says {@code yes} for archived runs (see gc). */
  private static List<String> withArchivedColumn(List<String> table, List<Boolean> archived) {
    int width = table.stream().mapToInt(String::length).max().orElse(0);
    List<String> lines = new ArrayList<>();
    lines.add(pad(table.getFirst(), width) + "  ARCHIVED");
    for (int i = 1; i < table.size(); i++) {
      lines.add(archived.get(i - 1) ? pad(table.get(i), width) + "  yes" : table.get(i));
    }
    return lines;
  }

  private static String pad(String text, int width) {
    return text + " ".repeat(width - text.length());
  }

  @Override
  int run(RunJournalClient client) {
    List<RunSummary> runs = new ArrayList<>();
    ListRunsOptions options =
        ListRunsOptions.defaults().order(ListRunsOptions.Order.ID).limit(LIST_PAGE);
    for (RunsPage page = client.listRuns(options); ; page = client.listRuns(options)) {
      runs.addAll(page.runs());
      if (page.next() == null) {
        break;
      }
      options = options.cursor(page.next());
    }
    if (!longFormat) {
      runs.forEach(summary -> out().print(summary.id() + "\n"));
      return ExitCodes.OK;
    }
    RunViews.table(runs.stream().map(RunSummary::json).toList())
        .forEach(line -> out().print(line + "\n"));
    return ExitCodes.OK;
  }
}
