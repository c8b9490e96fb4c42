package io.runjournal.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.model.NewEvent;
import io.runjournal.server.TestServer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code show} and {@code compare}, on a data directory and through a server: same output. */
class ShowAndCompareCommandTest {
  @TempDir Path data;

  /** The two runs of the compare example, with a clock the test moves. */
  private void twoRuns() {
    LsCommandTest.SteppingClock clock =
        new LsCommandTest.SteppingClock(Instant.parse("2026-11-21T10:00:00Z"));
    try (Journal journal = Journal.open(data, JournalOptions.defaults().withClock(clock))) {
      journal.append("left", NewEvent.of("run.started").withMeta("{\"agent\":\"agent-1\"}"));
      journal.append("left", NewEvent.of("participant.seen", "{\"id\":\"agent-2\"}"));
      journal.append("left", NewEvent.of("decision.made", "{\"confidence\":0.8}"));
      clock.advance(1_000);
      journal.append("left", NewEvent.of("run.completed"));
      clock.set(Instant.parse("2026-11-21T11:00:00Z"));
      journal.append("right", NewEvent.of("run.started").withMeta("{\"agent\":\"agent-1\"}"));
      journal.append("right", NewEvent.of("participant.seen", "{\"id\":\"agent-3\"}"));
      journal.append("right", NewEvent.of("signal.emitted", "{\"name\":\"warning\"}"));
      journal.append("right", NewEvent.of("decision.made", "{\"confidence\":0.7}"));
      clock.advance(1_500);
      journal.append("right", NewEvent.of("run.completed"));
    }
  }

  @Test
  void compare_printsAReadableDiff_sameLocallyAndThroughAServer() throws Exception {
    twoRuns();
    var local = new CliRunner(data).inData("compare", "left", "right");

    assertThat(local.exitCode()).isZero();
    assertThat(local.out().lines())
        .containsExactly(
            "left  left",
            "right right",
            "status       succeeded → succeeded (same)",
            "duration     1.0s → 1.5s (+500ms)",
            "confidence   -0.1",
            "progress     - (not on both runs)",
            "participants +agent-3  -agent-2  =agent-1",
            "signals      +warning",
            "types        signal.emitted 0 → 1",
            "divergence   at event 3: decision.made ≠ signal.emitted");
    try (TestServer server = TestServer.start(data)) {
      var remote =
          new CliRunner(data)
              .execute("compare", "left", "right", "--server", server.url().toString());
      assertThat(remote.out()).isEqualTo(local.out());
      var json =
          new CliRunner(data)
              .execute("compare", "left", "right", "--json", "--server", server.url().toString());
      assertThat(json.out()).contains("\"durationDeltaMs\":500", "\"statusMatch\":true");
    }
  }

  @Test
  void show_printsTheProjection_sameLocallyAndThroughAServer() throws Exception {
    twoRuns();
    var local = new CliRunner(data).inData("show", "right");

    assertThat(local.exitCode()).isZero();
    assertThat(local.out().lines())
        .contains(
            "run          right",
            "status       succeeded (run.completed)",
            "duration     1.5s",
            "events       5 (main 5)",
            "participants agent-1, agent-3",
            "signals      warning 1",
            "confidence   0.7");
    try (TestServer server = TestServer.start(data)) {
      var remote =
          new CliRunner(data).execute("show", "right", "--server", server.url().toString());
      assertThat(remote.out()).isEqualTo(local.out());
    }
  }

  @Test
  void missingRuns_exit5NamingTheRun() {
    twoRuns();
    for (List<String> args :
        List.of(
            List.of("show", "nope"),
            List.of("compare", "left", "nope"),
            List.of("compare", "nope", "right"))) {
      var outcome = new CliRunner(data, Map.of()).inData(args.toArray(String[]::new));
      assertThat(outcome.exitCode()).as("%s", args).isEqualTo(ExitCodes.NOT_FOUND);
      assertThat(outcome.err()).contains("\"nope\" does not exist");
    }
  }
}
