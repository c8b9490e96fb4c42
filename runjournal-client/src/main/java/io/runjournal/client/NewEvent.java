package io.runjournal.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.runjournal.client.internal.JsonCodec;
import java.util.Objects;

/**
 * An event to append (DESIGN §2): its type and the fields a producer chooses. The journal assigns
 * {@code seq} (unless one is given here, which must then be exactly the branch's head + 1), {@code
 * ts}, {@code run} and {@code branch}.
 *
 * <p>An event without an {@code id} gets one from {@link RunJournalClient#append} before it is
 * first sent, so that a retried append can never write it twice. Immutable and thread-safe when the
 * {@link JsonNode}s are not modified after construction.
 *
 * <pre>{@code
 * NewEvent.of("node.started", Map.of("node", "plan"))
 *     .withId("node-plan-1")
 *     .withMeta(Map.of("agent", "planner"));
 * NewEvent.ofJson("tool.called", "{\"tool\":\"grep\"}");
 * }</pre>
 *
 * @param type the event type, {@code [A-Za-z0-9_.:/-]{1,128}} (checked by the server)
 * @param id the idempotency key, unique within the run, at most 128 characters; or null
 * @param data any JSON value ({@code NullNode} for JSON {@code null}); or null when absent
 * @param meta a JSON object; or null when absent
 * @param seq the exact seq the event must get; or null
 */
public record NewEvent(String type, String id, JsonNode data, JsonNode meta, Long seq) {

  /**
   * Checks the required parts.
   *
   * @throws NullPointerException if {@code type} is null
   * @throws IllegalArgumentException if {@code meta} is not a JSON object or {@code seq < 1}
   */
  public NewEvent {
    Objects.requireNonNull(type, "type");
    if (meta != null && !meta.isObject()) {
      throw new IllegalArgumentException("meta must be a JSON object, got " + describe(meta));
    }
    if (seq != null && seq < 1) {
      throw new IllegalArgumentException("seq must be >= 1, got " + seq);
    }
  }

  /** An event of this type with no other field. */
  public static NewEvent of(String type) {
    return new NewEvent(type, null, null, null, null);
  }

  /**
   * An event of this type whose {@code data} is {@code data} converted to JSON: a {@link JsonNode}
   * as it is, a {@code Map}, {@code List}, POJO, string or number as Jackson's default mapping
   * writes it.
   *
   * @throws IllegalArgumentException if Jackson cannot convert {@code data}
   */
  public static NewEvent of(String type, Object data) {
    return new NewEvent(type, null, JsonCodec.toTree(data), null, null);
  }

  /**
   * An event of this type whose {@code data} is this JSON text (any JSON value).
   *
   * @throws IllegalArgumentException if {@code dataJson} is not one valid JSON value
   */
  public static NewEvent ofJson(String type, String dataJson) {
    return new NewEvent(type, null, JsonCodec.parseValue("data", dataJson), null, null);
  }

  /** A copy with this event id (the idempotency key), or none when null. */
  public NewEvent withId(String eventId) {
    return new NewEvent(type, eventId, data, meta, seq);
  }

  /** A copy with {@code data} converted to JSON as in {@link #of(String, Object)}. */
  public NewEvent withData(Object newData) {
    return new NewEvent(type, id, JsonCodec.toTree(newData), meta, seq);
  }

  /** A copy with this {@code data} JSON text; see {@link #ofJson}. */
  public NewEvent withDataJson(String dataJson) {
    return new NewEvent(type, id, JsonCodec.parseValue("data", dataJson), meta, seq);
  }

  /**
   * A copy with {@code meta} converted to JSON as in {@link #of(String, Object)}: a map, POJO or
   * {@code ObjectNode}.
   *
   * @throws IllegalArgumentException if it is not a JSON object
   */
  public NewEvent withMeta(Object newMeta) {
    return new NewEvent(type, id, data, JsonCodec.toTree(newMeta), seq);
  }

  /**
   * A copy with this {@code meta} JSON object text.
   *
   * @throws IllegalArgumentException if it is not one valid JSON object
   */
  public NewEvent withMetaJson(String metaJson) {
    return new NewEvent(type, id, data, JsonCodec.parseValue("meta", metaJson), seq);
  }

  /** A copy that must be appended at exactly this seq (the branch's head + 1). */
  public NewEvent withSeq(long expected) {
    return new NewEvent(type, id, data, meta, expected);
  }

  private static String describe(JsonNode json) {
    return switch (json.getNodeType()) {
      case ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> json.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
