package io.runjournal.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.runjournal.Journal;
import io.runjournal.RunInfo;
import io.runjournal.internal.json.Timestamps;
import io.runjournal.projection.RunProjection;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * Writes a run as an export bundle, streamed, whatever its length:
 *
 * <pre>{@code
 * {"format":"runjournal.export/v1","exportedAt":"…","run":"pipe-01","projection":{…},
 *  "metrics":{"eventCount":7,"bytes":1432,"durationMs":5120},"events":[…],"branches":{"main":7}}
 * }</pre>
 *
 * <ul>
 *   <li>{@code projection}: the run's summary (DESIGN §8), as {@code GET /v1/runs/{run}} gives it;
 *   <li>{@code metrics}: the run's journal when the export starts: {@code eventCount} its events
 *       (all branches), {@code bytes} the size of its complete lines, {@code durationMs} the run's
 *       duration (null when unknown); the same whatever {@code events} and {@code limit} say, so
 *       that a reader sees what a partial export left out;
 *   <li>{@code events}: every event of every branch in journal order, each the journal's canonical
 *       line written as it is (never re-encoded), at most {@code limit} of them, never more than
 *       {@code metrics.eventCount} (a run still being appended to is exported as it was when the
 *       export started); absent with {@code events=false};
 *   <li>{@code branches}: the head of every branch among the exported events (with {@code
 *       events=false}, among the events an export with events would hold): what the run has after
 *       importing the bundle.
 * </ul>
 *
 * Stateless and thread-safe.
 */
public final class RunExport {
  /** The bundle format tag. */
  public static final String FORMAT = "runjournal.export/v1";

  private static final JsonFactory JSON =
      JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

  private RunExport() {}

  /**
   * What an export wrote.
   *
   * @param events how many events the bundle holds (0 with {@code events=false})
   * @param branches the bundle's {@code branches}
   */
  public record Written(long events, Map<String, Long> branches) {
    /** Copies the map. */
    public Written {
      branches = Map.copyOf(branches);
    }
  }

  /**
   * Writes the bundle of {@code projection.run()} to {@code out} (not closed).
   *
   * @param projection the run's projection, caught up with its journal
   * @param progress told the number of events written so far after each event
   * @throws IOException if writing to {@code out} fails
   */
  public static Written write(
      Journal journal,
      RunProjection projection,
      ExportOptions options,
      Instant exportedAt,
      OutputStream out,
      LongConsumer progress)
      throws IOException {
    String run = projection.run();
    RunInfo info = journal.info(run);
    long maxEvents = Math.min(options.limit(), info.eventCount());
    Map<String, Long> branches = new TreeMap<>();
    long[] written = {0};
    try (JsonGenerator gen = JSON.createGenerator(out)) {
      gen.writeStartObject();
      gen.writeStringField("format", FORMAT);
      gen.writeStringField("exportedAt", Timestamps.format(exportedAt.toEpochMilli()));
      gen.writeStringField("run", run);
      gen.writeFieldName("projection");
      projection.writeJson(gen);
      gen.writeObjectFieldStart("metrics");
      gen.writeNumberField("eventCount", info.eventCount());
      gen.writeNumberField("bytes", info.journalBytes());
      Long duration = projection.durationMs();
      if (duration == null) {
        gen.writeNullField("durationMs");
      } else {
        gen.writeNumberField("durationMs", duration);
      }
      gen.writeEndObject();
      if (options.events()) {
        gen.writeArrayFieldStart("events");
        try {
          journal.forEachEvent(
              run,
              maxEvents,
              event -> {
                try {
                  gen.writeRawValue(event.line());
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
                branches.put(event.branch(), event.seq());
                progress.accept(++written[0]);
              });
        } catch (UncheckedIOException e) {
          throw e.getCause();
        }
        gen.writeEndArray();
      } else if (maxEvents < info.eventCount()) {
        journal.forEachEvent(run, maxEvents, event -> branches.put(event.branch(), event.seq()));
      } else {
        branches.putAll(info.heads());
      }
      gen.writeObjectFieldStart("branches");
      for (Map.Entry<String, Long> head : branches.entrySet()) {
        gen.writeNumberField(head.getKey(), head.getValue());
      }
      gen.writeEndObject();
      gen.writeEndObject();
    }
    return new Written(written[0], branches);
  }
}
