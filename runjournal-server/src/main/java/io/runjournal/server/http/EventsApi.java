package io.runjournal.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.runjournal.AppendRequest;
import io.runjournal.AppendResult;
import io.runjournal.Journal;
import io.runjournal.ReadQuery;
import io.runjournal.ReadResult;
import io.runjournal.internal.json.NewEventParser;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import io.runjournal.projection.RunProjections;
import io.runjournal.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /v1/runs/{run}/events} (append an object, an array as one atomic batch, or NDJSON)
 * and {@code GET /v1/runs/{run}/events} (replay as JSON, or as streamed NDJSON). Replays write the
 * journal's canonical lines as they are, never re-encoding an event.
 */
public final class EventsApi {
  /** The NDJSON media type. */
  public static final String NDJSON = "application/x-ndjson";

  /** The largest page a replay returns. */
  public static final int MAX_LIMIT = 10_000;

  private static final int NDJSON_PAGE = 1_000;

  private final Journal journal;
  private final RunProjections projections;
  private final ObjectMapper json;
  private final ServerConfig.Limits limits;
  private final ServerMetrics metrics;

  /** Serves the events of {@code journal} within {@code limits}. */
  public EventsApi(
      Journal journal,
      RunProjections projections,
      ObjectMapper json,
      ServerConfig.Limits limits,
      ServerMetrics metrics) {
    this.journal = journal;
    this.projections = projections;
    this.json = json;
    this.limits = limits;
    this.metrics = metrics;
  }

  /** Appends the request's events as one atomic batch. */
  public void append(Context ctx) throws IOException {
    String run = Params.run(ctx);
    String branch = Params.branch(ctx);
    Long expectedSeq = Params.optionalNonNegativeLong(ctx, "expectedSeq");
    long declared = ctx.req().getContentLengthLong();
    if (declared > limits.maxRequestBytes()) {
      throw BoundedBody.tooLarge(limits.maxRequestBytes());
    }
    List<NewEvent> events;
    try (InputStream body = new BoundedBody(ctx.req().getInputStream(), limits.maxRequestBytes())) {
      events = NewEventParser.parse(body, "request body", limits.maxBatchEvents());
    }
    AppendRequest request = AppendRequest.of(events).onBranch(branch);
    if (expectedSeq != null) {
      request = request.expecting(expectedSeq);
    }
    AppendResult result = journal.append(run, request);
    metrics.appended(result);
    if (!result.allDuplicates()) {
      projections.appended(run);
    }
    ctx.status(result.allDuplicates() ? 200 : 201);
    ctx.contentType("application/json");
    ctx.result(appendResponse(result));
  }

  private byte[] appendResponse(AppendResult result) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator gen = json.createGenerator(out)) {
      gen.writeStartObject();
      gen.writeStringField("run", result.run());
      gen.writeStringField("branch", result.branch());
      gen.writeNumberField("first", result.first());
      gen.writeNumberField("last", result.last());
      gen.writeNumberField("head", result.head());
      gen.writeArrayFieldStart("seqs");
      for (long seq : result.seqs()) {
        gen.writeNumber(seq);
      }
      gen.writeEndArray();
      gen.writeArrayFieldStart("duplicates");
      for (int i = 0; i < result.seqs().size(); i++) {
        if (result.duplicate().get(i)) {
          gen.writeNumber(result.seqs().get(i));
        }
      }
      gen.writeEndArray();
      gen.writeEndObject();
    }
    return out.toByteArray();
  }

  /** Replays one branch of a run. */
  public void read(Context ctx) throws IOException {
    String run = Params.run(ctx);
    String accept = ctx.header("Accept");
    boolean ndjson = accept != null && accept.contains(NDJSON);
    ReadQuery query =
        ReadQuery.all()
            .branch(Params.branch(ctx))
            .afterSeq(Params.nonNegativeLong(ctx, "afterSeq", 0));
    Long beforeSeq = Params.optionalNonNegativeLong(ctx, "beforeSeq");
    if (beforeSeq != null) {
      query = query.beforeSeq(beforeSeq);
    }
    Set<String> types = Params.types(ctx);
    if (!types.isEmpty()) {
      query = query.types(types);
    }
    if (Params.oneOf(ctx, "order", "asc", "desc").equals("desc")) {
      query = query.newestFirst();
    }
    if (Params.flag(ctx, "strict")) {
      query = query.failOnMalformed();
    }
    if (ndjson) {
      long limit =
          ctx.queryParam("limit") == null
              ? Long.MAX_VALUE
              : Params.limit(ctx, "limit", ReadQuery.DEFAULT_LIMIT, MAX_LIMIT);
      streamNdjson(ctx, run, query, limit);
    } else {
      int limit = Params.limit(ctx, "limit", ReadQuery.DEFAULT_LIMIT, MAX_LIMIT);
      ReadResult result = journal.read(run, query.limit(limit));
      ctx.contentType("application/json");
      ctx.result(readResponse(result));
    }
  }

  private byte[] readResponse(ReadResult result) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 320 * result.events().size());
    try (JsonGenerator gen = json.createGenerator(out)) {
      gen.writeStartObject();
      gen.writeStringField("run", result.run());
      gen.writeStringField("branch", result.branch());
      gen.writeArrayFieldStart("events");
      for (Event event : result.events()) {
        gen.writeRawValue(event.line());
      }
      gen.writeEndArray();
      gen.writeNumberField("head", result.head());
      if (result.next() == null) {
        gen.writeNullField("next");
      } else {
        gen.writeNumberField("next", result.next());
      }
      gen.writeEndObject();
    }
    return out.toByteArray();
  }

  /**
   * Streams events as NDJSON, a page at a time, up to {@code limit} events (every event up to the
   * head when the request gave no limit). The head at the start is sent as {@code RunJournal-Head}.
   */
  private void streamNdjson(Context ctx, String run, ReadQuery query, long limit)
      throws IOException {
    long remaining = limit;
    ReadResult page = journal.read(run, query.limit((int) Math.min(NDJSON_PAGE, remaining)));
    ctx.status(200);
    ctx.contentType(NDJSON);
    ctx.header("RunJournal-Head", Long.toString(page.head()));
    OutputStream out = ctx.res().getOutputStream();
    while (true) {
      for (Event event : page.events()) {
        out.write(event.line().getBytes(StandardCharsets.UTF_8));
        out.write('\n');
      }
      remaining -= page.events().size();
      if (page.next() == null || remaining <= 0 || page.events().isEmpty()) {
        break;
      }
      ReadQuery from =
          query.descending() ? query.beforeSeq(page.next()) : query.afterSeq(page.next());
      page = journal.read(run, from.limit((int) Math.min(NDJSON_PAGE, remaining)));
    }
    out.flush();
  }
}
