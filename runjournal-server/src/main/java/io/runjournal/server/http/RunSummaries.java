package io.runjournal.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runjournal.Journal;
import io.runjournal.RunInfo;
import io.runjournal.internal.json.Timestamps;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * The summary of a run that {@code GET /v1/runs/{run}}, run listings and the SSE {@code end} frame
 * carry. For now it is what the journal knows without folding events: status from the heads and the
 * terminal event, heads per branch, the event count and the last event's time.
 */
public final class RunSummaries {
  private final Journal journal;
  private final ObjectMapper json;

  /** Summarises the runs of {@code journal}. */
  public RunSummaries(Journal journal, ObjectMapper json) {
    this.journal = journal;
    this.json = json;
  }

  /** The status of a run: {@code pending} without events, then running, then how it ended. */
  public static String status(RunInfo info) {
    if (info.endedBy() != null) {
      return switch (info.endedBy()) {
        case "run.completed" -> "succeeded";
        case "run.failed" -> "failed";
        case "run.cancelled" -> "cancelled";
        default -> "interrupted";
      };
    }
    return info.eventCount() == 0 ? "pending" : "running";
  }

  /** The summary of {@code run} as JSON. */
  public byte[] summary(String run) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator gen = json.createGenerator(out)) {
      write(gen, journal.info(run));
    }
    return out.toByteArray();
  }

  /** Writes the summary object of {@code info} to {@code gen}. */
  public void write(JsonGenerator gen, RunInfo info) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("id", info.run());
    gen.writeStringField("status", status(info));
    gen.writeObjectFieldStart("head");
    for (Map.Entry<String, Long> head : info.heads().entrySet()) {
      gen.writeNumberField(head.getKey(), head.getValue());
    }
    gen.writeEndObject();
    gen.writeNumberField("eventCount", info.eventCount());
    if (info.endedBy() != null) {
      gen.writeStringField("endedBy", info.endedBy());
    }
    if (info.lastEventAt() != null) {
      gen.writeStringField("lastEventAt", Timestamps.format(info.lastEventAt().toEpochMilli()));
    }
    gen.writeNumberField("malformedLines", info.malformedLines());
    gen.writeEndObject();
  }
}
