package io.runjournal.server.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error handler for requests refused before they reach a route: a malformed target (a
 * {@code %00} or an invalid UTF-8 escape in the path or query), bad framing, a request line that is
 * too long. They are answered with the same problem+json as every other error, and counted, instead
 * of Jetty's HTML page (which also echoed the whole request target). Thread-safe.
 */
public final class JettyErrors extends ErrorHandler {
  private final ProblemWriter problems;
  private final ServerMetrics metrics;

  /** Renders with {@code problems} and counts in {@code metrics}. */
  public JettyErrors(ProblemWriter problems, ServerMetrics metrics) {
    this.problems = problems;
    this.metrics = metrics;
  }

  /** Every method gets a body, not only GET, POST and HEAD (Jetty's default). */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    byte[] body = render(code, message);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, ProblemWriter.PROBLEM_JSON);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(/* last= */ true, ByteBuffer.wrap(body), callback);
  }

  private byte[] render(int status, String message) {
    String detail = message == null ? HttpStatus.getMessage(status) : Params.clip(message);
    Problem problem = ProblemWriter.fromStatus(status, detail);
    metrics.error(problem);
    return problems.render(problem);
  }
}
