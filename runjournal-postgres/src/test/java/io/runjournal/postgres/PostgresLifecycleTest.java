package io.runjournal.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.runjournal.JournalClosedException;
import io.runjournal.JournalObserver;
import io.runjournal.JournalOptions;
import io.runjournal.ReadQuery;
import io.runjournal.StorageException;
import io.runjournal.StorageFullException;
import io.runjournal.SubscribeOptions;
import io.runjournal.Subscription;
import io.runjournal.model.NewEvent;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Opening (connection, schema, migrations), observing and closing the store. */
class PostgresLifecycleTest {
  static PostgresFixture postgres;

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
  void closeJournals() {
    postgres.closeJournals();
  }

  @Test
  void open_whenNothingListens_failsNamingHostPortAndDatabase() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    PostgresOptions options =
        PostgresOptions.of("postgresql://me:hunter2@127.0.0.1:" + port + "/journal")
            .withConnectTimeout(Duration.ofSeconds(1));

    assertThatThrownBy(() -> PostgresJournal.open(options))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("127.0.0.1:" + port)
        .hasMessageContaining("journal")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void open_ofAMissingDatabase_failsNamingIt() {
    String url = postgres.server().url("no_such_db");

    assertThatThrownBy(() -> PostgresJournal.open(PostgresOptions.of(url)))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("no_such_db")
        .hasMessageContaining("127.0.0.1:" + postgres.server().port());
  }

  @Test
  void open_withoutMigrations_onAnEmptyDatabase_saysTheTablesAreMissing() {
    PostgresOptions options = postgres.options(JournalOptions.defaults()).withMigrate(false);

    assertThatThrownBy(() -> PostgresJournal.open(options))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("tables are missing");
  }

  @Test
  void migrate_intoASchemaWithOtherTables_createsTheJournal_andIsIdempotentAcrossNodes()
      throws Exception {
    try (Connection connection = postgres.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("create table app_users (id int primary key)");
    }
    PostgresJournal first = postgres.open();
    first.append("r", NewEvent.of("x"));
    PostgresJournal second = postgres.open(); // migrates again: nothing to do

    assertThat(second.head("r", "main")).isEqualTo(1);
    try (Connection connection = postgres.connect();
        Statement statement = connection.createStatement();
        ResultSet applied =
            statement.executeQuery(
                "select version from "
                    + Database.HISTORY_TABLE
                    + " where success and version is not null order by installed_rank")) {
      assertThat(applied.next()).isTrue();
      assertThat(applied.getString(1)).isEqualTo("0"); // the baseline of a shared schema
      assertThat(applied.next()).isTrue();
      assertThat(applied.getString(1)).isEqualTo("1");
      assertThat(applied.next()).isFalse();
    }
  }

  /** Regression: the open held a pooled connection while Flyway waited for one of the pool. */
  @Test
  void open_withAPoolOfOne_migratesAndWorks() {
    PostgresJournal journal =
        postgres.open(postgres.options(JournalOptions.defaults()).withPoolSize(1));

    journal.append("r", NewEvent.of("x"));

    assertThat(journal.read("r", ReadQuery.all()).events()).hasSize(1);
  }

  @Test
  void transaction_serializationFailureOrDeadlock_isRetried_upToThreeAttempts() {
    PostgresJournal journal = postgres.open();
    Database database = journal.database();
    AtomicInteger attempts = new AtomicInteger();

    int answer =
        database.transaction(
            "r",
            "testing",
            connection -> {
              if (attempts.incrementAndGet() == 1) {
                throw new SQLException("could not serialize access", "40001");
              }
              if (attempts.get() == 2) {
                throw new SQLException("deadlock detected", "40P01");
              }
              return 42;
            });
    assertThat(answer).isEqualTo(42);
    assertThat(attempts).hasValue(3);

    attempts.set(0);
    assertThatThrownBy(
            () ->
                database.transaction(
                    "r",
                    "testing",
                    connection -> {
                      attempts.incrementAndGet();
                      throw new SQLException("could not serialize access", "40001");
                    }))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("testing postgresql:" + journal.database().url().database())
        .hasMessageContaining("/runs/r failed: could not serialize access");
    assertThat(attempts).hasValue(3);
  }

  @Test
  void failures_areTyped_diskFullAsStorageFull_otherErrorsNotRetried_afterCloseClosed() {
    PostgresJournal journal = postgres.open();
    Database database = journal.database();
    AtomicInteger attempts = new AtomicInteger();

    assertThatThrownBy(
            () ->
                database.transaction(
                    "r",
                    "appending to",
                    connection -> {
                      attempts.incrementAndGet();
                      throw new SQLException("could not extend file: No space left", "53100");
                    }))
        .isInstanceOf(StorageFullException.class);
    assertThat(attempts).hasValue(1);
    journal.close();
    assertThatThrownBy(() -> database.read("r", "reading", connection -> 1))
        .isInstanceOf(JournalClosedException.class);
  }

  @Test
  void observer_isToldOfEveryWrite_notOfDuplicates() {
    List<String> told = new CopyOnWriteArrayList<>();
    JournalObserver observer =
        new JournalObserver() {
          @Override
          public void appended(String run, int events, long bytes) {
            told.add(run + ":" + events + ":" + bytes);
          }
        };
    PostgresJournal journal =
        postgres.open(postgres.options(JournalOptions.defaults().withObserver(observer)));

    journal.append("r", NewEvent.of("x").withId("a"));
    journal.append("r", NewEvent.of("x").withId("a"));

    assertThat(told).containsExactly("r:1:" + journal.size("r"));
  }

  @Test
  void close_isIdempotent_wakesSubscriptions_andLaterCallsFailClosed() throws Exception {
    PostgresJournal journal = postgres.open();
    journal.append("r", NewEvent.of("x"));
    Subscription subscription = journal.subscribe("r", SubscribeOptions.fromStart().afterSeq(1));
    Thread poller =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    subscription.poll(Duration.ofMinutes(5));
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    await().until(() -> poller.getState() == Thread.State.TIMED_WAITING);

    journal.close();
    journal.close();

    poller.join(Duration.ofSeconds(20));
    assertThat(poller.isAlive()).isFalse();
    assertThatThrownBy(() -> journal.append("r", NewEvent.of("y")))
        .isInstanceOf(JournalClosedException.class);
    assertThatThrownBy(() -> journal.read("r", ReadQuery.all()))
        .isInstanceOf(JournalClosedException.class);
    assertThatThrownBy(journal::listRuns).isInstanceOf(JournalClosedException.class);
    // The pool and the listener let go of their connections (backends end just after).
    await().atMost(Duration.ofSeconds(20)).until(() -> storeConnections() == 0);
  }

  private static int storeConnections() throws Exception {
    try (Connection connection = postgres.connect();
        Statement statement = connection.createStatement();
        ResultSet connections =
            statement.executeQuery(
                "select count(*) from pg_stat_activity where application_name like 'runjournal%'"
                    + " and datname = current_database()")) {
      connections.next();
      return connections.getInt(1);
    }
  }
}
