package io.runjournal.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.AppendRequest;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import io.runjournal.postgres.EmbeddedPostgresServer;
import io.runjournal.postgres.PostgresJournal;
import io.runjournal.postgres.PostgresOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runjournal migrate --from SRC --to DST} between data directories and PostgreSQL. */
class MigrateCommandTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgresServer postgres;

  @TempDir Path source;
  @TempDir Path back;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() {
    postgres.close();
  }

  private static String freshDatabase() {
    return postgres.createDatabase("migrate_" + DATABASES.incrementAndGet());
  }

  private static CliRunner.Outcome migrate(String from, String to, String... runs) {
    List<String> args = new ArrayList<>(List.of("migrate", "--from", from, "--to", to));
    args.addAll(List.of(runs));
    return new CliRunner(Path.of("unused")).execute(args.toArray(String[]::new));
  }

  /**
   * Runs of every shape: ended with ids, data, meta and two branches; active; archived; empty; one
   * with non-ASCII data and numbers as written.
   */
  private void writeSourceRuns() {
    try (Journal journal = Journal.open(source)) {
      journal.append(
          "alpha",
          AppendRequest.of(
              NewEvent.of("run.started", "{\"goal\":\"x\"}")
                  .withId("a-1")
                  .withMeta("{\"agent\":\"planner\"}"),
              NewEvent.of("step", "[1, 2.50, 1e3]")));
      journal.append("alpha", AppendRequest.of(NewEvent.of("try", "{}")).onBranch("retry-1"));
      journal.append("alpha", NewEvent.of("run.completed", "{\"ok\":true}"));
      journal.append("beta", NewEvent.of("run.started"));
      journal.append("beta", NewEvent.of("progress.reported", "{\"completed\":1,\"total\":4}"));
      journal.append("gamma", NewEvent.of("run.started", "\"ünïcödé ✓\""));
      journal.append("gamma", NewEvent.of("run.failed", "{\"error\":\"boom\"}"));
      journal.archive("gamma");
      journal.create("empty");
      for (int n = 0; n < 5; n++) {
        journal.append("many-" + n, NewEvent.of("tick", Integer.toString(n)).withId("t-" + n));
      }
    }
  }

  /** Every run's journal as its store writes it, byte for byte, by run id. */
  private static Map<String, String> journals(Journal journal) {
    Map<String, String> journals = new LinkedHashMap<>();
    for (String run : journal.listRuns()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        journal.copyJournal(run, Long.MAX_VALUE, out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      journals.put(run, out.toString(java.nio.charset.StandardCharsets.UTF_8));
    }
    return journals;
  }

  private static Map<String, String> journalsIn(Path dataDir) {
    try (Journal journal = Journal.open(dataDir)) {
      return journals(journal);
    }
  }

  private static List<String> activeIn(Path dataDir) {
    try (Journal journal = Journal.open(dataDir)) {
      return journal.activeRuns();
    }
  }

  private static Journal openPostgres(String url) {
    return PostgresJournal.open(PostgresOptions.of(url));
  }

  @Test
  void roundTrip_fileToPostgresToFile_keepsEveryJournalByteForByte() {
    writeSourceRuns();
    String database = freshDatabase();

    CliRunner.Outcome there = migrate(source.toString(), database);
    CliRunner.Outcome backAgain = migrate(database, back.toString());

    assertThat(there.exitCode()).as(there.err()).isEqualTo(ExitCodes.OK);
    assertThat(there.out())
        .contains("copied alpha (4 events)", "copied many-0 (1 event)")
        .contains("migrated 9 runs from " + source + " to " + database)
        .contains(": 9 copied (13 events), 0 skipped (already there), 0 conflicting, 0 failed");
    assertThat(backAgain.exitCode()).as(backAgain.err()).isEqualTo(ExitCodes.OK);
    Map<String, String> original = journalsIn(source);
    assertThat(original.get("alpha").lines()).hasSize(4);
    try (Journal inPostgres = openPostgres(database)) {
      assertThat(journals(inPostgres)).isEqualTo(original);
      assertThat(inPostgres.isArchived("gamma")).isTrue();
      assertThat(inPostgres.activeRuns()).isEqualTo(activeIn(source));
      assertThat(inPostgres.exists("empty")).isTrue();
    }
    assertThat(journalsIn(back)).isEqualTo(original);
    try (Journal copied = Journal.open(back)) {
      assertThat(copied.isArchived("gamma")).isTrue();
      assertThat(copied.activeRuns()).isEqualTo(activeIn(source)).contains("beta");
      assertThat(copied.info("alpha").endedBy()).isEqualTo("run.completed");
    }
  }

  @Test
  void rerun_afterAnInterruptedMigration_skipsTheRunsThereAndCopiesTheRest() {
    writeSourceRuns();
    String database = freshDatabase();
    migrate(source.toString(), database, "alpha", "many-0", "many-1"); // the part done before

    CliRunner.Outcome resumed = migrate(source.toString(), database);
    CliRunner.Outcome again = migrate(source.toString(), database);

    assertThat(resumed.exitCode()).as(resumed.err()).isEqualTo(ExitCodes.OK);
    assertThat(resumed.out())
        .doesNotContain("copied alpha")
        .contains("copied beta (2 events)")
        .contains(": 6 copied (7 events), 3 skipped (already there), 0 conflicting, 0 failed");
    assertThat(again.out())
        .contains(": 0 copied (0 events), 9 skipped (already there), 0 conflicting, 0 failed");
    try (Journal inPostgres = openPostgres(database)) {
      assertThat(journals(inPostgres)).isEqualTo(journalsIn(source));
    }
  }

  @Test
  void destinationRunThatDiffers_isReportedAndLeftAlone_theOthersAreCopied_exitIsRefused() {
    writeSourceRuns();
    String database = freshDatabase();
    try (Journal inPostgres = openPostgres(database)) {
      inPostgres.append("beta", NewEvent.of("someone.else"));
      inPostgres.append("alpha", NewEvent.of("run.started", "{\"goal\":\"x\"}").withId("a-1"));
    }

    CliRunner.Outcome outcome = migrate(source.toString(), database);

    assertThat(outcome.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(outcome.err())
        .contains("runjournal: run-exists: run \"beta\" differs at the destination")
        .contains("run \"alpha\" differs at the destination (heads {main=1} there,");
    assertThat(outcome.out())
        .contains(": 7 copied (7 events), 0 skipped (already there), 2 conflicting, 0 failed");
    try (Journal inPostgres = openPostgres(database)) {
      assertThat(inPostgres.read("beta", io.runjournal.ReadQuery.all()).events())
          .extracting(Event::type)
          .containsExactly("someone.else");
      assertThat(inPostgres.heads("alpha")).isEqualTo(Map.of("main", 1L));
      assertThat(journals(inPostgres).get("gamma")).isEqualTo(journalsIn(source).get("gamma"));
    }
  }

  @Test
  void runCopiedOnlyInPart_isReportedAsACopyCutShort_andLeftAlone() {
    writeSourceRuns();
    try (Journal sourceJournal = Journal.open(source);
        Journal destination = Journal.open(back)) {
      // What a migrate killed in the middle of writing a run's lines may leave in a directory.
      List<Event> firstTwo = new ArrayList<>();
      sourceJournal.forEachEvent("alpha", 2, firstTwo::add);
      destination.importEvents("alpha", firstTwo);
    }

    CliRunner.Outcome outcome = migrate(source.toString(), back.toString());

    assertThat(outcome.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(outcome.err())
        .contains(
            "run \"alpha\" differs at the destination (heads {main=2} there,",
            "it holds the start of the source's run: a copy cut short",
            "remove it there and run again");
    assertThat(outcome.out()).contains(": 8 copied (9 events), 0 skipped");
    assertThat(journalsIn(back).get("alpha").lines()).hasSize(2);
  }

  @Test
  void runThatGrewAtTheSourceAfterItWasCopied_isAConflict_notAPartialAppend() {
    writeSourceRuns();
    String database = freshDatabase();
    migrate(source.toString(), database, "beta");
    try (Journal journal = Journal.open(source)) {
      journal.append("beta", NewEvent.of("step"));
    }

    CliRunner.Outcome outcome = migrate(source.toString(), database, "beta");

    assertThat(outcome.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(outcome.err())
        .contains("run \"beta\" differs at the destination (heads {main=2} there, {main=3}")
        .contains("it holds the start of the source's run");
  }

  @Test
  void eventLargerThanTheDefaultLimit_isCopied_sinceTheSourceAcceptedIt() {
    String big = "\"" + "x".repeat(2 << 20) + "\"";
    try (Journal journal =
        Journal.open(source, JournalOptions.defaults().withMaxEventBytes(4 << 20))) {
      journal.append("big", NewEvent.of("blob", big));
    }
    String database = freshDatabase();

    CliRunner.Outcome outcome = migrate(source.toString(), database);

    assertThat(outcome.exitCode()).as(outcome.err()).isEqualTo(ExitCodes.OK);
    try (Journal inPostgres = openPostgres(database)) {
      assertThat(journals(inPostgres)).isEqualTo(journalsIn(source));
    }
  }

  @Test
  void sameStoreOnBothSides_orAMissingSource_isRefusedBeforeAnythingIsWritten() {
    CliRunner.Outcome same = migrate(source.toString(), source.resolve(".").toString());
    CliRunner.Outcome missing = migrate(source.resolve("nope").toString(), back.toString());
    CliRunner.Outcome badUrl = migrate("postgresql:", back.toString());

    assertThat(same.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(same.err()).contains("--from and --to are the same store");
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(missing.err()).contains("the source data directory", "does not exist");
    assertThat(badUrl.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(Files.exists(back.resolve("runs"))).isFalse();
  }
}
