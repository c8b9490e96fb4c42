package io.runjournal.server.http;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Run ids the server generates when a client creates a run without one: 26 characters of Crockford
 * base32 holding a 48-bit millisecond timestamp and 80 random bits (the ULID layout), so that ids
 * sort by creation time and never collide in practice. Within one millisecond, and when the clock
 * steps back, the previous id's random part is incremented instead (monotonic ULIDs), so ids made
 * one after another always sort in the order they were made. Thread-safe.
 */
final class SortableIds {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final long FORTY_BITS = (1L << 40) - 1;

  private final SecureRandom random = new SecureRandom();
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();

  // Guarded by lock: the last id's timestamp and its random part as two 40-bit halves.
  private long lastTime = Long.MIN_VALUE;
  private long lastHigh;
  private long lastLow;

  SortableIds(Clock clock) {
    this.clock = clock;
  }

  String next() {
    long time;
    long high;
    long low;
    lock.lock();
    try {
      time = clock.millis();
      if (time > lastTime) {
        byte[] bytes = new byte[10];
        random.nextBytes(bytes);
        high = 0;
        low = 0;
        for (int i = 0; i < 5; i++) {
          high = (high << 8) | (bytes[i] & 0xff);
          low = (low << 8) | (bytes[i + 5] & 0xff);
        }
      } else {
        time = lastTime;
        low = (lastLow + 1) & FORTY_BITS;
        high = low == 0 ? (lastHigh + 1) & FORTY_BITS : lastHigh;
        if (low == 0 && high == 0) {
          time++; // 2^80 ids in one millisecond: borrow the next one
        }
      }
      lastTime = time;
      lastHigh = high;
      lastLow = low;
    } finally {
      lock.unlock();
    }
    return encode(time, high, low);
  }

  private static String encode(long time, long high, long low) {
    char[] out = new char[26];
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    for (int i = 17; i >= 10; i--) {
      out[i] = ALPHABET[(int) (high & 31)];
      high >>>= 5;
    }
    for (int i = 25; i >= 18; i--) {
      out[i] = ALPHABET[(int) (low & 31)];
      low >>>= 5;
    }
    return new String(out);
  }
}
