package io.runjournal.server.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.runjournal.Journal;
import io.runjournal.projection.FileSnapshots;
import io.runjournal.projection.RunComparison;
import io.runjournal.projection.RunProjection;
import io.runjournal.projection.RunProjections;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Readable forms of run projections and comparisons for {@code ls -l}, {@code show} and {@code
 * compare}. Both sources give the same JSON (a server's summary, or the projection folded here from
 * the data directory), so one formatter serves the local and the {@code --server} paths and their
 * output is identical.
 */
final class RunViews {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunViews() {}

  /**
   * The projections of a data directory, read-only: snapshots are used when they match the journal,
   * never written (the CLI may run beside a server that owns them).
   */
  static RunProjections projections(Journal journal, Path dataDir) {
    FileSnapshots files = new FileSnapshots(dataDir);
    return new RunProjections(
        journal,
        new RunProjections.Snapshots() {
          @Override
          public Optional<RunProjections.Snapshot> load(String run) {
            return files.load(run);
          }

          @Override
          public void save(RunProjections.Snapshot snapshot) {}
        },
        1024);
  }

  /** A projection as the API's summary JSON. */
  static JsonNode json(RunProjection projection) {
    return tree(projection::writeJson);
  }

  /** The comparison of two local runs as the API's JSON. */
  static JsonNode compare(Journal journal, RunProjections projections, String left, String right) {
    return tree(RunComparison.of(journal, projections, left, right)::writeJson);
  }

  /** What {@code writer} writes, as a tree. */
  static JsonNode tree(JsonWriter writer) {
    TokenBuffer buffer = new TokenBuffer(JSON, false);
    try {
      writer.write(buffer);
      return JSON.readTree(buffer.asParser());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes one JSON value. */
  interface JsonWriter {
    void write(JsonGenerator gen) throws IOException;
  }

  // ------------------------------------------------------------------ ls -l

  /** The header of {@code ls --long}. */
  static List<String> table(List<JsonNode> summaries) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"RUN", "STATUS", "PROGRESS", "DURATION", "EVENTS", "LAST EVENT"});
    for (JsonNode summary : summaries) {
      rows.add(
          new String[] {
            summary.path("id").asText(),
            summary.path("status").asText(),
            percent(summary.path("progress")),
            duration(summary.get("durationMs")),
            Long.toString(summary.path("eventCount").asLong()),
            summary.path("lastEventAt").asText("-")
          });
    }
    int[] widths = new int[rows.getFirst().length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        boolean number = i == 4;
        String cell = row[i];
        String padding = " ".repeat(widths[i] - cell.length());
        line.append(number ? padding + cell : i == row.length - 1 ? cell : cell + padding);
        if (i < row.length - 1) {
          line.append("  ");
        }
      }
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }

  static String percent(JsonNode progress) {
    if (progress == null || !progress.has("percent")) {
      return "-";
    }
    double percent = progress.get("percent").asDouble();
    return percent == Math.rint(percent)
        ? String.format(Locale.ROOT, "%.0f%%", percent)
        : String.format(Locale.ROOT, "%.1f%%", percent);
  }

  /** {@code 850ms}, {@code 4.2s}, {@code 3m04s}, {@code 2h05m}, or {@code -}. */
  static String duration(JsonNode millis) {
    if (millis == null || !millis.canConvertToLong()) {
      return "-";
    }
    long ms = millis.asLong();
    String sign = ms < 0 ? "-" : "";
    ms = Math.abs(ms);
    if (ms < 1000) {
      return sign + ms + "ms";
    }
    if (ms < 60_000) {
      return sign + String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }
    long seconds = ms / 1000;
    if (seconds < 3600) {
      return sign + String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
    return sign + String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
  }

  // ------------------------------------------------------------------ show

  /** {@code show}: one field per line. */
  static List<String> show(JsonNode summary) {
    List<String> lines = new ArrayList<>();
    String status = summary.path("status").asText();
    if (summary.has("endedBy")) {
      status += " (" + summary.get("endedBy").asText() + ")";
    }
    field(lines, "run", summary.path("id").asText());
    field(lines, "status", status);
    field(lines, "created", summary.path("createdAt").asText("-"));
    field(lines, "started", summary.path("startedAt").asText("-"));
    field(lines, "ended", summary.path("endedAt").asText("-"));
    field(lines, "duration", duration(summary.get("durationMs")));
    field(lines, "events", summary.path("eventCount").asLong() + heads(summary.path("head")));
    field(lines, "progress", progress(summary.path("progress")));
    field(lines, "participants", list(summary.path("participants")));
    field(lines, "signals", counts(summary.path("signals")));
    field(lines, "confidence", summary.has("confidence") ? number(summary.get("confidence")) : "-");
    field(lines, "error", summary.has("error") ? summary.get("error").toString() : "-");
    field(lines, "meta", summary.has("meta") ? summary.get("meta").toString() : "-");
    field(lines, "types", counts(summary.path("countsByType")));
    field(lines, "last event", summary.path("lastEventAt").asText("-"));
    field(lines, "malformed", Long.toString(summary.path("malformedLines").asLong()));
    return lines;
  }

  private static void field(List<String> lines, String name, String value) {
    lines.add(String.format(Locale.ROOT, "%-13s%s", name, value));
  }

  private static String heads(JsonNode heads) {
    List<String> parts = new ArrayList<>();
    heads.properties().forEach(head -> parts.add(head.getKey() + " " + head.getValue().asLong()));
    return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
  }

  private static String progress(JsonNode progress) {
    if (progress.isMissingNode() || progress.isNull()) {
      return "-";
    }
    if (progress.has("completed") && progress.has("total")) {
      return number(progress.get("completed"))
          + "/"
          + number(progress.get("total"))
          + (progress.has("percent") ? " (" + percent(progress) + ")" : "");
    }
    return percent(progress);
  }

  private static String list(JsonNode values) {
    List<String> parts = new ArrayList<>();
    values.forEach(value -> parts.add(value.asText()));
    return parts.isEmpty() ? "-" : String.join(", ", parts);
  }

  private static String counts(JsonNode counts) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : counts.properties()) {
      parts.add(entry.getKey() + " " + entry.getValue().asLong());
    }
    return parts.isEmpty() ? "-" : String.join(", ", parts);
  }

  private static String number(JsonNode value) {
    return value.isIntegralNumber() ? Long.toString(value.asLong()) : value.asText();
  }

  // ------------------------------------------------------------------ compare

  /** {@code compare}: a readable diff, left → right. */
  static List<String> compare(JsonNode diff) {
    List<String> lines = new ArrayList<>();
    String left = diff.path("left").asText();
    String right = diff.path("right").asText();
    lines.add("left  " + left);
    lines.add("right " + right);
    field(
        lines,
        "status",
        diff.at("/status/left").asText()
            + " → "
            + diff.at("/status/right").asText()
            + (diff.path("statusMatch").asBoolean() ? " (same)" : " (differs)"));
    field(
        lines,
        "duration",
        duration(diff.at("/durationMs/left"))
            + " → "
            + duration(diff.at("/durationMs/right"))
            + delta(diff.get("durationDeltaMs"), true));
    field(lines, "confidence", deltaOnly(diff.get("confidenceDelta")));
    field(lines, "progress", deltaOnly(diff.get("progressDelta")));
    field(lines, "participants", setDiff(diff.path("participantsDiff")));
    field(lines, "signals", setDiff(diff.path("signalsDiff")));
    List<String> changed = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : diff.path("countsByTypeDiff").properties()) {
      JsonNode counts = entry.getValue();
      if (counts.path("delta").asLong() != 0) {
        changed.add(
            entry.getKey()
                + " "
                + counts.path("left").asLong()
                + " → "
                + counts.path("right").asLong());
      }
    }
    field(lines, "types", changed.isEmpty() ? "same counts" : String.join(", ", changed));
    JsonNode divergence = diff.get("firstDivergence");
    if (divergence == null || divergence.isNull()) {
      field(lines, "divergence", "none: the same sequence of event types");
    } else {
      field(
          lines,
          "divergence",
          "at event "
              + divergence.path("position").asLong()
              + ": "
              + orEnd(divergence.get("leftType"))
              + " ≠ "
              + orEnd(divergence.get("rightType")));
    }
    return lines;
  }

  private static String orEnd(JsonNode type) {
    return type == null || type.isNull() ? "(end)" : type.asText();
  }

  private static String delta(JsonNode value, boolean millis) {
    if (value == null || value.isNull()) {
      return "";
    }
    String text = millis ? duration(value) : number(value);
    return " (" + (value.asDouble() > 0 ? "+" : "") + text + ")";
  }

  private static String deltaOnly(JsonNode value) {
    if (value == null || value.isNull()) {
      return "- (not on both runs)";
    }
    return (value.asDouble() > 0 ? "+" : "") + number(value);
  }

  private static String setDiff(JsonNode diff) {
    List<String> parts = new ArrayList<>();
    diff.path("added").forEach(value -> parts.add("+" + value.asText()));
    diff.path("removed").forEach(value -> parts.add("-" + value.asText()));
    diff.path("common").forEach(value -> parts.add("=" + value.asText()));
    return parts.isEmpty() ? "-" : String.join("  ", parts);
  }
}
