package io.runjournal.postgres;

import io.runjournal.JournalOptions;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL per test class, a fresh database per test, and the journals a test opens
 * on it, closed after the test. Not thread-safe: used from the test's thread.
 */
final class PostgresFixture implements AutoCloseable {
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final EmbeddedPostgresServer server;
  private final List<PostgresJournal> opened = new ArrayList<>();
  private String database;

  private PostgresFixture(EmbeddedPostgresServer server) {
    this.server = server;
  }

  /** Starts the server. */
  static PostgresFixture start() throws IOException {
    return new PostgresFixture(EmbeddedPostgresServer.start());
  }

  /** Creates the next test's database; journals opened afterwards use it. */
  String newDatabase() {
    database = "test_" + DATABASES.incrementAndGet();
    server.createDatabase(database);
    return database;
  }

  /** The server. */
  EmbeddedPostgresServer server() {
    return server;
  }

  /** The current database's URL. */
  String url() {
    return server.url(database);
  }

  /** Options for the current database: a small pool, the journal options given. */
  PostgresOptions options(JournalOptions journal) {
    return PostgresOptions.of(url()).withPoolSize(4).withJournal(journal);
  }

  /** Opens a journal (a "node") on the current database; closed by {@link #closeJournals}. */
  PostgresJournal open(PostgresOptions options) {
    PostgresJournal journal = PostgresJournal.open(options);
    opened.add(journal);
    return journal;
  }

  /** Opens a journal on the current database with default journal options. */
  PostgresJournal open() {
    return open(options(JournalOptions.defaults()));
  }

  /** A plain JDBC connection to the current database, for what tests do behind the store. */
  Connection connect() throws SQLException {
    return DriverManager.getConnection(server.jdbcUrl(database));
  }

  /** Closes what the test opened. */
  void closeJournals() {
    for (PostgresJournal journal : opened.reversed()) {
      journal.close();
    }
    opened.clear();
  }

  /** Also stops the server. */
  @Override
  public void close() {
    try {
      closeJournals();
    } finally {
      server.close();
    }
  }
}
