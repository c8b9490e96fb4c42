package io.runjournal.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.runjournal.JournalClosedException;
import io.runjournal.RunJournalException;
import io.runjournal.StorageException;
import io.runjournal.StorageFullException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PostgreSQL database of the store: the HikariCP pool, the schema (Flyway), transactions with a
 * retry of serialization failures and deadlocks, and how SQL failures become the journal's typed
 * exceptions. Thread-safe.
 */
final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  /** The {@code LISTEN}/{@code NOTIFY} channel; the payload is the run id. */
  static final String CHANNEL = "runjournal";

  /** The application name of the dedicated {@code LISTEN} connection (for pg_stat_activity). */
  static final String LISTEN_APPLICATION_NAME = "runjournal-listen";

  /** Where the migrations are: not {@code db/migration}, which an application's Flyway scans. */
  static final String MIGRATIONS = "classpath:io/runjournal/postgres/migration";

  /** The Flyway history table: apart from an application's own {@code flyway_schema_history}. */
  static final String HISTORY_TABLE = "runjournal_schema_history";

  private static final int MAX_ATTEMPTS = 3;

  private final PgUrl url;
  private final PostgresOptions options;
  private final HikariDataSource pool;
  private final BooleanSupplier closed;

  /** An SQL action on a connection. */
  @FunctionalInterface
  interface SqlAction<T> {
    T apply(Connection connection) throws SQLException;
  }

  /** Reads what a query answered. */
  @FunctionalInterface
  interface RowsReader<T> {
    T read(ResultSet rows) throws SQLException;
  }

  private Database(
      PgUrl url, PostgresOptions options, HikariDataSource pool, BooleanSupplier closed) {
    this.url = url;
    this.options = options;
    this.pool = pool;
    this.closed = closed;
  }

  /**
   * Opens the pool, checks the database and applies the migrations if {@code options.migrate()}.
   *
   * @param closed whether the journal is closed: failures after close are {@link
   *     JournalClosedException}s
   * @throws StorageException naming host, port and database if the database cannot be reached or
   *     its schema is missing or cannot be migrated
   */
  static Database open(PgUrl url, PostgresOptions options, BooleanSupplier closed) {
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(poolConfig(url, options));
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new StorageException(databaseLocation(url), connecting(url), cause);
    }
    Database database = new Database(url, options, pool, closed);
    try {
      database.prepareSchema();
      return database;
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  private static HikariConfig poolConfig(PgUrl url, PostgresOptions options) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("runjournal-" + url.database());
    config.setJdbcUrl(url.jdbcUrl());
    if (url.user() != null) {
      config.setUsername(url.user());
    }
    if (url.password() != null) {
      config.setPassword(url.password());
    }
    config.setMaximumPoolSize(options.poolSize());
    config.setMinimumIdle(options.poolSize());
    config.setConnectionTimeout(Math.max(250, options.connectTimeout().toMillis()));
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    config.setDataSourceProperties(driverProperties(options, "runjournal"));
    return config;
  }

  /** Driver settings of every connection (URL parameters take precedence). */
  private static Properties driverProperties(PostgresOptions options, String applicationName) {
    Properties properties = new Properties();
    properties.setProperty("ApplicationName", applicationName);
    properties.setProperty(
        "connectTimeout", Long.toString(Math.max(1, options.connectTimeout().toSeconds())));
    properties.setProperty("tcpKeepAlive", "true");
    return properties;
  }

  /**
   * Checks the encoding, migrates, and checks that the tables exist. No pooled connection is held
   * while Flyway migrates: it opens connections of its own (a pool of one would starve it).
   */
  private void prepareSchema() {
    try {
      String encoding = queryText("show server_encoding");
      if (!"UTF8".equalsIgnoreCase(encoding)) {
        throw new StorageException(
            databaseLocation(url),
            "opening",
            new SQLException(
                "the database's encoding is "
                    + encoding
                    + ", not UTF8: events may hold any Unicode text"));
      }
      if (options.migrate()) {
        migrate();
      }
      if (!"t".equals(queryText("select to_regclass('events') is not null"))) {
        throw new StorageException(
            databaseLocation(url),
            "opening",
            new SQLException(
                "the RunJournal tables are missing: open it once with migrate enabled"));
      }
    } catch (SQLException e) {
      throw new StorageException(databaseLocation(url), connecting(url), e);
    }
  }

  private String queryText(String sql) throws SQLException {
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    }
  }

  private void migrate() {
    try {
      Flyway.configure(Database.class.getClassLoader())
          .dataSource(url.jdbcUrl(), url.user(), url.password())
          .locations(MIGRATIONS)
          .table(HISTORY_TABLE)
          .baselineOnMigrate(true) // a schema shared with other tables: start before V1
          .baselineVersion("0")
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw new StorageException(databaseLocation(url), "migrating the schema of", e);
    }
  }

  /** The pool, for other parts of the store. */
  HikariDataSource pool() {
    return pool;
  }

  /** The parsed URL. */
  PgUrl url() {
    return url;
  }

  /**
   * A new connection outside the pool, for {@code LISTEN}: one that lives as long as the listener.
   */
  Connection connectOutsidePool() throws SQLException {
    Properties properties = driverProperties(options, LISTEN_APPLICATION_NAME);
    if (url.user() != null) {
      properties.setProperty("user", url.user());
    }
    if (url.password() != null) {
      properties.setProperty("password", url.password());
    }
    return DriverManager.getConnection(url.jdbcUrl(), properties);
  }

  /**
   * Runs {@code action} on a pooled connection in autocommit mode (each statement is its own
   * transaction).
   *
   * @throws StorageException (or {@link JournalClosedException}) if it fails
   */
  <T> T read(String run, String what, SqlAction<T> action) {
    try (Connection connection = pool.getConnection()) {
      return action.apply(connection);
    } catch (SQLException e) {
      throw failure(run, what, e);
    } catch (RuntimeException e) {
      throw closedOr(e);
    }
  }

  /**
   * Runs one query with string {@code parameters} in autocommit mode and reads its answer.
   *
   * @throws StorageException (or {@link JournalClosedException}) if it fails
   */
  <T> T query(String run, String what, String sql, RowsReader<T> reader, String... parameters) {
    return read(
        run,
        what,
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet rows = statement.executeQuery()) {
              return reader.read(rows);
            }
          }
        });
  }

  /**
   * Runs one update with string {@code parameters} in autocommit mode; returns the rows changed.
   *
   * @throws StorageException (or {@link JournalClosedException}) if it fails
   */
  int update(String run, String what, String sql, String... parameters) {
    return read(
        run,
        what,
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
          }
        });
  }

  private static void bind(PreparedStatement statement, String... parameters) throws SQLException {
    for (int i = 0; i < parameters.length; i++) {
      statement.setString(i + 1, parameters[i]);
    }
  }

  /**
   * Runs {@code action} in one READ COMMITTED transaction and commits it; rolls back when it
   * throws. A serialization failure or deadlock is retried (twice at most) from the start.
   *
   * @throws RunJournalException what {@code action} throws, or a {@link StorageException}
   */
  <T> T transaction(String run, String what, SqlAction<T> action) {
    for (int attempt = 1; ; attempt++) {
      try (Connection connection = pool.getConnection()) {
        connection.setAutoCommit(false);
        try {
          T result = action.apply(connection);
          connection.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(connection, e);
          throw e;
        }
      } catch (SQLException e) {
        if (attempt < MAX_ATTEMPTS && isRetryable(e) && !closed.getAsBoolean()) {
          log.debug("retrying {} run {} after {}", what, run, e.getSQLState());
          continue;
        }
        throw failure(run, what, e);
      } catch (RuntimeException e) {
        throw closedOr(e);
      }
    }
  }

  private static void rollbackQuietly(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** Serialization failure or deadlock: the transaction may succeed when run again. */
  private static boolean isRetryable(SQLException e) {
    return "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
  }

  private RuntimeException closedOr(RuntimeException e) {
    if (!(e instanceof RunJournalException) && closed.getAsBoolean()) {
      return new JournalClosedException("journal");
    }
    return e;
  }

  /** The journal's exception for a failed SQL operation on {@code run}. */
  RunJournalException failure(String run, String what, SQLException e) {
    if (closed.getAsBoolean()) {
      return new JournalClosedException("journal");
    }
    Path location = run == null ? databaseLocation(url) : location(run);
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.equals("53100")) { // disk_full
      return new StorageFullException(location, what, e);
    }
    return new StorageException(location, what, e);
  }

  /** How a run is named in reports and errors: {@code postgresql:<database>/runs/<run>}. */
  Path location(String run) {
    return Path.of("postgresql:" + url.database(), "runs", run);
  }

  /** How the database is named in errors: {@code postgresql:<database>}. */
  Path location() {
    return databaseLocation(url);
  }

  private static Path databaseLocation(PgUrl url) {
    return Path.of("postgresql:" + url.database());
  }

  private static String connecting(PgUrl url) {
    return "connecting to PostgreSQL at "
        + url.host()
        + ":"
        + url.port()
        + (url.user() == null ? "" : " as " + url.user())
        + " to open";
  }

  /** Closes the pool; connections in use are closed as they are returned. */
  @Override
  public void close() {
    pool.close();
  }
}
