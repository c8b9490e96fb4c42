package io.runjournal.server.cli;

import picocli.CommandLine;

/**
 * The {@code runjournal} command: parses the arguments and runs one subcommand against a data
 * directory. Everything else lives in the package's command classes; see {@code docs/cli.md}.
 */
public final class Main {
  /** Set by {@link #main}: this JVM is the {@code runjournal} process, not a test running it. */
  static volatile boolean ownsProcess;

  private Main() {}

  /** Runs the command line and exits with its status (see the help footer for the codes). */
  public static void main(String[] args) {
    ownsProcess = true;
    System.exit(execute(CliContext.system(), args));
  }

  /** Runs one command line with these streams and environment; returns the exit status. */
  static int execute(CliContext context, String... args) {
    try {
      return commandLine(context).execute(args);
    } finally {
      context.out().flush();
      context.err().flush();
    }
  }

  /** The configured command line, for {@link CommandLine#execute}. */
  static CommandLine commandLine(CliContext context) {
    ErrorReporter errors = new ErrorReporter();
    return new CommandLine(RunJournalCommand.class, new ContextFactory(context))
        .setOut(context.out())
        .setErr(context.err())
        .setParameterExceptionHandler(errors)
        .setExecutionExceptionHandler(errors);
  }
}
