package io.runjournal;

import java.nio.file.Path;
import java.util.List;

/**
 * The result of a strict check of one run's journal.
 *
 * @param path the journal file
 * @param lines the number of complete lines checked
 * @param events the number of valid events
 * @param problems every malformed line, in file order
 * @param tornBytes bytes after the last newline (a torn tail not yet repaired)
 */
public record VerifyReport(
    Path path, long lines, long events, List<Problem> problems, long tornBytes) {

  /** Copies the list. */
  public VerifyReport {
    problems = List.copyOf(problems);
  }

  /** Whether the journal has no malformed line and no torn tail. */
  public boolean ok() {
    return problems.isEmpty() && tornBytes == 0;
  }

  /**
   * One malformed line.
   *
   * @param line the 1-based line number
   * @param reason why it is not a valid event
   */
  public record Problem(long line, String reason) {}
}
