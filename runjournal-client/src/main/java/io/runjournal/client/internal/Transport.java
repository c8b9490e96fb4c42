package io.runjournal.client.internal;

import io.runjournal.client.RetryPolicy;
import io.runjournal.client.RunJournalClientException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Sends the client's requests: the base URL, the headers every request carries (the bearer token
 * among them), the request timeout, and retries with {@link Backoff} as far as a request's {@link
 * Retry} mode allows. A request body is built once and sent unchanged by every attempt.
 * Thread-safe.
 */
public final class Transport {
  /** The statuses that say "try again later" (overload, or a gateway that lost the server). */
  private static final Set<Integer> RETRYABLE_STATUSES = Set.of(429, 502, 503, 504);

  /** The statuses that say the server surely did not process the request. */
  private static final Set<Integer> UNPROCESSED_STATUSES = Set.of(429, 503);

  private static final String USER_AGENT = "runjournal-java-client";

  /** Which failures a request may be retried after. */
  public enum Retry {
    /**
     * Idempotent requests (reads, and appends whose events all carry ids): after any I/O failure
     * and after 429, 502, 503, 504.
     */
    IDEMPOTENT,
    /**
     * Requests that must not run twice: only when the server surely did not get them, that is a
     * refused or timed-out connection, 429 or 503.
     */
    UNPROCESSED_ONLY
  }

  /** A response's status, content type and body. */
  public record Response(int status, String contentType, byte[] body) {}

  private final HttpClient http;
  private final URI baseUrl;
  private final String authorization;
  private final Duration requestTimeout;
  private final RetryPolicy retryPolicy;
  private final Problems problems;
  private final RandomGenerator random;

  /**
   * A transport to {@code baseUrl} (no trailing slash).
   *
   * @param token the bearer token, or null
   */
  public Transport(
      HttpClient http,
      URI baseUrl,
      String token,
      Duration requestTimeout,
      RetryPolicy retryPolicy,
      RandomGenerator random) {
    this.http = http;
    this.baseUrl = baseUrl;
    this.authorization = token == null ? null : "Bearer " + token;
    this.requestTimeout = requestTimeout;
    this.retryPolicy = retryPolicy;
    this.problems = new Problems(Redactor.of(token));
    this.random = random;
  }

  /** The problem mapper of this transport (its messages are redacted). */
  public Problems problems() {
    return problems;
  }

  /** The absolute URI of a path and query ({@code /v1/runs?limit=10}). */
  public URI uri(String pathAndQuery) {
    return URI.create(baseUrl + pathAndQuery);
  }

  /**
   * A request to {@code uri} with the common headers and the request timeout (which bounds the wait
   * for the response's headers, not the reading of a stream).
   */
  public HttpRequest.Builder request(URI uri, String accept) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout)
            .header("Accept", accept)
            .header("User-Agent", USER_AGENT);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return request;
  }

  /**
   * Sends a request, retrying as {@code retry} allows, and returns a response whose status is 2xx
   * or one of {@code accepted}.
   *
   * @param body the JSON body, or null for none
   * @throws RunJournalClientException for any other status (mapped from the problem), or when the
   *     attempts are used up, or when the thread is interrupted
   */
  public Response send(
      String method, String pathAndQuery, byte[] body, Retry retry, Set<Integer> accepted) {
    URI uri = uri(pathAndQuery);
    String description = method + " " + uri;
    HttpRequest.Builder builder = request(uri, "application/json");
    if (body != null) {
      builder.header("Content-Type", "application/json");
    }
    HttpRequest request =
        builder
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    for (int attempt = 1; ; attempt++) {
      boolean last = attempt >= retryPolicy.maxAttempts();
      HttpResponse<byte[]> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        if (last || !retryable(retry, e)) {
          throw problems.fromIOException(description, attempt, e);
        }
        pause(description, backoff(attempt), null);
        continue;
      } catch (InterruptedException e) {
        throw Problems.interrupted(description, e);
      }
      int status = response.statusCode();
      if (status / 100 == 2 || accepted.contains(status)) {
        return new Response(status, contentType(response), response.body());
      }
      if (last || !retryable(retry, status)) {
        throw problems.fromResponse(description, status, contentType(response), response.body());
      }
      pause(description, backoff(attempt), retryAfter(response));
    }
  }

  /**
   * GETs {@code pathAndQuery} and copies the response body to {@code out} as it arrives, retrying
   * like an idempotent request until a 2xx response starts (nothing is retried once bytes are
   * written).
   *
   * @return how many bytes were copied
   * @throws RunJournalClientException for an error status, a failure to connect after the retries,
   *     or a stream that breaks off (or an {@code out} that fails) while copying
   */
  public long download(String pathAndQuery, OutputStream out) {
    URI uri = uri(pathAndQuery);
    String description = "GET " + uri;
    HttpRequest request = request(uri, "application/json, application/x-ndjson").GET().build();
    for (int attempt = 1; ; attempt++) {
      boolean last = attempt >= retryPolicy.maxAttempts();
      HttpResponse<InputStream> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        if (last) {
          throw problems.fromIOException(description, attempt, e);
        }
        pause(description, backoff(attempt), null);
        continue;
      } catch (InterruptedException e) {
        throw Problems.interrupted(description, e);
      }
      int status = response.statusCode();
      try (InputStream body = response.body()) {
        if (status / 100 == 2) {
          return body.transferTo(out);
        }
        byte[] error = body.readAllBytes();
        if (last || !RETRYABLE_STATUSES.contains(status)) {
          throw problems.fromResponse(description, status, contentType(response), error);
        }
      } catch (IOException e) {
        throw problems.fromIOException(description, attempt, e);
      }
      pause(description, backoff(attempt), retryAfter(response));
    }
  }

  /** Sends a request whose response body is streamed (SSE); no retries: the caller reconnects. */
  public HttpResponse<InputStream> stream(HttpRequest request)
      throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
  }

  /** The content type of a response, or null. */
  public static String contentType(HttpResponse<?> response) {
    return response.headers().firstValue("Content-Type").orElse(null);
  }

  private static boolean retryable(Retry retry, IOException e) {
    return retry == Retry.IDEMPOTENT
        || e instanceof ConnectException
        || e instanceof HttpConnectTimeoutException;
  }

  private static boolean retryable(Retry retry, int status) {
    return (retry == Retry.IDEMPOTENT ? RETRYABLE_STATUSES : UNPROCESSED_STATUSES).contains(status);
  }

  private Duration backoff(int failures) {
    return Backoff.delay(retryPolicy.initialBackoff(), retryPolicy.maxBackoff(), failures, random);
  }

  /** A {@code Retry-After} given in seconds, capped at the policy's longest backoff. */
  private Duration retryAfter(HttpResponse<?> response) {
    OptionalLong seconds = OptionalLong.empty();
    String value = response.headers().firstValue("Retry-After").orElse("").strip();
    if (!value.isEmpty() && value.chars().allMatch(Character::isDigit) && value.length() < 10) {
      seconds = OptionalLong.of(Long.parseLong(value));
    }
    if (seconds.isEmpty()) {
      return null;
    }
    Duration asked = Duration.ofSeconds(seconds.getAsLong());
    return asked.compareTo(retryPolicy.maxBackoff()) > 0 ? retryPolicy.maxBackoff() : asked;
  }

  private static void pause(String description, Duration backoff, Duration retryAfter) {
    Duration wait = retryAfter != null && retryAfter.compareTo(backoff) > 0 ? retryAfter : backoff;
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      throw Problems.interrupted(description, e);
    }
  }
}
