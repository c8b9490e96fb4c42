package io.runjournal;

import java.util.Random;

/**
 * Test helper: random JSON documents for the differential tests of the canonical JSON paths. They
 * mix what the journal keeps as sent (compact, integers, plain strings) with what it must re-encode
 * (whitespace between elements, escapes, fractions, exponents, {@code -0.x}).
 */
public final class RandomJson {
  private RandomJson() {}

  /** A random JSON value nested at most a few levels deep. */
  public static String value(Random random) {
    return value(random, 0);
  }

  private static String value(Random random, int depth) {
    return switch (random.nextInt(depth > 3 ? 7 : 9)) {
      case 0 -> Long.toString(random.nextLong() % 100_000);
      case 1 -> random.nextBoolean() ? "true" : "false";
      case 2 -> "null";
      case 3 -> "\"plain é 日本\"";
      case 4 -> "\"" + "abc é\\\"\\n".substring(random.nextInt(5)) + "\"";
      case 5 -> "\"esc \\\" \\\\ \\n \\u00e9 🎉\"";
      case 6 ->
          switch (random.nextInt(3)) {
            case 0 -> "1.5e" + random.nextInt(5);
            case 1 -> "-0." + random.nextInt(9);
            default -> "-12.25";
          };
      case 7 -> {
        StringBuilder array = new StringBuilder("[");
        for (int n = random.nextInt(4), j = 0; j < n; j++) {
          array.append(j == 0 ? "" : random.nextBoolean() ? "," : " , ");
          array.append(value(random, depth + 1));
        }
        yield array.append(']').toString();
      }
      default -> {
        StringBuilder object = new StringBuilder("{");
        for (int n = random.nextInt(4), j = 0; j < n; j++) {
          object.append(j == 0 ? "" : ",").append("\"k").append(j).append("\":");
          object.append(value(random, depth + 1));
        }
        yield object.append('}').toString();
      }
    };
  }
}
