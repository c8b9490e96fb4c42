package io.runjournal.internal.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The bounded set of runs this process keeps open (state and file handles), least recently used
 * first out. Thread-safe. An evicted state is handed to {@code onEvict} outside the cache lock.
 */
final class RunCache {
  private final ReentrantLock lock = new ReentrantLock();
  private final int capacity;
  private final Path runsDir;
  private final Consumer<RunState> onEvict;

  // Guarded by lock.
  private final LinkedHashMap<String, RunState> states =
      new LinkedHashMap<>(64, 0.75f, /* accessOrder= */ true);

  RunCache(int capacity, Path runsDir, Consumer<RunState> onEvict) {
    this.capacity = capacity;
    this.runsDir = runsDir;
    this.onEvict = onEvict;
  }

  /** Whether this process holds state for {@code run} (without creating any). */
  boolean contains(String run) {
    lock.lock();
    try {
      return states.containsKey(run);
    } finally {
      lock.unlock();
    }
  }

  /** The state of {@code run}, created empty if this process holds none. */
  RunState get(String run) {
    List<RunState> evicted = null;
    RunState state;
    lock.lock();
    try {
      state = states.get(run);
      if (state == null) {
        state = new RunState(run, runsDir.resolve(run));
        states.put(run, state);
        Iterator<Map.Entry<String, RunState>> eldest = states.entrySet().iterator();
        while (states.size() > capacity && eldest.hasNext()) {
          RunState candidate = eldest.next().getValue();
          if (candidate != state) {
            eldest.remove();
            (evicted == null ? evicted = new ArrayList<>() : evicted).add(candidate);
          }
        }
      }
    } finally {
      lock.unlock();
    }
    if (evicted != null) {
      evicted.forEach(onEvict);
    }
    return state;
  }

  /** Forgets {@code state} if it is still the cached state of its run. */
  void remove(RunState state) {
    lock.lock();
    try {
      states.remove(state.run, state);
    } finally {
      lock.unlock();
    }
  }

  /** A snapshot of the cached states. */
  List<RunState> snapshot() {
    lock.lock();
    try {
      return new ArrayList<>(states.values());
    } finally {
      lock.unlock();
    }
  }

  /** Removes and returns every state. */
  List<RunState> clear() {
    lock.lock();
    try {
      List<RunState> all = new ArrayList<>(states.values());
      states.clear();
      return all;
    } finally {
      lock.unlock();
    }
  }
}
