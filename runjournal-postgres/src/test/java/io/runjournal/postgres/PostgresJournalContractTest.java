package io.runjournal.postgres;

import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.contract.JournalContract;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The {@link Journal} contract on PostgreSQL: each fresh journal gets a database of its own on one
 * server per class (a copy of a template migrated once, so each open only finds the schema up to
 * date); a second instance opens the same database, as another server node would. Pools of 4 keep
 * the many opens cheap.
 */
class PostgresJournalContractTest extends JournalContract {
  private static final String TEMPLATE = "contract_template";
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgresServer server;
  private String lastUrl;

  @BeforeAll
  static void startServer() throws Exception {
    server = EmbeddedPostgresServer.start();
    // Each test's database is a copy of one migrated once: opening it migrates nothing.
    server.createDatabase(TEMPLATE);
    PostgresJournal.open(PostgresOptions.of(server.url(TEMPLATE)).withPoolSize(1)).close();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Override
  protected Journal openJournal(JournalOptions options) {
    String database = "contract_" + DATABASES.incrementAndGet();
    try (Connection connection = DriverManager.getConnection(server.jdbcUrl("postgres"));
        Statement statement = connection.createStatement()) {
      statement.execute("create database " + database + " template " + TEMPLATE);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + database, e);
    }
    lastUrl = server.url(database);
    return openSecondJournal(options);
  }

  @Override
  protected Journal openSecondJournal(JournalOptions options) {
    return PostgresJournal.open(PostgresOptions.of(lastUrl).withPoolSize(4).withJournal(options));
  }
}
