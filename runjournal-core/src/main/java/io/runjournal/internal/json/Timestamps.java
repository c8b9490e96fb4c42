package io.runjournal.internal.json;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** The {@code ts} format: UTC, millisecond precision, {@code 2026-11-21T10:15:30.123Z}. */
public final class Timestamps {
  private Timestamps() {}

  private static final ThreadLocal<Object[]> LAST = ThreadLocal.withInitial(() -> new Object[2]);

  /**
   * The ASCII bytes of {@link #format}, cached per thread for the last millisecond formatted (an
   * appender formats the same millisecond many times). The array must not be modified.
   */
  public static byte[] formatBytes(long epochMillis) {
    Object[] last = LAST.get();
    if (last[0] instanceof Long millis && millis == epochMillis) {
      return (byte[]) last[1];
    }
    byte[] bytes = format(epochMillis).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    last[0] = epochMillis;
    last[1] = bytes;
    return bytes;
  }

  /** Formats epoch milliseconds as a {@code ts} string. */
  public static String format(long epochMillis) {
    long days = Math.floorDiv(epochMillis, 86_400_000L);
    int msOfDay = (int) Math.floorMod(epochMillis, 86_400_000L);
    LocalDate date = LocalDate.ofEpochDay(days);
    char[] out = new char[24];
    int year = date.getYear();
    if (year < 0 || year > 9999) {
      return Instant.ofEpochMilli(epochMillis).toString();
    }
    digits(out, 0, year, 4);
    out[4] = '-';
    digits(out, 5, date.getMonthValue(), 2);
    out[7] = '-';
    digits(out, 8, date.getDayOfMonth(), 2);
    out[10] = 'T';
    digits(out, 11, msOfDay / 3_600_000, 2);
    out[13] = ':';
    digits(out, 14, msOfDay / 60_000 % 60, 2);
    out[16] = ':';
    digits(out, 17, msOfDay / 1000 % 60, 2);
    out[19] = '.';
    digits(out, 20, msOfDay % 1000, 3);
    out[23] = 'Z';
    return new String(out);
  }

  private static void digits(char[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  /**
   * Parses a {@code ts} string to epoch milliseconds; the canonical form is parsed without
   * allocation, any other ISO-8601 instant through {@link Instant#parse}.
   *
   * @throws MalformedLineException if it is not an ISO-8601 instant
   */
  public static long parse(String ts) throws MalformedLineException {
    if (ts.length() == 24
        && ts.charAt(4) == '-'
        && ts.charAt(7) == '-'
        && ts.charAt(10) == 'T'
        && ts.charAt(13) == ':'
        && ts.charAt(16) == ':'
        && ts.charAt(19) == '.'
        && ts.charAt(23) == 'Z') {
      int year = number(ts, 0, 4);
      int month = number(ts, 5, 2);
      int day = number(ts, 8, 2);
      int hour = number(ts, 11, 2);
      int minute = number(ts, 14, 2);
      int second = number(ts, 17, 2);
      int millis = number(ts, 20, 3);
      if (year >= 0
          && month >= 1
          && month <= 12
          && day >= 1
          && day <= 31
          && hour >= 0
          && hour < 24
          && minute >= 0
          && minute < 60
          && second >= 0
          && second < 60
          && millis >= 0) {
        try {
          long days = LocalDate.of(year, month, day).toEpochDay();
          return days * 86_400_000L
              + hour * 3_600_000L
              + minute * 60_000L
              + second * 1000L
              + millis;
        } catch (java.time.DateTimeException e) {
          throw new MalformedLineException("ts \"" + ts + "\" is not a valid date");
        }
      }
    }
    try {
      return Instant.parse(ts).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new MalformedLineException("ts \"" + ts + "\" is not an ISO-8601 instant");
    }
  }

  private static int number(String text, int at, int width) {
    int value = 0;
    for (int i = at; i < at + width; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return Integer.MIN_VALUE;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
