package io.runjournal.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runjournal.JournalOptions;
import io.runjournal.SubscribeOptions;
import io.runjournal.Subscription;
import io.runjournal.internal.json.EventCodec;
import io.runjournal.internal.json.Timestamps;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions of one node wake on appends through another: by NOTIFY, after the LISTEN connection
 * was lost, and by the periodic recheck when no notification comes at all. Each test lets only the
 * path under test deliver: the others are set to wait far longer than the test.
 */
class NotificationTest {
  private static final Duration NEVER = Duration.ofMinutes(10);

  static PostgresFixture postgres;

  /** What the consumer thread of a test received. */
  final List<Event> received = new CopyOnWriteArrayList<>();

  Thread consumer;

  @BeforeAll
  static void startServer() throws Exception {
    postgres = PostgresFixture.start();
  }

  @AfterAll
  static void stopServer() {
    postgres.close();
  }

  @BeforeEach
  void newDatabase() {
    postgres.newDatabase();
  }

  @AfterEach
  void closeJournals() throws Exception {
    if (consumer != null) {
      consumer.interrupt();
      consumer.join();
    }
    postgres.closeJournals();
  }

  /** A node whose subscriptions re-read only every {@code recheck}, never by their own poll. */
  private PostgresJournal node(Duration recheck) {
    return postgres.open(
        postgres
            .options(JournalOptions.defaults().withSubscriptionPoll(NEVER))
            .withRecheckInterval(recheck));
  }

  @Test
  void subscriber_onNodeB_wakesOnAnAppendThroughNodeA() {
    PostgresJournal nodeA = node(NEVER);
    PostgresJournal nodeB = node(NEVER);
    nodeA.append("r", NewEvent.of("first"));
    follow(nodeB, "r", 1);

    nodeA.append("r", NewEvent.of("second"));

    await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
    assertThat(received.getFirst().type()).isEqualTo("second");
  }

  @Test
  void listener_afterItsConnectionIsKilled_reconnects_andAppendsStillWakeSubscribers()
      throws Exception {
    PostgresJournal nodeA = node(NEVER);
    PostgresJournal nodeB = node(NEVER);
    assertThat(nodeB.listener().connections()).isEqualTo(1);
    follow(nodeB, "r", 0);

    assertThat(terminateListeners()).isEqualTo(2); // both nodes'
    nodeA.append("r", NewEvent.of("while-away")); // lost as a notification: the reconnect wakes

    await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
    await().atMost(Duration.ofSeconds(20)).until(() -> nodeB.listener().connections() == 2);
    awaitWaiting();
    nodeA.append("r", NewEvent.of("after"));
    await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 2);
    assertThat(received).extracting(Event::type).containsExactly("while-away", "after");
  }

  @Test
  void recheck_deliversAnAppendThatSentNoNotification() throws Exception {
    PostgresJournal nodeB = node(Duration.ofMillis(200));
    nodeB.append("r", NewEvent.of("first"));
    follow(nodeB, "r", 1);

    insertWithoutNotify("r", 2, "behind-the-store");

    await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
    assertThat(received.getFirst().type()).isEqualTo("behind-the-store");
  }

  /**
   * Starts a consumer of {@code run} after {@code afterSeq} on {@code node}, and returns once it
   * waits for appends (having read the run and found nothing new).
   */
  private void follow(PostgresJournal node, String run, long afterSeq) {
    Subscription subscription =
        node.subscribe(run, SubscribeOptions.fromStart().afterSeq(afterSeq));
    consumer =
        Thread.ofPlatform()
            .start(
                () -> {
                  try (subscription) {
                    while (!Thread.currentThread().isInterrupted()) {
                      received.addAll(subscription.poll(Duration.ofMinutes(1)));
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    awaitWaiting();
  }

  private void awaitWaiting() {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> consumer.getState() == Thread.State.TIMED_WAITING);
  }

  private static int terminateListeners() throws Exception {
    try (Connection connection = postgres.connect();
        Statement statement = connection.createStatement();
        ResultSet killed =
            statement.executeQuery(
                "select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity"
                    + " where application_name = '"
                    + Database.LISTEN_APPLICATION_NAME
                    + "' and datname = current_database()")) {
      killed.next();
      return killed.getInt(1);
    }
  }

  /** Appends an event as the store would, by plain SQL, without NOTIFY. */
  private static void insertWithoutNotify(String run, long seq, String type) throws Exception {
    long ts = System.currentTimeMillis();
    String line =
        EventCodec.encodeLine(
            seq, Timestamps.format(ts), run, "main", EventCodec.prepare(NewEvent.of(type)));
    try (Connection connection = postgres.connect()) {
      connection.setAutoCommit(false);
      try (PreparedStatement insert =
          connection.prepareStatement(
              "insert into events (run, branch, seq, line_no, ts, type, line)"
                  + " values (?, 'main', ?, (select lines + 1 from runs where run = ?),"
                  + " now(), ?, ?)")) {
        insert.setString(1, run);
        insert.setLong(2, seq);
        insert.setString(3, run);
        insert.setString(4, type);
        insert.setString(5, line);
        insert.executeUpdate();
      }
      try (PreparedStatement update =
          connection.prepareStatement(
              "update branches set head = ? where run = ? and branch = 'main';"
                  + " update runs set lines = lines + 1, bytes = bytes + ? where run = ?")) {
        update.setLong(1, seq);
        update.setString(2, run);
        update.setLong(3, line.length() + 1);
        update.setString(4, run);
        update.execute();
      }
      connection.commit();
    }
  }
}
