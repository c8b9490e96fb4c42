package io.runjournal.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runjournal.ArchiveReport;
import io.runjournal.FsyncPolicy;
import io.runjournal.ImportResult;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.MalformedEventException;
import io.runjournal.ReadQuery;
import io.runjournal.RunActiveException;
import io.runjournal.RunEndedException;
import io.runjournal.RunExistsException;
import io.runjournal.RunNotFoundException;
import io.runjournal.VerifyReport;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listing, retention, import and verify on PostgreSQL, where they differ in mechanism. */
class PostgresRunsTest {
  static PostgresFixture postgres;
  PostgresJournal journal;

  @BeforeAll
  static void startServer() throws Exception {
    postgres = PostgresFixture.start();
  }

  @AfterAll
  static void stopServer() {
    postgres.close();
  }

  @BeforeEach
  void open() {
    postgres.newDatabase();
    journal = postgres.open();
  }

  @AfterEach
  void closeJournals() {
    postgres.closeJournals();
  }

  @Test
  void listRuns_isInJavaStringOrder_whateverTheDatabaseCollation() {
    List<String> runs = new ArrayList<>(List.of("beta.1", "Zed", "alpha", "Alpha", "beta-1", "9"));
    runs.forEach(journal::create);
    journal.append("alpha", NewEvent.of("x"));
    journal.append("Zed", NewEvent.of("x"));

    runs.sort(null);
    assertThat(journal.listRuns()).isEqualTo(runs);
    assertThat(journal.activeRuns()).containsExactly("Zed", "alpha");
  }

  @Test
  void terminalAppend_clearsActive_andReleaseClearsItOnlyForEndedOrEmptyRuns() {
    journal.append("open", NewEvent.of("x"));
    journal.append("done", NewEvent.of("x"));
    journal.append("done", NewEvent.of("run.completed"));
    journal.create("empty");

    assertThat(journal.activeRuns()).containsExactly("open");
    assertThat(journal.releaseActiveMarker("open")).isFalse();
    assertThat(journal.releaseActiveMarker("done")).isFalse();
    assertThat(journal.isFinished("done")).isTrue();
    assertThat(journal.isFinished("open")).isFalse();
    assertThatThrownBy(() -> journal.append("done", NewEvent.of("late")))
        .isInstanceOf(RunEndedException.class);
  }

  @Test
  void archive_flagsAFinishedRun_whichStaysReadable_andRefusesAppends() {
    journal.append("r", NewEvent.of("x").withId("a"));
    journal.append("r", NewEvent.of("run.failed", "{\"error\":\"boom\"}"));

    ArchiveReport first = journal.archive("r");
    ArchiveReport again = journal.archive("r");

    assertThat(first.alreadyArchived()).isFalse();
    assertThat(again.alreadyArchived()).isTrue();
    assertThat(first.journalBytes()).isEqualTo(journal.size("r"));
    assertThat(first.path().toString()).endsWith("/runs/r");
    assertThat(journal.isArchived("r")).isTrue();
    assertThat(journal.read("r", ReadQuery.all()).events()).hasSize(2);
    assertThat(journal.append("r", NewEvent.of("x").withId("a")).allDuplicates()).isTrue();
    assertThatThrownBy(() -> journal.append("r", NewEvent.of("y")))
        .isInstanceOf(RunEndedException.class);
  }

  @Test
  void archiveAndDelete_refuseRunsThatAreNotFinished_andMissingRuns() throws Exception {
    journal.append("open", NewEvent.of("x"));
    journal.create("empty");
    journal.append("marked", NewEvent.of("run.completed"));
    try (Connection connection = postgres.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("update runs set active = true where run = 'marked'");
    }

    assertThatThrownBy(() -> journal.archive("open"))
        .isInstanceOf(RunActiveException.class)
        .hasMessageContaining("it has not ended");
    assertThatThrownBy(() -> journal.delete("empty"))
        .isInstanceOf(RunActiveException.class)
        .hasMessageContaining("it has no events");
    assertThatThrownBy(() -> journal.delete("marked"))
        .isInstanceOf(RunActiveException.class)
        .hasMessageContaining("marked active");
    assertThatThrownBy(() -> journal.archive("missing")).isInstanceOf(RunNotFoundException.class);
    assertThat(journal.delete("missing")).isFalse();
    assertThat(journal.releaseActiveMarker("marked")).isTrue();
    assertThat(journal.delete("marked")).isTrue();
  }

  @Test
  void delete_removesEveryRowOfTheRun_andTheIdStartsAfresh() {
    PostgresJournal otherNode = postgres.open();
    journal.append("r", NewEvent.of("x").withId("a"));
    journal.append("r", NewEvent.of("run.completed"));
    journal.append("kept", NewEvent.of("x"));

    assertThat(otherNode.delete("r")).isTrue();

    assertThat(journal.exists("r")).isFalse();
    assertThat(journal.size("r")).isZero();
    assertThat(journal.info("r").heads()).isEmpty();
    assertThat(journal.append("r", NewEvent.of("y").withId("a")).duplicate())
        .containsExactly(false);
    assertThat(journal.head("r", "main")).isEqualTo(1);
    assertThat(journal.head("kept", "main")).isEqualTo(1);
  }

  @Test
  void import_ofAFileStoreRun_reproducesItsJournalByteForByte_once(@TempDir Path dataDir)
      throws Exception {
    List<Event> exported = new ArrayList<>();
    byte[] fileBytes;
    try (Journal files =
        Journal.open(dataDir, JournalOptions.defaults().withFsync(FsyncPolicy.NONE))) {
      files.append("src", NewEvent.of("run.created"));
      files.append("src", io.runjournal.AppendRequest.of(NewEvent.of("b")).onBranch("alt"));
      files.append("src", NewEvent.of("m", "{\"k\":[1,2]}").withId("i1"));
      files.append("src", NewEvent.of("run.completed"));
      files.forEachEvent("src", Long.MAX_VALUE, exported::add);
      fileBytes = copy(files, "src");
    }

    ImportResult imported = journal.importEvents("src", exported);
    ImportResult again = postgres.open().importEvents("src", exported);

    assertThat(imported.created()).isTrue();
    assertThat(again.created()).isFalse();
    assertThat(copy(journal, "src")).isEqualTo(fileBytes);
    assertThat(journal.size("src")).isEqualTo(fileBytes.length).isEqualTo(imported.bytes());
    assertThat(journal.heads("src")).containsEntry("main", 3L).containsEntry("alt", 1L);
    assertThat(journal.isFinished("src")).isTrue();
    assertThat(journal.activeRuns()).isEmpty();
    assertThat(journal.append("src", NewEvent.of("m", "{\"k\":[1,2]}").withId("i1")).first())
        .isEqualTo(2);
    assertThatThrownBy(() -> journal.importEvents("src", exported.subList(0, 2)))
        .isInstanceOfSatisfying(RunExistsException.class, e -> assertThat(e.line()).isEqualTo(3));
  }

  @Test
  void verify_andStrictReads_reportARowEditedByHand_tolerantReadsSkipIt() throws Exception {
    for (int i = 0; i < 3; i++) {
      journal.append("r", NewEvent.of("x"));
    }
    try (Connection connection = postgres.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("update events set line = '{\"broken' where run = 'r' and seq = 2");
    }

    VerifyReport report = journal.verify("r");
    assertThat(report.ok()).isFalse();
    assertThat(report.lines()).isEqualTo(3);
    assertThat(report.events()).isEqualTo(1); // as the file store: seq 3 then follows a gap
    assertThat(report.problems()).extracting(VerifyReport.Problem::line).containsExactly(2L, 3L);
    assertThatThrownBy(() -> journal.read("r", ReadQuery.all().failOnMalformed()))
        .isInstanceOfSatisfying(
            MalformedEventException.class, e -> assertThat(e.line()).isEqualTo(2));
    assertThat(journal.read("r", ReadQuery.all()).events())
        .extracting(Event::seq)
        .containsExactly(1L, 3L);
    assertThat(journal.malformedLines()).isEqualTo(1);
    assertThat(journal.repair("r").tornBytes()).isZero();
  }

  private static byte[] copy(Journal journal, String run) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    journal.copyJournal(run, Long.MAX_VALUE, out);
    return out.toByteArray();
  }
}
