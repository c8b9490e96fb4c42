package io.runjournal.postgres;

import io.runjournal.AppendRequest;
import io.runjournal.JournalClosedException;
import io.runjournal.internal.json.PreparedEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of the appends to one run within one journal instance (one node): concurrent {@code
 * append}s to a run share one transaction, so a run is not limited to one commit (one WAL flush)
 * per request while its row lock is held.
 *
 * <h2>Leader and followers</h2>
 *
 * A request that finds no transaction in flight for its run leads at once: it commits alone, with
 * no added latency. A request that arrives while its run's transaction is in flight queues as a
 * follower and waits, holding no pooled connection. When the leader has committed it hands over:
 * the first queued request becomes the next leader, takes every request queued behind it (at most
 * {@value #MAX_REQUESTS} requests or {@value #MAX_EVENTS} events) and commits them as one group
 * ({@link Appender}: planned in order, each request keeping its own checks and its own refusal);
 * then it completes its followers and hands over in turn. When nothing is queued the run has no
 * transaction in flight again. Requests are planned in the order they queued.
 *
 * <h2>Failures</h2>
 *
 * A refusal (sequence or id conflict, ended run, event too large) is one request's outcome and
 * never affects the others. If a group's transaction fails at the database, each of its requests is
 * retried in a transaction of its own, so a request that breaks the group fails alone and the
 * errors stay precise. Once the journal is closed every queued request fails with {@link
 * JournalClosedException}.
 *
 * <h2>Locking</h2>
 *
 * One {@link ReentrantLock} guards the queues of every run; it is held only to queue, to take a
 * group and to hand over (no I/O), never during a transaction. Waiting uses a latch per request, so
 * it parks virtual threads without pinning. A follower waits uninterruptibly (its request may
 * already be committing) and keeps its interrupt flag.
 *
 * <p>Thread-safe.
 */
final class GroupCommit {
  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

  /** The most requests one transaction takes. */
  static final int MAX_REQUESTS = 256;

  /** The most events one transaction takes (a larger single request still goes, alone). */
  static final int MAX_EVENTS = 4096;

  private final Appender appender;
  private final ReentrantLock lock = new ReentrantLock();

  /** The runs with a transaction in flight, each with the requests queued behind it. */
  // guarded by lock
  private final Map<String, ArrayDeque<Waiter>> inFlight = new HashMap<>();

  private final LongAdder transactions = new LongAdder();

  GroupCommit(Appender appender) {
    this.appender = appender;
  }

  /**
   * Appends a batch of validated events to {@code run}, alone or in a group with the requests to
   * the same run queued at the same time; returns once its transaction has committed.
   *
   * @throws io.runjournal.RunJournalException the refusals and failures of {@link Appender#append}
   */
  Appender.Appended append(String run, AppendRequest request, List<PreparedEvent> events) {
    Waiter self = new Waiter(new Appender.Request(request, events));
    List<Waiter> group;
    if (queueOrLead(run, self)) {
      group = List.of(self); // nothing was in flight, so nothing is queued: commit alone, now
    } else {
      Appender.Outcome outcome = self.awaitTurn();
      if (outcome != null) {
        return outcome.get();
      }
      group = takeGroup(run, self); // handed over to: lead the next group
    }
    List<Appender.Outcome> outcomes;
    try {
      outcomes = commit(run, group);
    } catch (RuntimeException | Error e) {
      handOver(run);
      for (Waiter follower : group.subList(1, group.size())) {
        follower.complete(Appender.Outcome.refused(asRuntime(e)));
      }
      throw e;
    }
    handOver(run);
    for (int i = 1; i < group.size(); i++) {
      group.get(i).complete(outcomes.get(i));
    }
    return outcomes.getFirst().get();
  }

  /** How many append transactions committed; for tests. */
  long transactions() {
    return transactions.sum();
  }

  /** How many requests wait behind the transaction in flight for {@code run}; for tests. */
  int queued(String run) {
    lock.lock();
    try {
      ArrayDeque<Waiter> queue = inFlight.get(run);
      return queue == null ? 0 : queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** Whether a transaction is in flight for {@code run}; for tests. */
  boolean inFlight(String run) {
    lock.lock();
    try {
      return inFlight.containsKey(run);
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@code self} leads now (nothing in flight for the run); else queues it. */
  private boolean queueOrLead(String run, Waiter self) {
    lock.lock();
    try {
      ArrayDeque<Waiter> queue = inFlight.get(run);
      if (queue == null) {
        inFlight.put(run, new ArrayDeque<>());
        return true;
      }
      queue.add(self);
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** The leader's group: the leader, then the requests queued behind it, within the bounds. */
  private List<Waiter> takeGroup(String run, Waiter leader) {
    List<Waiter> group = new ArrayList<>();
    group.add(leader);
    int events = leader.request.events().size();
    lock.lock();
    try {
      ArrayDeque<Waiter> queue = inFlight.get(run);
      while (!queue.isEmpty() && group.size() < MAX_REQUESTS) {
        int next = queue.peekFirst().request.events().size();
        if (events + next > MAX_EVENTS) {
          break;
        }
        group.add(queue.pollFirst());
        events += next;
      }
    } finally {
      lock.unlock();
    }
    return group;
  }

  /** Makes the first queued request the next leader, or ends the run's time in flight. */
  private void handOver(String run) {
    Waiter next;
    lock.lock();
    try {
      ArrayDeque<Waiter> queue = inFlight.get(run);
      next = queue.pollFirst();
      if (next == null) {
        inFlight.remove(run);
      }
    } finally {
      lock.unlock();
    }
    if (next != null) {
      next.lead();
    }
  }

  /** Commits the group; on a failure at the database retries each request alone. */
  private List<Appender.Outcome> commit(String run, List<Waiter> group) {
    List<Appender.Request> requests = new ArrayList<>(group.size());
    for (Waiter waiter : group) {
      requests.add(waiter.request);
    }
    try {
      List<Appender.Outcome> outcomes = appender.append(run, requests);
      transactions.increment();
      return outcomes;
    } catch (JournalClosedException e) {
      return failAll(requests.size(), e);
    } catch (RuntimeException e) {
      if (requests.size() == 1) {
        return List.of(Appender.Outcome.refused(e));
      }
      log.debug(
          "a group of {} appends to run {} failed ({}); retrying each alone",
          requests.size(),
          run,
          e.toString());
    }
    List<Appender.Outcome> outcomes = new ArrayList<>(requests.size());
    for (Appender.Request request : requests) {
      outcomes.add(commitAlone(run, request));
    }
    return outcomes;
  }

  private Appender.Outcome commitAlone(String run, Appender.Request request) {
    try {
      Appender.Outcome outcome = appender.append(run, List.of(request)).getFirst();
      transactions.increment();
      return outcome;
    } catch (RuntimeException e) {
      return Appender.Outcome.refused(e);
    }
  }

  private static List<Appender.Outcome> failAll(int count, RuntimeException failure) {
    List<Appender.Outcome> outcomes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      outcomes.add(Appender.Outcome.refused(failure));
    }
    return outcomes;
  }

  private static RuntimeException asRuntime(Throwable failure) {
    return failure instanceof RuntimeException runtime
        ? runtime
        : new IllegalStateException("the append transaction failed: " + failure, failure);
  }

  /** A queued request: completed by a leader, or handed the lead. */
  private static final class Waiter {
    final Appender.Request request;
    private final CountDownLatch turn = new CountDownLatch(1);
    private Appender.Outcome outcome; // written before turn opens, read after

    Waiter(Appender.Request request) {
      this.request = request;
    }

    void complete(Appender.Outcome result) {
      this.outcome = result;
      turn.countDown();
    }

    void lead() {
      turn.countDown();
    }

    /** Waits for the outcome (null: this request leads the next group). */
    Appender.Outcome awaitTurn() {
      boolean interrupted = false;
      while (true) {
        try {
          turn.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return outcome;
    }
  }
}
