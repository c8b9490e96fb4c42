package io.runjournal.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.runjournal.Journal;
import io.runjournal.model.Ids;
import io.runjournal.projection.RunComparison;
import io.runjournal.projection.RunProjections;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** {@code POST /v1/runs/compare} {@code {"left","right"}}: two runs side by side (DESIGN §8). */
public final class CompareApi {
  private final Journal journal;
  private final RunProjections projections;
  private final ObjectMapper json;

  /** Compares runs of {@code journal}. */
  public CompareApi(Journal journal, RunProjections projections, ObjectMapper json) {
    this.journal = journal;
    this.projections = projections;
    this.json = json;
  }

  /** Answers the comparison, or 404 naming the missing run. */
  public void compare(Context ctx) throws IOException {
    JsonNode body;
    try (InputStream in = new BoundedBody(ctx.req().getInputStream(), 8192)) {
      body = json.readTree(in);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw Problem.badRequest("the body must be a JSON object {\"left\": RUN, \"right\": RUN}");
    }
    String left = runField(body, "left");
    String right = runField(body, "right");
    requireExists("left", left);
    requireExists("right", right);
    RunComparison comparison = RunComparison.of(journal, projections, left, right);
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator gen = json.createGenerator(out)) {
      comparison.writeJson(gen);
    }
    ctx.contentType("application/json");
    ctx.result(out.toByteArray());
  }

  private String runField(JsonNode body, String name) {
    JsonNode field = body == null ? null : body.get(name);
    if (field == null || !field.isTextual()) {
      throw Problem.badRequest(
          "\"" + name + "\" must be a run id: the body is {\"left\": RUN, \"right\": RUN}");
    }
    return Ids.requireRunId(field.asText());
  }

  private void requireExists(String name, String run) {
    if (!journal.exists(run)) {
      throw Problem.notFound("the " + name + " run " + run + " does not exist").with(name, run);
    }
  }
}
