package io.runjournal.contract;

import static io.runjournal.contract.Contracts.readAll;
import static io.runjournal.contract.Contracts.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.runjournal.AppendRequest;
import io.runjournal.IdConflictException;
import io.runjournal.Journal;
import io.runjournal.ReadQuery;
import io.runjournal.RunEndedException;
import io.runjournal.SequenceConflictException;
import io.runjournal.SubscribeOptions;
import io.runjournal.Subscription;
import io.runjournal.contract.Contracts.BackgroundPoll;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two independent instances on one store (two processes on one data directory, two server nodes on
 * one database) form one journal: one sequence, one id table, one end, and subscriptions woken by
 * either.
 */
interface CrossInstanceContract extends JournalFixture {

  @Test
  default void secondInstance_readsWhatTheFirstAppended() {
    Journal first = journal();
    first.append("r", NewEvent.of("a", "{\"n\":1}").withId("a-1"));
    first.append("r", AppendRequest.of(NewEvent.of("b")).onBranch("side"));

    Journal second = secondJournal();

    assertThat(readAll(second, "r")).isEqualTo(readAll(first, "r"));
    assertThat(second.heads("r")).isEqualTo(Map.of("main", 1L, "side", 1L));
    assertThat(second.info("r")).isEqualTo(first.info("r"));
    assertThat(second.lastEvent("r")).isEqualTo(first.lastEvent("r"));
    assertThat(second.exists("r")).isTrue();
    assertThat(second.listRuns()).containsExactly("r");
  }

  @Test
  default void twoInstances_appendingInTurn_continueOneSequence() {
    Journal first = journal();
    Journal second = secondJournal();

    for (int i = 0; i < 3; i++) {
      first.append("r", NewEvent.of("first"));
      second.append("r", NewEvent.of("second"));
    }

    assertThat(readAll(first, "r"))
        .extracting(Event::seq, Event::type)
        .containsExactly(
            tuple(1L, "first"),
            tuple(2L, "second"),
            tuple(3L, "first"),
            tuple(4L, "second"),
            tuple(5L, "first"),
            tuple(6L, "second"));
    assertThat(second.head("r", "main")).isEqualTo(6);
  }

  @Test
  default void twoInstances_manyThreadsEach_appendContiguousSeqsAndWholeEvents() throws Exception {
    Journal[] instances = {journal(), secondJournal()};
    int threadsPerInstance = 3;
    int perThread = 20;

    Contracts.inParallel(
        2 * threadsPerInstance,
        thread -> {
          Journal journal = instances[thread % 2];
          for (int i = 0; i < perThread; i++) {
            String data = "{\"thread\":" + thread + ",\"i\":" + i + "}";
            NewEvent event = NewEvent.of("tick", data).withId("t" + thread + "-" + i);
            if (i % 5 == 4) {
              journal.append("r", AppendRequest.of(event, NewEvent.of("tock", data)));
            } else {
              journal.append("r", event);
            }
          }
        });

    int total = 2 * threadsPerInstance * (perThread + perThread / 5);
    for (Journal journal : instances) {
      List<Event> events = readAll(journal, "r");
      assertThat(events).extracting(Event::seq).containsExactlyElementsOf(seqs(1, total));
      assertThat(journal.head("r", "main")).isEqualTo(total);
    }
    Map<Integer, Integer> lastOfThread = new HashMap<>();
    Event previous = null;
    for (Event event : readAll(instances[0], "r")) {
      String[] fields = event.data().replaceAll("[^0-9,]", "").split(",");
      int thread = Integer.parseInt(fields[0]);
      int i = Integer.parseInt(fields[1]);
      if (event.type().equals("tick")) {
        assertThat(event.id()).isEqualTo("t" + thread + "-" + i);
        assertThat(lastOfThread.getOrDefault(thread, -1))
            .as("order of thread %d", thread)
            .isLessThan(i);
        lastOfThread.put(thread, i);
      } else {
        assertThat(previous).as("a batch stays together").isNotNull();
        assertThat(previous.data()).isEqualTo(event.data());
        assertThat(previous.type()).isEqualTo("tick");
      }
      previous = event;
    }
    assertThat(lastOfThread).hasSize(2 * threadsPerInstance);
    assertThat(lastOfThread.values()).containsOnly(perThread - 1);
    assertThat(instances[1].verify("r").ok()).isTrue();
  }

  @Test
  default void anIdAppendedThroughOneInstance_isADuplicateOrConflictThroughTheOther() {
    Journal first = journal();
    Journal second = secondJournal();
    first.append("r", NewEvent.of("a"));
    first.append("r", NewEvent.of("call", "{\"x\":1}").withId("ev-1"));

    var retry = second.append("r", NewEvent.of("call", "{\"x\":1}").withId("ev-1"));

    assertThat(retry.seqs()).containsExactly(2L);
    assertThat(retry.allDuplicates()).isTrue();
    assertThatThrownBy(() -> second.append("r", NewEvent.of("call", "{\"x\":2}").withId("ev-1")))
        .isInstanceOfSatisfying(
            IdConflictException.class, e -> assertThat(e.originalSeq()).isEqualTo(2));
    assertThat(first.head("r", "main")).isEqualTo(2);
  }

  @Test
  default void expectedSeq_seenByOneInstance_conflictsAfterTheOtherAppended() {
    Journal first = journal();
    Journal second = secondJournal();
    first.append("r", NewEvent.of("a"));
    long seenByFirst = first.head("r", "main");

    second.append("r", AppendRequest.of(NewEvent.of("b")).expecting(1));

    assertThatThrownBy(
            () -> first.append("r", AppendRequest.of(NewEvent.of("c")).expecting(seenByFirst)))
        .isInstanceOfSatisfying(
            SequenceConflictException.class,
            e -> {
              assertThat(e.expected()).isEqualTo(2);
              assertThat(e.actual()).isEqualTo(1);
            });
    assertThatThrownBy(() -> first.append("r", NewEvent.of("c").withSeq(2)))
        .isInstanceOfSatisfying(
            SequenceConflictException.class,
            e -> {
              assertThat(e.expected()).isEqualTo(3);
              assertThat(e.actual()).isEqualTo(2);
            });
    assertThat(readAll(second, "r")).extracting(Event::type).containsExactly("a", "b");
  }

  @Test
  default void aRunEndedThroughOneInstance_refusesAppendsThroughTheOther() {
    Journal first = journal();
    Journal second = secondJournal();
    second.append("r", NewEvent.of("a"));
    assertThat(second.info("r").ended()).isFalse();

    first.append("r", NewEvent.of("run.completed"));

    assertThatThrownBy(() -> second.append("r", NewEvent.of("late")))
        .isInstanceOfSatisfying(
            RunEndedException.class, e -> assertThat(e.terminalType()).isEqualTo("run.completed"));
    assertThat(second.info("r").endedBy()).isEqualTo("run.completed");
    assertThat(second.isFinished("r")).isTrue();
    assertThat(second.activeRuns()).isEmpty();
  }

  @Test
  default void aRunCreatedThroughOneInstance_existsForTheOther() {
    Journal first = journal();
    Journal second = secondJournal();

    assertThat(first.create("made")).isTrue();

    assertThat(second.exists("made")).isTrue();
    assertThat(second.create("made")).isFalse();
    assertThat(second.listRuns()).containsExactly("made");
  }

  @Test
  default void aWaitingSubscription_isWokenByAnAppendThroughTheOtherInstance() throws Exception {
    Journal first = journal();
    Journal second = secondJournal();
    first.append("r", NewEvent.of("before"));

    try (Subscription subscription =
        first.subscribe("r", SubscribeOptions.fromStart().afterSeq(1))) {
      BackgroundPoll poll = BackgroundPoll.startBlocked(subscription);
      second.append("r", NewEvent.of("from-elsewhere"));

      assertThat(poll.result())
          .extracting(Event::seq, Event::type)
          .containsExactly(tuple(2L, "from-elsewhere"));
    }
  }

  @Test
  default void aSubscription_completesWhenTheOtherInstanceEndsTheRun() throws Exception {
    Journal first = journal();
    Journal second = secondJournal();
    first.append("r", NewEvent.of("a"));

    try (Subscription subscription = second.subscribe("r", SubscribeOptions.fromStart())) {
      assertThat(subscription.poll(Contracts.PATIENCE)).extracting(Event::seq).containsExactly(1L);
      first.append("r", AppendRequest.of(NewEvent.of("b"), NewEvent.of("run.completed")));

      assertThat(SubscriptionContract.pollUntilComplete(subscription))
          .extracting(Event::seq)
          .containsExactly(2L, 3L);
    }
  }

  @Test
  default void aDescendingReadThroughTheOtherInstance_seesTheNewestEvents() {
    Journal first = journal();
    Journal second = secondJournal();
    assertThat(second.read("r", ReadQuery.all()).events()).isEmpty();

    for (int i = 0; i < 5; i++) {
      first.append("r", NewEvent.of(i % 2 == 0 ? "even" : "odd"));
    }

    assertThat(second.read("r", ReadQuery.all().newestFirst().limit(2)).events())
        .extracting(Event::seq)
        .containsExactly(5L, 4L);
    assertThat(second.read("r", ReadQuery.all().afterSeq(3)).events())
        .extracting(Event::seq)
        .containsExactly(4L, 5L);
  }
}
