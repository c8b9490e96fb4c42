package io.runjournal.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.AppendRequest;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.model.NewEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
  void lsLong_printsStatusProgressDurationEventsAndLastEvent() throws Exception {
    SteppingClock clock = new SteppingClock(Instant.parse("2026-11-21T10:00:00Z"));
    try (Journal journal = Journal.open(data, JournalOptions.defaults().withClock(clock))) {
      journal.append("done", NewEvent.of("run.started"));
      clock.advance(1_000);
      journal.append("done", NewEvent.of("progress.reported", "{\"completed\":1,\"total\":4}"));
      clock.advance(60_000);
      journal.append("done", NewEvent.of("run.completed"));
      clock.set(Instant.parse("2026-11-21T10:00:00Z"));
      for (String type : new String[] {"a", "b", "c"}) {
        journal.append("open", NewEvent.of(type));
        clock.advance(1_000);
      }
    }
    Files.createDirectories(data.resolve("runs/new"));

    var outcome = cli().inData("ls", "--long");

    assertThat(outcome.out().lines())
        .containsExactly(
            "RUN   STATUS     PROGRESS  DURATION  EVENTS  LAST EVENT",
            "done  succeeded  25%       1m01s          3  2026-11-21T10:01:01.000Z",
            "new   pending    -         -              0  -",
            "open  running    -         2.0s           3  2026-11-21T10:00:02.000Z");
    assertThat(data.resolve("runs/done/run.json")).as("ls never writes snapshots").doesNotExist();
  }

  /** A clock the test moves. */
  static final class SteppingClock extends Clock {
    private long millis;

    SteppingClock(Instant start) {
      millis = start.toEpochMilli();
    }

    void advance(long byMillis) {
      millis += byMillis;
    }

    void set(Instant instant) {
      millis = instant.toEpochMilli();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
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
