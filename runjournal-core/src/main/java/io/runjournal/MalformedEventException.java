package io.runjournal;

import java.nio.file.Path;

/** A strict read met a line of the journal that is not a valid event. */
public final class MalformedEventException extends RunJournalException {
  private static final long serialVersionUID = 1L;

  private final transient Path path;
  private final long line;
  private final String reason;

  /** Line {@code line} (1-based) of {@code path} is malformed for {@code reason}. */
  public MalformedEventException(Path path, long line, String reason) {
    super("malformed-event", path + ":" + line + ": " + reason);
    this.path = path;
    this.line = line;
    this.reason = reason;
  }

  /** The journal file. */
  public Path path() {
    return path;
  }

  /** The 1-based line number. */
  public long line() {
    return line;
  }

  /** Why the line is not an event. */
  public String reason() {
    return reason;
  }
}
