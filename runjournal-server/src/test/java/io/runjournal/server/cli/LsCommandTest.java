package io.runjournal.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.AppendRequest;
import io.runjournal.Journal;
import io.runjournal.model.NewEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LsCommandTest {
  @TempDir Path data;

  private CliRunner cli() {
    return new CliRunner(data);
  }

  private void append(String run, String branch, String... types) {
    try (Journal journal = Journal.open(data)) {
      for (String type : types) {
        journal.append(run, AppendRequest.of(NewEvent.of(type)).onBranch(branch));
      }
    }
  }

  @Test
  void ls_printsRunsSortedIncludingARunWithoutJournal() throws Exception {
    append("run-b", "main", "a");
    append("run-a", "main", "a");
    Files.createDirectories(data.resolve("runs/run-c"));
    Files.createDirectories(data.resolve("runs/.not-a-run"));

    var outcome = cli().inData("ls");

    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.out()).isEqualTo("run-a\nrun-b\nrun-c\n");
  }

  @Test
  void lsLong_printsHeadOfMainAndWhetherTheRunEnded() throws Exception {
    append("open", "main", "a", "b", "c");
    append("done", "main", "a", "run.completed");
    append("side", "main", "a");
    append("side", "experiment", "b", "run.cancelled");
    Files.createDirectories(data.resolve("runs/new"));

    var outcome = cli().inData("ls", "--long");

    assertThat(outcome.out().lines())
        .containsExactly(
            "done       2  ended:run.completed",
            "new        0  empty",
            "open       3  open",
            "side       1  ended:run.cancelled");
  }

  @Test
  void ls_missingDataDirectory_exits5() {
    var outcome = new CliRunner(data.resolve("nowhere")).inData("ls");

    assertThat(outcome.exitCode()).isEqualTo(5);
    assertThat(outcome.err()).startsWith("runjournal: not-found: data directory ");
  }

  @Test
  void ls_emptyDataDirectory_printsNothing() {
    var outcome = cli().inData("ls");

    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.out()).isEmpty();
  }
}
