package io.runjournal.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runjournal.AppendRequest;
import io.runjournal.Journal;
import io.runjournal.SequenceConflictException;
import io.runjournal.model.NewEvent;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Optimistic concurrency (DESIGN §4): {@code expectedSeq} must be the branch's head ({@code 0} =
 * empty) and an explicit {@code seq} must be head + 1; a mismatch writes nothing and fails with a
 * conflict carrying both numbers.
 */
interface OptimisticConcurrencyContract extends JournalFixture {

  /** Checks a conflict on branch {@code branch} of run {@code r}: required, then given. */
  static Consumer<SequenceConflictException> conflict(String branch, long expected, long actual) {
    return e -> {
      assertThat(e.code()).isEqualTo("sequence-conflict");
      assertThat(e.run()).isEqualTo("r");
      assertThat(e.branch()).isEqualTo(branch);
      assertThat(e.expected()).isEqualTo(expected);
      assertThat(e.actual()).isEqualTo(actual);
    };
  }

  @Test
  default void append_expectingTheHead_isWritten() {
    Journal journal = journal();
    journal.append("r", NewEvent.of("a"));
    journal.append("r", NewEvent.of("b"));

    assertThat(journal.append("r", AppendRequest.of(NewEvent.of("c")).expecting(2)).seqs())
        .containsExactly(3L);
  }

  @Test
  default void append_expectingZero_onAnEmptyBranch_isWritten_evenBesideOtherBranches() {
    Journal journal = journal();

    assertThat(journal.append("r", AppendRequest.of(NewEvent.of("a")).expecting(0)).first())
        .isEqualTo(1);
    assertThat(
            journal
                .append("r", AppendRequest.of(NewEvent.of("b")).onBranch("side").expecting(0))
                .first())
        .isEqualTo(1);
  }

  @Test
  default void append_expectingZero_onABranchWithEvents_failsWithBothNumbers() {
    Journal journal = journal();
    journal.append("r", NewEvent.of("a"));
    journal.append("r", NewEvent.of("b"));

    assertThatThrownBy(() -> journal.append("r", AppendRequest.of(NewEvent.of("c")).expecting(0)))
        .isInstanceOfSatisfying(SequenceConflictException.class, conflict("main", 2, 0))
        .hasMessage("sequence conflict on run \"r\" branch \"main\": expected 2, got 0");
    assertThat(journal.head("r", "main")).isEqualTo(2);
  }

  @Test
  default void append_withAStaleExpectedSeq_failsWithBothNumbers_andWritesNothing() {
    Journal journal = journal();
    for (int i = 0; i < 3; i++) {
      journal.append("r", AppendRequest.of(NewEvent.of("a")).onBranch("side"));
    }
    long size = journal.size("r");

    assertThatThrownBy(
            () ->
                journal.append(
                    "r",
                    AppendRequest.of(NewEvent.of("b"), NewEvent.of("c"))
                        .onBranch("side")
                        .expecting(1)))
        .isInstanceOfSatisfying(SequenceConflictException.class, conflict("side", 3, 1))
        .hasMessageContaining("expected 3, got 1");
    assertThat(journal.head("r", "side")).isEqualTo(3);
    assertThat(journal.size("r")).isEqualTo(size);
  }

  @Test
  default void append_expectingAheadOfTheHead_onANewRun_failsAndLeavesNoRun() {
    Journal journal = journal();

    assertThatThrownBy(() -> journal.append("r", AppendRequest.of(NewEvent.of("a")).expecting(5)))
        .isInstanceOfSatisfying(SequenceConflictException.class, conflict("main", 0, 5));
    assertThat(journal.exists("r")).isFalse();
    assertThat(journal.listRuns()).isEmpty();
  }

  @Test
  default void append_explicitSeqsOfHeadPlusOne_areWritten_alsoInABatch() {
    Journal journal = journal();

    journal.append("r", NewEvent.of("a").withSeq(1));
    var batch =
        journal.append(
            "r", AppendRequest.of(NewEvent.of("b").withSeq(2), NewEvent.of("c").withSeq(3)));
    var side = journal.append("r", AppendRequest.of(NewEvent.of("d").withSeq(1)).onBranch("side"));

    assertThat(batch.seqs()).containsExactly(2L, 3L);
    assertThat(side.seqs()).containsExactly(1L);
  }

  @Test
  default void append_explicitSeqBehindOrAheadOfHeadPlusOne_failsWithBothNumbers() {
    Journal journal = journal();
    journal.append("r", NewEvent.of("a").withSeq(1));

    assertThatThrownBy(() -> journal.append("r", NewEvent.of("b").withSeq(1)))
        .isInstanceOfSatisfying(SequenceConflictException.class, conflict("main", 2, 1))
        .hasMessageContaining("expected 2, got 1");
    assertThatThrownBy(() -> journal.append("r", NewEvent.of("b").withSeq(3)))
        .isInstanceOfSatisfying(SequenceConflictException.class, conflict("main", 2, 3))
        .hasMessageContaining("expected 2, got 3");
    assertThat(journal.head("r", "main")).isEqualTo(1);
  }

  @Test
  default void append_batchWithAGapInItsExplicitSeqs_writesNothing() {
    Journal journal = journal();

    assertThatThrownBy(
            () ->
                journal.append(
                    "r",
                    AppendRequest.of(
                        NewEvent.of("a").withSeq(1),
                        NewEvent.of("b").withSeq(2),
                        NewEvent.of("c").withSeq(4))))
        .isInstanceOfSatisfying(SequenceConflictException.class, conflict("main", 3, 4));
    assertThat(journal.head("r", "main")).isZero();
    assertThat(journal.exists("r")).isFalse();
  }
}
