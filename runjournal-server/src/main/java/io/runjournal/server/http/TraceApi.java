package io.runjournal.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.runjournal.Journal;
import io.runjournal.RunNotFoundException;
import io.runjournal.server.trace.OtlpJson;
import io.runjournal.server.trace.TraceJson;
import io.runjournal.trace.Trace;
import io.runjournal.trace.Traces;
import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code GET /v1/runs/{run}/trace?branch=B&format=json|otlp}: the span tree of a run's branch
 * (DESIGN §9) as RunJournal's tree JSON ({@link TraceJson}) or as OTLP/JSON ({@link OtlpJson}).
 * Thread-safe.
 */
public final class TraceApi {
  private final Journal journal;
  private final ObjectMapper json;

  /** Serves the traces of {@code journal}'s runs. */
  public TraceApi(Journal journal, ObjectMapper json) {
    this.journal = journal;
    this.json = json;
  }

  /**
   * Answers the trace, streamed as it is written; 400 for a bad run id, branch or format, 404 if
   * the run does not exist.
   */
  public void trace(Context ctx) throws IOException {
    String run = Params.run(ctx);
    String branch = Params.branch(ctx);
    boolean otlp = Params.oneOf(ctx, "format", "json", "otlp").equals("otlp");
    Trace trace;
    try {
      trace = Traces.read(journal, run, branch);
    } catch (RunNotFoundException e) {
      throw Problem.notFound("run " + run + " does not exist").with("run", run);
    }
    ctx.status(200);
    ctx.contentType("application/json");
    OutputStream out = ctx.res().getOutputStream();
    try (JsonGenerator gen = json.createGenerator(out)) {
      gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET); // the server ends the response
      if (otlp) {
        OtlpJson.write(trace, gen);
      } else {
        TraceJson.write(trace, gen);
      }
    }
    out.flush();
  }
}
