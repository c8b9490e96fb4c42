package io.runjournal.internal.store;

import io.runjournal.model.Event;

/**
 * The last events of one branch, in memory: live subscribers and resume reads near the head are
 * served from here without touching the file. Guarded by the run's lock.
 */
final class RecentEvents {
  static final int CAPACITY = 256;

  private final Event[] ring = new Event[CAPACITY];
  private long last; // seq of the newest event held, 0 when empty
  private long floor = 1; // every seq from here to last is held (a gap in the seqs resets it)

  void add(Event event) {
    if (event.seq() != last + 1) {
      // Seqs skipped lines lost to corruption: older slots must not stand in for the missing ones.
      floor = event.seq();
    }
    ring[(int) (event.seq() % CAPACITY)] = event;
    last = event.seq();
  }

  /** Whether every event from {@code seq} up to the newest is held. */
  boolean covers(long seq) {
    long first = Math.max(floor, last - CAPACITY + 1);
    return last > 0 && seq >= first;
  }

  /** The event {@code seq}; only valid when {@link #covers} it and it is not past the newest. */
  Event get(long seq) {
    return ring[(int) (seq % CAPACITY)];
  }
}
