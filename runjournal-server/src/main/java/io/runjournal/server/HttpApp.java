package io.runjournal.server;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.staticfiles.Location;
import io.runjournal.server.auth.Authenticator;
import io.runjournal.server.auth.Scope;
import io.runjournal.server.http.JettyErrors;
import io.runjournal.server.http.Problem;
import io.runjournal.server.http.ProblemWriter;
import io.runjournal.server.http.Route;
import io.runjournal.server.http.ServerMetrics;
import java.util.List;

/**
 * The server's Javalin application: virtual threads, the routes behind auth (and, for writes, a
 * gate that refuses them until the server can take them), the static assets, and every error as
 * {@code application/problem+json}.
 */
final class HttpApp {
  private HttpApp() {}

  /**
   * A Javalin application, not started yet, serving {@code routes}.
   *
   * @param beforeWrite runs before each route that needs scope append or admin, after auth; it
   *     throws a {@link Problem} (503) to refuse the write
   */
  static Javalin create(
      ServerConfig config,
      List<Route> routes,
      Authenticator auth,
      ProblemWriter problems,
      ServerMetrics metrics,
      Runnable beforeWrite) {
    return Javalin.create(
        cfg -> {
          cfg.concurrency.useVirtualThreads = true;
          cfg.startup.showJavalinBanner = false;
          cfg.startup.showOldJavalinVersionWarning = false;
          cfg.http.compressionStrategy = CompressionStrategy.NONE;
          cfg.http.maxRequestSize = config.limits().maxRequestBytes();
          cfg.staticFiles.add("/public", Location.CLASSPATH);
          cfg.jetty.modifyServer(
              server -> server.setErrorHandler(new JettyErrors(problems, metrics)));
          for (Route route : routes) {
            cfg.routes.addHttpHandler(
                route.method(),
                route.path(),
                ctx -> {
                  if (route.scope() != null) {
                    auth.require(ctx, route.scope());
                  }
                  if (route.scope() != null && route.scope().includes(Scope.APPEND)) {
                    beforeWrite.run();
                  }
                  route.handler().handle(ctx);
                });
          }
          cfg.routes.exception(
              Exception.class,
              (error, ctx) -> {
                Problem problem = problems.toProblem(error);
                metrics.error(problem);
                problems.write(ctx, problem);
              });
          cfg.routes.error(
              404,
              ctx -> {
                String type = ctx.res().getContentType();
                if (type == null || !type.startsWith(ProblemWriter.PROBLEM_JSON)) {
                  Problem problem = Problem.notFound("no such endpoint: " + ctx.path());
                  metrics.error(problem);
                  problems.write(ctx, problem);
                }
              });
        });
  }
}
