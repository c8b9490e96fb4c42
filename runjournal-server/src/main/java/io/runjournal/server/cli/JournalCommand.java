package io.runjournal.server.cli;

import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.RunJournalException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The base of every subcommand: the shared options, a {@link Journal} opened on the data directory
 * for the duration of the command, and the checks commands share. The journal's own locking makes
 * every command safe beside other processes using the same directory.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
abstract class JournalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DataDirOption data;

  final CliContext context;

  JournalCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public final Integer call() throws Exception {
    validate();
    try {
      return execute();
    } finally {
      out().flush();
    }
  }

  /** Runs the command on its target: a journal opened on the data directory. */
  int execute() throws Exception {
    try (Journal journal = Journal.open(dataDir(), options())) {
      return run(journal);
    }
  }

  /** Does the command's work; returns the exit status. */
  abstract int run(Journal journal) throws Exception;

  /** Checks option combinations before the journal is opened; throws a usage error. */
  void validate() {}

  /** The options the journal is opened with. */
  JournalOptions options() {
    return JournalOptions.defaults();
  }

  final Path dataDir() {
    return data.resolve(context.env());
  }

  final PrintWriter out() {
    return context.out();
  }

  /** A usage error (exit 2) about this command. */
  final ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** Fails with {@code not-found} (exit 5) unless {@code run} exists; validates the id first. */
  final void requireRun(Journal journal, String run) {
    if (!journal.exists(run)) {
      throw new RunJournalException(
          "not-found", "run \"" + run + "\" does not exist in " + dataDir());
    }
  }

  /** The named runs, each checked to exist, or every run of the data directory when none. */
  final List<String> runsOrAll(Journal journal, List<String> runs) {
    if (runs != null && !runs.isEmpty()) {
      runs.forEach(run -> requireRun(journal, run));
      return runs;
    }
    if (!Files.isDirectory(dataDir())) {
      throw new RunJournalException(
          "not-found",
          "data directory " + dataDir() + " does not exist (use --data DIR or $RUNJOURNAL_DATA)");
    }
    return journal.listRuns();
  }
}
