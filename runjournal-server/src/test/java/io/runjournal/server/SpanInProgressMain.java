package io.runjournal.server;

import io.runjournal.FsyncPolicy;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.logging.Attributes;
import io.runjournal.logging.Logger;
import io.runjournal.logging.Logging;
import io.runjournal.logging.Sinks;
import io.runjournal.logging.Span;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A child JVM that dies inside a span: it opens span {@code tool.call} on run {@code run} through a
 * run sink, logs in it, opens and closes a child span {@code http.get} inside it, prints {@code
 * READY <spanId>}, then waits to be killed without closing {@code tool.call}. If its parent goes
 * away first (its stdin ends) it halts, still without closing the span.
 *
 * <p>Arguments: {@code dataDir run}.
 */
public final class SpanInProgressMain {
  private SpanInProgressMain() {}

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws IOException {
    // fsync none: a killed process loses nothing the kernel already has, and that is the point.
    Journal journal =
        Journal.open(Path.of(args[0]), JournalOptions.defaults().withFsync(FsyncPolicy.NONE));
    Logging logging = Logging.builder().sink(Sinks.run(journal, args[1])).build();
    Logger log = logging.logger("agent");
    Span span = log.span("tool.call", Attributes.of("tool", "search"));
    span.logger().info("working", Attributes.of("step", 1));
    try (Span child = span.logger().span("http.get")) {
      child.setAttribute("status", 200);
    }
    logging.flush();
    System.out.println("READY " + span.spanId());
    System.out.flush();
    System.in.read(); // returns only when the parent closes the pipe or dies
    Runtime.getRuntime().halt(3);
  }
}
