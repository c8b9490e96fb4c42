package io.runjournal;

/** A run id, branch, event type or event id does not match its pattern (DESIGN §2). */
public final class InvalidIdentifierException extends RunJournalException {
  private static final long serialVersionUID = 1L;

  private final String kind;
  private final String value;

  /**
   * @param kind what was being validated: {@code run id}, {@code branch}, {@code event type} or
   *     {@code event id}
   * @param value the rejected value, possibly null
   * @param rule the rule it breaks, in words
   */
  public InvalidIdentifierException(String kind, String value, String rule) {
    super(
        "invalid-" + kind.replace(' ', '-'),
        "invalid " + kind + " " + quote(value) + ": must be " + rule);
    this.kind = kind;
    this.value = value;
  }

  /** What was being validated, such as {@code run id}. */
  public String kind() {
    return kind;
  }

  /** The rejected value, possibly null. */
  public String value() {
    return value;
  }
}
