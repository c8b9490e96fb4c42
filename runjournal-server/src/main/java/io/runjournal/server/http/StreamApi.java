package io.runjournal.server.http;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.javalin.http.Context;
import io.runjournal.Journal;
import io.runjournal.ReadQuery;
import io.runjournal.RunInfo;
import io.runjournal.SubscribeOptions;
import io.runjournal.Subscription;
import io.runjournal.model.Event;
import io.runjournal.server.ServerConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /v1/runs/{run}/stream}: the live tail over Server-Sent Events (DESIGN §7).
 *
 * <p>Each connection is a journal {@link Subscription}, a cursor that reads from the store whenever
 * the head moves past it, on its own virtual thread. A slow client only blocks its own thread in
 * {@code write}; it never delays another stream or an append, and never misses an event: it reads
 * further behind. The resume point is {@code Last-Event-ID}, then {@code afterSeq}, then 0; a
 * resume point beyond the head is answered with a {@code reset} frame, never skipped silently.
 *
 * <p>When there is nothing left to send on a run that has ended (a reconnect after the terminal
 * event, or a type filter with no later match) the answer is {@code 204}, which stops {@code
 * EventSource}; a stream that delivered the end sends an {@code end} frame with the run summary and
 * closes.
 */
public final class StreamApi {
  /** The SSE media type. */
  public static final String EVENT_STREAM = "text/event-stream";

  private static final byte[] HEARTBEAT = ":\n\n".getBytes(US_ASCII);

  private final Journal journal;
  private final RunSummaries summaries;
  private final ServerConfig config;
  private final ServerMetrics metrics;
  private final Set<LiveStream> open = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, AtomicInteger> perRun = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();
  private volatile boolean closing;

  /** Streams the runs of {@code journal}. */
  public StreamApi(
      Journal journal, RunSummaries summaries, ServerConfig config, ServerMetrics metrics) {
    this.journal = journal;
    this.summaries = summaries;
    this.config = config;
    this.metrics = metrics;
  }

  /** Serves one SSE connection until the client leaves, the run ends or the server stops. */
  public void stream(Context ctx) throws IOException, InterruptedException {
    String run = Params.run(ctx);
    String branch = Params.branch(ctx);
    Set<String> types = Params.types(ctx);
    long resume = resumePoint(ctx);
    RunInfo info = journal.info(run);
    long head = info.head(branch);
    boolean reset = resume > head;
    long from = reset ? head : resume;
    if (!reset && info.ended() && !hasEventsAfter(run, branch, types, from)) {
      ctx.status(204);
      return;
    }
    admit(run);
    LiveStream live = null;
    try (Subscription subscription =
        journal.subscribe(
            run, SubscribeOptions.fromStart().branch(branch).afterSeq(from).types(types))) {
      live = new LiveStream(subscription);
      open.add(live);
      if (closing) {
        live.drop(); // closeAll() may have iterated before this stream was added
      }
      metrics.subscriberOpened();
      ctx.status(200);
      ctx.contentType(EVENT_STREAM + "; charset=utf-8");
      ctx.header("Cache-Control", "no-cache");
      ctx.header("X-Accel-Buffering", "no");
      OutputStream out = ctx.res().getOutputStream();
      out.write(("retry: " + config.sseRetry().toMillis() + "\n\n").getBytes(US_ASCII));
      if (reset) {
        // With the head as its id, so that a browser reconnecting after this frame resumes there.
        out.write(("id: " + head + "\n").getBytes(US_ASCII));
        writeFrame(out, "reset", "{\"lastEventId\":" + resume + ",\"head\":" + head + "}");
      }
      out.flush();
      pump(run, live, out);
    } catch (IOException e) {
      // The client went away; its next connection resumes from the last id it received.
    } finally {
      // The slot first: a stream that no longer counts as open must not hold a slot either.
      release(run);
      if (live != null) {
        open.remove(live);
        metrics.subscriberClosed();
      }
    }
  }

  /** One open stream; {@code dropped} ends it as a lost connection would. */
  private static final class LiveStream {
    final Subscription subscription;
    volatile boolean dropped;

    LiveStream(Subscription subscription) {
      this.subscription = subscription;
    }

    void drop() {
      dropped = true;
      subscription.close();
    }
  }

  private void pump(String run, LiveStream live, OutputStream out)
      throws IOException, InterruptedException {
    Subscription subscription = live.subscription;
    Duration heartbeat = config.heartbeat();
    long nextBeat = System.nanoTime() + heartbeat.toNanos();
    while (!live.dropped) {
      Duration wait = Duration.ofNanos(Math.max(0, nextBeat - System.nanoTime()));
      List<Event> events = subscription.poll(wait);
      if (live.dropped) {
        return;
      }
      if (!events.isEmpty()) {
        for (Event event : events) {
          out.write(("id: " + event.seq() + "\ndata: ").getBytes(US_ASCII));
          out.write(event.line().getBytes(StandardCharsets.UTF_8));
          out.write('\n');
          out.write('\n');
        }
        out.flush();
        metrics.sseFrames(events.size());
        nextBeat = System.nanoTime() + heartbeat.toNanos();
      } else if (System.nanoTime() - nextBeat >= 0) {
        out.write(HEARTBEAT);
        out.flush();
        nextBeat = System.nanoTime() + heartbeat.toNanos();
      }
      if (subscription.isComplete()) {
        writeFrame(out, "end", new String(summaries.summary(run), StandardCharsets.UTF_8));
        out.flush();
        return;
      }
    }
  }

  private static void writeFrame(OutputStream out, String event, String data) throws IOException {
    out.write(("event: " + event + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
  }

  /** {@code Last-Event-ID} (what the browser sends on reconnect), then {@code afterSeq}, then 0. */
  private static long resumePoint(Context ctx) {
    String lastEventId = ctx.header("Last-Event-ID");
    if (lastEventId != null && !lastEventId.isBlank()) {
      return Params.parseNonNegative("Last-Event-ID", lastEventId);
    }
    return Params.nonNegativeLong(ctx, "afterSeq", 0);
  }

  private boolean hasEventsAfter(String run, String branch, Set<String> types, long after) {
    ReadQuery query = ReadQuery.all().branch(branch).afterSeq(after).limit(1);
    return !journal.read(run, types.isEmpty() ? query : query.types(types)).events().isEmpty();
  }

  private void admit(String run) {
    if (closing) {
      throw Problem.of(503, "unavailable", "Server is shutting down", "the server is stopping");
    }
    if (total.incrementAndGet() > config.limits().maxSubscribers()) {
      total.decrementAndGet();
      throw tooMany("the server already serves " + config.limits().maxSubscribers() + " streams");
    }
    int[] onRun = new int[1];
    perRun.compute(
        run,
        (key, count) -> {
          AtomicInteger counter = count == null ? new AtomicInteger() : count;
          onRun[0] = counter.incrementAndGet();
          return counter;
        });
    if (onRun[0] > config.limits().maxSubscribersPerRun()) {
      release(run);
      throw tooMany(
          "run "
              + run
              + " already has "
              + config.limits().maxSubscribersPerRun()
              + " live streams (the per-run limit)");
    }
  }

  private void release(String run) {
    total.decrementAndGet();
    perRun.computeIfPresent(run, (key, count) -> count.decrementAndGet() <= 0 ? null : count);
  }

  private static Problem tooMany(String detail) {
    return Problem.of(429, "too-many-subscribers", "Too many subscribers", detail);
  }

  /** The number of open streams. */
  public int openStreams() {
    return open.size();
  }

  /** Ends every stream (clients reconnect elsewhere or later) and refuses new ones. */
  public void closeAll() {
    closing = true;
    dropAll();
  }

  /** Ends every open stream now, as a lost connection would; clients resume from their last id. */
  public void dropAll() {
    open.forEach(LiveStream::drop);
  }
}
