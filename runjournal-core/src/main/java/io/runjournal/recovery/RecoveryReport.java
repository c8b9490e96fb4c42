package io.runjournal.recovery;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one start-up recovery did (DESIGN §8). Lists are sorted by run id. A run that was
 * interrupted was also recovered: it got {@code run.recovered} and then {@code run.interrupted}.
 *
 * @param startedAt when recovery started
 * @param finishedAt when it finished
 * @param tookMs how long it took, in milliseconds (measured with a monotonic clock)
 * @param runsChecked how many active markers were looked at
 * @param repaired the runs whose torn tail was moved to {@code events.jsonl.torn}, with its size
 * @param recovered the runs that got {@code run.recovered}
 * @param interrupted the runs that got {@code run.interrupted} (idle longer than {@code
 *     interruptAfter})
 * @param markersReleased markers removed because their run had ended or had no events
 * @param failures the runs recovery could not handle, with the reason; the others were handled
 */
public record RecoveryReport(
    Instant startedAt,
    Instant finishedAt,
    long tookMs,
    int runsChecked,
    List<Repaired> repaired,
    List<String> recovered,
    List<String> interrupted,
    List<String> markersReleased,
    List<Failure> failures) {

  /** A run whose torn tail was quarantined. */
  public record Repaired(String run, long tornBytes) {}

  /** A run recovery failed on, and why (the error's message). */
  public record Failure(String run, String reason) {}

  /** Copies the lists. */
  public RecoveryReport {
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    repaired = List.copyOf(repaired);
    recovered = List.copyOf(recovered);
    interrupted = List.copyOf(interrupted);
    markersReleased = List.copyOf(markersReleased);
    failures = List.copyOf(failures);
  }

  /** How many runs had a torn tail. */
  public int runsRepaired() {
    return repaired.size();
  }

  /** The torn bytes moved to {@code events.jsonl.torn}, over every run. */
  public long bytesQuarantined() {
    return repaired.stream().mapToLong(Repaired::tornBytes).sum();
  }

  /** Whether every active run was handled. */
  public boolean ok() {
    return failures.isEmpty();
  }

  /** One line for a log: the counts and the time taken. */
  public String summary() {
    return "recovery checked "
        + runsChecked
        + " active runs in "
        + tookMs
        + " ms: "
        + recovered.size()
        + " recovered, "
        + repaired.size()
        + " repaired ("
        + bytesQuarantined()
        + " torn bytes quarantined), "
        + interrupted.size()
        + " interrupted, "
        + markersReleased.size()
        + " stale markers released, "
        + failures.size()
        + " failed";
  }

  /** Writes the report as one JSON object (the body of {@code GET /v1/recovery}'s report). */
  public void writeJson(JsonGenerator gen) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("startedAt", startedAt.toString());
    gen.writeStringField("finishedAt", finishedAt.toString());
    gen.writeNumberField("tookMs", tookMs);
    gen.writeNumberField("runsChecked", runsChecked);
    gen.writeNumberField("runsRepaired", runsRepaired());
    gen.writeNumberField("bytesQuarantined", bytesQuarantined());
    writeIds(gen, "recovered", recovered);
    writeIds(gen, "interrupted", interrupted);
    gen.writeArrayFieldStart("repaired");
    for (Repaired run : repaired) {
      gen.writeStartObject();
      gen.writeStringField("run", run.run());
      gen.writeNumberField("tornBytes", run.tornBytes());
      gen.writeEndObject();
    }
    gen.writeEndArray();
    writeIds(gen, "markersReleased", markersReleased);
    gen.writeArrayFieldStart("failures");
    for (Failure failure : failures) {
      gen.writeStartObject();
      gen.writeStringField("run", failure.run());
      gen.writeStringField("reason", failure.reason());
      gen.writeEndObject();
    }
    gen.writeEndArray();
    gen.writeEndObject();
  }

  private static void writeIds(JsonGenerator gen, String name, List<String> ids)
      throws IOException {
    gen.writeArrayFieldStart(name);
    for (String id : ids) {
      gen.writeString(id);
    }
    gen.writeEndArray();
  }
}
