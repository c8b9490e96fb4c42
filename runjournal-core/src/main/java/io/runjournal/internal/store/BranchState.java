package io.runjournal.internal.store;

import java.util.Arrays;

/**
 * One branch of a run: its head and a sparse index from seq to the byte offset and line number of
 * that event's line. Guarded by the run's lock.
 */
final class BranchState {
  /** Every this many events of a branch get an index entry. */
  static final int INDEX_INTERVAL = 64;

  long head;
  final RecentEvents recent = new RecentEvents();
  private long[] seqs = new long[8];
  private long[] offsets = new long[8];
  private long[] lines = new long[8];
  private int size;

  /** Records that event {@code seq} of this branch starts at {@code offset}, line {@code line}. */
  void advance(long seq, long offset, long line) {
    head = seq;
    if (seq == 1 || seq % INDEX_INTERVAL == 0) {
      if (size == seqs.length) {
        seqs = Arrays.copyOf(seqs, size * 2);
        offsets = Arrays.copyOf(offsets, size * 2);
        lines = Arrays.copyOf(lines, size * 2);
      }
      seqs[size] = seq;
      offsets[size] = offset;
      lines[size] = line;
      size++;
    }
  }

  /**
   * The index entries from the one at or before {@code seq} on, without copying them: entries below
   * {@code size} are never changed (a new entry goes at {@code size}, growth copies into new
   * arrays), so the view stays valid after the run lock is released.
   */
  Index indexFrom(long seq) {
    int found = Arrays.binarySearch(seqs, 0, size, seq);
    return new Index(seqs, offsets, lines, found >= 0 ? found : -found - 2, size);
  }

  /** An index with no entries: a scan starts at the beginning of the file. */
  static final Index EMPTY = new Index(new long[0], new long[0], new long[0], -1, 0);

  /**
   * A view of index entries {@code [from, to)}; {@code from == -1} puts {@link Entry#START} first.
   */
  record Index(long[] seqs, long[] offsets, long[] lines, int from, int to) {
    int count() {
      return to - from;
    }

    Entry entry(int i) {
      int at = from + i;
      return at < 0 ? Entry.START : new Entry(seqs[at], offsets[at], lines[at]);
    }
  }

  /**
   * An index entry.
   *
   * @param seq the seq of the indexed event (0 for the start of the file)
   * @param offset its byte offset
   * @param line its 1-based line number
   */
  record Entry(long seq, long offset, long line) {
    static final Entry START = new Entry(0, 0, 1);
  }
}
