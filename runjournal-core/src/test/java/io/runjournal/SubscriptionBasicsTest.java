package io.runjournal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubscriptionBasicsTest {
  @TempDir Path data;
  Journal journal;

  @BeforeEach
  void open() {
    journal = Journal.open(data, JournalOptions.defaults().withFsync(FsyncPolicy.NONE));
  }

  @AfterEach
  void close() {
    journal.close();
  }

  @Test
  void subscription_replaysThenFollowsLiveTail_withoutGapsOrDuplicates() throws Exception {
    for (int i = 0; i < 5; i++) {
      journal.append("r", NewEvent.of("before"));
    }
    List<Long> delivered = new CopyOnWriteArrayList<>();
    CountDownLatch replayed = new CountDownLatch(1);
    Thread consumer =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (Subscription subscription =
                      journal.subscribe("r", SubscribeOptions.fromStart().maxBatch(3))) {
                    while (!subscription.isComplete()) {
                      subscription
                          .poll(Duration.ofSeconds(5))
                          .forEach(event -> delivered.add(event.seq()));
                      if (delivered.size() >= 5) {
                        replayed.countDown();
                      }
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    replayed.await();
    for (int i = 0; i < 20; i++) {
      journal.append("r", NewEvent.of("live"));
    }
    journal.append("r", NewEvent.of("run.completed"));

    consumer.join(Duration.ofSeconds(30));
    assertThat(consumer.isAlive()).isFalse();
    assertThat(delivered).containsExactlyElementsOf(LongStream.rangeClosed(1, 26).boxed().toList());
  }

  @Test
  void subscription_fromHead_deliversOnlyNewEvents_andResumesFromPosition() throws Exception {
    journal.append("r", NewEvent.of("old"));
    journal.append("r", NewEvent.of("old"));
    long position;
    try (Subscription subscription =
        journal.subscribe("r", SubscribeOptions.fromStart().afterSeq(2))) {
      assertThat(subscription.poll(Duration.ofMillis(20))).isEmpty();
      journal.append("r", NewEvent.of("new"));
      assertThat(subscription.poll(Duration.ofSeconds(5)))
          .extracting(Event::seq)
          .containsExactly(3L);
      position = subscription.position();
    }
    journal.append("r", NewEvent.of("while-away"));

    try (Subscription resumed =
        journal.subscribe("r", SubscribeOptions.fromStart().afterSeq(position))) {
      assertThat(resumed.poll(Duration.ofSeconds(5))).extracting(Event::seq).containsExactly(4L);
    }
  }

  @Test
  void subscription_typeFilter_advancesPositionPastFilteredEvents() throws Exception {
    journal.append("r", NewEvent.of("noise"));
    journal.append("r", NewEvent.of("signal"));
    journal.append("r", NewEvent.of("noise"));

    try (Subscription subscription =
        journal.subscribe("r", SubscribeOptions.fromStart().types(Set.of("signal")))) {
      assertThat(subscription.poll(Duration.ofSeconds(5)))
          .extracting(Event::seq)
          .containsExactly(2L);
      assertThat(subscription.poll(Duration.ofMillis(10))).isEmpty();
      assertThat(subscription.position()).isEqualTo(3);
    }
  }

  @Test
  void close_wakesABlockedPoll() throws Exception {
    Subscription subscription = journal.subscribe("quiet", SubscribeOptions.fromStart());
    List<List<Event>> results = new CopyOnWriteArrayList<>();
    Thread poller =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    results.add(subscription.poll(Duration.ofMinutes(5)));
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    await()
        .until(
            () ->
                poller.getState() == Thread.State.WAITING
                    || poller.getState() == Thread.State.TIMED_WAITING);

    subscription.close();

    poller.join(Duration.ofSeconds(10));
    assertThat(results).containsExactly(List.of());
  }

  @Test
  void subscription_seesAppendsOfAnotherJournalInstance() throws Exception {
    try (Journal other = Journal.open(data, JournalOptions.defaults().withFsync(FsyncPolicy.NONE));
        Subscription subscription = journal.subscribe("r", SubscribeOptions.fromStart())) {
      other.append("r", NewEvent.of("from-elsewhere"));

      assertThat(subscription.poll(Duration.ofSeconds(5)))
          .extracting(Event::type)
          .containsExactly("from-elsewhere");
    }
  }
}
