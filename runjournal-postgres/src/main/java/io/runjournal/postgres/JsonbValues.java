package io.runjournal.postgres;

/**
 * Whether PostgreSQL's {@code jsonb} can hold a canonical JSON value the journal accepts. Two kinds
 * of valid JSON it refuses: the escape {@code \u0000} in a string ("cannot be converted to text"),
 * and numbers beyond the range of {@code numeric} (131072 digits before the point, 16383 after).
 * Such values are still journaled (their line is what counts); only their {@code jsonb} copy is
 * left null. The check is conservative: it may refuse a value {@code jsonb} would take, never the
 * other way round. Thread-safe (stateless).
 */
final class JsonbValues {
  private static final int MAX_INTEGER_DIGITS = 100_000;
  private static final int MAX_FRACTION_DIGITS = 16_000;

  private JsonbValues() {}

  /** {@code json} if {@code jsonb} can hold it, else null (also for null). */
  static String storable(String json) {
    return json != null && isStorable(json) ? json : null;
  }

  /** Whether {@code jsonb} can hold {@code json}, a valid compact JSON text. */
  static boolean isStorable(String json) {
    if (json.contains("\\u0000")) {
      return false; // also true of an escaped backslash before "u0000": conservative
    }
    boolean inString = false;
    int length = json.length();
    for (int i = 0; i < length; i++) {
      char c = json.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++; // the escaped character cannot end the string
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        int end = numberEnd(json, i);
        if (!fitsNumeric(json, i, end)) {
          return false;
        }
        i = end - 1;
      }
    }
    return true;
  }

  private static int numberEnd(String json, int start) {
    int i = start;
    while (i < json.length() && "+-.eE0123456789".indexOf(json.charAt(i)) >= 0) {
      i++;
    }
    return i;
  }

  /** Whether the number in {@code [start, end)} fits {@code numeric}, with a wide margin. */
  private static boolean fitsNumeric(String json, int start, int end) {
    int integerDigits = 0;
    int fractionDigits = 0;
    long exponent = 0;
    int i = start;
    if (json.charAt(i) == '-') {
      i++;
    }
    while (i < end && Character.isDigit(json.charAt(i))) {
      integerDigits++;
      i++;
    }
    if (i < end && json.charAt(i) == '.') {
      i++;
      while (i < end && Character.isDigit(json.charAt(i))) {
        fractionDigits++;
        i++;
      }
    }
    if (i < end && (json.charAt(i) == 'e' || json.charAt(i) == 'E')) {
      i++;
      boolean negative = i < end && json.charAt(i) == '-';
      if (i < end && (json.charAt(i) == '-' || json.charAt(i) == '+')) {
        i++;
      }
      if (end - i > 9) {
        return false;
      }
      exponent = i < end ? Long.parseLong(json, i, end, 10) : 0;
      exponent = negative ? -exponent : exponent;
    }
    long magnitude = Math.abs(exponent);
    return integerDigits + magnitude <= MAX_INTEGER_DIGITS
        && fractionDigits + magnitude <= MAX_FRACTION_DIGITS;
  }
}
