package io.runjournal.server.store;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the store, and when it cannot (PostgreSQL is down, or not up yet), keeps trying on a thread
 * of its own with exponential backoff and jitter, so that the server stays alive ({@code /healthz}
 * 200, {@code /readyz} 503) and says why in its log, instead of exiting.
 *
 * <p>Thread-safe: requests read {@link #status()} while the connector thread tries; {@link
 * #close()} stops it from any thread and waits for it.
 */
public final class StoreConnector implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StoreConnector.class);
  private static final long REPEAT_SAME_WARNING_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final StoreOpener opener;
  private final Duration firstDelay;
  private final Duration maxDelay;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition stopRequested = lock.newCondition();

  // Guarded by lock.
  private boolean stopping;
  private Thread retrier;

  private volatile int attempts;
  private volatile String lastFailure;
  // Only the attempting thread: the caller of the first attempt, then the retrier it started.
  private String lastLogged;
  private long lastLoggedAt;

  /**
   * @param opener what to open
   * @param firstDelay the wait after the first failed attempt; it doubles after each failure
   * @param maxDelay the longest wait between two attempts
   */
  public StoreConnector(StoreOpener opener, Duration firstDelay, Duration maxDelay) {
    this.opener = opener;
    this.firstDelay = firstDelay;
    this.maxDelay = maxDelay;
  }

  /**
   * One attempt, now, on the caller's thread.
   *
   * @return the open store, or null if it could not be opened (logged, and kept for {@link
   *     #status()})
   */
  public OpenedStore tryOpen() {
    int attempt = ++attempts;
    try {
      OpenedStore store = opener.open();
      if (attempt > 1) {
        log.info("{} is open after {} attempts", opener.description(), attempt);
      }
      lastFailure = null;
      return store;
    } catch (RuntimeException e) {
      lastFailure = reason(e);
      logFailure(attempt);
      return null;
    }
  }

  /**
   * Keeps trying on a daemon thread until the store opens and {@code opened} accepts it, on that
   * thread. {@code opened} takes the store over (closes it in the end) and may throw to be called
   * again with the same store after the next wait: a start that needs the store (start-up recovery)
   * and meets it failing is retried without reopening. Does nothing once {@link #close()} was
   * called; a store opened while closing, and not handed over yet, is closed.
   *
   * @param open a store {@code opened} already took over and failed to start on (it is retried
   *     first), or null
   * @param opened what starts serving the store
   * @throws IllegalStateException if it is already retrying
   */
  public void retryInBackground(OpenedStore open, Consumer<OpenedStore> opened) {
    lock.lock();
    try {
      if (retrier != null) {
        throw new IllegalStateException("already retrying to open " + opener.description());
      }
      if (stopping) {
        return;
      }
      retrier =
          Thread.ofPlatform()
              .name("runjournal-store-connector")
              .daemon()
              .start(() -> retry(open, opened));
    } finally {
      lock.unlock();
    }
  }

  private void retry(OpenedStore open, Consumer<OpenedStore> opened) {
    OpenedStore store = open;
    boolean handedOver = open != null;
    long delayNanos = firstDelay.toNanos();
    while (waitBeforeNextAttempt(delayNanos)) {
      if (store == null) {
        store = tryOpen();
      }
      if (store != null) {
        handedOver = true;
        try {
          opened.accept(store);
          return;
        } catch (RuntimeException e) {
          if (isStopping()) {
            return; // the server closed meanwhile: nothing to start any more
          }
          lastFailure = reason(e);
          log.warn(
              "{} is open, but the server could not start on it: {}; retrying",
              opener.description(),
              lastFailure);
        }
      }
      delayNanos = Math.min(delayNanos * 2, maxDelay.toNanos());
    }
    if (store != null && !handedOver) {
      store.journal().close();
    }
  }

  /** Waits about {@code nanos} (±25 %, so that nodes do not retry in step); false if stopping. */
  private boolean waitBeforeNextAttempt(long nanos) {
    long remaining = (long) (nanos * ThreadLocalRandom.current().nextDouble(0.75, 1.25));
    lock.lock();
    try {
      while (!stopping && remaining > 0) {
        remaining = stopRequested.awaitNanos(remaining);
      }
      return !stopping;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  private boolean isStopping() {
    lock.lock();
    try {
      return stopping;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Why the store is not open yet, for a 503's detail: what it is, the attempts so far and the last
   * failure.
   */
  public String status() {
    String failure = lastFailure;
    return opener.description()
        + " is not open yet"
        + (failure == null ? "" : " (attempt " + attempts + ": " + failure + ")")
        + "; the server keeps trying, and GET /readyz turns 200 once it is open";
  }

  /** How many attempts were made so far. */
  public int attempts() {
    return attempts;
  }

  /**
   * Warns on the first failure, when the reason changes, and then once a minute: a database that
   * stays down for hours must not flood the log.
   */
  private void logFailure(int attempt) {
    String failure = lastFailure;
    long now = System.nanoTime();
    boolean repeat = failure.equals(lastLogged) && now - lastLoggedAt < REPEAT_SAME_WARNING_NANOS;
    if (repeat) {
      log.debug("cannot open {} (attempt {}): {}", opener.description(), attempt, failure);
      return;
    }
    lastLogged = failure;
    lastLoggedAt = now;
    log.warn(
        "cannot open {} (attempt {}): {}; retrying with backoff up to every {} s, /readyz answers"
            + " 503 until it opens",
        opener.description(),
        attempt,
        failure,
        maxDelay.toSeconds());
  }

  private static String reason(Throwable error) {
    StringBuilder reason = new StringBuilder(String.valueOf(error.getMessage()));
    Throwable cause = error.getCause();
    for (int depth = 0; cause != null && depth < 3; depth++, cause = cause.getCause()) {
      String message = cause.getMessage();
      if (message != null && !reason.toString().contains(message)) {
        reason.append(": ").append(message);
      }
    }
    return reason.toString();
  }

  /**
   * Stops retrying and waits for the connector thread (a store it opens meanwhile is closed, or, if
   * already handed over, belongs to the receiver); idempotent.
   */
  @Override
  public void close() {
    Thread thread;
    lock.lock();
    try {
      stopping = true;
      stopRequested.signalAll();
      thread = retrier;
    } finally {
      lock.unlock();
    }
    if (thread == null || thread == Thread.currentThread()) {
      return;
    }
    thread.interrupt(); // ends start-up recovery early if the store just opened
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
