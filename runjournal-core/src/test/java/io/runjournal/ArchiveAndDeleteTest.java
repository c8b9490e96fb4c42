package io.runjournal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archiving and deleting finished runs through the public API (DESIGN §3, §8 retention). */
class ArchiveAndDeleteTest {
  @TempDir Path data;
  Journal journal;

  @BeforeEach
  void open() {
    journal = Journal.open(data, JournalOptions.defaults().withFsync(FsyncPolicy.NONE));
  }

  @AfterEach
  void close() {
    journal.close();
  }

  /** A finished run on two branches, long enough for several sparse-index entries. */
  static void writeFinishedRun(Journal journal, String run) {
    for (int i = 1; i <= 150; i++) {
      NewEvent event =
          NewEvent.of(i % 3 == 0 ? "step.done" : "step.started", "{\"i\":" + i + "}")
              .withId("ev-" + i);
      journal.append(run, AppendRequest.of(event));
      if (i % 10 == 0) {
        journal.append(
            run, AppendRequest.of(NewEvent.of("side.note", "\"" + i + "\"")).onBranch("side"));
      }
    }
    journal.append(run, NewEvent.of("run.completed", "{\"ok\":true}"));
  }

  private Path runDir(String run) {
    return data.resolve("runs").resolve(run);
  }

  @Test
  void archive_everyReadFormReturnsTheSameEvents_inThisAndAnotherJournalInstance()
      throws Exception {
    writeFinishedRun(journal, "done");
    ReadForms before = ReadForms.of(journal, "done");
    long journalBytes = Files.size(runDir("done").resolve("events.jsonl"));

    ArchiveReport report = journal.archive("done");

    assertThat(report.alreadyArchived()).isFalse();
    assertThat(report.journalBytes()).isEqualTo(journalBytes);
    assertThat(report.archiveBytes()).isEqualTo(Files.size(report.path())).isLessThan(journalBytes);
    assertThat(report.path()).isEqualTo(runDir("done").resolve("events.jsonl.gz"));
    assertThat(runDir("done").resolve("events.jsonl")).doesNotExist();
    assertThat(runDir("done").resolve("events.jsonl.gz.tmp")).doesNotExist();
    assertThat(ReadForms.of(journal, "done")).isEqualTo(before);
    try (Journal other = Journal.open(data)) {
      assertThat(ReadForms.of(other, "done")).isEqualTo(before);
      assertThat(other.isArchived("done")).isTrue();
      assertThat(other.listRuns()).containsExactly("done");
    }
  }

  @Test
  void archive_aRunAnotherInstanceHasOpen_itReadsTheArchiveAndIsRefusedAppends() throws Exception {
    try (Journal other = Journal.open(data)) {
      writeFinishedRun(other, "done");
      ReadForms before = ReadForms.of(other, "done");

      journal.archive("done");

      assertThatThrownBy(() -> other.append("done", NewEvent.of("late")))
          .isInstanceOf(RunEndedException.class)
          .hasMessageContaining("run.completed");
      assertThat(runDir("done").resolve("events.jsonl")).doesNotExist();
      assertThat(ReadForms.of(other, "done")).isEqualTo(before);
    }
  }

  @Test
  void archive_aDescendingReadOfTheColdRun_readsTheArchiveFromItsEnd() throws Exception {
    writeFinishedRun(journal, "done");
    ReadQuery latestSteps = ReadQuery.all().newestFirst().types(Set.of("step.done")).limit(3);
    ReadResult before = journal.read("done", latestSteps);
    journal.archive("done");

    try (Journal cold = Journal.open(data)) {
      assertThat(cold.read("done", latestSteps)).isEqualTo(before);
    }
  }

  @Test
  void archive_exportReadsOfTheRun_areTheSame_andAnImportIsComparedWithTheArchive()
      throws Exception {
    writeFinishedRun(journal, "done");
    byte[] journalBytes = Files.readAllBytes(runDir("done").resolve("events.jsonl"));
    List<Event> events = new ArrayList<>();
    journal.forEachEvent("done", Long.MAX_VALUE, events::add);
    journal.archive("done");

    try (Journal other = Journal.open(data)) {
      ByteArrayOutputStream copy = new ByteArrayOutputStream();
      other.copyJournal("done", Long.MAX_VALUE, copy);
      assertThat(copy.toByteArray()).isEqualTo(journalBytes);
      List<Event> exported = new ArrayList<>();
      other.forEachEvent("done", Long.MAX_VALUE, exported::add);
      assertThat(exported).isEqualTo(events);

      assertThat(other.importEvents("done", events).created()).isFalse();
      assertThatThrownBy(() -> other.importEvents("done", events.subList(0, 3)))
          .isInstanceOf(RunExistsException.class);
    }
    assertThat(runDir("done").resolve("events.jsonl")).doesNotExist();
  }

  @Test
  void append_toAnArchivedRun_failsWithRunEnded_andCreatesNoPlainJournal() throws Exception {
    writeFinishedRun(journal, "done");
    journal.archive("done");
    byte[] archive = Files.readAllBytes(runDir("done").resolve("events.jsonl.gz"));

    assertThatThrownBy(() -> journal.append("done", NewEvent.of("late")))
        .isInstanceOfSatisfying(
            RunEndedException.class,
            ended -> assertThat(ended.terminalType()).isEqualTo("run.completed"));
    assertThatThrownBy(
            () ->
                journal.append(
                    "done", AppendRequest.of(NewEvent.of("late")).onBranch("new-branch")))
        .isInstanceOf(RunEndedException.class);

    assertThat(runDir("done").resolve("events.jsonl")).doesNotExist();
    assertThat(Files.readAllBytes(runDir("done").resolve("events.jsonl.gz"))).isEqualTo(archive);
  }

  @Test
  void append_aDuplicateToAnArchivedRun_answersTheOriginalSeq() {
    writeFinishedRun(journal, "done");
    journal.archive("done");

    AppendResult retry =
        journal.append("done", NewEvent.of("step.started", "{\"i\":1}").withId("ev-1"));

    assertThat(retry.first()).isEqualTo(1);
    assertThat(retry.allDuplicates()).isTrue();
    assertThat(runDir("done").resolve("events.jsonl")).doesNotExist();
  }

  @Test
  void archive_anArchivedRun_changesNothing() throws Exception {
    writeFinishedRun(journal, "done");
    ArchiveReport first = journal.archive("done");
    byte[] archive = Files.readAllBytes(first.path());

    ArchiveReport second = journal.archive("done");

    assertThat(second.alreadyArchived()).isTrue();
    assertThat(second.journalBytes()).isEqualTo(first.journalBytes());
    assertThat(second.archiveBytes()).isEqualTo(first.archiveBytes());
    assertThat(Files.readAllBytes(first.path())).isEqualTo(archive);
  }

  @Test
  void archiveAndDelete_ofARunThatHasNotEnded_areRefusedAndChangeNothing() throws Exception {
    journal.append("open", NewEvent.of("step.started"));
    byte[] before = Files.readAllBytes(runDir("open").resolve("events.jsonl"));

    assertThatThrownBy(() -> journal.archive("open"))
        .isInstanceOfSatisfying(
            RunActiveException.class,
            active -> {
              assertThat(active.run()).isEqualTo("open");
              assertThat(active.operation()).isEqualTo("archive");
              assertThat(active.code()).isEqualTo("run-active");
            })
        .hasMessage(
            "cannot archive run \"open\": it has not ended (no terminal event); nothing was"
                + " changed");
    assertThatThrownBy(() -> journal.delete("open"))
        .isInstanceOf(RunActiveException.class)
        .hasMessageStartingWith("cannot delete run \"open\": it has not ended");

    assertThat(Files.readAllBytes(runDir("open").resolve("events.jsonl"))).isEqualTo(before);
    assertThat(runDir("open").resolve("events.jsonl.gz")).doesNotExist();
    assertThat(journal.isFinished("open")).isFalse();
    assertThat(journal.append("open", NewEvent.of("step.done")).first()).isEqualTo(2);
  }

  @Test
  void archiveAndDelete_ofAnEndedRunStillMarkedActive_areRefused() throws Exception {
    writeFinishedRun(journal, "done");
    Path marker = data.resolve("active").resolve("done");
    Files.createDirectories(marker.getParent());
    Files.createFile(marker); // as a crash between the terminal event and the marker's removal

    assertThat(journal.isFinished("done")).isFalse();
    assertThatThrownBy(() -> journal.archive("done"))
        .isInstanceOf(RunActiveException.class)
        .hasMessageContaining("it is marked active (" + marker + " exists)");
    assertThatThrownBy(() -> journal.delete("done")).isInstanceOf(RunActiveException.class);
    assertThat(runDir("done").resolve("events.jsonl")).exists();
  }

  @Test
  void archiveAndDelete_ofARunWithoutEvents_areRefused_andOfAMissingRun_notFound() {
    journal.create("empty");

    assertThatThrownBy(() -> journal.archive("empty"))
        .isInstanceOf(RunActiveException.class)
        .hasMessageContaining("it has no events");
    assertThatThrownBy(() -> journal.delete("empty")).isInstanceOf(RunActiveException.class);
    assertThatThrownBy(() -> journal.archive("missing"))
        .isInstanceOfSatisfying(
            RunNotFoundException.class,
            missing -> assertThat(missing.code()).isEqualTo("not-found"));
    assertThat(journal.delete("missing")).isFalse();
    assertThat(runDir("missing")).doesNotExist();
  }

  @Test
  void delete_aFinishedRun_removesItsDirectory_andTheIdStartsAfresh() throws Exception {
    writeFinishedRun(journal, "done");
    journal.append("kept", NewEvent.of("run.completed"));

    assertThat(journal.delete("done")).isTrue();

    assertThat(runDir("done")).doesNotExist();
    assertThat(data.resolve("trash")).isEmptyDirectory();
    assertThat(journal.exists("done")).isFalse();
    assertThat(journal.listRuns()).containsExactly("kept");
    assertThat(journal.read("done", ReadQuery.all()).events()).isEmpty();
    assertThat(journal.info("done").heads()).isEmpty();
    assertThat(journal.size("done")).isZero();
    assertThat(journal.lastEvent("done")).isEmpty();
    assertThat(journal.append("done", NewEvent.of("run.started")).first()).isEqualTo(1);
  }

  @Test
  void delete_anArchivedRun_removesItsDirectory() throws Exception {
    writeFinishedRun(journal, "done");
    journal.archive("done");
    journal.read("done", ReadQuery.all()); // caches the decompressed archive

    assertThat(journal.delete("done")).isTrue();

    assertThat(runDir("done")).doesNotExist();
    assertThat(journal.read("done", ReadQuery.all()).events()).isEmpty();
  }

  @Test
  void delete_aRunAnotherInstanceHasOpen_itReadsNothing_andItsNextAppendStartsANewRun()
      throws Exception {
    try (Journal other = Journal.open(data)) {
      writeFinishedRun(other, "done");
      assertThat(other.head("done", "main")).isEqualTo(151);

      journal.delete("done");

      assertThat(other.append("done", NewEvent.of("run.started")).first()).isEqualTo(1);
      assertThat(journal.read("done", ReadQuery.all().failOnMalformed()).events())
          .extracting(Event::type)
          .containsExactly("run.started");
    }
  }

  @Test
  void delete_aRunAnotherInstanceHasRead_itReadsNothing() throws Exception {
    try (Journal other = Journal.open(data)) {
      writeFinishedRun(journal, "done");
      assertThat(other.head("done", "main")).isEqualTo(151);

      journal.delete("done");

      assertThat(other.head("done", "main")).isZero();
      assertThat(other.read("done", ReadQuery.all()).events()).isEmpty();
      assertThat(other.info("done").ended()).isFalse();
    }
  }

  @Test
  void repair_ofAnArchivedRun_doesNothing() throws Exception {
    writeFinishedRun(journal, "done");
    journal.archive("done");
    byte[] archive = Files.readAllBytes(runDir("done").resolve("events.jsonl.gz"));

    RepairReport report = journal.repair("done");

    assertThat(report.tornBytes()).isZero();
    assertThat(runDir("done").resolve("events.jsonl")).doesNotExist();
    assertThat(Files.readAllBytes(runDir("done").resolve("events.jsonl.gz"))).isEqualTo(archive);
  }

  @Test
  void verify_ofAnArchivedRun_namesTheArchive_andReportsItsMalformedLines() throws Exception {
    journal.append("done", NewEvent.of("a"));
    Files.writeString(
        runDir("done").resolve("events.jsonl"),
        "not json\n",
        java.nio.file.StandardOpenOption.APPEND);
    journal.append("done", NewEvent.of("run.completed"));
    journal.archive("done");

    VerifyReport report = journal.verify("done");

    assertThat(report.path()).isEqualTo(runDir("done").resolve("events.jsonl.gz"));
    assertThat(report.lines()).isEqualTo(3);
    assertThat(report.events()).isEqualTo(2);
    assertThat(report.problems()).extracting(VerifyReport.Problem::line).containsExactly(2L);
  }

  @Test
  void archive_aRunWithATornTail_quarantinesTheTailFirst() throws Exception {
    writeFinishedRun(journal, "done");
    ReadForms before = ReadForms.of(journal, "done");
    Files.writeString(
        runDir("done").resolve("events.jsonl"),
        "{\"seq\":152,\"ts\":",
        java.nio.file.StandardOpenOption.APPEND);

    journal.archive("done");

    assertThat(ReadForms.of(journal, "done")).isEqualTo(before);
    assertThat(runDir("done").resolve("events.jsonl.torn")).hasContent("{\"seq\":152,\"ts\":\n");
  }

  @Test
  void archive_manyRuns_interleavedReadsOfTheArchivesStayCorrect() throws Exception {
    List<ReadForms> before = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      writeFinishedRun(journal, "run-" + i);
      before.add(ReadForms.of(journal, "run-" + i));
      journal.archive("run-" + i);
    }
    for (int round = 0; round < 2; round++) {
      for (int i = 4; i >= 0; i--) {
        assertThat(ReadForms.of(journal, "run-" + i)).isEqualTo(before.get(i));
      }
    }
  }
}
