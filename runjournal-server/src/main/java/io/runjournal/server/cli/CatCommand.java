package io.runjournal.server.cli;

import io.runjournal.Journal;
import io.runjournal.ReadQuery;
import io.runjournal.ReadResult;
import io.runjournal.client.Event;
import io.runjournal.client.ReadOptions;
import io.runjournal.client.RunJournalClient;
import java.util.Iterator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runjournal cat}: prints a run's events, paging through the journal. An ascending read
 * stops at the head it saw first, so it ends even while a producer keeps appending.
 */
@Command(
    name = "cat",
    aliases = "read",
    description = {
      "Prints the events of a run.",
      "",
      "Events of one branch, oldest first, one per line: the JSON line exactly",
      "as stored, or with --pretty",
      "  #SEQ  HH:MM:SS.mmm  TYPE  [id=ID]  [DATA]  [meta=META]",
      "(time of day in UTC) after a '-- YYYY-MM-DD (UTC) --' line whenever the",
      "date changes."
    },
    footer = {
      "%nExamples:",
      "  runjournal cat demo-1 --pretty",
      "  runjournal cat demo-1 --type session_id --desc --limit 1"
    })
final class CatCommand extends ServerCapableCommand {
  private static final int PAGE = ReadQuery.DEFAULT_LIMIT;

  @Parameters(index = "0", paramLabel = "RUN", description = "Run id.")
  private String run;

  @Option(
      names = "--after",
      paramLabel = "N",
      defaultValue = "0",
      description = "Only events after seq N (default: 0).")
  private long after;

  @Option(names = "--limit", paramLabel = "N", description = "At most N events (default: all).")
  private Integer limit;

  @Option(names = "--desc", description = "Newest first.")
  private boolean descending;

  @Option(
      names = "--strict",
      description = "Fail (exit 1) on a malformed line instead of skipping it.")
  private boolean strict;

  @Option(names = "--pretty", description = "One readable line per event instead of JSON.")
  private boolean pretty;

  @Mixin private EventFilterOptions filter;

  CatCommand(CliContext context) {
    super(context);
  }

  @Override
  void validate() {
    if (after < 0) {
      throw usage("--after must be >= 0, got " + after);
    }
    if (limit != null && limit < 1) {
      throw usage("--limit must be >= 1, got " + limit);
    }
  }

  @Override
  int run(Journal journal) {
    requireRun(journal, run);
    EventPrinter printer = new EventPrinter(out(), pretty);
    ReadQuery query = filter.applyTo(ReadQuery.all()).afterSeq(after);
    query = descending ? query.newestFirst() : query;
    query = strict ? query.failOnMalformed() : query;
    long remaining = limit == null ? Long.MAX_VALUE : limit;
    while (remaining > 0) {
      ReadResult page = journal.read(run, query.limit((int) Math.min(remaining, PAGE)));
      printer.print(page.events());
      remaining -= page.events().size();
      if (page.next() == null || printer.outputClosed()) {
        break;
      }
      query =
          descending
              ? query.beforeSeq(page.next())
              : query.afterSeq(page.next()).beforeSeq(Math.min(query.beforeSeq(), page.head() + 1));
    }
    return ExitCodes.OK;
  }

  @Override
  int run(RunJournalClient client) {
    requireRun(client, run);
    EventPrinter printer = new EventPrinter(out(), pretty);
    long max = limit == null ? Long.MAX_VALUE : limit;
    ReadOptions options =
        ClientEvents.readOptions(filter)
            .afterSeq(after)
            .limit((int) Math.min(max, PAGE))
            .strict(strict);
    options = descending ? options.descending() : options;
    Iterator<Event> events = client.readAll(run, options).limit(max).iterator();
    for (long printed = 1; events.hasNext(); printed++) {
      printer.print(ClientEvents.toJournal(events.next()));
      if (printed % PAGE == 0 && printer.outputClosed()) {
        break;
      }
    }
    return ExitCodes.OK;
  }
}
