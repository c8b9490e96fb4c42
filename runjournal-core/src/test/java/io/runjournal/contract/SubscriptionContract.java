package io.runjournal.contract;

import static io.runjournal.contract.Contracts.PATIENCE;
import static io.runjournal.contract.Contracts.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.runjournal.AppendRequest;
import io.runjournal.Journal;
import io.runjournal.SubscribeOptions;
import io.runjournal.Subscription;
import io.runjournal.contract.Contracts.BackgroundPoll;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Live subscriptions (DESIGN §5): a cursor that replays and then follows the live tail as one loop,
 * with no gaps and no duplicates, resumable from any position, complete once the run's terminal
 * event was delivered.
 */
interface SubscriptionContract extends JournalFixture {
  /** A poll that is expected to find nothing; short, as waiting it out proves nothing more. */
  Duration BRIEFLY = Duration.ofMillis(100);

  /** Polls until the subscription is complete; fails if a poll times out with nothing. */
  static List<Event> pollUntilComplete(Subscription subscription) throws InterruptedException {
    List<Event> delivered = new ArrayList<>();
    while (!subscription.isComplete()) {
      List<Event> events = subscription.poll(PATIENCE);
      if (events.isEmpty() && !subscription.isComplete()) {
        throw new AssertionError(
            "the subscription stalled at " + subscription.position() + " after " + delivered);
      }
      delivered.addAll(events);
    }
    return delivered;
  }

  private static List<Long> seqsOf(List<Event> events) {
    return events.stream().map(Event::seq).toList();
  }

  @Test
  default void subscribe_fromTheStart_replaysThenFollowsTheLiveTail() throws Exception {
    Journal journal = journal();
    for (int i = 0; i < 3; i++) {
      journal.append("r", NewEvent.of("before", Integer.toString(i)));
    }

    try (Subscription subscription = journal.subscribe("r", SubscribeOptions.fromStart())) {
      List<Event> replay = subscription.poll(PATIENCE);
      journal.append("r", AppendRequest.of(NewEvent.of("live"), NewEvent.of("live")));
      List<Event> live = subscription.poll(PATIENCE);

      assertThat(replay).isEqualTo(Contracts.readAll(journal, "r").subList(0, 3));
      assertThat(live)
          .extracting(Event::seq, Event::type)
          .containsExactly(tuple(4L, "live"), tuple(5L, "live"));
      assertThat(subscription.position()).isEqualTo(5);
      assertThat(subscription.head()).isEqualTo(5);
      assertThat(subscription.isComplete()).isFalse();
    }
  }

  @Test
  default void subscribe_aWaitingPoll_isWokenByTheFirstAppendOfANewRun() throws Exception {
    Journal journal = journal();

    try (Subscription subscription = journal.subscribe("new-run", SubscribeOptions.fromStart())) {
      BackgroundPoll poll = BackgroundPoll.startBlocked(subscription);
      journal.append("new-run", NewEvent.of("first"));

      assertThat(poll.result())
          .extracting(Event::seq, Event::type)
          .containsExactly(tuple(1L, "first"));
    }
  }

  @Test
  default void subscribe_whileAProducerAppends_deliversEverySeqOnceInOrder() throws Exception {
    Journal journal = journal();
    journal.append("r", NewEvent.of("first"));
    CompletableFuture<List<Event>> consumed;
    try (Subscription subscription =
        journal.subscribe("r", SubscribeOptions.fromStart().maxBatch(7))) {
      consumed =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return pollUntilComplete(subscription);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new IllegalStateException(e);
                }
              });
      for (int i = 0; i < 40; i++) {
        if (i % 4 == 0) {
          journal.append(
              "r", AppendRequest.of(NewEvent.of("x"), NewEvent.of("y"), NewEvent.of("z")));
        } else {
          journal.append("r", NewEvent.of("x"));
        }
      }
      journal.append("r", NewEvent.of("run.completed"));

      List<Event> delivered = consumed.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertThat(seqsOf(delivered)).isEqualTo(seqs(1, 62));
      assertThat(delivered.getLast().type()).isEqualTo("run.completed");
    }
  }

  @Test
  default void subscribe_isCompleteOnlyOnceTheTerminalEventWasDelivered() throws Exception {
    Journal journal = journal();
    journal.append("r", NewEvent.of("a"));

    try (Subscription subscription = journal.subscribe("r", SubscribeOptions.fromStart())) {
      assertThat(seqsOf(subscription.poll(PATIENCE))).containsExactly(1L);
      assertThat(subscription.poll(BRIEFLY)).isEmpty();
      assertThat(subscription.isComplete()).isFalse();

      journal.append("r", NewEvent.of("run.completed"));

      assertThat(seqsOf(pollUntilComplete(subscription))).containsExactly(2L);
      assertThat(subscription.isComplete()).isTrue();
      assertThat(subscription.position()).isEqualTo(2);
      assertThat(subscription.poll(BRIEFLY)).isEmpty();
    }
  }

  @Test
  default void subscribe_toAnEndedRun_replaysEverything_orIsCompleteAtOnceFromItsEnd()
      throws Exception {
    Journal journal = journal();
    journal.append("r", AppendRequest.of(NewEvent.of("a"), NewEvent.of("b")));
    journal.append("r", NewEvent.of("run.failed"));

    try (Subscription fromStart = journal.subscribe("r", SubscribeOptions.fromStart());
        Subscription fromEnd = journal.subscribe("r", SubscribeOptions.fromStart().afterSeq(3))) {
      assertThat(seqsOf(pollUntilComplete(fromStart))).containsExactly(1L, 2L, 3L);
      assertThat(fromEnd.poll(PATIENCE)).isEmpty();
      assertThat(fromEnd.isComplete()).isTrue();
    }
  }

  @Test
  default void subscribe_afterASeq_startsAtTheNextEvent_andItsPositionIsTheResumePoint()
      throws Exception {
    Journal journal = journal();
    for (int i = 0; i < 4; i++) {
      journal.append("r", NewEvent.of("e"));
    }
    long position;
    try (Subscription subscription =
        journal.subscribe("r", SubscribeOptions.fromStart().afterSeq(2))) {
      assertThat(seqsOf(subscription.poll(PATIENCE))).containsExactly(3L, 4L);
      position = subscription.position();
    }
    journal.append("r", NewEvent.of("while-away"));

    try (Subscription resumed =
        journal.subscribe("r", SubscribeOptions.fromStart().afterSeq(position))) {
      assertThat(resumed.poll(PATIENCE))
          .extracting(Event::seq, Event::type)
          .containsExactly(tuple(5L, "while-away"));
    }
    assertThat(position).isEqualTo(4);
  }

  @Test
  default void subscribe_fromTheHead_deliversOnlyNewEvents() throws Exception {
    Journal journal = journal();
    journal.append("r", NewEvent.of("old"));
    journal.append("r", NewEvent.of("old"));

    try (Subscription subscription =
        journal.subscribe("r", SubscribeOptions.fromStart().afterSeq(2))) {
      assertThat(subscription.poll(BRIEFLY)).isEmpty();
      assertThat(subscription.head()).isEqualTo(2);
      journal.append("r", NewEvent.of("new"));

      assertThat(subscription.poll(PATIENCE))
          .extracting(Event::seq, Event::type)
          .containsExactly(tuple(3L, "new"));
    }
  }

  @Test
  default void subscribe_withTypes_deliversOnlyThose_andMovesPastTheOthers() throws Exception {
    Journal journal = journal();
    journal.append("r", NewEvent.of("noise"));
    journal.append("r", NewEvent.of("signal"));
    journal.append("r", NewEvent.of("noise"));

    try (Subscription subscription =
        journal.subscribe("r", SubscribeOptions.fromStart().types(Set.of("signal")))) {
      assertThat(seqsOf(subscription.poll(PATIENCE))).containsExactly(2L);
      assertThat(subscription.poll(BRIEFLY)).isEmpty();
      assertThat(subscription.position()).isEqualTo(3);
      journal.append("r", AppendRequest.of(NewEvent.of("noise"), NewEvent.of("signal")));
      assertThat(seqsOf(subscription.poll(PATIENCE))).containsExactly(5L);
    }
  }

  @Test
  default void subscribe_toABranch_deliversOnlyThatBranch() throws Exception {
    Journal journal = journal();
    journal.append("r", NewEvent.of("main-1"));
    journal.append("r", AppendRequest.of(NewEvent.of("side-1")).onBranch("side"));

    try (Subscription subscription =
        journal.subscribe("r", SubscribeOptions.fromStart().branch("side"))) {
      assertThat(subscription.poll(PATIENCE))
          .extracting(Event::branch, Event::seq, Event::type)
          .containsExactly(tuple("side", 1L, "side-1"));
      journal.append("r", NewEvent.of("main-2"));
      journal.append("r", AppendRequest.of(NewEvent.of("side-2")).onBranch("side"));
      assertThat(subscription.poll(PATIENCE))
          .extracting(Event::branch, Event::seq, Event::type)
          .containsExactly(tuple("side", 2L, "side-2"));
    }
  }

  @Test
  default void subscribe_maxBatch_boundsWhatOnePollDelivers() throws Exception {
    Journal journal = journal();
    for (int i = 0; i < 7; i++) {
      journal.append("r", NewEvent.of("e"));
    }

    try (Subscription subscription =
        journal.subscribe("r", SubscribeOptions.fromStart().maxBatch(3))) {
      assertThat(seqsOf(subscription.poll(PATIENCE))).containsExactly(1L, 2L, 3L);
      assertThat(seqsOf(subscription.poll(PATIENCE))).containsExactly(4L, 5L, 6L);
      assertThat(seqsOf(subscription.poll(PATIENCE))).containsExactly(7L);
    }
  }

  @Test
  default void subscription_close_wakesAWaitingPoll_whichReturnsEmpty_andIsIdempotent()
      throws Exception {
    Journal journal = journal();
    Subscription subscription = journal.subscribe("quiet", SubscribeOptions.fromStart());
    BackgroundPoll poll = BackgroundPoll.startBlocked(subscription);

    subscription.close();

    assertThat(poll.result()).isEmpty();
    subscription.close();
    journal.append("quiet", NewEvent.of("after-close"));
    assertThat(subscription.poll(BRIEFLY)).isEmpty();
  }
}
