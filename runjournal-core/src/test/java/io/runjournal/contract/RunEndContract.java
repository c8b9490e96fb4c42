package io.runjournal.contract;

import static io.runjournal.contract.Contracts.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runjournal.AppendRequest;
import io.runjournal.Journal;
import io.runjournal.RunEndedException;
import io.runjournal.model.Event;
import io.runjournal.model.EventTypes;
import io.runjournal.model.NewEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The end of a run (DESIGN §4): a terminal event ({@link EventTypes#isTerminal}) ends the whole
 * run, every branch; later appends of new events fail with {@link RunEndedException}.
 */
interface RunEndContract extends JournalFixture {

  @ParameterizedTest
  @ValueSource(strings = {"run.completed", "run.failed", "run.cancelled", "run.interrupted"})
  default void append_afterATerminalEvent_failsRunEnded_onEveryBranch(String terminal) {
    Journal journal = journal();
    journal.append("r", NewEvent.of("step"));
    journal.append("r", NewEvent.of(terminal, "{\"why\":\"test\"}"));

    assertThatThrownBy(() -> journal.append("r", NewEvent.of("late")))
        .isInstanceOfSatisfying(
            RunEndedException.class,
            e -> {
              assertThat(e.code()).isEqualTo("run-ended");
              assertThat(e.run()).isEqualTo("r");
              assertThat(e.terminalType()).isEqualTo(terminal);
            })
        .hasMessage("run \"r\" has ended (" + terminal + "); it takes no more events");
    assertThatThrownBy(
            () -> journal.append("r", AppendRequest.of(NewEvent.of("late")).onBranch("other")))
        .isInstanceOf(RunEndedException.class);
    assertThat(journal.heads("r")).containsOnlyKeys("main").containsEntry("main", 2L);
  }

  @ParameterizedTest
  @ValueSource(strings = {"run.completed", "run.failed", "run.cancelled", "run.interrupted"})
  default void terminalEvent_marksTheRunEndedAndFinished(String terminal) {
    Journal journal = journal();
    journal.append("r", NewEvent.of("step"));
    assertThat(journal.isFinished("r")).isFalse();
    assertThat(journal.info("r").endedBy()).isNull();

    journal.append("r", NewEvent.of(terminal));

    assertThat(journal.info("r").endedBy()).isEqualTo(terminal);
    assertThat(journal.info("r").ended()).isTrue();
    assertThat(journal.isFinished("r")).isTrue();
  }

  @Test
  default void terminalEventOnASideBranch_endsTheWholeRun() {
    Journal journal = journal();
    journal.append("r", NewEvent.of("step"));

    journal.append("r", AppendRequest.of(NewEvent.of("run.cancelled")).onBranch("side"));

    assertThatThrownBy(() -> journal.append("r", NewEvent.of("late")))
        .isInstanceOfSatisfying(
            RunEndedException.class, e -> assertThat(e.terminalType()).isEqualTo("run.cancelled"));
    assertThat(journal.info("r").endedBy()).isEqualTo("run.cancelled");
  }

  @Test
  default void terminalEventInsideABatch_refusesTheEventsAfterIt_andWritesNothing() {
    Journal journal = journal();
    journal.append("r", NewEvent.of("step"));

    assertThatThrownBy(
            () ->
                journal.append(
                    "r",
                    AppendRequest.of(
                        NewEvent.of("a"), NewEvent.of("run.failed"), NewEvent.of("after"))))
        .isInstanceOfSatisfying(
            RunEndedException.class, e -> assertThat(e.terminalType()).isEqualTo("run.failed"));
    assertThat(journal.head("r", "main")).isEqualTo(1);
    assertThat(journal.info("r").endedBy()).isNull();
    assertThat(journal.append("r", NewEvent.of("still-open")).first()).isEqualTo(2);
  }

  @Test
  default void terminalEventLastInABatch_endsTheRun() {
    Journal journal = journal();

    journal.append("r", AppendRequest.of(NewEvent.of("a"), NewEvent.of("run.failed", "{}")));

    assertThat(readAll(journal, "r")).extracting(Event::type).containsExactly("a", "run.failed");
    assertThat(journal.info("r").endedBy()).isEqualTo("run.failed");
  }

  @Test
  default void nonTerminalLifecycleEvents_leaveTheRunOpen() {
    Journal journal = journal();

    journal.append("r", NewEvent.of(EventTypes.RUN_CREATED, "{}"));
    journal.append("r", NewEvent.of("run.started"));
    journal.append("r", NewEvent.of(EventTypes.RUN_RECOVERED, "{\"head\":2}"));
    journal.append("r", NewEvent.of("run.completed.partially"));

    assertThat(journal.info("r").endedBy()).isNull();
    assertThat(journal.isFinished("r")).isFalse();
    assertThat(journal.append("r", NewEvent.of("more")).first()).isEqualTo(5);
  }

  @Test
  default void isFinished_isFalseForAMissingRunAndARunWithoutEvents() {
    Journal journal = journal();
    journal.create("empty");

    assertThat(journal.isFinished("missing")).isFalse();
    assertThat(journal.isFinished("empty")).isFalse();
  }
}
