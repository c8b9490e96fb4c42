package io.runjournal.logging;

import java.util.Locale;

/** The level of a {@code log} record, written in lower case ({@code "info"}). */
public enum Level {
  DEBUG,
  INFO,
  WARN,
  ERROR;

  private final String wire = name().toLowerCase(Locale.ROOT);

  /** The name written in records: {@code debug}, {@code info}, {@code warn} or {@code error}. */
  public String wireName() {
    return wire;
  }

  /**
   * The level written as {@code name} in a record.
   *
   * @throws IllegalArgumentException if it is not one of the four levels
   */
  public static Level fromWireName(String name) {
    for (Level level : values()) {
      if (level.wire.equals(name)) {
        return level;
      }
    }
    throw new IllegalArgumentException(
        "level must be one of debug, info, warn, error, got " + quote(name));
  }

  static String quote(String text) {
    return text == null ? "null" : '"' + text + '"';
  }
}
