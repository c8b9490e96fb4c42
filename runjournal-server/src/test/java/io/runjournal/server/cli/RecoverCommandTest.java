package io.runjournal.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runjournal.Journal;
import io.runjournal.ReadQuery;
import io.runjournal.model.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoverCommandTest {
  @TempDir Path data;

  private CliRunner cli() {
    return new CliRunner(data);
  }

  private List<String> types(String run) {
    try (Journal journal = Journal.open(data)) {
      return journal.read(run, ReadQuery.all()).events().stream().map(Event::type).toList();
    }
  }

  @Test
  void recover_repairsAndRecoversTheActiveRuns_releasesStaleMarkers_andPrintsEachRun()
      throws Exception {
    cli().inData("append", "cut", "run.started");
    cli().inData("append", "open", "run.started");
    cli().inData("append", "done", "run.completed");
    Files.createFile(data.resolve("active/done")); // left by a crash before the marker went
    String torn = "{\"seq\":2,\"ts\":\"2026";
    Files.writeString(data.resolve("runs/cut/events.jsonl"), torn, StandardOpenOption.APPEND);

    var outcome = cli().inData("recover");

    assertThat(outcome.exitCode()).as(outcome.err()).isZero();
    assertThat(outcome.out().lines().toList())
        .containsExactly(
            "cut: moved " + torn.length() + " torn bytes to events.jsonl.torn; recovered",
            "done: marker released (the run had ended or had no events)",
            "open: recovered",
            outcome.out().lines().toList().getLast());
    assertThat(outcome.out().lines().toList().getLast())
        .startsWith("recovery checked 3 active runs in ")
        .contains("2 recovered, 1 repaired (" + torn.length() + " torn bytes quarantined)");
    assertThat(types("cut")).containsExactly("run.started", "run.recovered");
    assertThat(types("open")).containsExactly("run.started", "run.recovered");
    assertThat(types("done")).containsExactly("run.completed");
    assertThat(data.resolve("active/done")).doesNotExist();
    assertThat(data.resolve("runs/open/run.json")).isRegularFile();
    assertThat(cli().inData("verify").exitCode()).isZero();
  }

  @Test
  void recover_json_printsTheReportAsOneObject() throws Exception {
    cli().inData("append", "open", "run.started");

    var outcome = cli().inData("recover", "--json");

    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.out().lines()).hasSize(1);
    JsonNode report = new ObjectMapper().readTree(outcome.out());
    assertThat(report.path("runsChecked").asInt()).isEqualTo(1);
    assertThat(report.path("recovered").get(0).asText()).isEqualTo("open");
    assertThat(report.path("failures")).isEmpty();
  }

  @Test
  void recover_interruptAfter_endsTheIdleRuns() {
    cli().inData("append", "idle", "run.started");
    long appendedAt = Clock.systemUTC().millis();
    await().until(() -> Clock.systemUTC().millis() > appendedAt + 5);

    var outcome = cli().inData("recover", "--interrupt-after", "5ms");

    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.out())
        .startsWith("idle: recovered; interrupted (idle longer than 5ms)\n")
        .contains("1 interrupted");
    assertThat(types("idle")).containsExactly("run.started", "run.recovered", "run.interrupted");
    assertThat(cli().inData("append", "idle", "step").exitCode()).isEqualTo(ExitCodes.REFUSED);
  }

  @Test
  void recover_aRunItCannotHandle_isReported_exit1_andTheOthersAreRecovered() throws Exception {
    cli().inData("append", "open", "run.started");
    Files.createDirectories(data.resolve("runs/broken/events.jsonl"));
    Files.createFile(data.resolve("active/broken"));

    var outcome = cli().inData("recover");

    assertThat(outcome.exitCode()).isEqualTo(ExitCodes.PROBLEMS);
    assertThat(outcome.out()).contains("broken: FAILED: ", "open: recovered\n", "1 failed");
    assertThat(types("open")).containsExactly("run.started", "run.recovered");
  }

  @Test
  void recover_nothingActive_saysSo() {
    cli().inData("append", "done", "run.completed");

    var outcome = cli().inData("recover");

    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.out()).startsWith("recovery checked 0 active runs in ");
    assertThat(types("done")).containsExactly("run.completed");
  }

  @Test
  void recover_missingDataDirectory_isNotFound_exit5() {
    var outcome = new CliRunner(data.resolve("nope")).inData("recover");

    assertThat(outcome.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(outcome.err()).startsWith("runjournal: not-found: data directory ");
    assertThat(data.resolve("nope")).doesNotExist();
  }

  @Test
  void recover_badInterruptAfter_isAUsageError_andWritesNothing() {
    cli().inData("append", "open", "run.started");

    var bad = cli().inData("recover", "--interrupt-after", "soon");
    var zero = cli().inData("recover", "--interrupt-after", "0s");

    assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).startsWith("runjournal: usage: --interrupt-after: ").contains("soon");
    assertThat(bad.err().lines()).hasSize(1);
    assertThat(zero.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(zero.err()).contains("must be positive");
    assertThat(types("open")).containsExactly("run.started");
  }
}
