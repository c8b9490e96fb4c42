package io.runjournal.internal.live;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes the subscriptions of a run when this process appends to it. Only runs with a subscription
 * have a signal, so an append to an unwatched run costs one map lookup. Thread-safe.
 */
public final class ChangeNotifier {
  private final ConcurrentHashMap<String, Signal> signals = new ConcurrentHashMap<>();

  /** The signal of {@code run}, held until {@link #unregister}. */
  public Signal register(String run) {
    return signals.compute(
        run,
        (key, signal) -> {
          Signal held = signal == null ? new Signal(key) : signal;
          held.holders++;
          return held;
        });
  }

  /** Releases a signal obtained from {@link #register}. */
  public void unregister(Signal signal) {
    signals.computeIfPresent(signal.run, (key, held) -> --held.holders == 0 ? null : held);
  }

  /** Tells the subscriptions of {@code run} that its journal changed. */
  public void signal(String run) {
    Signal signal = signals.get(run);
    if (signal != null) {
      signal.fire();
    }
  }

  /** Wakes every waiting subscription (the journal is closing). */
  public void wakeAll() {
    signals.values().forEach(Signal::fire);
  }

  /** A per-run version counter that waiting subscriptions block on. */
  public static final class Signal {
    private final String run;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile long version;
    private int holders; // guarded by the map's compute

    private Signal(String run) {
      this.run = run;
    }

    /** The current version; read it before looking at the journal, then {@link #await} it. */
    public long version() {
      return version;
    }

    void fire() {
      lock.lock();
      try {
        version++;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    /** Waits until the version moves past {@code seen} or {@code nanos} pass. */
    public void await(long seen, long nanos) throws InterruptedException {
      lock.lock();
      try {
        long remaining = nanos;
        while (version == seen && remaining > 0) {
          remaining = changed.awaitNanos(remaining);
        }
      } finally {
        lock.unlock();
      }
    }
  }
}
