package io.runjournal.torture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.runjournal.FsyncPolicy;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.SubscribeOptions;
import io.runjournal.Subscription;
import io.runjournal.model.Event;
import io.runjournal.model.EventTypes;
import io.runjournal.model.NewEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live subscription while a thread of this process and a child JVM append (DESIGN §5: replay and
 * live tail are one loop; subscribers wake on appends by this and other processes; no gaps, no
 * duplicates, resumable from the position).
 */
class SubscriptionAcrossProcessesTest {
  private static final String RUN = "followed";
  private static final int MAX_BATCH = 7;

  @TempDir Path data;
  @TempDir Path work;

  private final ExecutorService threads = Executors.newCachedThreadPool();
  private ChildJvm child;

  @AfterEach
  void stopEverything() {
    if (child != null) {
      child.close();
    }
    threads.shutdownNow();
  }

  @Test
  void subscriptionFromZero_whileAThreadAndAProcessAppend_deliversEachEventOnceInOrder_andResumes()
      throws Exception {
    int count = Torture.size(200, 5_000);
    child =
        ChildJvm.start(
            "child",
            work,
            AppenderMain.class,
            data.toString(),
            RUN,
            Integer.toString(count),
            "none",
            "child",
            "plain");
    child.readUntil("ready", ChildJvm.PATIENCE);
    List<Event> delivered = new ArrayList<>();
    try (Journal journal =
        Journal.open(data, JournalOptions.defaults().withFsync(FsyncPolicy.NONE))) {
      CountDownLatch go = new CountDownLatch(1);
      Future<?> writer =
          threads.submit(
              () -> {
                go.await();
                AppenderMain.appendAll(journal, RUN, count, "thread", false, line -> {});
                return null;
              });
      Subscription first = journal.subscribe(RUN, SubscribeOptions.fromStart().maxBatch(MAX_BATCH));
      child.send("go");
      go.countDown();

      while (delivered.size() < count) {
        receive(first, delivered);
      }
      first.close();
      long position = first.position();
      assertThat(position).isEqualTo(delivered.getLast().seq());
      assertThat(first.poll(Duration.ofSeconds(10))).as("a closed subscription").isEmpty();

      child.readUntil("done", ChildJvm.PATIENCE);
      child.awaitSuccess(ChildJvm.PATIENCE);
      writer.get(ChildJvm.PATIENCE.toSeconds(), TimeUnit.SECONDS);
      long completed = journal.append(RUN, NewEvent.of(EventTypes.RUN_COMPLETED)).first();
      assertThat(completed).isEqualTo(2L * count + 1);

      try (Subscription resumed =
          journal.subscribe(
              RUN, SubscribeOptions.fromStart().afterSeq(position).maxBatch(MAX_BATCH))) {
        while (!resumed.isComplete()) {
          receive(resumed, delivered);
        }
        assertThat(resumed.position()).isEqualTo(completed);
        assertThat(resumed.poll(Duration.ofMillis(1))).as("after completion").isEmpty();
      }

      assertThat(delivered)
          .extracting(Event::seq)
          .as("every seq once, in order")
          .isEqualTo(seqs(1, completed));
      assertThat(delivered)
          .as("same events as a read")
          .isEqualTo(Journals.readAll(journal, RUN, "main"));
      assertThat(delivered.getLast().type()).isEqualTo(EventTypes.RUN_COMPLETED);
      Set<String> ids = new HashSet<>();
      for (Event event : delivered.subList(0, delivered.size() - 1)) {
        assertThat(ids.add(event.id())).as("%s delivered twice", event.id()).isTrue();
      }
      for (int i = 0; i < count; i++) {
        assertThat(ids).contains("thread-" + i, "child-" + i);
      }
    }
  }

  /** One poll that must deliver a contiguous batch (or complete the subscription). */
  private void receive(Subscription subscription, List<Event> delivered)
      throws InterruptedException {
    long before = subscription.position();
    List<Event> batch = subscription.poll(ChildJvm.PATIENCE);
    if (batch.isEmpty() && !subscription.isComplete()) {
      fail(
          "no event within %s at position %d; child stderr:%n%s",
          ChildJvm.PATIENCE, before, child.stderr());
    }
    assertThat(batch.size()).isLessThanOrEqualTo(MAX_BATCH);
    assertThat(batch)
        .extracting(Event::seq)
        .as("batch after %d", before)
        .isEqualTo(seqs(before + 1, before + batch.size()));
    delivered.addAll(batch);
    if (!batch.isEmpty()) {
      assertThat(subscription.position()).isEqualTo(batch.getLast().seq());
    }
  }

  private static List<Long> seqs(long from, long to) {
    List<Long> seqs = new ArrayList<>();
    for (long seq = from; seq <= to; seq++) {
      seqs.add(seq);
    }
    return seqs;
  }
}
