package io.runjournal.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.runjournal.client.internal.EventPages;
import io.runjournal.client.internal.InvalidResponseException;
import io.runjournal.client.internal.JsonCodec;
import io.runjournal.client.internal.Paths;
import io.runjournal.client.internal.SseSubscription;
import io.runjournal.client.internal.Transport;
import io.runjournal.client.internal.Transport.Response;
import io.runjournal.client.internal.Transport.Retry;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A client of the RunJournal HTTP API (DESIGN §6, §7): append, read, list and create runs, and
 * follow a run live with a subscription that resumes after any disconnect.
 *
 * <pre>{@code
 * try (RunJournalClient client =
 *     RunJournalClient.builder("http://127.0.0.1:7070").token(System.getenv("RUNJOURNAL_TOKEN")).build()) {
 *   client.append("build-42", NewEvent.of("step.done", Map.of("step", "compile")));
 *   client.readAll("build-42", ReadOptions.defaults()).forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>Requests that fail with an I/O error or a 429, 502, 503 or 504 are retried with exponential
 * backoff and jitter ({@link Builder#retryPolicy}); other errors throw a {@link
 * RunJournalClientException} at once. Appends are safe to retry because every event is sent with an
 * id (one is generated when the caller gave none): the server answers a repeated event with its
 * original seq instead of writing it twice.
 *
 * <p>Thread-safe: one client serves any number of threads. {@link #close} stops its subscriptions
 * and, if the client created its own {@link HttpClient}, closes that.
 */
public final class RunJournalClient implements AutoCloseable {
  /** The prefix of the event ids the client generates. */
  public static final String GENERATED_ID_PREFIX = "c-";

  private final URI baseUrl;
  private final boolean hasToken;
  private final HttpClient http;
  private final boolean ownsHttp;
  private final Transport transport;
  private final RetryPolicy reconnectPolicy;
  private final Duration idleTimeout;
  private final Set<ClientSubscription> subscriptions = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  private RunJournalClient(Builder builder, URI baseUrl) {
    this.baseUrl = baseUrl;
    this.hasToken = builder.token != null;
    this.ownsHttp = builder.httpClient == null;
    this.http =
        ownsHttp
            ? HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(builder.connectTimeout)
                .build()
            : builder.httpClient;
    this.transport =
        new Transport(
            http,
            baseUrl,
            builder.token,
            builder.requestTimeout,
            builder.retryPolicy,
            new Random());
    this.reconnectPolicy = builder.reconnectPolicy;
    this.idleTimeout = builder.idleTimeout;
  }

  /** A builder for a client of the server at {@code baseUrl}, such as {@code http://host:7070}. */
  public static Builder builder(String baseUrl) {
    return new Builder().baseUrl(baseUrl);
  }

  /** The server's base URL, without a trailing slash. */
  public URI baseUrl() {
    return baseUrl;
  }

  /**
   * Appends events to branch {@code main} of {@code run} as one atomic batch.
   *
   * @see #append(String, AppendOptions, List)
   */
  public AppendResult append(String run, NewEvent... events) {
    return append(run, AppendOptions.defaults(), List.of(events));
  }

  /**
   * Appends events as one atomic batch: all get contiguous seqs, or none is written ({@code POST
   * /v1/runs/{run}/events}). Every event without an id gets a generated one ({@value
   * #GENERATED_ID_PREFIX} and a random UUID) before the first attempt, so retries cannot write an
   * event twice; an event that already exists (same id and content) answers its original seq and is
   * listed in {@link AppendResult#duplicates()}.
   *
   * @throws IllegalArgumentException if {@code events} is empty
   * @throws SequenceConflictException if {@code expectedSeq} or an event's {@code seq} does not
   *     match the branch
   * @throws RunJournalClientException for any other failure: {@code id-conflict} (an id already
   *     used with other content), {@code run-ended}, {@code invalid-…}, {@code payload-too-large},
   *     {@code unauthorized}, {@code forbidden}, or the last transport error after the retries
   */
  public AppendResult append(String run, AppendOptions options, List<NewEvent> events) {
    requireOpen();
    if (events.isEmpty()) {
      throw new IllegalArgumentException("an append needs at least one event");
    }
    List<NewEvent> withIds = new ArrayList<>(events.size());
    for (NewEvent event : events) {
      Objects.requireNonNull(event, "events must not contain null");
      withIds.add(
          event.id() != null ? event : event.withId(GENERATED_ID_PREFIX + UUID.randomUUID()));
    }
    String path =
        Paths.run(run, "/events")
            .param("branch", options.branch())
            .param("expectedSeq", options.expectedSeq())
            .toString();
    byte[] body = JsonCodec.appendBody(withIds);
    Response response = transport.send("POST", path, body, Retry.IDEMPOTENT, Set.of());
    return decode("POST", path, response, JsonCodec::appendResult);
  }

  /**
   * Reads one page of a run's events ({@code GET /v1/runs/{run}/events}). A run without events (or
   * that does not exist) gives an empty page with head 0.
   *
   * @throws RunJournalClientException if the server refuses the read (an {@code invalid-…} value,
   *     {@code malformed-event} in a strict read, auth) or cannot be reached
   */
  public ReadPage read(String run, ReadOptions options) {
    requireOpen();
    String path =
        Paths.run(run, "/events")
            .param("afterSeq", options.afterSeq())
            .param("beforeSeq", options.beforeSeq())
            .param("limit", options.limit())
            .param("branch", options.branch())
            .list("type", options.types())
            .param("order", options.isDescending() ? "desc" : null)
            .param("strict", options.strict() ? "true" : null)
            .toString();
    Response response = transport.send("GET", path, null, Retry.IDEMPOTENT, Set.of());
    return decode("GET", path, response, JsonCodec::readPage);
  }

  /**
   * Every event the read selects, fetched lazily page by page ({@code options.limit()} is the page
   * size) following each page's {@code next}. An ascending read ends at the head its first page
   * reported (later pages are asked with {@code beforeSeq = head + 1}), so it terminates even while
   * producers keep appending; subscribe to follow them. The stream needs no closing; a failed page
   * throws {@link RunJournalClientException} from the stream's terminal operation.
   */
  public Stream<Event> readAll(String run, ReadOptions options) {
    requireOpen();
    EventPages pages = new EventPages(page -> read(run, page), options);
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(pages, Spliterator.ORDERED | Spliterator.NONNULL),
        /* parallel= */ false);
  }

  /**
   * Lists runs, one page ({@code GET /v1/runs}); continue with {@code options.cursor(page.next())}.
   *
   * @throws RunJournalClientException if the server refuses or cannot be reached
   */
  public RunsPage listRuns(ListRunsOptions options) {
    requireOpen();
    String order =
        options.order() == null
            ? null
            : options.order() == ListRunsOptions.Order.ID ? "id" : "recent";
    String path =
        new Paths.Query("/v1/runs")
            .param("prefix", options.prefix())
            .param("status", options.status())
            .param("limit", options.limit())
            .param("cursor", options.cursor())
            .param("order", order)
            .toString();
    Response response = transport.send("GET", path, null, Retry.IDEMPOTENT, Set.of());
    return decode("GET", path, response, JsonCodec::runsPage);
  }

  /**
   * Creates a run with an id the server generates (sortable by creation time).
   *
   * @see #createRun(String, JsonNode)
   */
  public RunSummary createRun() {
    return createRun(null, null);
  }

  /**
   * Creates a run ({@code POST /v1/runs}); the server appends its {@code run.created} event. Not
   * idempotent, so it is retried only when the server surely did not get it (a refused connection,
   * 429, 503).
   *
   * @param id the run id, or null to have the server generate one
   * @param meta the run's metadata (a JSON object), or null
   * @throws RunJournalClientException if the run exists (409), the id is invalid ({@code
   *     invalid-run-id}), or on any other failure
   */
  public RunSummary createRun(String id, JsonNode meta) {
    requireOpen();
    byte[] body = JsonCodec.createRunBody(id, meta);
    Response response = transport.send("POST", "/v1/runs", body, Retry.UNPROCESSED_ONLY, Set.of());
    return decode("POST", "/v1/runs", response, JsonCodec::summary);
  }

  /**
   * Compares two runs ({@code POST /v1/runs/compare}, DESIGN §8): statuses, durations, deltas
   * (right − left), participant and signal diffs ({@code added} = in the right run only), counts by
   * type and the first divergence of their event type sequences.
   *
   * @throws RunJournalClientException {@code not-found} naming the missing run, among others
   */
  public JsonNode compare(String left, String right) {
    requireOpen();
    Paths.run(left, "");
    Paths.run(right, "");
    byte[] body = JsonCodec.compareBody(left, right);
    Response response =
        transport.send("POST", "/v1/runs/compare", body, Retry.IDEMPOTENT, Set.of());
    return decode("POST", "/v1/runs/compare", response, JsonCodec::object);
  }

  /**
   * The trace of a run's branch ({@code GET /v1/runs/{run}/trace}, DESIGN §9): its spans as a tree,
   * each with its logs and children, unfinished ones marked {@code "finished": false}, and the logs
   * outside any span; {@code branch} null reads {@code main}.
   *
   * @throws RunJournalClientException {@code not-found} if the run does not exist, among others
   */
  public JsonNode trace(String run, String branch) {
    return getTrace(run, branch, null);
  }

  /**
   * The trace of a run's branch as OTLP/JSON ({@code GET /v1/runs/{run}/trace?format=otlp}): an
   * {@code ExportTraceServiceRequest} an OpenTelemetry collector accepts; {@code branch} null reads
   * {@code main}.
   *
   * @throws RunJournalClientException {@code not-found} if the run does not exist, among others
   */
  public JsonNode traceOtlp(String run, String branch) {
    return getTrace(run, branch, "otlp");
  }

  private JsonNode getTrace(String run, String branch, String format) {
    requireOpen();
    String path =
        Paths.run(run, "/trace").param("branch", branch).param("format", format).toString();
    Response response = transport.send("GET", path, null, Retry.IDEMPOTENT, Set.of());
    return decode("GET", path, response, JsonCodec::object);
  }

  /**
   * Exports a run ({@code GET /v1/runs/{run}/export}) into {@code out} as the server streams it: a
   * {@code runjournal.export/v1} bundle, or with {@link ExportOptions#jsonl()} the journal's lines
   * exactly as stored. Retried like a read until the export starts; a failure while it streams
   * throws, with part of it written to {@code out}.
   *
   * @return how many bytes were written to {@code out}
   * @throws RunJournalClientException {@code not-found} if the run does not exist, among others, or
   *     when the stream breaks off
   */
  public long export(String run, ExportOptions options, OutputStream out) {
    requireOpen();
    String path =
        Paths.run(run, "/export")
            .param("format", options.raw() ? "jsonl" : null)
            .param("events", options.events() ? null : "false")
            .param("limit", options.limit())
            .toString();
    return transport.download(path, out);
  }

  /**
   * Imports a run ({@code POST /v1/runs/import}) from an export bundle or a raw journal, which the
   * server writes byte for byte. Idempotent, so retried: a run that already holds exactly these
   * events is left as it is ({@link ImportResult#created()} false).
   *
   * @param body the bundle or the journal's lines, as {@link #export} wrote them
   * @param run the run id to import under instead of the one the body names, or null
   * @throws RunJournalClientException {@code run-exists} (409) if the run holds other events,
   *     {@code invalid-event} (400) naming the bad event or line, {@code payload-too-large}, auth,
   *     or the last transport error
   */
  public ImportResult importRun(byte[] body, String run) {
    requireOpen();
    if (run != null) {
      Paths.run(run, "");
    }
    String path = new Paths.Query("/v1/runs/import").param("run", run).toString();
    Response response = transport.send("POST", path, body, Retry.IDEMPOTENT, Set.of());
    RunSummary summary = decode("POST", path, response, JsonCodec::summary);
    return new ImportResult(response.status() == 201, summary);
  }

  /**
   * The summary of a run ({@code GET /v1/runs/{run}}), or empty if the run does not exist.
   *
   * @throws RunJournalClientException for any failure other than the run's absence
   */
  public Optional<RunSummary> run(String run) {
    requireOpen();
    String path = Paths.run(run, "").toString();
    Response response = transport.send("GET", path, null, Retry.IDEMPOTENT, Set.of(404));
    if (response.status() == 404) {
      RunJournalClientException error =
          transport
              .problems()
              .fromResponse(
                  "GET " + transport.uri(path), 404, response.contentType(), response.body());
      if (error.type().equals("not-found")) {
        return Optional.empty();
      }
      throw error; // a 404 that is not about the run: a wrong base URL, a proxy
    }
    return Optional.of(decode("GET", path, response, JsonCodec::summary));
  }

  /**
   * Follows a run live ({@code GET /v1/runs/{run}/stream}, DESIGN §7): replays the events after
   * {@code options.afterSeq()}, then delivers each new one as it is appended, until the run ends,
   * an error stops it, or it is closed. Returns at once; the listener is called on the
   * subscription's own virtual thread.
   *
   * <p>On a disconnect, an I/O error or a 5xx/429 it reconnects after a backoff ({@link
   * Builder#reconnectPolicy}; the server's {@code retry} is the initial delay; the backoff starts
   * over after each delivered event) and resumes with {@code Last-Event-ID}, so the listener gets
   * every event exactly once, in order. 400, 401, 403, 404 and other 4xx stop it with {@link
   * SubscriptionListener#onError} ({@code willRetry = false}).
   *
   * @throws RunJournalClientException of type {@code invalid-run-id} if {@code run} is not a run id
   * @throws IllegalStateException if the client is closed
   */
  public ClientSubscription subscribe(
      String run, SubscribeOptions options, SubscriptionListener listener) {
    requireOpen();
    Objects.requireNonNull(listener, "listener");
    String path =
        Paths.run(run, "/stream")
            .param("afterSeq", options.afterSeq())
            .param("branch", options.branch())
            .list("type", options.types())
            .toString();
    ClientSubscription[] self = new ClientSubscription[1];
    ClientSubscription subscription =
        SseSubscription.start(
            transport,
            transport.uri(path),
            options.afterSeq(),
            listener,
            reconnectPolicy,
            idleTimeout,
            new Random(),
            () -> {
              if (self[0] != null) {
                subscriptions.remove(self[0]);
              }
            },
            "runjournal-subscription-" + run);
    self[0] = subscription;
    subscriptions.add(subscription);
    if (subscription.isTerminated() || closed.get()) {
      subscriptions.remove(subscription);
      if (closed.get()) {
        subscription.close();
      }
    }
    return subscription;
  }

  /**
   * Closes every subscription of this client and, if the client created its own {@link HttpClient},
   * closes that (waiting for requests in flight). Idempotent; later calls throw {@link
   * IllegalStateException}.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    subscriptions.forEach(ClientSubscription::close);
    subscriptions.clear();
    if (ownsHttp) {
      http.close();
    }
  }

  /** The base URL and whether a token is set (never the token). */
  @Override
  public String toString() {
    return "RunJournalClient[" + baseUrl + (hasToken ? ", token=<redacted>" : "") + "]";
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the RunJournalClient for " + baseUrl + " is closed");
    }
  }

  private <T> T decode(String method, String path, Response response, Function<byte[], T> decoder) {
    try {
      return decoder.apply(response.body());
    } catch (InvalidResponseException e) {
      throw transport
          .problems()
          .invalidResponse(method + " " + transport.uri(path), response.body(), e);
    }
  }

  /**
   * Configures a {@link RunJournalClient}. Not thread-safe; {@link #build} checks the settings and
   * may be called again.
   */
  public static final class Builder {
    private String baseUrl;
    private String token;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private RetryPolicy reconnectPolicy = RetryPolicy.reconnectForever();
    private Duration idleTimeout = Duration.ofSeconds(60);
    private HttpClient httpClient;

    private Builder() {}

    /** The server's base URL, {@code http://} or {@code https://}, optionally with a path. */
    public Builder baseUrl(String url) {
      this.baseUrl = Objects.requireNonNull(url, "baseUrl");
      return this;
    }

    /**
     * The bearer token sent as {@code Authorization: Bearer …} with every request; null or empty
     * for none. It never appears in messages or {@code toString}.
     */
    public Builder token(String bearerToken) {
      this.token = bearerToken == null || bearerToken.isEmpty() ? null : bearerToken;
      return this;
    }

    /** How long to wait for a connection (default 10 s); only for the client's own HttpClient. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * How long each attempt may wait for the response's headers (default 30 s); an SSE stream may
     * then run for as long as it lasts.
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      return this;
    }

    /** How requests are retried (default {@link RetryPolicy#defaults()}). */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
      return this;
    }

    /**
     * How subscriptions reconnect (default {@link RetryPolicy#reconnectForever()}): {@code
     * maxAttempts} counts consecutive connection attempts that got no stream.
     */
    public Builder reconnectPolicy(RetryPolicy policy) {
      this.reconnectPolicy = Objects.requireNonNull(policy, "reconnectPolicy");
      return this;
    }

    /**
     * How long a subscription's stream may send nothing, not even a heartbeat, before the client
     * drops it and reconnects (default 60 s, four of the server's default 15 s heartbeats); {@link
     * Duration#ZERO} never drops it.
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = timeout;
      return this;
    }

    /**
     * The {@link HttpClient} to send with (the client does not close it); by default the client
     * creates its own, HTTP/1.1, with {@link #connectTimeout}.
     */
    public Builder httpClient(HttpClient client) {
      this.httpClient = client;
      return this;
    }

    /**
     * A client with these settings.
     *
     * @throws IllegalArgumentException naming the bad setting: no or an invalid base URL (it must
     *     be absolute http or https, without user info, query or fragment), a token with control
     *     characters, a timeout that is not positive
     */
    public RunJournalClient build() {
      URI url = checkBaseUrl(baseUrl);
      if (token != null && token.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
        throw new IllegalArgumentException("token contains whitespace or control characters");
      }
      requirePositive("connectTimeout", connectTimeout);
      requirePositive("requestTimeout", requestTimeout);
      if (idleTimeout == null || idleTimeout.isNegative()) {
        throw new IllegalArgumentException("idleTimeout must be >= 0, got " + idleTimeout);
      }
      return new RunJournalClient(this, url);
    }

    private static URI checkBaseUrl(String text) {
      if (text == null) {
        throw new IllegalArgumentException("baseUrl is required");
      }
      URI url;
      try {
        url = URI.create(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "baseUrl is not a valid URL"); // the text may hold secrets
      }
      if (url.getRawUserInfo() != null) {
        throw new IllegalArgumentException(
            "baseUrl must not carry user info; use token(...) for credentials");
      }
      String scheme =
          url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
        throw new IllegalArgumentException(
            "baseUrl must be an absolute http:// or https:// URL, got " + text);
      }
      if (url.getRawQuery() != null || url.getRawFragment() != null) {
        throw new IllegalArgumentException(
            "baseUrl must not have a query or fragment, got " + text);
      }
      String withoutSlash = url.toString().replaceAll("/+$", "");
      return URI.create(withoutSlash);
    }

    private static void requirePositive(String name, Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
    }

    /** The settings, without the token. */
    @Override
    public String toString() {
      return "RunJournalClient.Builder["
          + baseUrl
          + (token != null ? ", token=<redacted>" : "")
          + "]";
    }
  }
}
