package io.runjournal.contract;

import static io.runjournal.contract.Contracts.readAll;
import static io.runjournal.contract.Contracts.seqs;
import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.AppendRequest;
import io.runjournal.AppendResult;
import io.runjournal.Journal;
import io.runjournal.SequenceConflictException;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Many threads on one instance (and on both instances where it matters): appends stay dense and
 * atomic, an id is written once, and exactly one of several racing {@code expectedSeq} appends
 * wins.
 */
interface ConcurrencyContract extends JournalFixture {
  int THREADS = 8;

  @Test
  default void manyThreadsOnOneRun_getContiguousSeqs_eachThreadsEventsInItsOrder()
      throws Exception {
    Journal journal = journal();
    int perThread = 25;

    Contracts.inParallel(
        THREADS,
        thread -> {
          for (int i = 0; i < perThread; i++) {
            journal.append("r", NewEvent.of("tick", "[" + thread + "," + i + "]"));
          }
        });

    List<Event> events = readAll(journal, "r");
    assertThat(events)
        .extracting(Event::seq)
        .containsExactlyElementsOf(seqs(1, THREADS * perThread));
    for (int thread = 0; thread < THREADS; thread++) {
      String prefix = "[" + thread + ",";
      assertThat(events.stream().map(Event::data).filter(data -> data.startsWith(prefix)).toList())
          .as("events of thread %d", thread)
          .containsExactlyElementsOf(
              IntStream.range(0, perThread).mapToObj(i -> prefix + i + "]").toList());
    }
  }

  @Test
  default void concurrentBatches_eachGetContiguousSeqs() throws Exception {
    Journal journal = journal();
    List<AppendResult> results = new CopyOnWriteArrayList<>();

    Contracts.inParallel(
        THREADS,
        thread -> {
          for (int i = 0; i < 10; i++) {
            results.add(
                journal.append(
                    "r",
                    AppendRequest.of(
                        NewEvent.of("b", Integer.toString(thread)),
                        NewEvent.of("b", Integer.toString(thread)),
                        NewEvent.of("b", Integer.toString(thread)))));
          }
        });

    assertThat(results).hasSize(THREADS * 10);
    for (AppendResult result : results) {
      long first = result.first();
      assertThat(result.seqs()).containsExactly(first, first + 1, first + 2);
    }
    List<Event> events = readAll(journal, "r");
    assertThat(events).extracting(Event::seq).containsExactlyElementsOf(seqs(1, THREADS * 30));
    for (int at = 0; at < events.size(); at += 3) {
      assertThat(events.subList(at, at + 3))
          .extracting(Event::data)
          .containsOnly(events.get(at).data());
    }
  }

  @Test
  default void manyThreadsOnManyRuns_eachRunIsDense() throws Exception {
    Journal journal = journal();

    Contracts.inParallel(
        THREADS,
        thread -> {
          for (int i = 0; i < 24; i++) {
            journal.append("run-" + (i % 4), NewEvent.of("e", Integer.toString(thread)));
          }
        });

    for (int run = 0; run < 4; run++) {
      assertThat(readAll(journal, "run-" + run))
          .extracting(Event::seq)
          .containsExactlyElementsOf(seqs(1, THREADS * 6));
    }
    assertThat(journal.listRuns()).containsExactly("run-0", "run-1", "run-2", "run-3");
  }

  @Test
  default void oneIdRacedFromThreadsOfBothInstances_isWrittenOnce() throws Exception {
    Journal[] instances = {journal(), secondJournal()};
    instances[0].append("r", NewEvent.of("before"));
    Map<Long, Integer> answers = new ConcurrentHashMap<>();
    AtomicInteger written = new AtomicInteger();

    Contracts.inParallel(
        THREADS,
        thread -> {
          AppendResult result =
              instances[thread % 2].append("r", NewEvent.of("once", "{\"k\":1}").withId("the-id"));
          answers.merge(result.first(), 1, Integer::sum);
          if (!result.allDuplicates()) {
            written.incrementAndGet();
          }
        });

    assertThat(answers).isEqualTo(Map.of(2L, THREADS));
    assertThat(written).hasValue(1);
    assertThat(readAll(instances[1], "r"))
        .extracting(Event::type)
        .containsExactly("before", "once");
  }

  @Test
  default void appendsExpectingTheSameHead_race_exactlyOneWins() throws Exception {
    Journal[] instances = {journal(), secondJournal()};
    List<Integer> winners = new CopyOnWriteArrayList<>();
    List<SequenceConflictException> conflicts = new CopyOnWriteArrayList<>();

    Contracts.inParallel(
        THREADS,
        thread -> {
          try {
            instances[thread % 2].append(
                "r", AppendRequest.of(NewEvent.of("claim", Integer.toString(thread))).expecting(0));
            winners.add(thread);
          } catch (SequenceConflictException e) {
            conflicts.add(e);
          }
        });

    assertThat(winners).hasSize(1);
    assertThat(conflicts)
        .hasSize(THREADS - 1)
        .allSatisfy(
            e -> {
              assertThat(e.expected()).isEqualTo(1);
              assertThat(e.actual()).isZero();
            });
    assertThat(readAll(journal(), "r"))
        .singleElement()
        .extracting(Event::data)
        .isEqualTo(Integer.toString(winners.getFirst()));
  }
}
