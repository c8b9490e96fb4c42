package io.runjournal.projection;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runjournal.internal.json.Timestamps;
import io.runjournal.model.Event;
import io.runjournal.model.EventTypes;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a run is, folded from its events (DESIGN §8): status, times, heads, counts, progress,
 * participants, signals, confidence, error and the creation meta.
 *
 * <p>Folding is incremental ({@link #apply}) and order-sensitive only where the design says
 * "latest" (progress, confidence). The rules where DESIGN.md is silent:
 *
 * <ul>
 *   <li>{@code pending} until the first event other than {@code run.created}; a terminal event sets
 *       the final status ({@code run.completed} → {@code succeeded}, {@code run.failed} → {@code
 *       failed}, {@code run.cancelled} → {@code cancelled}, {@code run.interrupted} → {@code
 *       interrupted});
 *   <li>{@code createdAt} is the time of the earliest event ({@code run.created} when there is
 *       one); {@code startedAt} the time of the earliest event other than {@code run.created};
 *       {@code durationMs} runs from {@code startedAt} (else {@code createdAt}) to {@code endedAt},
 *       or to the last event while the run is open;
 *   <li>participants are {@code meta.agent} of any event and {@code data.id} (else {@code
 *       data.agent}, {@code data.name}, or {@code data} itself when it is a string) of {@code
 *       participant.seen}; signals are {@code data.name} (or a string {@code data}) of {@code
 *       signal.emitted};
 *   <li>{@code error} is {@code data.error}, else {@code data.message}, else {@code data} of {@code
 *       run.failed}; {@code meta} is the envelope {@code meta} of {@code run.created};
 *   <li>{@code progress} is the latest {@code progress.reported}: {@code {completed, total,
 *       percent}} (percent derived) or {@code {percent}}.
 * </ul>
 *
 * <p>Not thread-safe: one folder per run, guarded by its owner. {@link #copy()} gives a snapshot.
 */
public final class RunProjection {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String run;
  private String status = "pending";
  private String endedBy;
  private Long createdAt;
  private Long startedAt;
  private Long endedAt;
  private Long lastEventAt;
  private final TreeMap<String, Long> heads = new TreeMap<>();
  private long eventCount;
  private final TreeMap<String, Long> countsByType = new TreeMap<>();
  private ObjectNode progress;
  private final TreeSet<String> participants = new TreeSet<>();
  private final TreeMap<String, Long> signals = new TreeMap<>();
  private Double confidence;
  private EventKey progressFrom;
  private EventKey confidenceFrom;
  private String lastEventType;
  private EventKey lastEventFrom;
  private JsonNode error;
  private JsonNode meta;
  private long malformedLines;

  /**
   * Orders events across branches for the "latest" fields (progress, confidence): by time, then
   * branch name, then seq, so that the result does not depend on the order branches are folded in.
   */
  private record EventKey(long ts, String branch, long seq) implements Comparable<EventKey> {
    static EventKey of(Event event) {
      return new EventKey(event.tsMillis(), event.branch(), event.seq());
    }

    @Override
    public int compareTo(EventKey other) {
      int byTime = Long.compare(ts, other.ts);
      if (byTime != 0) {
        return byTime;
      }
      int byBranch = branch.compareTo(other.branch);
      return byBranch != 0 ? byBranch : Long.compare(seq, other.seq);
    }

    static boolean isNewer(EventKey candidate, EventKey current) {
      return current == null || candidate.compareTo(current) > 0;
    }
  }

  /** The projection of a run with no events. */
  public RunProjection(String run) {
    this.run = Objects.requireNonNull(run, "run");
  }

  /** Folds one event in. Events of one branch must come in seq order. */
  public void apply(Event event) {
    String type = event.type();
    long ts = event.tsMillis();
    eventCount++;
    heads.merge(event.branch(), event.seq(), Math::max);
    countsByType.merge(type, 1L, Long::sum);
    lastEventAt = lastEventAt == null ? ts : Math.max(lastEventAt, ts);
    EventKey key = EventKey.of(event);
    if (EventKey.isNewer(key, lastEventFrom)) {
      lastEventType = type;
      lastEventFrom = key;
    }
    // Earliest times, not first folded: branches may be folded in any order.
    createdAt = createdAt == null ? ts : Math.min(createdAt, ts);
    boolean terminal = EventTypes.isTerminal(type);
    if (!type.equals(EventTypes.RUN_CREATED)) {
      startedAt = startedAt == null ? ts : Math.min(startedAt, ts);
      if (!isFinal()) {
        status = "running";
      }
    }
    if (event.meta() != null && event.meta().contains("\"agent\"")) {
      JsonNode agent = parse(event.meta()).get("agent");
      if (agent != null && agent.isTextual() && !agent.asText().isEmpty()) {
        participants.add(agent.asText());
      }
    }
    switch (type) {
      case EventTypes.RUN_CREATED -> {
        if (event.meta() != null && meta == null) {
          meta = parse(event.meta());
        }
      }
      case "participant.seen" -> name(event, "id", "agent", "name").ifPresent(participants::add);
      case "signal.emitted" -> name(event, "name").ifPresent(s -> signals.merge(s, 1L, Long::sum));
      case "progress.reported" -> progress(event);
      case EventTypes.RUN_FAILED -> error = failure(event);
      default -> {
        if (type.startsWith("decision.") && event.data() != null) {
          JsonNode value = parse(event.data()).get("confidence");
          if (value != null && value.isNumber() && EventKey.isNewer(key, confidenceFrom)) {
            confidence = value.doubleValue();
            confidenceFrom = key;
          }
        }
      }
    }
    if (terminal && !isFinal()) {
      status = statusOf(type);
      endedBy = type;
      endedAt = ts;
    }
  }

  private boolean isFinal() {
    return endedAt != null;
  }

  /** The status a terminal event type gives. */
  public static String statusOf(String terminalType) {
    return switch (terminalType) {
      case EventTypes.RUN_COMPLETED -> "succeeded";
      case EventTypes.RUN_FAILED -> "failed";
      case EventTypes.RUN_CANCELLED -> "cancelled";
      case EventTypes.RUN_INTERRUPTED -> "interrupted";
      default -> throw new IllegalArgumentException(terminalType + " is not a terminal type");
    };
  }

  private static Optional<String> name(Event event, String... fields) {
    if (event.data() == null) {
      return Optional.empty();
    }
    JsonNode data = parse(event.data());
    if (data.isTextual()) {
      return Optional.of(data.asText()).filter(s -> !s.isEmpty());
    }
    for (String field : fields) {
      JsonNode value = data.get(field);
      if (value != null && value.isTextual() && !value.asText().isEmpty()) {
        return Optional.of(value.asText());
      }
    }
    return Optional.empty();
  }

  private void progress(Event event) {
    if (event.data() == null) {
      return;
    }
    JsonNode data = parse(event.data());
    JsonNode completed = data.get("completed");
    JsonNode total = data.get("total");
    JsonNode percent = data.get("percent");
    ObjectNode next = JsonNodeFactory.instance.objectNode();
    if (completed != null && completed.isNumber() && total != null && total.isNumber()) {
      next.set("completed", completed);
      next.set("total", total);
      if (total.doubleValue() > 0) {
        next.put("percent", round(100.0 * completed.doubleValue() / total.doubleValue()));
      }
    } else if (percent != null && percent.isNumber()) {
      next.put("percent", percent.doubleValue());
    } else {
      return;
    }
    EventKey key = EventKey.of(event);
    if (EventKey.isNewer(key, progressFrom)) {
      progress = next;
      progressFrom = key;
    }
  }

  private static double round(double value) {
    return Math.round(value * 100.0) / 100.0;
  }

  private static JsonNode failure(Event event) {
    if (event.data() == null) {
      return null;
    }
    JsonNode data = parse(event.data());
    if (data.has("error")) {
      return data.get("error");
    }
    if (data.has("message")) {
      return data.get("message");
    }
    return data;
  }

  /** Data and meta were validated at append, so they always parse; the guard is for hand edits. */
  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      return JsonNodeFactory.instance.nullNode();
    }
  }

  /** Records how many malformed lines the journal has (they are not events, so not folded). */
  public void setMalformedLines(long count) {
    malformedLines = count;
  }

  /** An independent copy. */
  public RunProjection copy() {
    RunProjection copy = new RunProjection(run);
    copy.status = status;
    copy.endedBy = endedBy;
    copy.createdAt = createdAt;
    copy.startedAt = startedAt;
    copy.endedAt = endedAt;
    copy.lastEventAt = lastEventAt;
    copy.heads.putAll(heads);
    copy.eventCount = eventCount;
    copy.countsByType.putAll(countsByType);
    copy.progress = progress == null ? null : progress.deepCopy();
    copy.participants.addAll(participants);
    copy.signals.putAll(signals);
    copy.confidence = confidence;
    copy.progressFrom = progressFrom;
    copy.lastEventType = lastEventType;
    copy.lastEventFrom = lastEventFrom;
    copy.confidenceFrom = confidenceFrom;
    copy.error = error == null ? null : error.deepCopy();
    copy.meta = meta == null ? null : meta.deepCopy();
    copy.malformedLines = malformedLines;
    return copy;
  }

  // ------------------------------------------------------------------ accessors

  /** The run id. */
  public String run() {
    return run;
  }

  /** pending, running, succeeded, failed, cancelled or interrupted. */
  public String status() {
    return status;
  }

  /** Whether a terminal event ended the run. */
  public boolean ended() {
    return endedAt != null;
  }

  /** The terminal event type that ended the run, or null while it is open. */
  public String endedBy() {
    return endedBy;
  }

  /** Milliseconds since the epoch, or null. */
  public Long createdAt() {
    return createdAt;
  }

  /** Milliseconds since the epoch, or null. */
  public Long startedAt() {
    return startedAt;
  }

  /** Milliseconds since the epoch, or null while the run is open. */
  public Long endedAt() {
    return endedAt;
  }

  /** Milliseconds since the epoch, or null without events. */
  public Long lastEventAt() {
    return lastEventAt;
  }

  /**
   * The type of the run's latest event (by time, then branch, then seq, across branches), or null
   * before its first event.
   */
  public String lastEventType() {
    return lastEventType;
  }

  /** From start (else creation) to the end, or to the last event while open; null if unknown. */
  public Long durationMs() {
    Long from = startedAt != null ? startedAt : createdAt;
    Long to = endedAt != null ? endedAt : lastEventAt;
    return from == null || to == null ? null : to - from;
  }

  /** The head of each branch with events. */
  public SortedMap<String, Long> heads() {
    return Collections.unmodifiableSortedMap(heads);
  }

  /** Events over all branches. */
  public long eventCount() {
    return eventCount;
  }

  /** Events by type. */
  public SortedMap<String, Long> countsByType() {
    return Collections.unmodifiableSortedMap(countsByType);
  }

  /** The latest progress, or null. */
  public JsonNode progress() {
    return progress;
  }

  /** The progress in percent, or null. */
  public Double progressPercent() {
    return progress == null || !progress.has("percent")
        ? null
        : progress.get("percent").doubleValue();
  }

  /** Distinct participants, sorted. */
  public SortedSet<String> participants() {
    return Collections.unmodifiableSortedSet(participants);
  }

  /** Signal names with counts. */
  public SortedMap<String, Long> signals() {
    return Collections.unmodifiableSortedMap(signals);
  }

  /** The latest confidence of a {@code decision.*} event, or null. */
  public Double confidence() {
    return confidence;
  }

  /** The error of {@code run.failed}, or null. */
  public JsonNode error() {
    return error;
  }

  /** The meta of {@code run.created}, or null. */
  public JsonNode meta() {
    return meta;
  }

  /** Malformed lines in the journal. */
  public long malformedLines() {
    return malformedLines;
  }

  // ------------------------------------------------------------------ JSON

  /** Writes the projection as the summary object of the API. */
  public void writeJson(JsonGenerator gen) throws IOException {
    writeJson(gen, false);
  }

  /**
   * Writes the projection; a snapshot also keeps which events the "latest" fields came from (as
   * {@code _latest}), so that folding on from it gives what folding from scratch gives.
   */
  public void writeJson(JsonGenerator gen, boolean snapshot) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("id", run);
    gen.writeStringField("status", status);
    time(gen, "createdAt", createdAt);
    time(gen, "startedAt", startedAt);
    time(gen, "endedAt", endedAt);
    if (endedBy != null) {
      gen.writeStringField("endedBy", endedBy);
    }
    Long duration = durationMs();
    if (duration != null) {
      gen.writeNumberField("durationMs", duration);
    }
    counts(gen, "head", heads);
    gen.writeNumberField("eventCount", eventCount);
    counts(gen, "countsByType", countsByType);
    if (progress != null) {
      gen.writeFieldName("progress");
      JSON.writeTree(gen, progress);
    }
    gen.writeArrayFieldStart("participants");
    for (String participant : participants) {
      gen.writeString(participant);
    }
    gen.writeEndArray();
    counts(gen, "signals", signals);
    if (confidence != null) {
      gen.writeNumberField("confidence", confidence);
    }
    if (error != null) {
      gen.writeFieldName("error");
      JSON.writeTree(gen, error);
    }
    if (meta != null) {
      gen.writeFieldName("meta");
      JSON.writeTree(gen, meta);
    }
    time(gen, "lastEventAt", lastEventAt);
    if (lastEventType != null) {
      gen.writeStringField("lastEventType", lastEventType);
    }
    gen.writeNumberField("malformedLines", malformedLines);
    if (snapshot) {
      gen.writeObjectFieldStart("_latest");
      key(gen, "progress", progressFrom);
      key(gen, "lastEvent", lastEventFrom);
      key(gen, "confidence", confidenceFrom);
      gen.writeEndObject();
    }
    gen.writeEndObject();
  }

  private static void key(JsonGenerator gen, String name, EventKey key) throws IOException {
    if (key != null) {
      gen.writeObjectFieldStart(name);
      gen.writeNumberField("ts", key.ts());
      gen.writeStringField("branch", key.branch());
      gen.writeNumberField("seq", key.seq());
      gen.writeEndObject();
    }
  }

  private static EventKey readKey(JsonNode node) {
    if (node == null || !node.isObject()) {
      return null;
    }
    return new EventKey(
        node.path("ts").asLong(), node.path("branch").asText(), node.path("seq").asLong());
  }

  private static void time(JsonGenerator gen, String name, Long millis) throws IOException {
    if (millis != null) {
      gen.writeStringField(name, Timestamps.format(millis));
    }
  }

  private static void counts(JsonGenerator gen, String name, Map<String, Long> counts)
      throws IOException {
    gen.writeObjectFieldStart(name);
    for (Map.Entry<String, Long> entry : counts.entrySet()) {
      gen.writeNumberField(entry.getKey(), entry.getValue());
    }
    gen.writeEndObject();
  }

  /**
   * Reads what {@link #writeJson} wrote.
   *
   * @throws IllegalArgumentException if {@code node} is not such an object
   */
  public static RunProjection fromJson(JsonNode node) {
    if (node == null || !node.isObject() || !node.path("id").isTextual()) {
      throw new IllegalArgumentException("not a run projection: " + node);
    }
    RunProjection projection = new RunProjection(node.get("id").asText());
    projection.status = node.path("status").asText("pending");
    projection.createdAt = millis(node.get("createdAt"));
    projection.startedAt = millis(node.get("startedAt"));
    projection.endedAt = millis(node.get("endedAt"));
    projection.endedBy = node.has("endedBy") ? node.get("endedBy").asText() : null;
    projection.lastEventAt = millis(node.get("lastEventAt"));
    readCounts(node.get("head"), projection.heads);
    projection.eventCount = node.path("eventCount").asLong();
    readCounts(node.get("countsByType"), projection.countsByType);
    if (node.get("progress") instanceof ObjectNode progress) {
      projection.progress = progress.deepCopy();
    }
    node.path("participants").forEach(p -> projection.participants.add(p.asText()));
    readCounts(node.get("signals"), projection.signals);
    JsonNode confidence = node.get("confidence");
    projection.confidence = confidence == null ? null : confidence.doubleValue();
    projection.error = node.has("error") ? node.get("error").deepCopy() : null;
    projection.meta = node.has("meta") ? node.get("meta").deepCopy() : null;
    projection.malformedLines = node.path("malformedLines").asLong();
    projection.progressFrom = readKey(node.path("_latest").get("progress"));
    projection.lastEventFrom = readKey(node.path("_latest").get("lastEvent"));
    projection.lastEventType =
        node.path("lastEventType").isTextual() ? node.get("lastEventType").asText() : null;
    projection.confidenceFrom = readKey(node.path("_latest").get("confidence"));
    return projection;
  }

  private static Long millis(JsonNode value) {
    if (value == null || !value.isTextual()) {
      return null;
    }
    try {
      return Timestamps.parse(value.asText());
    } catch (Exception e) {
      throw new IllegalArgumentException("not a timestamp: " + value, e);
    }
  }

  private static void readCounts(JsonNode node, Map<String, Long> into) {
    if (node == null) {
      return;
    }
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      into.put(entry.getKey(), entry.getValue().asLong());
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RunProjection that
        && run.equals(that.run)
        && status.equals(that.status)
        && Objects.equals(endedBy, that.endedBy)
        && Objects.equals(createdAt, that.createdAt)
        && Objects.equals(startedAt, that.startedAt)
        && Objects.equals(endedAt, that.endedAt)
        && Objects.equals(lastEventAt, that.lastEventAt)
        && heads.equals(that.heads)
        && eventCount == that.eventCount
        && countsByType.equals(that.countsByType)
        && Objects.equals(progress, that.progress)
        && participants.equals(that.participants)
        && signals.equals(that.signals)
        && Objects.equals(confidence, that.confidence)
        && Objects.equals(progressFrom, that.progressFrom)
        && Objects.equals(lastEventType, that.lastEventType)
        && Objects.equals(lastEventFrom, that.lastEventFrom)
        && Objects.equals(confidenceFrom, that.confidenceFrom)
        && Objects.equals(error, that.error)
        && Objects.equals(meta, that.meta)
        && malformedLines == that.malformedLines;
  }

  @Override
  public int hashCode() {
    return Objects.hash(run, status, eventCount, heads, lastEventAt);
  }

  @Override
  public String toString() {
    return "RunProjection[" + run + " " + status + ", " + eventCount + " events]";
  }
}
