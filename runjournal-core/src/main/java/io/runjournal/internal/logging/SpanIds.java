package io.runjournal.internal.logging;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Span ids as OpenTelemetry writes them: 8 random bytes, 16 lower-case hex digits, never zero. */
public final class SpanIds {
  private static final HexFormat HEX = HexFormat.of();

  private SpanIds() {}

  /** A new span id. */
  public static String next() {
    long id;
    do {
      id = ThreadLocalRandom.current().nextLong();
    } while (id == 0);
    return HEX.toHexDigits(id);
  }
}
