package io.runjournal.server.cli;

import io.runjournal.Journal;
import io.runjournal.client.RunJournalClient;
import io.runjournal.export.ExportOptions;
import io.runjournal.export.RunExport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runjournal export RUN}: the run as a {@code runjournal.export/v1} bundle, or its journal
 * as stored ({@code --format jsonl}), on stdout or into a file that appears only once complete.
 */
@Command(
    name = "export",
    description = {
      "Exports a run as a bundle, or as its journal's lines.",
      "",
      "A runjournal.export/v1 bundle holds the projection, metrics, every event of every",
      "branch in journal order and the branch heads; --format jsonl is the journal's lines",
      "exactly as stored. 'runjournal import' reads either back, byte for byte."
    },
    footer = {
      "%nExamples:",
      "  runjournal export pipe-01 -o pipe-01.json",
      "  runjournal export pipe-01 --format jsonl > pipe-01.jsonl",
      "  runjournal export pipe-01 --no-events | jq .projection.status"
    })
final class ExportCommand extends ServerCapableCommand {
  @Parameters(index = "0", paramLabel = "RUN", description = "Run id.")
  private String run;

  @Option(
      names = "--format",
      paramLabel = "bundle|jsonl",
      defaultValue = "bundle",
      description = "bundle (default): one JSON object; jsonl: the journal's lines as stored.")
  private String format;

  @Option(names = "--no-events", description = "Leave the events out of the bundle.")
  private boolean noEvents;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Only the first N events in journal order (lines with jsonl).")
  private Long limit;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write to FILE (complete, or not at all) instead of stdout.")
  private Path output;

  ExportCommand(CliContext context) {
    super(context);
  }

  @Override
  void validate() {
    if (!format.equals("bundle") && !format.equals("jsonl")) {
      throw usage("--format must be bundle or jsonl, got " + format);
    }
    if (limit != null && limit < 1) {
      throw usage("--limit must be >= 1, got " + limit);
    }
    if (noEvents && format.equals("jsonl")) {
      throw usage("--no-events is for bundles: a jsonl export is its events");
    }
  }

  private boolean jsonl() {
    return format.equals("jsonl");
  }

  @Override
  int run(Journal journal) throws IOException {
    requireRun(journal, run);
    long max = limit == null ? Long.MAX_VALUE : limit;
    try (Progress progress = Progress.start("export " + run)) {
      progress.total(Math.min(max, journal.info(run).eventCount()));
      try (ExportTarget target = ExportTarget.open(output, out(), lines -> step(progress, lines))) {
        if (jsonl()) {
          journal.copyJournal(run, max, target);
        } else {
          RunExport.write(
              journal,
              RunViews.projections(journal, dataDir()).get(run),
              new ExportOptions(!noEvents, max),
              Instant.now(),
              target,
              written -> progress.step());
        }
        target.commit();
      }
    }
    return ExitCodes.OK;
  }

  @Override
  int run(RunJournalClient client) throws IOException {
    requireRun(client, run);
    io.runjournal.client.ExportOptions options =
        jsonl()
            ? io.runjournal.client.ExportOptions.jsonl()
            : io.runjournal.client.ExportOptions.bundle();
    options = noEvents ? options.withoutEvents() : options;
    options = limit == null ? options : options.limit(limit);
    try (Progress progress = Progress.start("export " + run);
        ExportTarget target = ExportTarget.open(output, out(), lines -> step(progress, lines))) {
      client.export(run, options, target);
      target.commit();
    }
    return ExitCodes.OK;
  }

  /** Lines of a jsonl export are its events; a bundle steps per event through RunExport. */
  private void step(Progress progress, int lines) {
    if (jsonl()) {
      for (int i = 0; i < lines; i++) {
        progress.step();
      }
    }
  }
}
