package io.runjournal;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What the journal itself knows about a run without reading its events: branch heads, whether a
 * terminal event ended it, and when the last event was appended. Run projections (status, progress,
 * participants) are folded from the events on top of this.
 *
 * @param run the run id
 * @param heads the head of every branch that has events, by branch name
 * @param endedBy the type of the terminal event that ended the run, or null while it is open
 * @param lastEventAt the timestamp of the run's last event, or null when it has none
 * @param malformedLines lines of the journal that could not be read (skipped by tolerant reads)
 * @param journalBytes the size of the run's journal as far as it has been read (complete lines)
 */
public record RunInfo(
    String run,
    Map<String, Long> heads,
    String endedBy,
    Instant lastEventAt,
    long malformedLines,
    long journalBytes) {

  /** Copies the map. */
  public RunInfo {
    heads = Map.copyOf(heads);
  }

  /** The total number of events over all branches. */
  public long eventCount() {
    return heads.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The head of {@code branch}, 0 when it has no events. */
  public long head(String branch) {
    return heads.getOrDefault(branch, 0L);
  }

  /** Whether a terminal event ended the run. */
  public boolean ended() {
    return endedBy != null;
  }

  /** The terminal event's type, if the run has ended. */
  public Optional<String> endedByType() {
    return Optional.ofNullable(endedBy);
  }
}
