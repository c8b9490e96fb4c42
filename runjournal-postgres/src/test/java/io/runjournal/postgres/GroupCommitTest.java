package io.runjournal.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.runjournal.AppendRequest;
import io.runjournal.AppendResult;
import io.runjournal.EventTooLargeException;
import io.runjournal.IdConflictException;
import io.runjournal.JournalOptions;
import io.runjournal.ReadQuery;
import io.runjournal.RunEndedException;
import io.runjournal.SequenceConflictException;
import io.runjournal.StorageException;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit of appends to one run ({@link GroupCommit}) on a real PostgreSQL. A group is formed
 * deterministically: another connection holds the run's row lock while a first append leads (and
 * waits for the lock) and the others queue behind it one by one; releasing the lock lets the first
 * commit alone and the queued ones commit as one group, planned in the order they queued.
 */
class GroupCommitTest {
  private static final String RUN = "grouped";

  static PostgresFixture postgres;

  private final ExecutorService appenders = Executors.newVirtualThreadPerTaskExecutor();

  @BeforeAll
  static void startServer() throws Exception {
    postgres = PostgresFixture.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    postgres.close();
  }

  @BeforeEach
  void newDatabase() {
    postgres.newDatabase();
  }

  @AfterEach
  void closeJournals() throws Exception {
    appenders.shutdownNow();
    postgres.closeJournals();
  }

  @Test
  void append_fromManyThreadsToOneRun_getsContiguousSeqsInFewerTransactions() throws Exception {
    PostgresJournal journal = postgres.open();
    journal.create(RUN);
    int threads = 16;
    int perThread = 40;
    List<Future<List<Long>>> results = new ArrayList<>();
    try (Connection blocker = lockRunRow()) {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(
            appenders.submit(
                () -> {
                  List<Long> seqs = new ArrayList<>();
                  for (int i = 0; i < perThread; i++) {
                    String data = "{\"thread\":" + thread + ",\"i\":" + i + "}";
                    seqs.add(journal.append(RUN, NewEvent.of("tick", data)).first());
                  }
                  return seqs;
                }));
      }
      // One thread leads and waits for the row; every other thread's first append queues.
      await().until(() -> journal.appends().queued(RUN) == threads - 1);
      blocker.rollback();
    }
    List<Long> seqs = new ArrayList<>();
    for (Future<List<Long>> result : results) {
      List<Long> ofThread = result.get();
      assertThat(ofThread).isSorted();
      seqs.addAll(ofThread);
    }
    int requests = threads * perThread;
    assertThat(seqs).containsExactlyInAnyOrderElementsOf(range(1, requests));
    assertThat(journal.head(RUN, "main")).isEqualTo(requests);
    assertThat(journal.read(RUN, ReadQuery.all().limit(10_000)).events())
        .extracting(Event::seq)
        .containsExactlyElementsOf(range(1, requests));
    // The 15 queued first appends shared one transaction at least.
    assertThat(journal.appends().transactions()).isLessThanOrEqualTo(requests - (threads - 2));
    assertThat(journal.appends().inFlight(RUN)).isFalse();
  }

  @Test
  void group_withStaleExpectingAndIdConflict_failsOnlyThoseWithTheirOwnExceptions()
      throws Exception {
    PostgresJournal journal = postgres.open();
    journal.append(RUN, NewEvent.of("seed", "1").withId("a")); // seq 1
    long before = journal.appends().transactions();

    List<Future<AppendResult>> results =
        appendAsOneGroup(
            journal,
            AppendRequest.of(NewEvent.of("lead")), // alone: seq 2
            AppendRequest.of(NewEvent.of("good", "1")), // seq 3
            AppendRequest.of(NewEvent.of("stale")).expecting(2), // head is 3 by then
            AppendRequest.of(NewEvent.of("reused", "2").withId("a")), // "a" is a seed
            AppendRequest.of(NewEvent.of("good", "2"), NewEvent.of("good", "3"))); // 4, 5

    assertThat(results.get(0).get().seqs()).containsExactly(2L);
    assertThat(results.get(1).get().seqs()).containsExactly(3L);
    SequenceConflictException stale = failure(results.get(2), SequenceConflictException.class);
    assertThat(stale.expected()).isEqualTo(3);
    assertThat(stale.actual()).isEqualTo(2);
    IdConflictException reused = failure(results.get(3), IdConflictException.class);
    assertThat(reused.eventId()).isEqualTo("a");
    assertThat(reused.originalSeq()).isEqualTo(1);
    assertThat(results.get(4).get().seqs()).containsExactly(4L, 5L);
    assertThat(results.get(4).get().head()).isEqualTo(5);
    assertThat(journal.read(RUN, ReadQuery.all()).events())
        .extracting(Event::seq, Event::type)
        .containsExactly(
            tuple(1L, "seed"),
            tuple(2L, "lead"),
            tuple(3L, "good"),
            tuple(4L, "good"),
            tuple(5L, "good"));
    assertThat(journal.appends().transactions() - before).isEqualTo(2);
    assertThat(journal.verify(RUN).problems()).isEmpty();
  }

  @Test
  void group_withSameIdInTwoRequests_answersTheSecondAsDuplicateOfTheFirst() throws Exception {
    PostgresJournal journal = postgres.open();
    journal.create(RUN);

    List<Future<AppendResult>> results =
        appendAsOneGroup(
            journal,
            AppendRequest.of(NewEvent.of("lead")), // seq 1
            AppendRequest.of(NewEvent.of("step", "{\"n\":1}").withId("x")), // seq 2
            AppendRequest.of(NewEvent.of("step", "{\"n\":1}").withId("x")), // duplicate of 2
            AppendRequest.of(NewEvent.of("step", "{\"n\":2}").withId("x")), // conflict with 2
            AppendRequest.of(NewEvent.of("after"))); // seq 3

    assertThat(results.get(1).get().seqs()).containsExactly(2L);
    AppendResult duplicate = results.get(2).get();
    assertThat(duplicate.seqs()).containsExactly(2L);
    assertThat(duplicate.duplicate()).containsExactly(true);
    assertThat(duplicate.allDuplicates()).isTrue();
    IdConflictException conflict = failure(results.get(3), IdConflictException.class);
    assertThat(conflict.originalSeq()).isEqualTo(2);
    assertThat(conflict.originalBranch()).isEqualTo("main");
    assertThat(results.get(4).get().seqs()).containsExactly(3L);
    assertThat(journal.read(RUN, ReadQuery.all()).events())
        .extracting(Event::seq)
        .containsExactly(1L, 2L, 3L);
  }

  @Test
  void group_withRunEndingEventInTheMiddle_refusesTheLaterRequests() throws Exception {
    PostgresJournal journal = postgres.open();
    journal.create(RUN);

    List<Future<AppendResult>> results =
        appendAsOneGroup(
            journal,
            AppendRequest.of(NewEvent.of("lead")), // seq 1
            AppendRequest.of(NewEvent.of("work").withId("w")), // seq 2
            AppendRequest.of(NewEvent.of("run.completed")), // seq 3
            AppendRequest.of(NewEvent.of("late")), // refused
            AppendRequest.of(NewEvent.of("work").withId("w"))); // a retry of seq 2: duplicate

    assertThat(results.get(2).get().seqs()).containsExactly(3L);
    RunEndedException ended = failure(results.get(3), RunEndedException.class);
    assertThat(ended.terminalType()).isEqualTo("run.completed");
    assertThat(results.get(4).get().seqs()).containsExactly(2L);
    assertThat(results.get(4).get().allDuplicates()).isTrue();
    assertThat(journal.head(RUN, "main")).isEqualTo(3);
    assertThat(journal.isFinished(RUN)).isTrue();
    assertThat(journal.activeRuns()).doesNotContain(RUN);
    assertThat(catchThrowable(() -> journal.append(RUN, NewEvent.of("later"))))
        .isInstanceOf(RunEndedException.class);
  }

  @Test
  void group_acrossTwoBranches_keepsEachBranchContiguous() throws Exception {
    PostgresJournal journal = postgres.open();
    journal.append(RUN, AppendRequest.of(NewEvent.of("r1")).onBranch("retry-1")); // retry-1: 1

    List<Future<AppendResult>> results =
        appendAsOneGroup(
            journal,
            AppendRequest.of(NewEvent.of("lead")), // main 1
            AppendRequest.of(NewEvent.of("m2"), NewEvent.of("m3")), // main 2, 3
            AppendRequest.of(NewEvent.of("r2")).onBranch("retry-1").expecting(1), // retry-1: 2
            AppendRequest.of(NewEvent.of("b1")).onBranch("retry-2"), // a new branch: 1
            AppendRequest.of(NewEvent.of("r3")).onBranch("retry-1").expecting(1), // stale
            AppendRequest.of(NewEvent.of("m4")).expecting(3)); // main 4

    assertThat(results.get(1).get().seqs()).containsExactly(2L, 3L);
    assertThat(results.get(2).get().seqs()).containsExactly(2L);
    assertThat(results.get(3).get().seqs()).containsExactly(1L);
    SequenceConflictException stale = failure(results.get(4), SequenceConflictException.class);
    assertThat(stale.branch()).isEqualTo("retry-1");
    assertThat(stale.expected()).isEqualTo(2);
    assertThat(results.get(5).get().seqs()).containsExactly(4L);
    assertThat(journal.heads(RUN)).isEqualTo(Map.of("main", 4L, "retry-1", 2L, "retry-2", 1L));
    for (String branch : List.of("main", "retry-1", "retry-2")) {
      List<Event> events = journal.read(RUN, ReadQuery.all().branch(branch)).events();
      assertThat(events)
          .extracting(Event::seq)
          .containsExactlyElementsOf(range(1, journal.head(RUN, branch)));
    }
    assertThat(journal.verify(RUN).problems()).isEmpty();
  }

  @Test
  void group_withTooLargeEventInOneBatch_writesNoneOfThatBatchAndAllOfTheOthers() throws Exception {
    PostgresJournal journal =
        postgres.open(postgres.options(JournalOptions.defaults().withMaxEventBytes(300)));
    journal.create(RUN);
    String big = "\"" + "x".repeat(400) + "\"";

    List<Future<AppendResult>> results =
        appendAsOneGroup(
            journal,
            AppendRequest.of(NewEvent.of("lead")), // seq 1
            AppendRequest.of(NewEvent.of("a")), // seq 2
            AppendRequest.of(NewEvent.of("small"), NewEvent.of("big", big)), // refused whole
            AppendRequest.of(NewEvent.of("b"), NewEvent.of("c"))); // seq 3, 4

    EventTooLargeException tooLarge = failure(results.get(2), EventTooLargeException.class);
    assertThat(tooLarge.max()).isEqualTo(300);
    assertThat(results.get(3).get().seqs()).containsExactly(3L, 4L);
    assertThat(journal.read(RUN, ReadQuery.all()).events())
        .extracting(Event::type)
        .containsExactly("lead", "a", "b", "c");
    assertThat(journal.verify(RUN).problems()).isEmpty();
  }

  @Test
  void group_whoseTransactionFails_retriesEachRequestAloneSoOnlyTheBadOneFails() throws Exception {
    PostgresJournal journal = postgres.open();
    journal.create(RUN);
    try (Connection connection = postgres.connect();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "create function refuse_poison() returns trigger language plpgsql as $$"
              + " begin if new.type = 'poison' then raise exception 'poisoned row'; end if;"
              + " return new; end $$");
      statement.execute(
          "create trigger refuse_poison before insert on events"
              + " for each row execute function refuse_poison()");
    }
    long before = journal.appends().transactions();

    List<Future<AppendResult>> results =
        appendAsOneGroup(
            journal,
            AppendRequest.of(NewEvent.of("lead")), // seq 1
            AppendRequest.of(NewEvent.of("good")), // seq 2, on its own
            AppendRequest.of(NewEvent.of("poison")), // fails at the database, on its own
            AppendRequest.of(NewEvent.of("good"))); // seq 3, on its own

    assertThat(results.get(1).get().seqs()).containsExactly(2L);
    StorageException poisoned = failure(results.get(2), StorageException.class);
    assertThat(poisoned).rootCause().hasMessageContaining("poisoned row");
    assertThat(results.get(3).get().seqs()).containsExactly(3L);
    assertThat(journal.read(RUN, ReadQuery.all()).events())
        .extracting(Event::seq)
        .containsExactly(1L, 2L, 3L);
    // The lead, then the two good requests alone; the group and the poison rolled back.
    assertThat(journal.appends().transactions() - before).isEqualTo(3);
  }

  /**
   * Appends {@code lead} while the run's row is locked elsewhere, queues {@code queued} behind it
   * in order, then releases the row: the lead commits alone, the queued requests as one group.
   */
  private List<Future<AppendResult>> appendAsOneGroup(
      PostgresJournal journal, AppendRequest lead, AppendRequest... queued) throws SQLException {
    List<Future<AppendResult>> results = new ArrayList<>();
    try (Connection blocker = lockRunRow()) {
      results.add(appenders.submit(() -> journal.append(RUN, lead)));
      await().until(() -> journal.appends().inFlight(RUN));
      for (int i = 0; i < queued.length; i++) {
        AppendRequest request = queued[i];
        int position = i + 1;
        results.add(appenders.submit(() -> journal.append(RUN, request)));
        await().until(() -> journal.appends().queued(RUN) == position);
      }
      blocker.rollback();
    }
    return results;
  }

  /** A connection whose open transaction holds the run's row lock. */
  private static Connection lockRunRow() throws SQLException {
    Connection blocker = postgres.connect();
    blocker.setAutoCommit(false);
    try (PreparedStatement lock =
        blocker.prepareStatement("select run from runs where run = ? for update")) {
      lock.setString(1, RUN);
      lock.executeQuery().close();
    }
    return blocker;
  }

  private static <T extends Throwable> T failure(Future<AppendResult> result, Class<T> type) {
    Throwable thrown = catchThrowable(result::get);
    assertThat(thrown).isInstanceOf(ExecutionException.class);
    assertThat(thrown.getCause()).isInstanceOf(type);
    return type.cast(thrown.getCause());
  }

  private static List<Long> range(long first, long last) {
    return LongStream.rangeClosed(first, last).boxed().toList();
  }
}
