package io.runjournal.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.runjournal.server.trace.OtlpJson;
import io.runjournal.server.trace.TraceJson;
import io.runjournal.trace.Trace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The readable form of a trace for {@code runjournal trace}: one line per span ({@code name 132 ms
 * ok [source]}, {@code … unfinished} while open) and per log ({@code level msg}), indented under
 * the span they belong to, in time order. Both sources give the same tree JSON (the server's
 * answer, or the trace read here from the data directory), so the output of the local and the
 * {@code --server} paths is identical.
 */
final class TraceView {
  private static final String INDENT = "  ";

  /** Logs and spans of one level in time order; at the same time a log comes first. */
  private static final Comparator<JsonNode> BY_TIME =
      Comparator.comparing(TraceView::time).thenComparing(node -> node.has("spanId") ? 1 : 0);

  private TraceView() {}

  /** A local trace as the API's tree JSON. */
  static JsonNode json(Trace trace) {
    return RunViews.tree(gen -> TraceJson.write(trace, gen));
  }

  /** A local trace as the API's OTLP/JSON. */
  static JsonNode otlp(Trace trace) {
    return RunViews.tree(gen -> OtlpJson.write(trace, gen));
  }

  /** The tree JSON as lines: a header, then the roots and the logs outside any span. */
  static List<String> lines(JsonNode trace) {
    List<String> lines = new ArrayList<>();
    lines.add(header(trace));
    level(trace.path("roots"), trace.path("unattachedLogs"), "", lines);
    return lines;
  }

  private static String header(JsonNode trace) {
    StringBuilder header =
        new StringBuilder("trace ")
            .append(trace.path("traceId").asText())
            .append("  run ")
            .append(trace.path("run").asText())
            .append("  branch ")
            .append(trace.path("branch").asText())
            .append("  ")
            .append(count(trace.path("spans").asLong(), "span"))
            .append(" (")
            .append(trace.path("unfinished").asLong())
            .append(" unfinished), ")
            .append(count(trace.path("logs").asLong(), "log"));
    long malformed = trace.path("malformedRecords").asLong();
    if (malformed > 0) {
      header.append(", ").append(count(malformed, "malformed record")).append(" left out");
    }
    return header.toString();
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** The spans and logs of one level, merged in time order, each span followed by its own. */
  private static void level(JsonNode spans, JsonNode logs, String indent, List<String> lines) {
    List<JsonNode> entries = new ArrayList<>();
    spans.forEach(entries::add);
    logs.forEach(entries::add);
    entries.sort(BY_TIME);
    for (JsonNode entry : entries) {
      if (entry.has("spanId") && entry.has("finished")) {
        lines.add(indent + span(entry));
        level(entry.path("children"), entry.path("logs"), indent + INDENT, lines);
      } else {
        lines.add(indent + entry.path("level").asText() + " " + entry.path("msg").asText());
      }
    }
  }

  private static String span(JsonNode span) {
    StringBuilder line = new StringBuilder(span.path("name").asText()).append("  ");
    if (span.path("finished").asBoolean()) {
      line.append(span.path("durationMs").asLong()).append(" ms  ");
      line.append(span.path("status").asText());
      if (span.has("error")) {
        line.append(": ").append(span.path("error").asText());
      }
    } else {
      line.append("… unfinished");
    }
    return line.append("  [").append(span.path("source").asText()).append(']').toString();
  }

  /** When a span started or a log was logged. */
  private static String time(JsonNode entry) {
    return entry.has("start") ? entry.path("start").asText() : entry.path("timestamp").asText();
  }
}
