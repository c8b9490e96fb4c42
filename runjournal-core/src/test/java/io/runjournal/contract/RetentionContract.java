package io.runjournal.contract;

import static io.runjournal.contract.Contracts.journalOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runjournal.AppendRequest;
import io.runjournal.ArchiveReport;
import io.runjournal.Journal;
import io.runjournal.ReadForms;
import io.runjournal.ReadQuery;
import io.runjournal.RunActiveException;
import io.runjournal.RunEndedException;
import io.runjournal.RunNotFoundException;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Retention (DESIGN §8): only a finished run is archived (and still read the same) or deleted (and
 * then gone; its id starts afresh).
 */
interface RetentionContract extends JournalFixture {

  /** Run {@code run}: 12 events on main (ids {@code ev-N}), 3 on side, ended by run.completed. */
  private static void writeFinishedRun(Journal journal, String run) {
    for (int i = 1; i <= 12; i++) {
      journal.append(
          run,
          NewEvent.of(i % 3 == 0 ? "step.done" : "step.started", "{\"i\":" + i + "}")
              .withId("ev-" + i));
      if (i % 4 == 0) {
        journal.append(run, AppendRequest.of(NewEvent.of("side.note")).onBranch("side"));
      }
    }
    journal.append(run, NewEvent.of("run.completed", "{\"ok\":true}"));
  }

  @Test
  default void archiveAndDelete_ofAnOpenRun_failRunActive_andTheRunTakesMoreEvents() {
    Journal journal = journal();
    journal.append("open", NewEvent.of("step"));

    assertThatThrownBy(() -> journal.archive("open"))
        .isInstanceOfSatisfying(
            RunActiveException.class,
            e -> {
              assertThat(e.code()).isEqualTo("run-active");
              assertThat(e.run()).isEqualTo("open");
              assertThat(e.operation()).isEqualTo("archive");
            })
        .hasMessageStartingWith("cannot archive run \"open\": ")
        .hasMessageEndingWith("; nothing was changed");
    assertThatThrownBy(() -> journal.delete("open"))
        .isInstanceOfSatisfying(
            RunActiveException.class, e -> assertThat(e.operation()).isEqualTo("delete"))
        .hasMessageStartingWith("cannot delete run \"open\": ");

    assertThat(journal.isArchived("open")).isFalse();
    assertThat(journal.exists("open")).isTrue();
    assertThat(journal.append("open", NewEvent.of("step")).first()).isEqualTo(2);
  }

  @Test
  default void archiveAndDelete_ofARunWithoutEvents_failRunActive_ofAMissingRun_notFound() {
    Journal journal = journal();
    journal.create("empty");

    assertThatThrownBy(() -> journal.archive("empty")).isInstanceOf(RunActiveException.class);
    assertThatThrownBy(() -> journal.delete("empty")).isInstanceOf(RunActiveException.class);
    assertThatThrownBy(() -> journal.archive("missing"))
        .isInstanceOfSatisfying(
            RunNotFoundException.class,
            e -> {
              assertThat(e.code()).isEqualTo("not-found");
              assertThat(e.run()).isEqualTo("missing");
            })
        .hasMessage("run \"missing\" does not exist");
    assertThat(journal.delete("missing")).isFalse();
    assertThat(journal.exists("missing")).isFalse();
    assertThat(journal.exists("empty")).isTrue();
  }

  @Test
  default void archive_ofAFinishedRun_keepsEveryReadTheSame_inBothInstances() throws Exception {
    Journal journal = journal();
    writeFinishedRun(journal, "done");
    ReadForms before = ReadForms.of(journal, "done");
    List<Event> appendOrder = journalOrder(journal, "done");

    ArchiveReport report = journal.archive("done");

    assertThat(report.run()).isEqualTo("done");
    assertThat(report.alreadyArchived()).isFalse();
    assertThat(journal.isArchived("done")).isTrue();
    assertThat(journal.isFinished("done")).isTrue();
    assertThat(journal.listRuns()).containsExactly("done");
    assertThat(ReadForms.of(journal, "done")).isEqualTo(before);
    assertThat(journalOrder(journal, "done")).isEqualTo(appendOrder);
    Journal second = secondJournal();
    assertThat(second.isArchived("done")).isTrue();
    assertThat(ReadForms.of(second, "done")).isEqualTo(before);
  }

  @Test
  default void archive_ofAnArchivedRun_changesNothing_andSaysSo() {
    Journal journal = journal();
    writeFinishedRun(journal, "done");
    ArchiveReport first = journal.archive("done");

    ArchiveReport again = journal.archive("done");

    assertThat(again.alreadyArchived()).isTrue();
    assertThat(again.run()).isEqualTo("done");
    assertThat(again.journalBytes()).isEqualTo(first.journalBytes());
    assertThat(journal.isArchived("done")).isTrue();
  }

  @Test
  default void append_toAnArchivedRun_failsRunEnded_butARetryAnswersItsOriginalSeq() {
    Journal journal = journal();
    writeFinishedRun(journal, "done");
    journal.archive("done");

    assertThatThrownBy(() -> journal.append("done", NewEvent.of("late")))
        .isInstanceOfSatisfying(
            RunEndedException.class, e -> assertThat(e.terminalType()).isEqualTo("run.completed"));
    var retry = journal.append("done", NewEvent.of("step.started", "{\"i\":1}").withId("ev-1"));

    assertThat(retry.seqs()).containsExactly(1L);
    assertThat(retry.allDuplicates()).isTrue();
    assertThat(journal.head("done", "main")).isEqualTo(13);
  }

  @Test
  default void delete_ofAFinishedRun_removesIt_fromBothInstances() {
    Journal journal = journal();
    writeFinishedRun(journal, "done");
    journal.append("kept", NewEvent.of("run.completed"));
    Journal second = secondJournal();
    assertThat(second.head("done", "main")).isEqualTo(13);

    assertThat(journal.delete("done")).isTrue();

    for (Journal instance : List.of(journal, second)) {
      assertThat(instance.exists("done")).isFalse();
      assertThat(instance.listRuns()).containsExactly("kept");
      assertThat(instance.read("done", ReadQuery.all()).events()).isEmpty();
      assertThat(instance.head("done", "main")).isZero();
      assertThat(instance.info("done").heads()).isEmpty();
      assertThat(instance.info("done").endedBy()).isNull();
      assertThat(instance.lastEvent("done")).isEmpty();
      assertThat(instance.size("done")).isZero();
      assertThat(instance.isFinished("done")).isFalse();
    }
  }

  @Test
  default void delete_thenAppend_startsANewRunOfThatId_withNoMemoryOfItsIds() {
    Journal journal = journal();
    writeFinishedRun(journal, "done");
    journal.delete("done");

    var fresh = journal.append("done", NewEvent.of("other", "1").withId("ev-1"));

    assertThat(fresh.seqs()).containsExactly(1L);
    assertThat(fresh.allDuplicates()).isFalse();
    assertThat(journal.heads("done")).containsOnlyKeys("main").containsEntry("main", 1L);
    assertThat(journal.info("done").endedBy()).isNull();
  }

  @Test
  default void delete_ofAnArchivedRun_removesIt() {
    Journal journal = journal();
    writeFinishedRun(journal, "done");
    journal.archive("done");

    assertThat(journal.delete("done")).isTrue();

    assertThat(journal.exists("done")).isFalse();
    assertThat(journal.isArchived("done")).isFalse();
    assertThat(journal.read("done", ReadQuery.all()).events()).isEmpty();
    assertThat(journal.delete("done")).isFalse();
  }
}
