package io.runjournal.server.cli;

/**
 * The exit status of every command, and which error slugs map to which status. The same table is in
 * the top-level help footer and in {@code docs/cli.md}.
 */
final class ExitCodes {
  /** Success. */
  static final int OK = 0;

  /** {@code verify} found problems, a strict read met a malformed line, or another failure. */
  static final int PROBLEMS = 1;

  /** Bad option or argument, invalid identifier, invalid JSON, oversized event. */
  static final int USAGE = 2;

  /**
   * The journal refused the append (sequence-conflict, id-conflict, run-ended), the import
   * (run-exists), or to archive or delete a run that is not finished (run-active).
   */
  static final int REFUSED = 3;

  /** The store failed: lock-timeout, storage-full, storage-error. */
  static final int STORAGE = 4;

  /** The run (or the data directory) does not exist. */
  static final int NOT_FOUND = 5;

  /** Interrupted while following a run (the shell reports Ctrl-C as 130 too). */
  static final int INTERRUPTED = 130;

  /** The help footer of the top-level command ({@code %n} separates lines). */
  static final String FOOTER =
      "%nExit codes:"
          + "%n  0  ok"
          + "%n  1  verify found problems, a --strict read met a malformed line, other failure"
          + "%n  2  usage: bad option or argument, invalid id, invalid JSON, event too large"
          + "%n  3  refused: sequence-conflict, id-conflict, run-ended, run-exists, run-active"
          + "%n  4  storage: lock-timeout, storage-full, storage-error"
          + "%n  5  not found: the run or the data directory does not exist"
          + "%nErrors print one line to stderr: runjournal: <code>: <message>"
          + "%nEvery command works on --data DIR (default: $RUNJOURNAL_DATA, else ./data),"
          + "%nsafely beside other processes using it; append, cat, tail, ls, show, compare,"
          + "%nexport and import also work through a server: --server URL"
          + "%n[--token-file FILE | $RUNJOURNAL_TOKEN]. serve also runs on PostgreSQL"
          + "%n(--pg-url URL); migrate copies runs between a directory and a database."
          + "%nSee docs/cli.md.";

  private ExitCodes() {}

  /** The exit status for an error with this slug (see {@code RunJournalException.code()}). */
  static int forErrorCode(String code) {
    return switch (code) {
      case "sequence-conflict", "id-conflict", "run-ended", "run-exists", "run-active" -> REFUSED;
      case "lock-timeout", "storage-full", "storage-error" -> STORAGE;
      case "not-found" -> NOT_FOUND;
      case "payload-too-large", "usage" -> USAGE;
      default -> code.startsWith("invalid-") ? USAGE : PROBLEMS;
    };
  }
}
