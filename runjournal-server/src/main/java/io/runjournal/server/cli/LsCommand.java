package io.runjournal.server.cli;

import io.runjournal.Journal;
import io.runjournal.ReadQuery;
import io.runjournal.client.ListRunsOptions;
import io.runjournal.client.RunJournalClient;
import io.runjournal.client.RunSummary;
import io.runjournal.client.RunsPage;
import io.runjournal.model.Event;
import io.runjournal.model.Ids;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runjournal ls}: the runs of the data directory, sorted by id. */
@Command(
    name = "ls",
    description = {
      "Lists the runs, sorted by id.",
      "",
      "One run per line, runs with a directory but no event yet included.",
      "--long adds two columns: the head of branch main and the state, 'empty'",
      "(no event yet), 'open' or 'ended:<terminal type>'; archived runs (see gc)",
      "are marked 'archived' in a third."
    })
final class LsCommand extends ServerCapableCommand {
  /** The page size of a server's run listing (its maximum). */
  private static final int LIST_PAGE = 1000;

  @Option(
      names = {"-l", "--long"},
      description = "Also print the head of main and whether the run has ended.")
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
    int width = runs.stream().mapToInt(String::length).max().orElse(0);
    List<String> states = runs.stream().map(run -> state(journal, run)).toList();
    List<Boolean> archived = runs.stream().map(journal::isArchived).toList();
    int stateWidth = states.stream().mapToInt(String::length).max().orElse(0);
    for (int i = 0; i < runs.size(); i++) {
      String run = runs.get(i);
      String head = Long.toString(journal.head(run, Ids.MAIN_BRANCH));
      out().print(pad(run, width) + "  " + " ".repeat(Math.max(0, 6 - head.length())) + head);
      out()
          .print(
              "  "
                  + (archived.get(i)
                      ? pad(states.get(i), stateWidth) + "  archived"
                      : states.get(i)));
      out().print("\n");
    }
    return ExitCodes.OK;
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
    int width = runs.stream().mapToInt(summary -> summary.id().length()).max().orElse(0);
    for (RunSummary summary : runs) {
      if (longFormat) {
        String head = Long.toString(summary.json().path("head").path(Ids.MAIN_BRANCH).asLong(0));
        out()
            .print(
                pad(summary.id(), width)
                    + "  "
                    + " ".repeat(Math.max(0, 6 - head.length()))
                    + head);
        out().print("  " + state(summary) + "\n");
      } else {
        out().print(summary.id() + "\n");
      }
    }
    return ExitCodes.OK;
  }

  /** The state from a server's summary: its event count and the type of its terminal event. */
  private static String state(RunSummary summary) {
    if (summary.json().path("eventCount").asLong(0) == 0) {
      return "empty";
    }
    String endedBy = summary.json().path("endedBy").asText(null);
    return endedBy == null ? "open" : "ended:" + endedBy;
  }

  /**
   * A terminal event ends the whole run and nothing can follow it, so it is the last event of its
   * branch: one newest-first read of each branch finds it.
   */
  private static String state(Journal journal, String run) {
    Map<String, Long> heads = journal.heads(run);
    if (heads.isEmpty()) {
      return "empty";
    }
    for (String branch : heads.keySet()) {
      List<Event> last =
          journal.read(run, ReadQuery.all().branch(branch).newestFirst().limit(1)).events();
      if (!last.isEmpty() && last.getFirst().isTerminal()) {
        return "ended:" + last.getFirst().type();
      }
    }
    return "open";
  }

  private static String pad(String text, int width) {
    return text + " ".repeat(width - text.length());
  }
}
