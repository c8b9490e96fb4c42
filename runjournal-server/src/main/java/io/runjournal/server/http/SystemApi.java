package io.runjournal.server.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.BooleanSupplier;

/** {@code /healthz}, {@code /readyz}, {@code /metrics} and {@code /openapi.json}. */
public final class SystemApi {
  private final ServerMetrics metrics;
  private final BooleanSupplier ready;
  private final byte[] openApi;

  /**
   * @param metrics the meters to scrape
   * @param ready whether the server is ready (false during start-up recovery and shutdown)
   */
  public SystemApi(ServerMetrics metrics, BooleanSupplier ready) throws IOException {
    this.metrics = metrics;
    this.ready = ready;
    try (InputStream in = SystemApi.class.getResourceAsStream("/openapi.json")) {
      if (in == null) {
        throw new IOException("openapi.json is missing from the server's resources");
      }
      this.openApi = in.readAllBytes();
    }
  }

  /** Liveness: the process serves requests. */
  public void health(Context ctx) {
    ctx.contentType("application/json").result("{\"status\":\"ok\"}");
  }

  /** Readiness: 200 once the journal is open (and recovery done), 503 otherwise. */
  public void ready(Context ctx) {
    if (ready.getAsBoolean()) {
      ctx.contentType("application/json").result("{\"ready\":true}");
    } else {
      ctx.status(503).contentType("application/json").result("{\"ready\":false}");
    }
  }

  /** The Prometheus text exposition. */
  public void metrics(Context ctx) {
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
  }

  /** The OpenAPI 3.1 document. */
  public void openApi(Context ctx) {
    ctx.contentType("application/json").result(openApi);
  }
}
