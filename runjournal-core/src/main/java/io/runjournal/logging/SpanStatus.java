package io.runjournal.logging;

import java.util.Locale;

/** How a span ended: {@code ok}, or {@code error} when the work inside it failed. */
public enum SpanStatus {
  OK,
  ERROR;

  private final String wire = name().toLowerCase(Locale.ROOT);

  /** The name written in records: {@code ok} or {@code error}. */
  public String wireName() {
    return wire;
  }

  /**
   * The status written as {@code name} in a record.
   *
   * @throws IllegalArgumentException if it is neither {@code ok} nor {@code error}
   */
  public static SpanStatus fromWireName(String name) {
    for (SpanStatus status : values()) {
      if (status.wire.equals(name)) {
        return status;
      }
    }
    throw new IllegalArgumentException("status must be ok or error, got " + Level.quote(name));
  }
}
