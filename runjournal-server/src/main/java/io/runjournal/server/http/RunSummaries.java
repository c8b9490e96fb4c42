package io.runjournal.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runjournal.projection.RunProjections;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The summary of a run that {@code GET /v1/runs/{run}}, run listings and the SSE {@code end} frame
 * carry: its projection (DESIGN §8), caught up with the journal.
 */
public final class RunSummaries {
  private final RunProjections projections;
  private final ObjectMapper json;

  /** Summarises runs from {@code projections}. */
  public RunSummaries(RunProjections projections, ObjectMapper json) {
    this.projections = projections;
    this.json = json;
  }

  /** The projections the summaries come from. */
  public RunProjections projections() {
    return projections;
  }

  /** The summary of {@code run} as JSON. */
  public byte[] summary(String run) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator gen = json.createGenerator(out)) {
      projections.get(run).writeJson(gen);
    }
    return out.toByteArray();
  }
}
