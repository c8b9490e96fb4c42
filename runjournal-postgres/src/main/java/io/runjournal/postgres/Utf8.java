package io.runjournal.postgres;

/** UTF-8 sizes without encoding. Thread-safe (stateless). */
final class Utf8 {
  private Utf8() {}

  /** The number of bytes {@code text} takes in UTF-8 (its surrogates are paired: checked). */
  static int length(String text) {
    int length = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        length++;
      } else if (c < 0x800) {
        length += 2;
      } else if (Character.isHighSurrogate(c)) {
        length += 4; // with its low surrogate
        i++;
      } else {
        length += 3;
      }
    }
    return length;
  }
}
