package io.runjournal.model;

import io.runjournal.InvalidIdentifierException;

/**
 * Validation of the identifiers of DESIGN §2: run ids, branches, event types and event ids.
 *
 * <p>A run id or branch that passes {@link #requireRunId} or {@link #requireBranch} is a single,
 * safe path segment: it cannot contain {@code /}, {@code \}, NUL or {@code %}, cannot be {@code .}
 * or {@code ..}, and is at most 128 characters. The file store builds paths only from validated
 * ids, so a path outside the data directory cannot be formed. Thread-safe (stateless).
 */
public final class Ids {
  /** The branch used when none is given. */
  public static final String MAIN_BRANCH = "main";

  /** Maximum length of an event id. */
  public static final int MAX_EVENT_ID_LENGTH = 128;

  private Ids() {}

  /** Whether {@code run} is a valid run id. */
  public static boolean isValidRunId(String run) {
    return isSegment(run, 128) && !run.equals(".") && !run.equals("..");
  }

  /** {@code [A-Za-z0-9][A-Za-z0-9._-]{0,max-1}}, checked by hand: it runs on every append. */
  private static boolean isSegment(String text, int max) {
    if (text == null || text.isEmpty() || text.length() > max || !isAlphanumeric(text.charAt(0))) {
      return false;
    }
    for (int i = 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!isAlphanumeric(c) && c != '.' && c != '_' && c != '-') {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlphanumeric(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /** {@code [A-Za-z0-9_.:/-]{1,128}}. */
  private static boolean isType(String text) {
    if (text == null || text.isEmpty() || text.length() > 128) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!isAlphanumeric(c) && c != '_' && c != '.' && c != ':' && c != '/' && c != '-') {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns {@code run} if it is a valid run id.
   *
   * @throws InvalidIdentifierException naming the value and the rule it breaks
   */
  public static String requireRunId(String run) {
    if (!isValidRunId(run)) {
      throw new InvalidIdentifierException(
          "run id", run, "1-128 characters from [A-Za-z0-9._-], starting with a letter or digit");
    }
    return run;
  }

  /**
   * Returns {@code branch}, or {@link #MAIN_BRANCH} when it is null, if it is a valid branch.
   *
   * @throws InvalidIdentifierException naming the value and the rule it breaks
   */
  public static String requireBranch(String branch) {
    if (branch == null) {
      return MAIN_BRANCH;
    }
    if (!isSegment(branch, 64)) {
      throw new InvalidIdentifierException(
          "branch", branch, "1-64 characters from [A-Za-z0-9._-], starting with a letter or digit");
    }
    return branch;
  }

  /**
   * Returns {@code type} if it is a valid event type.
   *
   * @throws InvalidIdentifierException naming the value and the rule it breaks
   */
  public static String requireType(String type) {
    if (!isType(type)) {
      throw new InvalidIdentifierException(
          "event type", type, "1-128 characters from [A-Za-z0-9_.:/-]");
    }
    return type;
  }

  /**
   * Returns {@code id} (which may be null: the event has no id) if it is a valid event id.
   *
   * @throws InvalidIdentifierException if it is empty, longer than 128 characters or contains a
   *     control character
   */
  public static String requireEventId(String id) {
    if (id == null) {
      return null;
    }
    boolean valid = !id.isEmpty() && id.length() <= MAX_EVENT_ID_LENGTH;
    for (int i = 0; valid && i < id.length(); i++) {
      valid = id.charAt(i) >= 0x20 && id.charAt(i) != 0x7f;
    }
    if (!valid || unpairedSurrogateAt(id) >= 0) {
      throw new InvalidIdentifierException(
          "event id", id, "1-128 characters, no control characters or unpaired UTF-16 surrogates");
    }
    return id;
  }

  /** The index of the first UTF-16 surrogate in {@code text} that is not half of a pair, or -1. */
  public static int unpairedSurrogateAt(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }
}
