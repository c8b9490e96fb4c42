package io.runjournal.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir Path data;

  private CliRunner cli() {
    return new CliRunner(data);
  }

  @Test
  void version_printsTheProjectVersionAndTheJvm() {
    var outcome = cli().execute("--version");

    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.out()).startsWith("runjournal ").contains("JVM " + Runtime.version());
  }

  @Test
  void help_listsEveryCommandAndTheExitCodes() {
    var outcome = cli().execute("--help");

    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.out())
        .contains("append", "cat, read", "tail", "ls", "show", "compare", "verify", "repair")
        .contains("Exit codes:", "  3  refused: sequence-conflict", "  5  not found");
  }

  @Test
  void everyCommand_hasHelp() {
    for (String command :
        new String[] {
          "append", "cat", "read", "tail", "ls", "verify", "repair", "export", "import"
        }) {
      var outcome = cli().execute(command, "--help");

      assertThat(outcome.exitCode()).as(command).isZero();
      String name = command.equals("read") ? "cat" : command;
      assertThat(outcome.out()).as(command).startsWith("Usage: runjournal " + name);
    }
  }

  @Test
  void unknownOption_printsOneUsageLineAndExits2() {
    var outcome = cli().inData("cat", "run-1", "--bogus");

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err())
        .isEqualTo("runjournal: usage: Unknown option: '--bogus' (see 'runjournal cat --help')\n");
    assertThat(outcome.out()).isEmpty();
  }

  @Test
  void noCommand_printsUsageToStderrAndExits2() {
    var outcome = cli().execute();

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err()).startsWith("Usage: runjournal");
  }

  @Test
  void invalidRunIdOnARead_exits2() {
    var outcome = cli().inData("cat", "..");

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err()).startsWith("runjournal: invalid-run-id: ");
  }
}
