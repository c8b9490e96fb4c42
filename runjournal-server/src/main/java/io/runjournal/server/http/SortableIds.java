package io.runjournal.server.http;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Run ids the server generates when a client creates a run without one: 26 characters of Crockford
 * base32 holding a 48-bit millisecond timestamp and 80 random bits (the ULID layout), so that ids
 * sort by creation time and never collide in practice. Thread-safe.
 */
final class SortableIds {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

  private final SecureRandom random = new SecureRandom();
  private final Clock clock;

  SortableIds(Clock clock) {
    this.clock = clock;
  }

  String next() {
    char[] out = new char[26];
    long time = clock.millis();
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    byte[] bytes = new byte[10];
    random.nextBytes(bytes);
    long high = 0;
    long low = 0;
    for (int i = 0; i < 5; i++) {
      high = (high << 8) | (bytes[i] & 0xff);
      low = (low << 8) | (bytes[i + 5] & 0xff);
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
