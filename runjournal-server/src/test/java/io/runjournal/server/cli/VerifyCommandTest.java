package io.runjournal.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.Journal;
import io.runjournal.model.NewEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {
  @TempDir Path data;

  private CliRunner cli() {
    return new CliRunner(data);
  }

  private Path appendTwo(String run) {
    try (Journal journal = Journal.open(data)) {
      journal.append(run, NewEvent.of("a"));
      journal.append(run, NewEvent.of("b"));
    }
    return data.resolve("runs").resolve(run).resolve("events.jsonl");
  }

  @Test
  void verify_cleanJournal_exits0WithASummary() {
    appendTwo("clean");

    var outcome = cli().inData("verify", "clean");

    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.out()).isEqualTo("clean: ok, 2 events in 2 lines\n");
  }

  @Test
  void verify_handWrittenBadLine_printsPathAndLineAndExits1() throws Exception {
    Path journal = appendTwo("broken");
    String lines = Files.readString(journal);
    int secondLine = lines.indexOf('\n') + 1;
    Files.writeString(
        journal,
        lines.substring(0, secondLine) + "{\"hand\": \"written\"}\n" + lines.substring(secondLine));

    var outcome = cli().inData("verify", "broken");

    assertThat(outcome.exitCode()).isEqualTo(1);
    assertThat(outcome.out().lines())
        .containsExactly(
            journal + ":2: missing seq",
            "broken: FAILED, 1 malformed lines, 0 torn bytes; 2 events in 3 lines");
  }

  @Test
  void verify_tornTail_isAProblemOnTheLineAfterTheLast() throws Exception {
    Path journal = appendTwo("torn");
    Files.writeString(journal, "{\"seq\":3,", StandardOpenOption.APPEND);

    var outcome = cli().inData("verify", "torn");

    assertThat(outcome.exitCode()).isEqualTo(1);
    assertThat(outcome.out()).startsWith(journal + ":3: torn tail: 9 bytes after the last newline");
  }

  @Test
  void verify_withoutRuns_checksEveryRun() throws Exception {
    appendTwo("one");
    Path other = appendTwo("two");
    Files.writeString(other, "garbage\n", StandardOpenOption.APPEND);
    Files.createDirectories(data.resolve("runs/three"));

    var outcome = cli().inData("verify");

    assertThat(outcome.exitCode()).isEqualTo(1);
    assertThat(outcome.out().lines())
        .containsExactly(
            "one: ok, 2 events in 2 lines",
            "three: ok, 0 events in 0 lines",
            other
                + ":3: invalid JSON: Unrecognized token 'garbage': was expecting (JSON String,"
                + " Number, Array, Object or token 'null', 'true' or 'false')",
            "two: FAILED, 1 malformed lines, 0 torn bytes; 2 events in 3 lines");
  }

  @Test
  void verify_unknownRun_exits5() {
    assertThat(cli().inData("verify", "ghost").exitCode()).isEqualTo(5);
  }
}
