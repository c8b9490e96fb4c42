package io.runjournal.internal.json;

import io.runjournal.model.Event;
import io.runjournal.model.Ids;
import java.nio.charset.StandardCharsets;

/**
 * Reads a journal line that is exactly in the canonical layout the journal writes ({@code
 * {"seq":…,"ts":"…","run":"…","branch":"…","type":"…"[,"id":"…"][,"data":…][,"meta":{…}]}}, no
 * whitespace), checking the grammar of {@code data} and {@code meta} as it skips them, without a
 * general JSON parser. Anything else, valid or not, is left to the full parser: this is a fast path
 * for replay, never a second opinion. Thread-safe (stateless).
 */
final class CanonicalLine {
  // The literal parts of a canonical line, shared with EventCodec.writeLine.
  static final byte[] SEQ = ascii("{\"seq\":");
  static final byte[] TS = ascii(",\"ts\":\"");
  static final byte[] RUN = ascii("\",\"run\":\"");
  static final byte[] BRANCH = ascii("\",\"branch\":\"");
  static final byte[] TYPE = ascii("\",\"type\":\"");
  static final byte[] ID = ascii(",\"id\":\"");
  static final byte[] DATA = ascii(",\"data\":");
  static final byte[] META = ascii(",\"meta\":");
  private static final int MAX_DEPTH = 200;
  private static final int TS_LENGTH = 24;

  private CanonicalLine() {}

  /** The event, or null when the line is not exactly canonical (the full parser decides then). */
  static Event parse(byte[] b, int offset, int length, String expectedRun) {
    int end = offset + length;
    int p = expect(b, offset, end, SEQ);
    int digits = p;
    long seq = 0;
    while (p >= 0 && p < end && b[p] >= '0' && b[p] <= '9' && p - digits < 18) {
      seq = seq * 10 + (b[p++] - '0');
    }
    if (p <= digits || b[digits] == '0') {
      return null;
    }
    p = expect(b, p, end, TS);
    if (p < 0 || p + TS_LENGTH > end) {
      return null;
    }
    long ts;
    try {
      ts = Timestamps.parse(new String(b, p, TS_LENGTH, StandardCharsets.ISO_8859_1));
    } catch (MalformedLineException e) {
      return null;
    }
    int runStart = expect(b, p + TS_LENGTH, end, RUN);
    int runEnd = plainString(b, runStart, end);
    if (runEnd < 0 || !sameAscii(b, runStart, runEnd, expectedRun)) {
      return null;
    }
    int branchStart = expect(b, runEnd, end, BRANCH);
    int branchEnd = plainString(b, branchStart, end);
    int typeStart = expect(b, branchEnd, end, TYPE);
    int typeEnd = plainString(b, typeStart, end);
    if (typeEnd < 0) {
      return null;
    }
    p = typeEnd + 1;
    String id = null;
    int idStart = expect(b, p, end, ID);
    if (idStart >= 0) {
      int idEnd = plainString(b, idStart, end);
      if (idEnd < 0) {
        return null; // escapes in the id: rare, left to the full parser
      }
      id = new String(b, idStart, idEnd - idStart, StandardCharsets.UTF_8);
      p = idEnd + 1;
    }
    String data = null;
    int dataStart = expect(b, p, end, DATA);
    if (dataStart >= 0) {
      p = skipValue(b, dataStart, end, 0, false);
      if (p < 0) {
        return null;
      }
      data = new String(b, dataStart, p - dataStart, StandardCharsets.UTF_8);
    }
    String meta = null;
    int metaStart = expect(b, p, end, META);
    if (metaStart >= 0) {
      if (b[metaStart] != '{' || (p = skipValue(b, metaStart, end, 0, false)) < 0) {
        return null;
      }
      meta = new String(b, metaStart, p - metaStart, StandardCharsets.UTF_8);
    }
    if (p != end - 1 || b[p] != '}') {
      return null;
    }
    String branch =
        sameAscii(b, branchStart, branchEnd, Ids.MAIN_BRANCH)
            ? Ids.MAIN_BRANCH
            : new String(b, branchStart, branchEnd - branchStart, StandardCharsets.ISO_8859_1);
    String type = new String(b, typeStart, typeEnd - typeStart, StandardCharsets.UTF_8);
    String line = new String(b, offset, length, StandardCharsets.UTF_8);
    return new Event(seq, ts, expectedRun, branch, type, id, data, meta, line);
  }

  /** The position after {@code literal} if it stands at {@code p}, else -1. */
  private static int expect(byte[] b, int p, int end, byte[] literal) {
    if (p < 0 || p + literal.length > end) {
      return -1;
    }
    for (int i = 0; i < literal.length; i++) {
      if (b[p + i] != literal[i]) {
        return -1;
      }
    }
    return p + literal.length;
  }

  /** The position of the closing quote of a string with no escapes or control bytes, else -1. */
  private static int plainString(byte[] b, int p, int end) {
    if (p < 0) {
      return -1;
    }
    while (p < end) {
      byte c = b[p];
      if (c == '"') {
        return p;
      }
      if (c == '\\' || (c >= 0 && c < 0x20)) {
        return -1;
      }
      p = c < 0 ? skipUtf8(b, p, end) : p + 1;
      if (p < 0) {
        return -1;
      }
    }
    return -1;
  }

  private static boolean sameAscii(byte[] b, int from, int to, String text) {
    if (from < 0 || to - from != text.length()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (b[from + i] != text.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The position after the compact JSON value at {@code p}, or -1 if it is not one. */
  private static int skipValue(byte[] b, int p, int end, int depth, boolean unique) {
    if (p >= end || depth > MAX_DEPTH) {
      return -1;
    }
    return switch (b[p]) {
      case '{' -> skipObject(b, p + 1, end, depth + 1, unique);
      case '[' -> skipArray(b, p + 1, end, depth + 1, unique);
      case '"' -> skipString(b, p + 1, end);
      case 't' -> expect(b, p, end, TRUE);
      case 'f' -> expect(b, p, end, FALSE);
      case 'n' -> expect(b, p, end, NULL);
      default -> skipNumber(b, p, end);
    };
  }

  private static final byte[] TRUE = ascii("true");
  private static final byte[] FALSE = ascii("false");
  private static final byte[] NULL = ascii("null");

  private static int skipObject(byte[] b, int p, int end, int depth, boolean unique) {
    if (p < end && b[p] == '}') {
      return p + 1;
    }
    int[] keys = unique ? new int[8] : null; // start and end of each key seen, for duplicates
    int keyCount = 0;
    while (p >= 0 && p < end && b[p] == '"') {
      int keyStart = p;
      p = skipString(b, p + 1, end);
      if (unique && p >= 0) {
        if (isDuplicate(b, keys, keyCount, keyStart, p)) {
          return -1;
        }
        if (2 * keyCount + 2 > keys.length) {
          keys = java.util.Arrays.copyOf(keys, keys.length * 2);
        }
        keys[2 * keyCount] = keyStart;
        keys[2 * keyCount + 1] = p;
        keyCount++;
      }
      if (p < 0 || p >= end || b[p] != ':') {
        return -1;
      }
      p = skipValue(b, p + 1, end, depth, unique);
      if (p < 0 || p >= end) {
        return -1;
      }
      if (b[p] == '}') {
        return p + 1;
      }
      if (b[p++] != ',') {
        return -1;
      }
    }
    return -1;
  }

  /**
   * Whether the key at {@code [start, end)} equals an earlier one (compact keys: bytes compare).
   */
  private static boolean isDuplicate(byte[] b, int[] keys, int count, int start, int end) {
    for (int k = 0; k < count; k++) {
      int otherStart = keys[2 * k];
      if (keys[2 * k + 1] - otherStart == end - start
          && java.util.Arrays.equals(b, otherStart, keys[2 * k + 1], b, start, end)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code b} is exactly one JSON value in the compact form {@link EventCodec} keeps as
   * sent (no whitespace, no escapes), with no duplicate keys and at most 200 levels deep; an object
   * when {@code requireObject}. Anything it rejects goes to the full parser, which says why.
   */
  static boolean isValidCompactValue(byte[] b, boolean requireObject) {
    if (b.length == 0 || requireObject && b[0] != '{') {
      return false;
    }
    return skipValue(b, 0, b.length, 0, /* unique= */ true) == b.length;
  }

  private static int skipArray(byte[] b, int p, int end, int depth, boolean unique) {
    if (p < end && b[p] == ']') {
      return p + 1;
    }
    while (p >= 0 && p < end) {
      p = skipValue(b, p, end, depth, unique);
      if (p < 0 || p >= end) {
        return -1;
      }
      if (b[p] == ']') {
        return p + 1;
      }
      if (b[p++] != ',') {
        return -1;
      }
    }
    return -1;
  }

  /** From just after the opening quote to just after the closing one, escapes checked. */
  private static int skipString(byte[] b, int p, int end) {
    while (p < end) {
      if (b[p] < 0) {
        p = skipUtf8(b, p, end);
        if (p < 0) {
          return -1;
        }
        continue;
      }
      byte c = b[p++];
      if (c == '"') {
        return p;
      }
      if (c < 0x20) {
        return -1;
      }
      if (c == '\\') {
        if (p >= end) {
          return -1;
        }
        byte escaped = b[p++];
        if (escaped == 'u') {
          for (int i = 0; i < 4; i++, p++) {
            if (p >= end || Character.digit(b[p], 16) < 0) {
              return -1;
            }
          }
        } else if ("\"\\/bfnrt".indexOf(escaped) < 0) {
          return -1;
        }
      }
    }
    return -1;
  }

  /**
   * The position after the well-formed UTF-8 sequence of a non-ASCII character at {@code p}
   * (shortest form, no surrogates, at most U+10FFFF), or -1.
   */
  private static int skipUtf8(byte[] b, int p, int end) {
    int lead = b[p] & 0xff;
    int continuations;
    int min = 0x80;
    int max = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
      continuations = 1;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      continuations = 2;
      min = lead == 0xe0 ? 0xa0 : 0x80;
      max = lead == 0xed ? 0x9f : 0xbf;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      continuations = 3;
      min = lead == 0xf0 ? 0x90 : 0x80;
      max = lead == 0xf4 ? 0x8f : 0xbf;
    } else {
      return -1;
    }
    if (p + continuations >= end) {
      return -1;
    }
    for (int i = 1; i <= continuations; i++) {
      int next = b[p + i] & 0xff;
      if (next < (i == 1 ? min : 0x80) || next > (i == 1 ? max : 0xbf)) {
        return -1;
      }
    }
    return p + continuations + 1;
  }

  /** {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. */
  private static int skipNumber(byte[] b, int p, int end) {
    if (p < end && b[p] == '-') {
      p++;
    }
    if (p >= end || !isDigit(b[p])) {
      return -1;
    }
    if (b[p] == '0') {
      p++;
    } else {
      p = digits(b, p, end);
    }
    if (p < end && b[p] == '.') {
      int fraction = digits(b, p + 1, end);
      if (fraction == p + 1) {
        return -1;
      }
      p = fraction;
    }
    if (p < end && (b[p] == 'e' || b[p] == 'E')) {
      p++;
      if (p < end && (b[p] == '+' || b[p] == '-')) {
        p++;
      }
      int exponent = digits(b, p, end);
      if (exponent == p) {
        return -1;
      }
      p = exponent;
    }
    return p;
  }

  private static int digits(byte[] b, int p, int end) {
    while (p < end && isDigit(b[p])) {
      p++;
    }
    return p;
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
