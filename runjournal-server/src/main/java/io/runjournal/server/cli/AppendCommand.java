package io.runjournal.server.cli;

import io.runjournal.AppendRequest;
import io.runjournal.AppendResult;
import io.runjournal.FsyncPolicy;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.client.AppendOptions;
import io.runjournal.client.RunJournalClient;
import io.runjournal.model.Ids;
import io.runjournal.model.NewEvent;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runjournal append}: one event from the arguments, or an atomic batch of NDJSON events from
 * stdin. Prints the result as one JSON line.
 */
@Command(
    name = "append",
    description = {
      "Appends an event, or an atomic NDJSON batch from stdin, to a run.",
      "",
      "Prints the result as one JSON line:",
      "  {\"run\",\"branch\",\"first\",\"last\",\"head\",\"duplicates\"}"
    },
    footer = {
      "%nExamples:",
      "  runjournal append demo-1 run.started '{\"goal\":\"hello\"}'",
      "  runjournal append demo-1 step.done --id step-1 --expected-seq 1",
      "  printf '%%s\\n' '{\"type\":\"a\"}' '{\"type\":\"b\",\"data\":2}' \\",
      "    | runjournal append demo-1 --ndjson"
    })
final class AppendCommand extends ServerCapableCommand {
  @Parameters(index = "0", paramLabel = "RUN", description = "Run id.")
  private String run;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "TYPE",
      description = "Event type, such as node.started ('-' is the same as --ndjson).")
  private String type;

  @Parameters(
      index = "2",
      arity = "0..1",
      paramLabel = "DATA_JSON",
      description = "The event's data: any JSON value.")
  private String dataJson;

  @Option(
      names = "--ndjson",
      description =
          "Read the events from stdin, one JSON object per line: "
              + "{\"type\", \"id\"?, \"data\"?, \"meta\"?, \"seq\"?}. "
              + "They are appended as one atomic batch: all or nothing.")
  private boolean ndjson;

  @Option(names = "--id", paramLabel = "ID", description = "Event id: the idempotency key.")
  private String id;

  @Option(names = "--meta", paramLabel = "JSON", description = "The event's meta: a JSON object.")
  private String meta;

  @Option(names = "--branch", paramLabel = "BRANCH", description = "Branch (default: main).")
  private String branch;

  @Option(
      names = "--expected-seq",
      paramLabel = "N",
      description = "Append only if the branch's head is N (0 = empty); else exit 3.")
  private Long expectedSeq;

  @Option(
      names = "--seq",
      paramLabel = "N",
      description = "The seq the event must get (head + 1); else exit 3.")
  private Long seq;

  @Option(
      names = "--fsync",
      paramLabel = "POLICY",
      defaultValue = "always",
      converter = FsyncPolicyConverter.class,
      description =
          "always (default): acknowledged after fdatasync; interval or none: after the OS has the write.")
  private FsyncPolicy fsync;

  AppendCommand(CliContext context) {
    super(context);
  }

  private boolean readsStdin() {
    return ndjson || "-".equals(type);
  }

  @Override
  void validate() {
    if (readsStdin()) {
      if ((ndjson && type != null) || dataJson != null) {
        throw usage("--ndjson reads the events from stdin: give no TYPE or DATA_JSON");
      }
      if (id != null || meta != null || seq != null) {
        throw usage("--id, --meta and --seq belong in each NDJSON line with --ndjson");
      }
    } else if (type == null) {
      throw usage("Missing required parameter: 'TYPE' (or --ndjson to read events from stdin)");
    }
    if (expectedSeq != null && expectedSeq < 0) {
      throw usage("--expected-seq must be >= 0, got " + expectedSeq);
    }
  }

  @Override
  JournalOptions options() {
    return JournalOptions.defaults().withFsync(fsync);
  }

  @Override
  int run(Journal journal) throws Exception {
    List<NewEvent> events = readsStdin() ? NdjsonEvents.read(context.in()) : List.of(event());
    AppendRequest request = new AppendRequest(branch, expectedSeq, events);
    AppendResult result = journal.append(run, request);
    out().print(json(result) + "\n");
    return ExitCodes.OK;
  }

  @Override
  int run(RunJournalClient client) throws Exception {
    if (spec.commandLine().getParseResult().hasMatchedOption("--fsync")) {
      throw usage("--fsync is for a data directory: the server syncs by its own --fsync policy");
    }
    Ids.requireRunId(run);
    Ids.requireBranch(branch);
    List<NewEvent> events = readsStdin() ? NdjsonEvents.read(context.in()) : List.of(event());
    var result =
        client.append(run, new AppendOptions(branch, expectedSeq), ClientEvents.toClient(events));
    int duplicates = result.duplicates().size();
    String line =
        json(
            result.run(),
            result.branch(),
            result.first(),
            result.last(),
            result.head(),
            duplicates);
    out().print(line + "\n");
    return ExitCodes.OK;
  }

  private NewEvent event() {
    NewEvent event = NewEvent.of(type, dataJson).withId(id).withMeta(meta);
    return seq == null ? event : event.withSeq(seq);
  }

  /** The result line; run and branch are validated ids, which never need JSON escaping. */
  static String json(AppendResult result) {
    return json(
        result.run(),
        result.branch(),
        result.first(),
        result.last(),
        result.head(),
        result.duplicates());
  }

  /** The result line of an append of any origin. */
  static String json(String run, String branch, long first, long last, long head, int duplicates) {
    return "{\"run\":\""
        + run
        + "\",\"branch\":\""
        + branch
        + "\",\"first\":"
        + first
        + ",\"last\":"
        + last
        + ",\"head\":"
        + head
        + ",\"duplicates\":"
        + duplicates
        + "}";
  }
}
