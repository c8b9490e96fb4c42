package io.runjournal.contract;

import static io.runjournal.contract.Contracts.journalOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runjournal.AppendRequest;
import io.runjournal.ImportResult;
import io.runjournal.InvalidEventException;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.RunEndedException;
import io.runjournal.RunExistsException;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Journal#importEvents} (DESIGN §8): the events exported from one store, imported into
 * another, keep their seqs, timestamps and lines; a re-import changes nothing; a run holding other
 * events and an invalid event are refused before anything is written.
 */
interface ImportContract extends JournalFixture {
  String RUN = "imported-1";

  /**
   * Exports a run written in a store of its own at a 2026 clock: two branches, ids, data of every
   * kind, meta; ended by {@code run.completed} when {@code ended}.
   */
  private List<Event> exportedRun(boolean ended) {
    ManualClock clock = new ManualClock("2026-01-02T03:04:05.006Z");
    Journal source = freshJournal(JournalOptions.defaults().withClock(clock));
    source.append(RUN, NewEvent.of("run.created").withId("ev-0").withMeta("{\"agent\":\"é ✓\"}"));
    clock.advance(Duration.ofMillis(1500));
    source.append(RUN, NewEvent.of("node.started", "{\"n\": 1, \"f\": 1.50}"));
    source.append(
        RUN,
        AppendRequest.of(NewEvent.of("tool.called", "\"😀\""), NewEvent.of("log", "42").withId("l"))
            .onBranch("retry-1"));
    clock.advance(Duration.ofSeconds(3));
    source.append(RUN, NewEvent.of("decision.made", "[1,{\"x\":null}]").withId("d-1"));
    if (ended) {
      source.append(RUN, NewEvent.of("run.completed", "{\"ok\":true}"));
    }
    return journalOrder(source, RUN);
  }

  @Test
  default void importEvents_ofAnExportedRun_keepsSeqsTsAndLines() throws Exception {
    List<Event> events = exportedRun(true);
    Journal target = journal();

    ImportResult result = target.importEvents(RUN, events);

    assertThat(result.run()).isEqualTo(RUN);
    assertThat(result.created()).isTrue();
    assertThat(result.events()).isEqualTo(6);
    assertThat(result.heads()).isEqualTo(Map.of("main", 4L, "retry-1", 2L));
    long lineBytes = 0;
    for (Event event : events) {
      lineBytes += Contracts.utf8Bytes(event.line() + "\n");
    }
    assertThat(result.bytes()).isEqualTo(lineBytes);
    assertThat(journalOrder(target, RUN)).isEqualTo(events);
    assertThat(Contracts.readAll(target, RUN, "retry-1"))
        .isEqualTo(events.stream().filter(e -> e.branch().equals("retry-1")).toList());
    assertThat(events.getFirst().line()).contains("\"ts\":\"2026-01-02T03:04:05.006Z\"");
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    target.copyJournal(RUN, Long.MAX_VALUE, copy);
    assertThat(copy.size()).isEqualTo(lineBytes);
  }

  @Test
  default void importEvents_ofAnEndedRun_endsIt() {
    Journal target = journal();

    target.importEvents(RUN, exportedRun(true));

    assertThat(target.info(RUN).endedBy()).isEqualTo("run.completed");
    assertThat(target.isFinished(RUN)).isTrue();
    assertThat(target.activeRuns()).isEmpty();
    assertThatThrownBy(() -> target.append(RUN, NewEvent.of("late")))
        .isInstanceOf(RunEndedException.class);
  }

  @Test
  default void importEvents_ofAnOpenRun_appendsContinueFromItsHeads_andKnowItsIds() {
    List<Event> events = exportedRun(false);
    Journal target = journal();

    target.importEvents(RUN, events);

    assertThat(target.activeRuns()).containsExactly(RUN);
    var retry = target.append(RUN, NewEvent.of("decision.made", "[1,{\"x\":null}]").withId("d-1"));
    assertThat(retry.allDuplicates()).isTrue();
    assertThat(retry.first()).isEqualTo(3);
    assertThat(target.append(RUN, NewEvent.of("next")).first()).isEqualTo(4);
    assertThat(target.info(RUN).lastEventAt()).isAfterOrEqualTo(events.getLast().ts());
  }

  @Test
  default void importEvents_again_changesNothing_andSaysSo() {
    List<Event> events = exportedRun(true);
    Journal target = journal();
    target.importEvents(RUN, events);
    long size = target.size(RUN);

    ImportResult again = target.importEvents(RUN, events);

    assertThat(again.created()).isFalse();
    assertThat(again.heads()).isEqualTo(Map.of("main", 4L, "retry-1", 2L));
    assertThat(target.size(RUN)).isEqualTo(size);
    assertThat(journalOrder(target, RUN)).isEqualTo(events);
  }

  @Test
  default void importEvents_intoARunWithOtherEvents_failsRunExists_andChangesNothing() {
    List<Event> events = exportedRun(true);
    Journal target = journal();
    target.append(RUN, NewEvent.of("run.created").withId("ev-0"));
    List<Event> before = journalOrder(target, RUN);

    assertThatThrownBy(() -> target.importEvents(RUN, events))
        .isInstanceOfSatisfying(
            RunExistsException.class,
            e -> {
              assertThat(e.code()).isEqualTo("run-exists");
              assertThat(e.run()).isEqualTo(RUN);
              assertThat(e.line()).isEqualTo(1);
            })
        .hasMessageStartingWith("run \"" + RUN + "\" already exists with other events");
    assertThat(journalOrder(target, RUN)).isEqualTo(before);
  }

  @Test
  default void importEvents_intoARunHoldingTheirFirstEvents_failsRunExistsAtTheFirstMissing() {
    List<Event> events = exportedRun(true);
    Journal target = journal();
    target.importEvents(RUN, events.subList(0, 3));

    assertThatThrownBy(() -> target.importEvents(RUN, events))
        .isInstanceOfSatisfying(RunExistsException.class, e -> assertThat(e.line()).isEqualTo(4));
    assertThat(journalOrder(target, RUN)).isEqualTo(events.subList(0, 3));
  }

  @Test
  default void importEvents_withASeqGap_isRefusedNamingThePosition_andWritesNothing() {
    List<Event> events = new ArrayList<>(exportedRun(true));
    Event second = events.get(1);
    events.set(
        1,
        new Event(
            3,
            second.tsMillis(),
            RUN,
            "main",
            second.type(),
            second.id(),
            second.data(),
            second.meta(),
            null));
    Journal target = journal();

    assertThatThrownBy(() -> target.importEvents(RUN, events))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e -> {
              assertThat(e.code()).isEqualTo("invalid-event");
              assertThat(e.position()).isEqualTo(2);
            })
        .hasMessageStartingWith("event 2 has seq 3 on branch \"main\", expected 2");
    assertThat(target.exists(RUN)).isFalse();
    assertThat(target.listRuns()).isEmpty();
  }

  @Test
  default void importEvents_ofEventsOfAnotherRun_isRefused() {
    List<Event> events = exportedRun(true);
    Journal target = journal();

    assertThatThrownBy(() -> target.importEvents("other-run", events))
        .isInstanceOfSatisfying(
            InvalidEventException.class, e -> assertThat(e.position()).isEqualTo(1))
        .hasMessage("event 1 belongs to run \"" + RUN + "\", not \"other-run\"");
    assertThat(target.exists("other-run")).isFalse();
  }

  @Test
  default void importEvents_ofNoEvents_createsTheRunOnce() {
    Journal target = journal();

    assertThat(target.importEvents("empty", List.of()).created()).isTrue();
    assertThat(target.importEvents("empty", List.of()).created()).isFalse();

    assertThat(target.exists("empty")).isTrue();
    assertThat(target.heads("empty")).isEmpty();
  }
}
