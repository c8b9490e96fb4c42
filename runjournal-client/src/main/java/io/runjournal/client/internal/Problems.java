package io.runjournal.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.runjournal.client.RunJournalClientException;
import io.runjournal.client.SequenceConflictException;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Turns failed exchanges into {@link RunJournalClientException}s: an RFC 9457 problem into its
 * status, type, detail and fields; anything else into a message with the status and the first bytes
 * of the body. Every message passes through a {@link Redactor}, so the bearer token never shows.
 * Thread-safe.
 */
public final class Problems {
  private static final int SNIPPET_BYTES = 200;

  private final Redactor redactor;

  /** Problems whose messages are cleaned by {@code redactor}. */
  public Problems(Redactor redactor) {
    this.redactor = redactor;
  }

  /**
   * The exception for an error response.
   *
   * @param request what was asked, {@code METHOD URL}, for the message
   * @param contentType the response's content type, or null
   */
  public RunJournalClientException fromResponse(
      String request, int status, String contentType, byte[] body) {
    JsonNode problem = isJson(contentType) ? JsonCodec.treeOrNull(body) : null;
    if (problem == null || !problem.isObject()) {
      String message = "HTTP " + status + " from " + request;
      if (body.length > 0) {
        message += ": " + snippet(body);
      }
      return new RunJournalClientException(
          redactor.clean(message), status, RunJournalClientException.UNTYPED, null, null, null);
    }
    String type = slug(problem.path("type").asText(RunJournalClientException.UNTYPED));
    String detail = textOrNull(problem, "detail");
    String title = textOrNull(problem, "title");
    String lead = detail != null ? detail : title != null ? title : "HTTP " + status;
    String message =
        redactor.clean(lead + " (HTTP " + status + " " + type + " from " + request + ")");
    detail = detail == null ? null : redactor.clean(detail);
    if (type.equals("sequence-conflict")) {
      return new SequenceConflictException(
          message,
          status,
          detail,
          problem,
          problem.path("expected").asLong(-1),
          problem.path("actual").asLong(-1));
    }
    return new RunJournalClientException(message, status, type, detail, problem, null);
  }

  /** The exception for a request that got no usable response after {@code attempts} attempts. */
  public RunJournalClientException fromIOException(String request, int attempts, IOException e) {
    String type = e instanceof HttpTimeoutException ? "timeout" : "connection-failed";
    String tries = attempts == 1 ? "" : " after " + attempts + " attempts";
    String message = redactor.clean(request + " failed" + tries + ": " + describe(e));
    return new RunJournalClientException(message, 0, type, message, null, e);
  }

  /** The exception for a success response the client cannot read. */
  public RunJournalClientException invalidResponse(
      String request, byte[] body, InvalidResponseException e) {
    String message =
        redactor.clean(
            "invalid response to "
                + request
                + ": "
                + e.getMessage()
                + " (body: "
                + snippet(body)
                + ")");
    return new RunJournalClientException(message, 0, "invalid-response", message, null, e);
  }

  /** The exception for a thread interrupted while it waited; re-sets its interrupt flag. */
  public static RunJournalClientException interrupted(String request, InterruptedException e) {
    Thread.currentThread().interrupt();
    String message = request + " was interrupted";
    return new RunJournalClientException(message, 0, "interrupted", message, null, e);
  }

  /** An exception's class and message, and those of its causes when it has no message. */
  static String describe(Throwable error) {
    StringBuilder text = new StringBuilder(error.getClass().getSimpleName());
    Throwable cause = error;
    while (cause.getMessage() == null && cause.getCause() != null) {
      cause = cause.getCause();
      text.append(": ").append(cause.getClass().getSimpleName());
    }
    if (cause.getMessage() != null) {
      text.append(": ").append(cause.getMessage());
    }
    return text.toString();
  }

  private static boolean isJson(String contentType) {
    return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("json");
  }

  /** A short slug from a problem type, which may be given as a URI ending in the slug. */
  private static String slug(String type) {
    if (type.isBlank()) {
      return RunJournalClientException.UNTYPED;
    }
    if (type.equals(RunJournalClientException.UNTYPED)) {
      return type;
    }
    int slash = type.lastIndexOf('/');
    return slash >= 0 && slash < type.length() - 1 ? type.substring(slash + 1) : type;
  }

  private static String textOrNull(JsonNode json, String field) {
    JsonNode value = json.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  /** The first bytes of a body as one line of text. */
  static String snippet(byte[] body) {
    int length = Math.min(body.length, SNIPPET_BYTES);
    String text = new String(body, 0, length, StandardCharsets.UTF_8);
    StringBuilder line = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      line.append(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    if (body.length > length) {
      line.append("…(").append(body.length).append(" bytes)");
    }
    return line.toString().strip();
  }
}
