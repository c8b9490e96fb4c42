package io.runjournal.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.Journal;
import io.runjournal.ReadQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepairCommandTest {
  @TempDir Path data;

  private CliRunner cli() {
    return new CliRunner(data);
  }

  @Test
  void repair_tornTail_movesTheBytesToTheTornFileAndReportsThem() throws Exception {
    cli().inData("append", "run-1", "a");
    Path journal = data.resolve("runs/run-1/events.jsonl");
    String complete = Files.readString(journal);
    String torn = "{\"seq\":2,\"ts\":\"2026";
    Files.writeString(journal, torn, StandardOpenOption.APPEND);

    var outcome = cli().inData("repair", "run-1");

    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.out())
        .isEqualTo(
            "run-1: moved "
                + torn.length()
                + " torn bytes from "
                + journal
                + " to "
                + journal.resolveSibling("events.jsonl.torn")
                + "\n");
    assertThat(journal.resolveSibling("events.jsonl.torn")).content().startsWith(torn);
    assertThat(Files.readString(journal)).isEqualTo(complete);
    assertThat(cli().inData("verify", "run-1").exitCode()).isZero();
    assertThat(cli().inData("append", "run-1", "b").out()).contains("\"first\":2");
  }

  @Test
  void repair_cleanRuns_reportsNothingToDo() {
    cli().inData("append", "run-1", "a");

    var outcome = cli().inData("repair");

    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.out()).isEqualTo("run-1: ok, nothing to repair\n");
    try (Journal journal = Journal.open(data)) {
      assertThat(journal.read("run-1", ReadQuery.all()).events()).hasSize(1);
    }
  }
}
