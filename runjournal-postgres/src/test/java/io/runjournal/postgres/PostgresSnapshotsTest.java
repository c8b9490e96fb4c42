package io.runjournal.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.model.NewEvent;
import io.runjournal.projection.RunProjection;
import io.runjournal.projection.RunProjections;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresSnapshotsTest {
  static PostgresFixture postgres;

  @BeforeAll
  static void startServer() throws Exception {
    postgres = PostgresFixture.start();
  }

  @AfterAll
  static void stopServer() {
    postgres.close();
  }

  @BeforeEach
  void newDatabase() {
    postgres.newDatabase();
  }

  @AfterEach
  void closeJournals() {
    postgres.closeJournals();
  }

  private static void writeRun(PostgresJournal journal, String run) {
    journal.append(run, NewEvent.of("run.created").withMeta("{\"owner\":\"ci\"}"));
    journal.append(run, NewEvent.of("run.started"));
    journal.append(run, NewEvent.of("progress.reported", "{\"completed\":2,\"total\":4}"));
    journal.append(
        run, NewEvent.of("decision.made", "{\"confidence\":0.35}").withMeta("{\"agent\":\"a1\"}"));
  }

  @Test
  void flushedProjection_isLoadedByAnotherNode_asItWasFolded() {
    PostgresJournal nodeA = postgres.open();
    PostgresJournal nodeB = postgres.open();
    writeRun(nodeA, "run");
    RunProjections projections = new RunProjections(nodeA, new PostgresSnapshots(nodeA), 16);
    RunProjection folded = projections.get("run");
    projections.appended("run");

    projections.flush();

    RunProjections.Snapshot loaded = new PostgresSnapshots(nodeB).load("run").orElseThrow();
    assertThat(loaded.projection()).isEqualTo(folded);
    assertThat(loaded.projection().progressPercent()).isEqualTo(50.0);
    assertThat(loaded.journalBytes()).isEqualTo(nodeB.size("run"));
    assertThat(new RunProjections(nodeB, new PostgresSnapshots(nodeB), 16).get("run"))
        .isEqualTo(folded);
  }

  @Test
  void save_ofASnapshotFoldedFromLess_neverReplacesAFresherOne() {
    PostgresJournal journal = postgres.open();
    writeRun(journal, "run");
    PostgresSnapshots snapshots = new PostgresSnapshots(journal);
    RunProjection fresh = new RunProjections(journal, snapshots, 16).get("run");
    RunProjection stale = new RunProjection("run");

    snapshots.save(new RunProjections.Snapshot(fresh, journal.size("run")));
    snapshots.save(new RunProjections.Snapshot(stale, 10));

    assertThat(snapshots.load("run").orElseThrow().projection()).isEqualTo(fresh);
  }

  @Test
  void load_ofARunWithoutSnapshot_orOfAnotherRunsOrUnreadable_isEmpty() throws Exception {
    PostgresJournal journal = postgres.open();
    PostgresSnapshots snapshots = new PostgresSnapshots(journal);
    snapshots.save(new RunProjections.Snapshot(new RunProjection("missing"), 0));
    journal.create("other");
    journal.create("broken");
    try (Connection connection = postgres.connect();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "update runs set projection = '{\"id\":\"run\"}', projection_bytes = 1"
              + " where run = 'other'");
      statement.execute(
          "update runs set projection = '[1]', projection_bytes = 1 where run = 'broken'");
    }

    assertThat(snapshots.load("missing")).isEmpty();
    assertThat(journal.exists("missing")).isFalse();
    assertThat(snapshots.load("other")).isEmpty();
    assertThat(snapshots.load("broken")).isEmpty();
  }
}
