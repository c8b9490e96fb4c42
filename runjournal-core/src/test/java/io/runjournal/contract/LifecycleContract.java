package io.runjournal.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runjournal.BestEffortAppender;
import io.runjournal.Journal;
import io.runjournal.JournalClosedException;
import io.runjournal.ReadQuery;
import io.runjournal.SubscribeOptions;
import io.runjournal.Subscription;
import io.runjournal.contract.Contracts.BackgroundPoll;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Closing a journal: idempotent, every later call fails with {@link JournalClosedException}, its
 * subscriptions wake and end, and what it acknowledged stays for other instances.
 */
interface LifecycleContract extends JournalFixture {

  @Test
  default void close_twice_isIdempotent() {
    Journal journal = journal();
    journal.append("r", NewEvent.of("a"));

    journal.close();
    journal.close();

    assertThatThrownBy(() -> journal.append("r", NewEvent.of("b")))
        .isInstanceOf(JournalClosedException.class);
  }

  @Test
  default void afterClose_everyOperationFailsJournalClosed() {
    Journal journal = journal();
    journal.append("r", NewEvent.of("a"));
    journal.close();
    Map<String, ThrowingCallable> operations =
        Map.ofEntries(
            Map.entry("append", () -> journal.append("r", NewEvent.of("b"))),
            Map.entry("read", () -> journal.read("r", ReadQuery.all())),
            Map.entry("read newest first", () -> journal.read("r", ReadQuery.all().newestFirst())),
            Map.entry("head", () -> journal.head("r", "main")),
            Map.entry("heads", () -> journal.heads("r")),
            Map.entry("info", () -> journal.info("r")),
            Map.entry("size", () -> journal.size("r")),
            Map.entry("lastEvent", () -> journal.lastEvent("r")),
            Map.entry("exists", () -> journal.exists("r")),
            Map.entry("create", () -> journal.create("other")),
            Map.entry("listRuns", journal::listRuns),
            Map.entry("activeRuns", journal::activeRuns),
            Map.entry("releaseActiveMarker", () -> journal.releaseActiveMarker("r")),
            Map.entry("subscribe", () -> journal.subscribe("r", SubscribeOptions.fromStart())),
            Map.entry("forEachEvent", () -> journal.forEachEvent("r", 10, event -> {})),
            Map.entry(
                "copyJournal", () -> journal.copyJournal("r", 10, new ByteArrayOutputStream())),
            Map.entry("importEvents", () -> journal.importEvents("other", List.of())),
            Map.entry("verify", () -> journal.verify("r")),
            Map.entry("isFinished", () -> journal.isFinished("r")),
            Map.entry("archive", () -> journal.archive("r")),
            Map.entry("isArchived", () -> journal.isArchived("r")),
            Map.entry("delete", () -> journal.delete("r")));

    assertThat(Contracts.outcomes(operations))
        .isEqualTo(Contracts.each(operations, "JournalClosedException"));
    assertThatThrownBy(() -> journal.append("r", NewEvent.of("b")))
        .isInstanceOfSatisfying(
            JournalClosedException.class, e -> assertThat(e.code()).isEqualTo("closed"))
        .hasMessage("journal is closed");
  }

  @Test
  default void close_endsAWaitingSubscriptionPoll_whichReturnsEmpty() throws Exception {
    Journal journal = journal();
    journal.append("r", NewEvent.of("a"));
    try (Subscription subscription =
        journal.subscribe("r", SubscribeOptions.fromStart().afterSeq(1))) {
      BackgroundPoll poll = BackgroundPoll.startBlocked(subscription);

      journal.close();

      assertThat(poll.result()).isEmpty();
      assertThat(subscription.poll(SubscriptionContract.BRIEFLY)).isEmpty();
    }
  }

  @Test
  default void close_keepsEveryAcknowledgedEvent_forAnotherInstance() {
    Journal journal = journal();
    for (int i = 0; i < 5; i++) {
      journal.append("r", NewEvent.of("e", Integer.toString(i)).withId("id-" + i));
    }
    List<Event> before = Contracts.readAll(journal, "r");

    journal.close();

    Journal second = secondJournal();
    assertThat(Contracts.readAll(second, "r")).isEqualTo(before);
    assertThat(second.append("r", NewEvent.of("e", "0").withId("id-0")).allDuplicates()).isTrue();
    assertThat(second.append("r", NewEvent.of("next")).first()).isEqualTo(6);
  }

  @Test
  default void bestEffort_afterClose_dropsWithoutThrowing() {
    Journal journal = journal();
    BestEffortAppender appender = journal.bestEffort();
    assertThat(appender.append("r", NewEvent.of("a"))).isEqualTo(1);

    journal.close();

    assertThat(appender.append("r", NewEvent.of("b"))).isEqualTo(-1);
  }
}
