package io.runjournal;

/**
 * The base of every error the journal raises. Each subclass carries the context an operator needs
 * as fields and a short {@link #code()} slug, which the HTTP API uses as the problem {@code type}.
 */
public class RunJournalException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;

  /** An error with this slug and message. */
  public RunJournalException(String code, String message) {
    super(message);
    this.code = code;
  }

  /** An error with this slug, message and cause. */
  public RunJournalException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The short, stable slug of this error, such as {@code sequence-conflict}. */
  public String code() {
    return code;
  }

  /** Quotes a caller-supplied value for a message: control characters escaped, length capped. */
  static String quote(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder quoted = new StringBuilder(Math.min(value.length(), 80) + 16).append('"');
    for (int i = 0; i < value.length(); i++) {
      if (i == 80) {
        quoted.append("…(").append(value.length()).append(" chars)");
        break;
      }
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        quoted.append(String.format("\\u%04x", (int) c));
      } else {
        quoted.append(c);
      }
    }
    return quoted.append('"').toString();
  }
}
