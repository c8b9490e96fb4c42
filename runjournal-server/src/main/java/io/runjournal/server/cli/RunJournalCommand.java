package io.runjournal.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code runjournal} command: lists the subcommands and the exit codes. */
@Command(
    name = "runjournal",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "A durable, append-only event journal for agent and job runs.",
    subcommands = {
      ServeCommand.class,
      RecoverCommand.class,
      AppendCommand.class,
      CatCommand.class,
      TailCommand.class,
      LsCommand.class,
      ShowCommand.class,
      CompareCommand.class,
      TraceCommand.class,
      ExportCommand.class,
      ImportCommand.class,
      VerifyCommand.class,
      RepairCommand.class,
      GcCommand.class,
      MigrateCommand.class
    },
    footer = ExitCodes.FOOTER)
final class RunJournalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Without a subcommand: the usage help on stderr, as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }
}
