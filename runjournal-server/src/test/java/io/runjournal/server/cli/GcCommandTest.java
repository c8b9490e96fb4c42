package io.runjournal.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.FsyncPolicy;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.model.NewEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code runjournal gc}: which runs it removes, with events written "in the past" through the
 * journal's injectable clock.
 */
class GcCommandTest {
  @TempDir Path data;

  private static final Instant FORTY_DAYS_AGO = Instant.now().minus(Duration.ofDays(40));

  private CliRunner cli() {
    return new CliRunner(data);
  }

  /** Writes {@code types} to {@code run} with timestamps at {@code when}. */
  private void write(String run, Instant when, String... types) {
    JournalOptions options =
        JournalOptions.defaults()
            .withFsync(FsyncPolicy.NONE)
            .withClock(Clock.fixed(when, ZoneOffset.UTC));
    try (Journal journal = Journal.open(data, options)) {
      for (String type : types) {
        journal.append(run, NewEvent.of(type, "{\"payload\":\"" + "x".repeat(200) + "\"}"));
      }
    }
  }

  /**
   * old-ok and old-failed are selected by 30d; old-open has not ended; old-marked ended but is
   * still marked active; new-ok is too recent; empty has no events.
   */
  @BeforeEach
  void runs() throws IOException {
    write("old-ok", FORTY_DAYS_AGO, "run.started", "step", "step", "run.completed");
    write("old-failed", FORTY_DAYS_AGO, "run.started", "run.failed");
    write("old-open", FORTY_DAYS_AGO, "run.started", "step");
    write("old-marked", FORTY_DAYS_AGO, "run.started", "run.cancelled");
    Files.createFile(data.resolve("active/old-marked"));
    write("new-ok", Instant.now(), "run.started", "run.completed");
    Files.createDirectories(data.resolve("runs/empty"));
  }

  /** Every file of the data directory and its content, to show that nothing changed. */
  private Map<String, String> tree() throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(data)) {
      for (Path path : paths.toList()) {
        files.put(
            data.relativize(path).toString(),
            Files.isDirectory(path) ? "dir" : new String(Files.readAllBytes(path)));
      }
    }
    return files;
  }

  private String runsLeft() throws IOException {
    try (Stream<Path> runs = Files.list(data.resolve("runs"))) {
      return String.join(" ", runs.map(run -> run.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void gc_deletesFinishedRunsOlderThanTheCutoff_andKeepsTheRest() throws Exception {
    Map<String, String> kept = tree();
    kept.keySet().removeIf(path -> path.startsWith("runs/old-ok") || path.startsWith("runs/old-f"));

    var outcome = cli().inData("gc", "--older-than", "30d");

    assertThat(outcome.exitCode()).as(outcome.err()).isZero();
    assertThat(outcome.err()).isEmpty();
    assertThat(outcome.out())
        .isEqualTo(
            "deleted old-failed\n"
                + "deleted old-ok\n"
                + "deleted 2 of 6 runs; kept 4: 3 not finished, 1 newer than 30d\n");
    assertThat(runsLeft()).isEqualTo("empty new-ok old-marked old-open");
    Map<String, String> after = tree();
    after.keySet().removeIf(path -> path.equals("trash"));
    assertThat(after).isEqualTo(kept);
  }

  @Test
  void gc_withStatus_deletesOnlyRunsOfThoseStatuses() throws Exception {
    var outcome = cli().inData("gc", "--older-than", "30d", "--status", "failed,cancelled");

    assertThat(outcome.exitCode()).as(outcome.err()).isZero();
    assertThat(outcome.out())
        .isEqualTo(
            "deleted old-failed\n"
                + "deleted 1 of 6 runs; kept 5: 3 not finished, 1 newer than 30d,"
                + " 1 of another status\n");
    assertThat(runsLeft()).isEqualTo("empty new-ok old-marked old-ok old-open");
  }

  @Test
  void gc_dryRun_printsWhatItWouldDo_andChangesNothing() throws Exception {
    Map<String, String> before = tree();

    var deleting = cli().inData("gc", "--older-than", "30d", "--dry-run");
    var archiving = cli().inData("gc", "--older-than", "30d", "--dry-run", "--archive");

    assertThat(deleting.exitCode()).isZero();
    assertThat(deleting.out())
        .isEqualTo(
            "would delete old-failed\n"
                + "would delete old-ok\n"
                + "dry run: would delete 2 of 6 runs; kept 4: 3 not finished, 1 newer than 30d;"
                + " nothing was changed\n");
    long failedBytes = Files.size(data.resolve("runs/old-failed/events.jsonl"));
    long okBytes = Files.size(data.resolve("runs/old-ok/events.jsonl"));
    assertThat(archiving.out())
        .isEqualTo(
            "would archive old-failed ("
                + failedBytes
                + " bytes)\n"
                + "would archive old-ok ("
                + okBytes
                + " bytes)\n"
                + "dry run: would archive 2 of 6 runs ("
                + (failedBytes + okBytes)
                + " bytes); kept 4: 3 not finished, 1 newer than 30d; nothing was changed\n");
    assertThat(tree()).isEqualTo(before);
  }

  @Test
  void gc_archive_compressesTheRuns_whichStillReadTheSame_andLsMarksThem() throws Exception {
    String catBefore = cli().inData("cat", "old-ok").out();
    String verifyBefore = cli().inData("verify", "old-ok").out();
    long okBytes = Files.size(data.resolve("runs/old-ok/events.jsonl"));

    var outcome = cli().inData("gc", "--older-than", "30d", "--archive");

    assertThat(outcome.exitCode()).as(outcome.err()).isZero();
    long okArchive = Files.size(data.resolve("runs/old-ok/events.jsonl.gz"));
    assertThat(outcome.out().lines())
        .contains("archived old-ok (" + okBytes + " bytes → " + okArchive + " bytes)")
        .last()
        .asString()
        .startsWith("archived 2 of 6 runs (")
        .endsWith(" bytes); kept 4: 3 not finished, 1 newer than 30d");
    assertThat(data.resolve("runs/old-ok/events.jsonl")).doesNotExist();
    assertThat(cli().inData("cat", "old-ok").out()).isEqualTo(catBefore);
    assertThat(cli().inData("verify", "old-ok").out()).isEqualTo(verifyBefore);
    List<String> table = cli().inData("ls", "-l").out().lines().toList();
    int column = table.getFirst().indexOf("ARCHIVED");
    assertThat(table.getFirst()).endsWith("  LAST EVENT                ARCHIVED");
    assertThat(table.subList(1, table.size()))
        .allSatisfy(
            row -> {
              boolean archived = row.startsWith("old-ok ") || row.startsWith("old-failed ");
              assertThat(row.endsWith("  yes")).as(row).isEqualTo(archived);
              assertThat(row.length()).as(row).isLessThanOrEqualTo(column + 3);
              if (archived) {
                assertThat(row.indexOf("yes")).as(row).isEqualTo(column);
              }
            });

    var again = cli().inData("gc", "--older-than", "30d", "--archive");
    assertThat(again.out())
        .isEqualTo(
            "archived 0 of 6 runs; kept 6: 3 not finished, 1 newer than 30d,"
                + " 2 already archived\n");

    var deleting = cli().inData("gc", "--older-than", "30d");
    assertThat(deleting.out()).startsWith("deleted old-failed\ndeleted old-ok\n");
    assertThat(runsLeft()).isEqualTo("empty new-ok old-marked old-open");
  }

  @Test
  void append_toARunArchivedByGc_isRefusedWithRunEnded() throws Exception {
    cli().inData("gc", "--older-than", "30d", "--archive");

    var outcome = cli().inData("append", "old-ok", "late");

    assertThat(outcome.exitCode()).isEqualTo(3);
    assertThat(outcome.err()).startsWith("runjournal: run-ended: run \"old-ok\" has ended");
    assertThat(data.resolve("runs/old-ok/events.jsonl")).doesNotExist();
  }

  @ParameterizedTest
  @ValueSource(strings = {"30d", "720h", "43200m", "2592000s", "P30D", "PT720H", "p30d"})
  void gc_olderThan_acceptsShortFormsAndIso8601(String duration) {
    var outcome = cli().inData("gc", "--older-than", duration, "--dry-run");

    assertThat(outcome.exitCode()).as(outcome.err()).isZero();
    assertThat(outcome.out()).contains("would delete 2 of 6 runs");
  }

  @Test
  void gc_olderThanZero_selectsEveryFinishedRun() {
    var outcome = cli().inData("gc", "--older-than", "0s", "--dry-run");

    assertThat(outcome.out())
        .contains("would delete new-ok\n")
        .contains("would delete 3 of 6 runs; kept 3: 3 not finished;");
  }

  @Test
  void gc_badInput_isAUsageError_withOneLine_andChangesNothing() throws Exception {
    Map<String, String> before = tree();

    var badDuration = cli().inData("gc", "--older-than", "30 days");
    var negative = cli().inData("gc", "--older-than", "-P1D");
    var badStatus = cli().inData("gc", "--older-than", "30d", "--status", "failed,running");
    var missing = cli().inData("gc");

    assertThat(badDuration.exitCode()).isEqualTo(2);
    assertThat(badDuration.err())
        .isEqualTo(
            "runjournal: usage: --older-than: \"30 days\" is not a duration (examples: 30d, 12h,"
                + " 90m, 45s, P30D, PT12H) (see 'runjournal gc --help')\n");
    assertThat(negative.exitCode()).isEqualTo(2);
    assertThat(badStatus.exitCode()).isEqualTo(2);
    assertThat(badStatus.err())
        .isEqualTo(
            "runjournal: usage: --status: unknown status \"running\": gc selects finished runs:"
                + " succeeded, failed, cancelled, interrupted (see 'runjournal gc --help')\n");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).startsWith("runjournal: usage: Missing required option:");
    assertThat(badDuration.out() + negative.out() + badStatus.out() + missing.out()).isEmpty();
    assertThat(tree()).isEqualTo(before);
  }

  @Test
  void gc_missingDataDirectory_exits5() {
    var outcome = new CliRunner(data.resolve("nope")).inData("gc", "--older-than", "1d");

    assertThat(outcome.exitCode()).isEqualTo(5);
    assertThat(outcome.err()).startsWith("runjournal: not-found: data directory ");
    assertThat(data.resolve("nope")).doesNotExist();
  }
}
