package io.runjournal.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.runjournal.client.ClientSubscription;
import io.runjournal.client.Event;
import io.runjournal.client.RetryPolicy;
import io.runjournal.client.RunJournalClientException;
import io.runjournal.client.SubscriptionListener;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;

/**
 * A subscription to a run's SSE stream (DESIGN §7) that reconnects until the run ends.
 *
 * <p>One virtual thread connects, parses and calls the listener. The resume point is the seq of the
 * last event the listener accepted (or the head a {@code reset} moved it to): every reconnect sends
 * it as {@code Last-Event-ID} with the original query, and a frame at or before it is never
 * delivered again, so each event reaches the listener once and in order. After a failure it waits
 * per {@link Backoff}: from the server's {@code retry} (else the policy's initial backoff), growing
 * with every reconnect that delivers nothing, back to the start after an event. It gives up after
 * {@code maxAttempts} consecutive attempts that got no stream; a stream that opened and then
 * dropped counts as a success. With an idle timeout a second virtual thread closes a stream that
 * sent no byte (not even a heartbeat) for that long, which forces a reconnect.
 *
 * <p>Thread-safe: {@link #close} may be called from any thread, including a listener callback.
 */
public final class SseSubscription implements ClientSubscription {
  private static final int MAX_ERROR_BODY = 64 * 1024;

  private final Transport transport;
  private final URI uri;
  private final SubscriptionListener listener;
  private final RetryPolicy reconnectPolicy;
  private final Duration idleTimeout;
  private final RandomGenerator random;
  private final Runnable onTerminated;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final Thread reader;
  private final Thread watchdog;

  private volatile long lastSeq;
  private volatile boolean resumable; // whether lastSeq is a resume point to send
  private volatile InputStream current; // the stream being read, for close() and the watchdog
  private volatile boolean streaming;
  private volatile long lastActivityNanos;
  private volatile boolean idleTimedOut;

  // Reader thread only:
  private Duration serverRetry;
  private boolean ended;
  private long delivered;

  private SseSubscription(
      Transport transport,
      URI uri,
      Long afterSeq,
      SubscriptionListener listener,
      RetryPolicy reconnectPolicy,
      Duration idleTimeout,
      RandomGenerator random,
      Runnable onTerminated,
      String name) {
    this.transport = transport;
    this.uri = uri;
    this.listener = listener;
    this.reconnectPolicy = reconnectPolicy;
    this.idleTimeout = idleTimeout;
    this.random = random;
    this.onTerminated = onTerminated;
    this.lastSeq = afterSeq == null ? 0 : afterSeq;
    this.reader = Thread.ofVirtual().name(name).unstarted(this::run);
    this.watchdog =
        idleTimeout.isZero()
            ? null
            : Thread.ofVirtual().name(name + "-idle").unstarted(this::watch);
  }

  /**
   * Starts a subscription to {@code uri} (the stream URL with its original query).
   *
   * @param afterSeq the {@code afterSeq} of the query, or null
   * @param idleTimeout how long a stream may stay silent before it is dropped; zero for ever
   * @param onTerminated run once when the subscription stops
   * @param name the name of the reading thread
   */
  public static SseSubscription start(
      Transport transport,
      URI uri,
      Long afterSeq,
      SubscriptionListener listener,
      RetryPolicy reconnectPolicy,
      Duration idleTimeout,
      RandomGenerator random,
      Runnable onTerminated,
      String name) {
    SseSubscription subscription =
        new SseSubscription(
            transport,
            uri,
            afterSeq,
            listener,
            reconnectPolicy,
            idleTimeout,
            random,
            onTerminated,
            name);
    subscription.reader.start();
    if (subscription.watchdog != null) {
      subscription.watchdog.start();
    }
    return subscription;
  }

  @Override
  public long lastSeq() {
    return lastSeq;
  }

  @Override
  public boolean isTerminated() {
    return terminated.getCount() == 0;
  }

  @Override
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closeQuietly(current);
    reader.interrupt();
    if (watchdog != null) {
      watchdog.interrupt();
    }
  }

  @Override
  public String toString() {
    return "ClientSubscription[" + uri + ", lastSeq=" + lastSeq + "]";
  }

  /** The outcome of one connection attempt. */
  private record Attempt(boolean finished, boolean opened, boolean fatal, Throwable failure) {
    static final Attempt FINISHED = new Attempt(true, true, false, null);

    static Attempt retry(boolean opened, Throwable failure) {
      return new Attempt(false, opened, false, failure);
    }

    static Attempt fatal(Throwable failure) {
      return new Attempt(false, false, true, failure);
    }
  }

  private void run() {
    try {
      loop();
    } catch (InterruptedException e) {
      // closed while connecting or waiting to reconnect: nothing to report
    } catch (RuntimeException e) {
      report(e, false);
    } finally {
      closed.set(true);
      if (watchdog != null) {
        watchdog.interrupt();
      }
      terminated.countDown();
      onTerminated.run();
    }
  }

  private void loop() throws InterruptedException {
    int reconnectsSinceDelivery = 0;
    int failedAttempts = 0;
    while (!closed.get()) {
      long deliveredBefore = delivered;
      Attempt attempt = attempt();
      if (attempt.finished() || closed.get()) {
        return;
      }
      if (attempt.fatal()) {
        report(attempt.failure(), false);
        return;
      }
      failedAttempts = attempt.opened() ? 0 : failedAttempts + 1;
      if (failedAttempts >= reconnectPolicy.maxAttempts()) {
        report(attempt.failure(), false);
        return;
      }
      report(attempt.failure(), true);
      reconnectsSinceDelivery = delivered > deliveredBefore ? 1 : reconnectsSinceDelivery + 1;
      Duration initial = serverRetry != null ? serverRetry : reconnectPolicy.initialBackoff();
      Thread.sleep(
          Backoff.delay(initial, reconnectPolicy.maxBackoff(), reconnectsSinceDelivery, random));
    }
  }

  private Attempt attempt() throws InterruptedException {
    HttpRequest.Builder request =
        transport.request(uri, "text/event-stream").header("Cache-Control", "no-cache").GET();
    if (resumable) {
      request.header("Last-Event-ID", Long.toString(lastSeq));
    }
    String description = "GET " + uri;
    HttpResponse<InputStream> response;
    try {
      response = transport.stream(request.build());
    } catch (IOException e) {
      return Attempt.retry(false, transport.problems().fromIOException(description, 1, e));
    }
    boolean opened = false;
    try (InputStream body = response.body()) {
      current = body;
      if (closed.get()) {
        return Attempt.FINISHED;
      }
      int status = response.statusCode();
      if (status == 204) {
        ended = true;
        callback(() -> listener.onEnd(null));
        return Attempt.FINISHED;
      }
      String contentType = Transport.contentType(response);
      if (status != 200) {
        byte[] error = body.readNBytes(MAX_ERROR_BODY);
        RunJournalClientException failure =
            transport.problems().fromResponse(description, status, contentType, error);
        boolean retryable = status >= 500 || status == 429 || status == 408;
        return retryable ? Attempt.retry(false, failure) : Attempt.fatal(failure);
      }
      if (contentType == null
          || !contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
        return Attempt.fatal(
            new RunJournalClientException(
                description + " answered 200 with " + contentType + ", not text/event-stream",
                200,
                "invalid-response",
                null,
                null,
                null));
      }
      opened = true;
      return read(body, description);
    } catch (IOException e) {
      if (closed.get()) {
        return Attempt.FINISHED;
      }
      return Attempt.retry(opened, disconnected(description, e));
    } catch (ListenerFailure e) {
      return Attempt.fatal(e.getCause());
    } catch (InvalidResponseException | IllegalStateException e) {
      return Attempt.fatal(
          new RunJournalClientException(
              "invalid frame on " + description + ": " + e.getMessage(),
              0,
              "invalid-response",
              e.getMessage(),
              null,
              e));
    } finally {
      current = null;
    }
  }

  private Attempt read(InputStream body, String description) throws IOException {
    SseParser parser = new SseParser(new FrameHandler());
    byte[] buffer = new byte[8192];
    idleTimedOut = false;
    lastActivityNanos = System.nanoTime();
    streaming = true;
    try {
      for (int read = body.read(buffer); read >= 0; read = body.read(buffer)) {
        lastActivityNanos = System.nanoTime();
        parser.feed(buffer, 0, read);
        if (ended || closed.get()) {
          return Attempt.FINISHED;
        }
      }
    } finally {
      streaming = false;
    }
    if (closed.get()) {
      return Attempt.FINISHED;
    }
    return Attempt.retry(true, disconnected(description, null));
  }

  private RunJournalClientException disconnected(String description, IOException cause) {
    String reason;
    if (idleTimedOut) {
      reason = "no data (not even a heartbeat) for " + idleTimeout;
    } else if (cause == null) {
      reason = "the server closed the stream";
    } else {
      reason = Problems.describe(cause);
    }
    String message = "stream " + description + " lost after seq " + lastSeq + ": " + reason;
    return new RunJournalClientException(message, 0, "connection-failed", message, null, cause);
  }

  /** Dispatches frames to the listener; runs on the reader thread. */
  private final class FrameHandler implements SseParser.Handler {
    @Override
    public void onRetry(long millis) {
      serverRetry = Duration.ofMillis(millis);
    }

    @Override
    public void onFrame(SseFrame frame) {
      if (ended || closed.get()) {
        return;
      }
      switch (frame.event()) {
        case "message" -> deliver(JsonCodec.event(frame.data()));
        case "reset" -> reset(JsonCodec.object(frame.data()));
        case "end" -> end(frame.data());
        default -> {} // unknown event names are for other clients
      }
    }

    private void deliver(Event event) {
      if (event.seq() <= lastSeq) {
        return; // already delivered: a server that repeats itself must not break exactly-once
      }
      callback(() -> listener.onEvent(event));
      lastSeq = event.seq();
      resumable = true;
      delivered++;
    }

    private void reset(JsonNode reset) {
      long lastEventId = JsonCodec.number(reset, "lastEventId");
      long head = JsonCodec.number(reset, "head");
      lastSeq = head;
      resumable = true;
      callback(() -> listener.onReset(lastEventId, head));
    }

    private void end(String data) {
      JsonNode summary;
      try {
        summary = data.isBlank() ? null : JsonCodec.object(data);
      } catch (InvalidResponseException e) {
        summary = null; // the end is what matters; a summary we cannot read is left out
      }
      ended = true;
      JsonNode endSummary = summary;
      callback(() -> listener.onEnd(endSummary));
    }
  }

  /** A callback threw: the subscription stops and reports it. */
  private static final class ListenerFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ListenerFailure(RuntimeException cause) {
      super(cause);
    }
  }

  private static void callback(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      throw new ListenerFailure(e);
    }
  }

  private void report(Throwable error, boolean willRetry) {
    if (closed.get() && willRetry) {
      return;
    }
    try {
      listener.onError(error, willRetry);
    } catch (RuntimeException ignored) {
      // the listener's own failure to handle an error has nowhere better to go
    }
  }

  /** Closes a stream that went silent for longer than the idle timeout. */
  private void watch() {
    long timeoutNanos = idleTimeout.toNanos();
    try {
      while (!closed.get()) {
        long idle = System.nanoTime() - lastActivityNanos;
        InputStream stream = current;
        if (streaming && stream != null && idle >= timeoutNanos) {
          idleTimedOut = true;
          lastActivityNanos = System.nanoTime();
          closeQuietly(stream);
          idle = 0;
        }
        Thread.sleep(Duration.ofNanos(Math.max(timeoutNanos - idle, 1_000_000)));
      }
    } catch (InterruptedException e) {
      // closed
    }
  }

  private static void closeQuietly(InputStream stream) {
    if (stream != null) {
      try {
        stream.close();
      } catch (IOException ignored) {
        // closing to interrupt a read: a failure to close changes nothing
      }
    }
  }
}
