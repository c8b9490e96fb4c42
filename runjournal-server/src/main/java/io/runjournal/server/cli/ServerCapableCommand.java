package io.runjournal.server.cli;

import io.runjournal.RunJournalException;
import io.runjournal.client.RunJournalClient;
import picocli.CommandLine.Mixin;

/**
 * A command that works on a data directory or, with {@code --server URL}, through a RunJournal
 * server with the {@link RunJournalClient}. Both paths print the same output and exit with the same
 * codes; only where the events come from differs. The choice is made here, once: {@link
 * #run(io.runjournal.Journal)} or {@link #run(RunJournalClient)}.
 */
abstract class ServerCapableCommand extends JournalCommand {
  @Mixin ServerOptions server;

  ServerCapableCommand(CliContext context) {
    super(context);
  }

  @Override
  final int execute() throws Exception {
    if (!server.isSet()) {
      if (server.tokenFile() != null) {
        throw usage("--token-file is the token for --server: give --server URL too");
      }
      return super.execute();
    }
    if (data.isSet()) {
      throw usage("--server and --data are mutually exclusive: use one or the other");
    }
    try (RunJournalClient client = connect()) {
      return run(client);
    }
  }

  /** Does the command's work through the server; returns the exit status. */
  abstract int run(RunJournalClient client) throws Exception;

  /** The server's URL, for messages. */
  final String serverUrl() {
    return server.url();
  }

  /** Fails with {@code not-found} (exit 5) unless the server has {@code run}. */
  final void requireRun(RunJournalClient client, String run) {
    if (client.run(run).isEmpty()) {
      throw new RunJournalException(
          "not-found", "run \"" + run + "\" does not exist on " + client.baseUrl());
    }
  }

  /** A warning line on stderr, as the journal's own warnings are printed. */
  final void warn(String message) {
    context.err().println("runjournal: WARN: " + message.replace('\n', ' '));
    context.err().flush();
  }

  private RunJournalClient connect() {
    try {
      return RunJournalClient.builder(server.url()).token(server.token(context.env())).build();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage().startsWith("--") ? e.getMessage() : "--server: " + e.getMessage());
    }
  }
}
