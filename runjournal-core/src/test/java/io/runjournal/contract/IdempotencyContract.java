package io.runjournal.contract;

import static io.runjournal.contract.Contracts.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runjournal.AppendRequest;
import io.runjournal.AppendResult;
import io.runjournal.IdConflictException;
import io.runjournal.Journal;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Idempotency (DESIGN §4): an event id is unique within a run, for the run's whole life. An event
 * whose id the run has is not written again: the append answers the original seq and flags it a
 * duplicate. The same id with another type or data is a conflict.
 */
interface IdempotencyContract extends JournalFixture {

  @Test
  default void append_sameIdAgain_answersTheOriginalSeq_flaggedDuplicate_writesNothing() {
    Journal journal = journal();
    journal.append("r", NewEvent.of("x"));
    AppendResult first = journal.append("r", NewEvent.of("call", "{\"a\":1}").withId("ev-1"));
    journal.append("r", NewEvent.of("x"));
    long size = journal.size("r");

    AppendResult retry = journal.append("r", NewEvent.of("call", "{\"a\":1}").withId("ev-1"));

    assertThat(first.seqs()).containsExactly(2L);
    assertThat(retry.seqs()).containsExactly(2L);
    assertThat(retry.duplicate()).containsExactly(true);
    assertThat(retry.allDuplicates()).isTrue();
    assertThat(retry.head()).isEqualTo(3);
    assertThat(journal.size("r")).isEqualTo(size);
    assertThat(readAll(journal, "r")).extracting(Event::seq).containsExactly(1L, 2L, 3L);
  }

  @Test
  default void append_sameIdWithOtherData_failsIdConflict_namingTheOriginal() {
    Journal journal = journal();
    journal.append("r", NewEvent.of("call", "{\"a\":1}").withId("ev-1"));

    assertThatThrownBy(() -> journal.append("r", NewEvent.of("call", "{\"a\":2}").withId("ev-1")))
        .isInstanceOfSatisfying(
            IdConflictException.class,
            e -> {
              assertThat(e.code()).isEqualTo("id-conflict");
              assertThat(e.run()).isEqualTo("r");
              assertThat(e.eventId()).isEqualTo("ev-1");
              assertThat(e.originalBranch()).isEqualTo("main");
              assertThat(e.originalSeq()).isEqualTo(1);
            })
        .hasMessage(
            "event id \"ev-1\" already names seq 1 on branch \"main\" of run \"r\" with a different"
                + " type or data");
    assertThat(journal.head("r", "main")).isEqualTo(1);
  }

  @Test
  default void append_sameIdWithOtherType_failsIdConflict() {
    Journal journal = journal();
    journal.append("r", NewEvent.of("call", "1").withId("ev-1"));

    assertThatThrownBy(() -> journal.append("r", NewEvent.of("other", "1").withId("ev-1")))
        .isInstanceOfSatisfying(
            IdConflictException.class, e -> assertThat(e.originalSeq()).isEqualTo(1));
    assertThat(journal.head("r", "main")).isEqualTo(1);
  }

  /** Data is compared in its canonical form; meta is not compared (DESIGN §4: type and data). */
  @Test
  default void append_sameIdWithDataSpelledOtherwiseOrOtherMeta_isADuplicate() {
    Journal journal = journal();
    journal.append("r", NewEvent.of("call", "{\"a\":1}").withId("ev-1").withMeta("{\"k\":1}"));

    AppendResult spelled = journal.append("r", NewEvent.of("call", "{ \"a\" : 1 }").withId("ev-1"));
    AppendResult otherMeta =
        journal.append("r", NewEvent.of("call", "{\"a\":1}").withId("ev-1").withMeta("{\"k\":2}"));

    assertThat(spelled.allDuplicates()).isTrue();
    assertThat(otherMeta.allDuplicates()).isTrue();
    assertThat(readAll(journal, "r"))
        .singleElement()
        .extracting(Event::meta)
        .isEqualTo("{\"k\":1}");
  }

  @Test
  default void append_sameIdTwiceInOneBatch_isWrittenOnce() {
    Journal journal = journal();

    AppendResult result =
        journal.append(
            "r",
            AppendRequest.of(
                NewEvent.of("a").withId("x"), NewEvent.of("b"), NewEvent.of("a").withId("x")));

    assertThat(result.seqs()).containsExactly(1L, 2L, 1L);
    assertThat(result.duplicate()).containsExactly(false, false, true);
    assertThat(result.duplicates()).isEqualTo(1);
    assertThat(result.head()).isEqualTo(2);
    assertThat(readAll(journal, "r")).extracting(Event::type).containsExactly("a", "b");
  }

  @Test
  default void append_sameIdTwiceInOneBatchWithOtherData_failsAndWritesNothing() {
    Journal journal = journal();

    assertThatThrownBy(
            () ->
                journal.append(
                    "r",
                    AppendRequest.of(
                        NewEvent.of("a", "1").withId("x"), NewEvent.of("a", "2").withId("x"))))
        .isInstanceOfSatisfying(
            IdConflictException.class,
            e -> {
              assertThat(e.eventId()).isEqualTo("x");
              assertThat(e.originalSeq()).isEqualTo(1);
            });
    assertThat(journal.exists("r")).isFalse();
  }

  @Test
  default void append_batchMixingADuplicateAndNewEvents_writesOnlyTheNewOnes() {
    Journal journal = journal();
    journal.append("r", NewEvent.of("a").withId("one"));

    AppendResult result =
        journal.append(
            "r",
            AppendRequest.of(
                NewEvent.of("a").withId("one"), NewEvent.of("b").withId("two"), NewEvent.of("c")));

    assertThat(result.seqs()).containsExactly(1L, 2L, 3L);
    assertThat(result.duplicate()).containsExactly(true, false, false);
    assertThat(readAll(journal, "r")).extracting(Event::type).containsExactly("a", "b", "c");
  }

  @Test
  default void append_idOfAnotherBranchOfTheRun_isADuplicateOfTheOriginal() {
    Journal journal = journal();
    journal.append("r", NewEvent.of("a"));
    journal.append("r", NewEvent.of("call", "1").withId("ev-1"));

    AppendResult retry =
        journal.append(
            "r", AppendRequest.of(NewEvent.of("call", "1").withId("ev-1")).onBranch("b"));

    assertThat(retry.seqs()).containsExactly(2L);
    assertThat(retry.allDuplicates()).isTrue();
    assertThat(journal.heads("r")).isEqualTo(Map.of("main", 2L));
    assertThatThrownBy(
            () ->
                journal.append(
                    "r", AppendRequest.of(NewEvent.of("call", "2").withId("ev-1")).onBranch("b")))
        .isInstanceOfSatisfying(
            IdConflictException.class,
            e -> {
              assertThat(e.originalBranch()).isEqualTo("main");
              assertThat(e.originalSeq()).isEqualTo(2);
            });
  }

  @Test
  default void append_sameIdInTwoRuns_isWrittenToBoth() {
    Journal journal = journal();

    AppendResult one = journal.append("r1", NewEvent.of("a").withId("shared"));
    AppendResult two = journal.append("r2", NewEvent.of("b").withId("shared"));

    assertThat(one.allDuplicates()).isFalse();
    assertThat(two.allDuplicates()).isFalse();
    assertThat(two.first()).isEqualTo(1);
  }

  @Test
  default void append_retryOfABatchWithItsNowStaleExpectedSeq_isAnsweredAsDuplicates() {
    Journal journal = journal();
    AppendRequest batch =
        AppendRequest.of(NewEvent.of("a").withId("1"), NewEvent.of("b").withId("2")).expecting(0);
    journal.append("r", batch);

    AppendResult retry = journal.append("r", batch);

    assertThat(retry.seqs()).containsExactly(1L, 2L);
    assertThat(retry.duplicate()).containsExactly(true, true);
    assertThat(journal.head("r", "main")).isEqualTo(2);
  }

  @Test
  default void append_duplicateAfterTheRunEnded_answersTheOriginalSeq() {
    Journal journal = journal();
    journal.append("r", NewEvent.of("step").withId("s-1"));
    journal.append("r", NewEvent.of("run.completed").withId("done"));

    assertThat(journal.append("r", NewEvent.of("step").withId("s-1")).seqs()).containsExactly(1L);
    AppendResult terminalRetry = journal.append("r", NewEvent.of("run.completed").withId("done"));
    assertThat(terminalRetry.seqs()).containsExactly(2L);
    assertThat(terminalRetry.allDuplicates()).isTrue();
  }
}
