package io.runjournal.server.http;

import io.javalin.http.Context;
import io.runjournal.ImportResult;
import io.runjournal.InvalidEventException;
import io.runjournal.Journal;
import io.runjournal.export.ExportOptions;
import io.runjournal.export.RunExport;
import io.runjournal.export.RunImport;
import io.runjournal.model.Ids;
import io.runjournal.server.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;

/**
 * {@code GET /v1/runs/{run}/export} (a {@value RunExport#FORMAT} bundle, or the raw journal with
 * {@code format=jsonl}, both streamed) and {@code POST /v1/runs/import} (a bundle or a raw journal,
 * written byte for byte by {@link Journal#importEvents}). An export writes the journal's canonical
 * lines as they are, never re-encoding an event.
 */
public final class ExportApi {
  private final Journal journal;
  private final RunSummaries summaries;
  private final ServerConfig.Limits limits;
  private final Clock clock;

  /** Exports and imports the runs of {@code journal} within {@code limits}. */
  public ExportApi(
      Journal journal, RunSummaries summaries, ServerConfig.Limits limits, Clock clock) {
    this.journal = journal;
    this.summaries = summaries;
    this.limits = limits;
    this.clock = clock;
  }

  /** Streams the export of one run: {@code format}, {@code events}, {@code limit}. */
  public void export(Context ctx) throws IOException {
    String run = Params.run(ctx);
    boolean jsonl = Params.oneOf(ctx, "format", "bundle", "jsonl").equals("jsonl");
    boolean events = ctx.queryParam("events") == null || Params.flag(ctx, "events");
    Long limit = Params.optionalNonNegativeLong(ctx, "limit");
    if (limit != null && limit < 1) {
      throw Problem.badRequest("limit must be a positive integer, got 0");
    }
    if (jsonl && !events) {
      throw Problem.badRequest("events=false has no meaning with format=jsonl: the lines are it");
    }
    if (!journal.exists(run)) {
      throw Problem.notFound("run " + run + " does not exist");
    }
    long max = limit == null ? Long.MAX_VALUE : limit;
    ctx.status(200);
    if (jsonl) {
      ctx.contentType(EventsApi.NDJSON);
      ctx.header("Content-Disposition", "attachment; filename=\"" + run + ".jsonl\"");
      OutputStream out = ctx.res().getOutputStream();
      journal.copyJournal(run, max, out);
      out.flush();
    } else {
      ExportOptions options = new ExportOptions(events, max);
      ctx.contentType("application/json");
      OutputStream out = ctx.res().getOutputStream();
      RunExport.write(
          journal, summaries.projections().get(run), options, clock.instant(), out, count -> {});
      out.flush();
    }
  }

  /**
   * Imports a bundle or a raw journal: 201 with the summary when the run was created, 200 when it
   * already held exactly these events. {@code run} imports under another id.
   */
  public void importRun(Context ctx) throws IOException {
    String rename = ctx.queryParam("run");
    if (rename != null && !rename.isEmpty()) {
      Ids.requireRunId(rename);
    } else {
      rename = null;
    }
    byte[] body = body(ctx);
    RunImport.Source source;
    ImportResult result;
    try {
      source = RunImport.parse(body, rename, count -> {});
    } catch (InvalidEventException e) {
      throw invalid(e, e.getMessage().startsWith("line "), e.getMessage());
    }
    try {
      result = journal.importEvents(source.run(), source.events());
    } catch (InvalidEventException e) {
      throw invalid(e, source.form() == RunImport.Form.JOURNAL, source.locate(e).getMessage());
    }
    String run = result.run();
    summaries.projections().invalidate(run);
    summaries.projections().appended(run);
    ctx.status(result.created() ? 201 : 200);
    ctx.header("Location", "/v1/runs/" + run);
    ctx.contentType("application/json");
    ctx.result(summaries.summary(run));
  }

  private byte[] body(Context ctx) throws IOException {
    long max = limits.maxImportBytes();
    if (ctx.req().getContentLengthLong() > max) {
      throw importTooLarge(max);
    }
    try (InputStream in = new BoundedBody(ctx.req().getInputStream(), max)) {
      return in.readAllBytes();
    } catch (Problem tooLarge) {
      throw importTooLarge(max);
    }
  }

  private static Problem importTooLarge(long max) {
    return Problem.of(
            413,
            "payload-too-large",
            "Payload too large",
            "the import is larger than the limit of "
                + max
                + " bytes (--max-import-bytes): import the run with the CLI on the data directory")
        .with("max", max);
  }

  /** 400 {@code invalid-event} naming the bundle event, or the line of a raw journal. */
  private static Problem invalid(InvalidEventException error, boolean raw, String detail) {
    Problem problem = Problem.of(400, error.code(), "Invalid import", detail);
    if (error.position() > 0) {
      problem = problem.with(raw ? "line" : "event", error.position());
    }
    return problem;
  }
}
