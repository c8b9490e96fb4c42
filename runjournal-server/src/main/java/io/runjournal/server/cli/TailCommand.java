package io.runjournal.server.cli;

import io.runjournal.Journal;
import io.runjournal.ReadQuery;
import io.runjournal.ReadResult;
import io.runjournal.SubscribeOptions;
import io.runjournal.Subscription;
import io.runjournal.client.ClientSubscription;
import io.runjournal.client.ReadOptions;
import io.runjournal.client.ReadPage;
import io.runjournal.client.RunJournalClient;
import io.runjournal.model.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runjournal tail}: the last events of a run and, with {@code -f}, every later one as it is
 * appended (by any process), until the run ends or the command is interrupted.
 */
@Command(
    name = "tail",
    description = {
      "Prints the last events of a run, then with -f follows it live.",
      "",
      "-f prints events as they are appended, by any process, and exits 0 once",
      "the run has ended (run.completed, run.failed, ...) and every event up to",
      "its end was printed; Ctrl-C stops it earlier."
    },
    footer = {
      "%nExamples:",
      "  runjournal tail demo-1",
      "  runjournal tail -f -n 0 demo-1 --pretty"
    })
final class TailCommand extends ServerCapableCommand {
  /** The page size of a read from a server. */
  private static final int PAGE = ReadQuery.DEFAULT_LIMIT;

  /** How long one poll waits before it checks the output and polls again. */
  private static final Duration POLL = Duration.ofSeconds(1);

  @Parameters(index = "0", paramLabel = "RUN", description = "Run id.")
  private String run;

  @Option(
      names = {"-n", "--lines"},
      paramLabel = "N",
      defaultValue = "10",
      description = "How many of the last events to print first (default: 10).")
  private int lines;

  @Option(
      names = {"-f", "--follow"},
      description = "Then print new events as they are appended, until the run ends.")
  private boolean follow;

  @Option(names = "--pretty", description = "One readable line per event instead of JSON.")
  private boolean pretty;

  @Mixin private EventFilterOptions filter;

  TailCommand(CliContext context) {
    super(context);
  }

  @Override
  void validate() {
    if (lines < 0) {
      throw usage("-n must be >= 0, got " + lines);
    }
  }

  @Override
  int run(Journal journal) {
    requireRun(journal, run);
    EventPrinter printer = new EventPrinter(out(), pretty);
    long head;
    if (lines > 0) {
      ReadResult last =
          journal.read(run, filter.applyTo(ReadQuery.all()).newestFirst().limit(lines));
      printer.print(last.events().reversed());
      head = last.head();
    } else {
      head = journal.head(run, filter.branch());
    }
    if (printer.outputClosed() || !follow) {
      return ExitCodes.OK;
    }
    return follow(journal, head, printer);
  }

  private int follow(Journal journal, long head, EventPrinter printer) {
    SubscribeOptions options = filter.applyTo(SubscribeOptions.fromStart()).afterSeq(head);
    try (Subscription subscription = journal.subscribe(run, options)) {
      while (true) {
        List<Event> events = subscription.poll(POLL);
        printer.print(events);
        if (printer.outputClosed() || subscription.isComplete()) {
          return ExitCodes.OK;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.INTERRUPTED;
    }
  }

  @Override
  int run(RunJournalClient client) throws Exception {
    requireRun(client, run);
    EventPrinter printer = new EventPrinter(out(), pretty);
    // The first page's head is where following starts: no event is both printed and followed.
    ReadOptions newestFirst = ClientEvents.readOptions(filter).descending();
    ReadPage page = client.read(run, newestFirst.limit(Math.clamp(lines, 1, PAGE)));
    long head = page.head();
    List<io.runjournal.client.Event> last = new ArrayList<>(page.events());
    while (last.size() < lines && page.next() != null) {
      int more = Math.min(lines - last.size(), PAGE);
      page = client.read(run, newestFirst.beforeSeq(page.next()).limit(more));
      last.addAll(page.events());
    }
    if (lines > 0) {
      printer.print(last.reversed().stream().map(ClientEvents::toJournal).toList());
    }
    if (printer.outputClosed() || !follow) {
      return ExitCodes.OK;
    }
    return follow(client, head, printer);
  }

  /**
   * Follows the run over SSE until the server ends the stream (the run ended), the output is
   * closed, or the command is interrupted. Reconnects are the client's: they resume after the last
   * printed event, and each is reported as a warning.
   */
  private int follow(RunJournalClient client, long head, EventPrinter printer) throws Exception {
    FollowingPrinter listener = new FollowingPrinter(printer, this::warn);
    try (ClientSubscription subscription =
        client.subscribe(run, ClientEvents.subscribeOptions(filter, head), listener)) {
      while (!subscription.awaitTermination(POLL)) {
        if (listener.outputClosed()) {
          return ExitCodes.OK;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.INTERRUPTED;
    }
    if (listener.failure() != null) {
      throw listener.failure();
    }
    return ExitCodes.OK;
  }
}
