package io.runjournal.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.runjournal.AppendRequest;
import io.runjournal.Journal;
import io.runjournal.RunEndedException;
import io.runjournal.SequenceConflictException;
import io.runjournal.model.Ids;
import io.runjournal.model.NewEvent;
import io.runjournal.projection.RunProjections;
import io.runjournal.projection.RunProjections.Brief;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * {@code POST /v1/runs} (create, appending {@code run.created}), {@code GET /v1/runs} (list with
 * filters and cursor paging) and {@code GET /v1/runs/{run}} (the summary).
 */
public final class RunsApi {
  /** The largest page of a run listing. */
  public static final int MAX_LIMIT = 1000;

  private static final long MAX_CREATE_BODY = 64 * 1024;

  private final Journal journal;
  private final ObjectMapper json;
  private final RunSummaries summaries;
  private final SortableIds ids;

  /** Serves the runs of {@code journal}. */
  public RunsApi(Journal journal, ObjectMapper json, RunSummaries summaries, Clock clock) {
    this.journal = journal;
    this.json = json;
    this.summaries = summaries;
    this.ids = new SortableIds(clock);
  }

  /** Creates a run: 201 with its summary, 409 if it exists. */
  public void create(Context ctx) throws IOException {
    JsonNode body;
    try (InputStream in = new BoundedBody(ctx.req().getInputStream(), MAX_CREATE_BODY)) {
      byte[] bytes = in.readAllBytes();
      body = bytes.length == 0 ? json.createObjectNode() : parse(bytes);
    }
    if (!body.isObject()) {
      throw Problem.badRequest("the body must be a JSON object {\"id\"?, \"meta\"?}");
    }
    JsonNode idNode = body.get("id");
    if (idNode != null && !idNode.isTextual()) {
      throw Problem.badRequest("\"id\" must be a string");
    }
    JsonNode meta = body.get("meta");
    if (meta != null && !meta.isObject()) {
      throw Problem.badRequest("\"meta\" must be a JSON object");
    }
    String run = idNode == null ? ids.next() : Ids.requireRunId(idNode.asText());
    NewEvent created = NewEvent.of("run.created");
    if (meta != null) {
      created = created.withMeta(json.writeValueAsString(meta));
    }
    // A run exists once it has events: expectedSeq 0 makes exactly one of two racing creates win.
    // The append creates the directory, and a refused one (a bad meta) leaves nothing behind.
    try {
      journal.append(run, AppendRequest.of(created).expecting(0));
      summaries.projections().appended(run);
    } catch (SequenceConflictException | RunEndedException e) {
      throw exists(run);
    }
    ctx.status(201);
    ctx.header("Location", "/v1/runs/" + run);
    ctx.contentType("application/json");
    ctx.result(summaries.summary(run));
  }

  private JsonNode parse(byte[] bytes) {
    try {
      return json.readTree(bytes);
    } catch (IOException e) {
      throw Problem.badRequest("the body is not valid JSON: " + firstLine(e.getMessage()));
    }
  }

  private static Problem exists(String run) {
    return Problem.of(409, "run-exists", "Run exists", "run " + run + " already exists")
        .with("run", run);
  }

  /** The summary of one run, or 404. */
  public void get(Context ctx) throws IOException {
    String run = Params.run(ctx);
    if (!journal.exists(run)) {
      throw Problem.notFound("run " + run + " does not exist");
    }
    ctx.contentType("application/json");
    ctx.result(summaries.summary(run));
  }

  /** Lists runs: {@code prefix}, {@code status}, {@code order=id|recent}, {@code limit}, cursor. */
  public void list(Context ctx) throws IOException {
    String prefix = ctx.queryParam("prefix");
    String status =
        ctx.queryParam("status") == null
            ? null
            : Params.oneOf(
                ctx,
                "status",
                "pending",
                "running",
                "succeeded",
                "failed",
                "cancelled",
                "interrupted");
    boolean recent = Params.oneOf(ctx, "order", "id", "recent").equals("recent");
    int limit = Params.limit(ctx, "limit", 100, MAX_LIMIT);
    Cursor after = Cursor.decode(ctx.queryParam("cursor"), recent);

    RunProjections projections = summaries.projections();
    List<Brief> matching = new ArrayList<>();
    for (String run : journal.listRuns()) {
      if (prefix != null && !run.startsWith(prefix)) {
        continue;
      }
      if (!recent && after != null && run.compareTo(after.id()) <= 0) {
        continue;
      }
      if (status == null && !recent) {
        matching.add(new Brief(run, null, null, 0)); // the page's projections are read below
      } else {
        Brief brief = projections.brief(run);
        if (status == null || status.equals(brief.status())) {
          matching.add(brief);
        }
      }
      if (!recent && matching.size() > limit) {
        break; // ids come sorted: one more than the page tells whether there is a next page
      }
    }
    if (recent) {
      matching.sort(RECENT_FIRST);
      if (after != null) {
        Brief last = new Brief(after.id(), null, after.lastEventMillis(), 0);
        matching.removeIf(brief -> RECENT_FIRST.compare(brief, last) <= 0);
      }
    }
    boolean more = matching.size() > limit;
    List<Brief> page = more ? matching.subList(0, limit) : matching;

    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 512 * page.size());
    try (JsonGenerator gen = json.createGenerator(out)) {
      gen.writeStartObject();
      gen.writeArrayFieldStart("runs");
      for (Brief brief : page) {
        projections.get(brief.run()).writeJson(gen);
      }
      gen.writeEndArray();
      if (more) {
        gen.writeStringField("next", Cursor.of(page.getLast(), recent).encode());
      } else {
        gen.writeNullField("next");
      }
      gen.writeEndObject();
    }
    ctx.contentType("application/json");
    ctx.result(out.toByteArray());
  }

  /** Latest last event first (runs without events last), then by id. */
  private static final Comparator<Brief> RECENT_FIRST =
      Comparator.comparing(
              (Brief brief) -> brief.lastEventAt() == null ? Long.MIN_VALUE : brief.lastEventAt())
          .reversed()
          .thenComparing(Brief::run);

  /** Where a page ended: the last run's id, and for {@code recent} its last event time. */
  private record Cursor(String id, long lastEventMillis, boolean recent) {
    static Cursor of(Brief brief, boolean recent) {
      long millis = brief.lastEventAt() == null ? Long.MIN_VALUE : brief.lastEventAt();
      return new Cursor(brief.run(), millis, recent);
    }

    String encode() {
      String raw = recent ? "r:" + lastEventMillis + ":" + id : "i:" + id;
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String cursor, boolean recent) {
      if (cursor == null || cursor.isEmpty()) {
        return null;
      }
      try {
        String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        if (!recent && raw.startsWith("i:")) {
          return new Cursor(Ids.requireRunId(raw.substring(2)), 0, false);
        }
        if (recent && raw.startsWith("r:")) {
          int colon = raw.indexOf(':', 2);
          return new Cursor(
              Ids.requireRunId(raw.substring(colon + 1)),
              Long.parseLong(raw.substring(2, colon)),
              true);
        }
      } catch (RuntimeException e) {
        // reported below
      }
      throw Problem.badRequest(
          "cursor is not a cursor of this listing order: pass the \"next\" value of the previous"
              + " page unchanged, with the same order");
    }
  }

  private static String firstLine(String message) {
    String text = String.valueOf(message);
    int end = text.indexOf('\n');
    return end < 0 ? text : text.substring(0, end);
  }
}
