package io.runjournal.trace;

import io.runjournal.logging.LogEntry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The span tree of one branch of a run, as {@link Traces#read} rebuilt it from the run's {@code
 * log}, {@code span.open} and {@code span.close} events. Immutable and thread-safe.
 *
 * @param run the run id
 * @param branch the branch the trace was read from
 * @param traceId the run's trace id, {@link #traceIdOf(String)}
 * @param roots the spans without a known parent, ordered by start time, then seq
 * @param logs the log records not attached to any span of the trace (no span id, or an unknown
 *     one), in seq order
 * @param spanCount how many spans the trace holds, at every depth
 * @param unfinishedCount how many of them were opened and never closed
 * @param logCount how many log records the branch holds, attached or not
 * @param malformedRecords events of type {@code log}, {@code span.open} or {@code span.close} whose
 *     data is not a record of that kind; they are left out
 * @param lastEventAt when the run's last event (of any type, on any branch) was appended, or null
 *     when it has none: the "now" of unfinished spans
 */
public record Trace(
    String run,
    String branch,
    String traceId,
    List<TraceSpan> roots,
    List<LogEntry> logs,
    long spanCount,
    long unfinishedCount,
    long logCount,
    long malformedRecords,
    Instant lastEventAt) {

  /**
   * Copies the lists.
   *
   * @throws NullPointerException if run, branch, traceId or a list is null
   */
  public Trace {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(traceId, "traceId");
    roots = List.copyOf(roots);
    logs = List.copyOf(logs);
  }

  /**
   * The trace id of a run: the first 16 bytes of the SHA-256 of its id (UTF-8), as 32 lower-case
   * hex digits. Every reader derives the same id for the same run, so spans of a run exported twice
   * land in one trace, and a link to a span of another run names that run's trace.
   */
  public static String traceIdOf(String run) {
    return HexFormat.of().formatHex(sha256(run), 0, 16);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
