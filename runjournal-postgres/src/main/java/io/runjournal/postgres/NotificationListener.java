package io.runjournal.postgres;

import io.runjournal.internal.live.ChangeNotifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes this node's subscriptions when any node appends (DESIGN §10): one dedicated connection,
 * outside the pool, {@code LISTEN}s on {@link Database#CHANNEL}, and a daemon thread waits for
 * notifications and signals the run each one names.
 *
 * <p>When the connection fails, the thread reconnects with exponential backoff (100 ms doubling up
 * to 5 s) and, once it listens again, wakes every subscription: notifications sent while it was
 * away are lost, so each one re-reads its run. A quiet connection is probed with {@code select 1}
 * every {@value #PROBE_SECONDS} s, so a connection that died silently is noticed too. None of this
 * is needed for correctness: waiting subscriptions re-read their run every {@code recheckInterval}
 * anyway; the listener makes the wake-up prompt.
 *
 * <p>Thread-safe: {@link #close()} may be called from any thread.
 */
final class NotificationListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);
  private static final int WAIT_MILLIS = 1000;
  private static final int PROBE_SECONDS = 10;
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  /** Opens a new connection outside the pool. */
  @FunctionalInterface
  interface Connector {
    Connection connect() throws SQLException;
  }

  private final Connector connector;
  private final ChangeNotifier notifier;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition stopped = lock.newCondition();
  private final Thread thread;
  private volatile boolean closed;
  private volatile Connection connection; // the listening one, or null while reconnecting
  private volatile long connections; // how many times it has started listening

  private NotificationListener(Connector connector, ChangeNotifier notifier, String name) {
    this.connector = connector;
    this.notifier = notifier;
    this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this::run);
  }

  /**
   * Connects, listens and starts the thread.
   *
   * @throws SQLException if the first connection fails
   */
  static NotificationListener start(Connector connector, ChangeNotifier notifier, String name)
      throws SQLException {
    NotificationListener listener = new NotificationListener(connector, notifier, name);
    listener.connection = listener.listen();
    listener.thread.start();
    return listener;
  }

  /** How many times it has connected and listened: 1 after start, +1 per reconnect. */
  long connections() {
    return connections;
  }

  private Connection listen() throws SQLException {
    Connection fresh = connector.connect();
    try (Statement statement = fresh.createStatement()) {
      statement.execute("LISTEN " + Database.CHANNEL);
    } catch (SQLException e) {
      closeQuietly(fresh);
      throw e;
    }
    connections++;
    return fresh;
  }

  private void run() {
    Duration backoff = FIRST_BACKOFF;
    int failedAttempts = 0;
    long quietSince = System.nanoTime();
    while (!closed) {
      try {
        if (connection == null) {
          connection = listen();
          log.warn("listening for appends again after {} failed attempt(s)", failedAttempts);
          notifier.wakeAll(); // whatever was notified meanwhile is re-read
          backoff = FIRST_BACKOFF;
          failedAttempts = 0;
        }
        PGNotification[] notifications =
            connection.unwrap(PGConnection.class).getNotifications(WAIT_MILLIS);
        if (notifications != null && notifications.length > 0) {
          for (PGNotification notification : notifications) {
            notifier.signal(notification.getParameter());
          }
          quietSince = System.nanoTime();
        } else if (System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(PROBE_SECONDS)) {
          probe(connection);
          quietSince = System.nanoTime();
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          break;
        }
        if (failedAttempts++ == 0) { // one warning per outage, not one per attempt
          log.warn(
              "the LISTEN connection failed ({}); reconnecting, with backoff up to {} s",
              e.toString(),
              MAX_BACKOFF.toSeconds());
        } else {
          log.debug("reconnecting for LISTEN failed again: {}", e.toString());
        }
        Connection failed = connection;
        connection = null;
        closeQuietly(failed);
        awaitBackoff(backoff);
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
      }
    }
    closeQuietly(connection);
    connection = null;
  }

  private static void probe(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("select 1");
    }
  }

  /** Waits {@code backoff}, or less if the listener is closed meanwhile. */
  private void awaitBackoff(Duration backoff) {
    lock.lock();
    try {
      long remaining = backoff.toNanos();
      while (!closed && remaining > 0) {
        remaining = stopped.awaitNanos(remaining);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    } finally {
      lock.unlock();
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      log.debug("closing the LISTEN connection failed: {}", e.toString());
    }
  }

  /**
   * Stops the thread and closes the connection; idempotent. The connection is aborted (its socket
   * closed) to end a wait for notifications at once; the thread is awaited at most 5 s (an
   * interrupt ends the wait and stays set).
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    lock.lock();
    try {
      stopped.signalAll();
    } finally {
      lock.unlock();
    }
    Connection listening = connection;
    if (listening != null) {
      try {
        listening.abort(Runnable::run);
      } catch (SQLException | RuntimeException e) {
        log.debug("aborting the LISTEN connection failed: {}", e.toString());
      }
    }
    try {
      if (!thread.join(Duration.ofSeconds(5))) {
        log.warn("the LISTEN thread did not stop within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
