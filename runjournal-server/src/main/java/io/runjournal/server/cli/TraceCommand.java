package io.runjournal.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.runjournal.Journal;
import io.runjournal.client.RunJournalClient;
import io.runjournal.trace.Trace;
import io.runjournal.trace.Traces;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runjournal trace RUN}: the run's spans as an indented tree, or as OTLP/JSON. */
@Command(
    name = "trace",
    description = {
      "Shows the spans of a run (DESIGN §9) as an indented tree: each span with its duration,",
      "status and source ('… unfinished' if it was never closed), its logs and child spans",
      "beneath it, in time order. --otlp prints the trace as OTLP/JSON instead."
    })
final class TraceCommand extends ServerCapableCommand {
  @Parameters(index = "0", paramLabel = "RUN", description = "Run id.")
  private String run;

  @Option(names = "--branch", paramLabel = "BRANCH", description = "Branch (default: main).")
  private String branch;

  @Option(
      names = "--otlp",
      description =
          "Print an OTLP/JSON ExportTraceServiceRequest (one line) instead of the tree;"
              + " logs outside any span are not in it.")
  private boolean otlp;

  TraceCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(Journal journal) {
    requireRun(journal, run);
    Trace trace = Traces.read(journal, run, branch);
    return print(otlp ? TraceView.otlp(trace) : TraceView.json(trace));
  }

  @Override
  int run(RunJournalClient client) {
    requireRun(client, run);
    return print(otlp ? client.traceOtlp(run, branch) : client.trace(run, branch));
  }

  private int print(JsonNode trace) {
    if (otlp) {
      out().print(trace + "\n");
    } else {
      TraceView.lines(trace).forEach(line -> out().print(line + "\n"));
    }
    return ExitCodes.OK;
  }
}
