package io.runjournal.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Every failure of a {@link RunJournalClient} call. An HTTP error carries the server's RFC 9457
 * problem: {@link #status()}, the short {@link #type()} slug ({@code sequence-conflict}, {@code
 * id-conflict}, {@code run-ended}, {@code not-found}, {@code invalid-run-id}, {@code
 * payload-too-large}, {@code unauthorized}, {@code forbidden}, …), {@link #detail()} and the
 * problem's other fields ({@link #field}). A response that is not a problem gets type {@code
 * about:blank} and a message with the status and the first bytes of the body.
 *
 * <p>Failures without an HTTP response have status 0 and a client-side type: {@code
 * connection-failed} (the request could not be sent or its response read), {@code timeout}, {@code
 * interrupted} (the calling thread was interrupted; its interrupt flag is set again), {@code
 * invalid-response} (a success response the client cannot read), {@code invalid-run-id} (a run id
 * the client refuses to put into a URL).
 *
 * <p>Messages never contain the client's bearer token.
 */
public class RunJournalClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The type of an HTTP error whose body is not a problem document (RFC 9457's default). */
  public static final String UNTYPED = "about:blank";

  private final int status;
  private final String type;
  private final String detail;
  private final transient JsonNode problem;

  /**
   * A failure.
   *
   * @param message the full message
   * @param status the HTTP status, or 0 when there was no response
   * @param type the problem type slug
   * @param detail the problem's detail, or null
   * @param problem the problem document, or null
   * @param cause the underlying exception, or null
   */
  public RunJournalClientException(
      String message, int status, String type, String detail, JsonNode problem, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.type = type;
    this.detail = detail;
    this.problem = problem;
  }

  /** The HTTP status, or 0 when the failure got no response. */
  public int status() {
    return status;
  }

  /** The problem type slug, such as {@code sequence-conflict}. */
  public String type() {
    return type;
  }

  /** The problem's human-readable detail, or null; for a failure without response its message. */
  public String detail() {
    return detail;
  }

  /** The problem document the server sent, or null when there was none. */
  public JsonNode problem() {
    return problem;
  }

  /** A field of the problem document (such as {@code expected}), or null when absent. */
  public JsonNode field(String name) {
    return problem == null ? null : problem.get(name);
  }
}
