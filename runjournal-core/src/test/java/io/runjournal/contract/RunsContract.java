package io.runjournal.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.AppendRequest;
import io.runjournal.Journal;
import io.runjournal.model.NewEvent;
import org.junit.jupiter.api.Test;

/**
 * The runs of a store: which exist, creating one, listing them, and which are active (have events
 * and have not ended).
 */
interface RunsContract extends JournalFixture {

  @Test
  default void exists_isFalseForAnUnknownRun_andTrueOnceItHasAnEvent() {
    Journal journal = journal();
    assertThat(journal.exists("r")).isFalse();

    journal.append("r", NewEvent.of("a"));

    assertThat(journal.exists("r")).isTrue();
    assertThat(journal.exists("other")).isFalse();
  }

  @Test
  default void create_returnsTrueThenFalse_andTheRunExistsWithoutEvents() {
    Journal journal = journal();

    assertThat(journal.create("new-run")).isTrue();
    assertThat(journal.create("new-run")).isFalse();

    assertThat(journal.exists("new-run")).isTrue();
    assertThat(journal.heads("new-run")).isEmpty();
    assertThat(journal.listRuns()).containsExactly("new-run");
    assertThat(journal.activeRuns()).isEmpty();
    assertThat(journal.append("new-run", NewEvent.of("first")).first()).isEqualTo(1);
  }

  @Test
  default void create_ofARunWithEvents_returnsFalse_andChangesNothing() {
    Journal journal = journal();
    journal.append("r", NewEvent.of("a"));

    assertThat(journal.create("r")).isFalse();

    assertThat(journal.head("r", "main")).isEqualTo(1);
  }

  /** Sorted as Java sorts strings: by UTF-16 code unit, so {@code B} before {@code a}. */
  @Test
  default void listRuns_isSortedById_andIncludesRunsWithoutEvents() {
    Journal journal = journal();
    assertThat(journal.listRuns()).isEmpty();

    journal.append("b-run", NewEvent.of("x"));
    journal.append("a-run", NewEvent.of("x"));
    journal.append("B-run", NewEvent.of("x"));
    journal.append("10", NewEvent.of("x"));
    journal.append("9", AppendRequest.of(NewEvent.of("x")).onBranch("side"));
    journal.create("c-empty");
    journal.append("ended", NewEvent.of("run.completed"));

    assertThat(journal.listRuns())
        .containsExactly("10", "9", "B-run", "a-run", "b-run", "c-empty", "ended");
  }

  @Test
  default void activeRuns_areTheRunsWithEventsThatHaveNotEnded_sortedById() {
    Journal journal = journal();
    journal.append("open-b", NewEvent.of("step"));
    journal.append("open-a", AppendRequest.of(NewEvent.of("step")).onBranch("side"));
    journal.append("ended", NewEvent.of("step"));
    journal.append("ended", NewEvent.of("run.failed"));
    journal.append("ended-at-once", NewEvent.of("run.completed"));
    journal.create("empty");

    assertThat(journal.activeRuns()).containsExactly("open-a", "open-b");
  }

  @Test
  default void activeRuns_dropsARunWhenItEnds() {
    Journal journal = journal();
    journal.append("r", NewEvent.of("step"));
    assertThat(journal.activeRuns()).containsExactly("r");

    journal.append("r", NewEvent.of("run.cancelled"));

    assertThat(journal.activeRuns()).isEmpty();
  }

  @Test
  default void releaseActiveMarker_ofAnOpenRunWithEvents_keepsItActive() {
    Journal journal = journal();
    journal.append("r", NewEvent.of("step"));

    assertThat(journal.releaseActiveMarker("r")).isFalse();

    assertThat(journal.activeRuns()).containsExactly("r");
    assertThat(journal.append("r", NewEvent.of("step")).first()).isEqualTo(2);
  }

  @Test
  default void releaseActiveMarker_ofAnEndedMissingOrEmptyRun_releasesNothingAndLeavesItInactive() {
    Journal journal = journal();
    journal.append("ended", NewEvent.of("run.completed"));
    journal.create("empty");

    assertThat(journal.releaseActiveMarker("ended")).isFalse();
    assertThat(journal.releaseActiveMarker("missing")).isFalse();
    assertThat(journal.releaseActiveMarker("empty")).isFalse();

    assertThat(journal.activeRuns()).isEmpty();
  }
}
