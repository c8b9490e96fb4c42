package io.runjournal.contract;

import static org.awaitility.Awaitility.await;

import io.runjournal.Journal;
import io.runjournal.ReadQuery;
import io.runjournal.ReadResult;
import io.runjournal.Subscription;
import io.runjournal.model.Event;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Reads, waits and threads shared by the contract tests. Stateless. */
final class Contracts {
  /** How long a test waits for something that must happen; never a measured duration. */
  static final Duration PATIENCE = Duration.ofSeconds(20);

  private Contracts() {}

  /** Every event of {@code branch} of {@code run}, paging through it in ascending order. */
  static List<Event> readAll(Journal journal, String run, String branch) {
    List<Event> events = new ArrayList<>();
    ReadQuery query = ReadQuery.all().branch(branch).limit(500);
    while (true) {
      ReadResult page = journal.read(run, query);
      events.addAll(page.events());
      if (page.next() == null) {
        return events;
      }
      query = query.afterSeq(page.next());
    }
  }

  /** Every event of branch {@code main} of {@code run}. */
  static List<Event> readAll(Journal journal, String run) {
    return readAll(journal, run, "main");
  }

  /** Every event of every branch of {@code run}, in the order they were appended. */
  static List<Event> journalOrder(Journal journal, String run) {
    List<Event> events = new ArrayList<>();
    journal.forEachEvent(run, Long.MAX_VALUE, events::add);
    return events;
  }

  /** The seqs {@code from..to}, both included. */
  static List<Long> seqs(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  /** The UTF-8 size of {@code text}. */
  static long utf8Bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * What each operation raised: the simple name of its exception's class, or {@code "returned"} if
   * it did not throw; by name, sorted, so that a failure lists every operation that misbehaved.
   */
  static Map<String, String> outcomes(Map<String, ThrowingCallable> operations) {
    Map<String, String> outcomes = new TreeMap<>();
    operations.forEach(
        (name, operation) -> {
          try {
            operation.call();
            outcomes.put(name, "returned");
          } catch (Throwable e) {
            outcomes.put(name, e.getClass().getSimpleName());
          }
        });
    return outcomes;
  }

  /** Every key of {@code operations} mapped to {@code outcome}, sorted. */
  static Map<String, String> each(Map<String, ?> operations, String outcome) {
    Map<String, String> expected = new TreeMap<>();
    operations.keySet().forEach(name -> expected.put(name, outcome));
    return expected;
  }

  /** A body run by each of several threads. */
  @FunctionalInterface
  interface ThreadBody {
    void run(int thread) throws Exception;
  }

  /**
   * Runs {@code body} on {@code threads} platform threads released at once, and waits for all of
   * them; the first failure is thrown.
   */
  static void inParallel(int threads, ThreadBody body) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int thread = i;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  body.run(thread);
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> future : done) {
        future.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      }
    }
  }

  /**
   * A {@link Subscription#poll} running on its own thread, so that a test can act while it waits.
   * The poll itself would wait for minutes: a test fails after {@link #PATIENCE} if nothing wakes
   * it, rather than pass when the poll's own timeout ends it.
   */
  static final class BackgroundPoll {
    private final Thread thread;
    private final CompletableFuture<List<Event>> result = new CompletableFuture<>();

    private BackgroundPoll(Subscription subscription) {
      thread =
          Thread.ofPlatform()
              .daemon()
              .name("contract-poll")
              .start(
                  () -> {
                    try {
                      result.complete(subscription.poll(Duration.ofMinutes(10)));
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      result.completeExceptionally(e);
                    } catch (RuntimeException e) {
                      result.completeExceptionally(e);
                    }
                  });
    }

    /** Starts a poll and returns once it waits for events (the store has nothing new for it). */
    static BackgroundPoll startBlocked(Subscription subscription) {
      BackgroundPoll poll = new BackgroundPoll(subscription);
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  poll.result.isDone()
                      || poll.thread.getState() == Thread.State.WAITING
                      || poll.thread.getState() == Thread.State.TIMED_WAITING);
      return poll;
    }

    /**
     * What the poll returned, waiting at most {@link #PATIENCE} for it to return.
     *
     * @throws java.util.concurrent.TimeoutException if nothing woke the poll
     */
    List<Event> result() throws Exception {
      return result.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }
  }
}
