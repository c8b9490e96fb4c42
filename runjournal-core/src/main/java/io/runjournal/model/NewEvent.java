package io.runjournal.model;

/**
 * An event to append: its type and the optional fields a producer chooses. The journal assigns
 * {@code seq} (unless one is given, which must then be exactly head + 1), {@code ts}, {@code run}
 * and {@code branch}.
 *
 * <p>{@code data} is any JSON value and {@code meta} a JSON object, both as text; they are
 * validated and re-encoded canonically once, at append. Immutable and thread-safe; build one with
 * {@link #of(String)} and the {@code with…} methods.
 *
 * @param type the event type (DESIGN §2)
 * @param id the idempotency key, unique within the run, or null
 * @param data the {@code data} JSON text, or null
 * @param meta the {@code meta} JSON object text, or null
 * @param seq the explicit sequence the producer expects this event to get, or null
 */
public record NewEvent(String type, String id, String data, String meta, Long seq) {

  /** An event of this type with no other fields. */
  public static NewEvent of(String type) {
    return new NewEvent(type, null, null, null, null);
  }

  /** An event of this type with this {@code data} JSON text. */
  public static NewEvent of(String type, String dataJson) {
    return new NewEvent(type, null, dataJson, null, null);
  }

  /** A copy with this event id (the idempotency key). */
  public NewEvent withId(String eventId) {
    return new NewEvent(type, eventId, data, meta, seq);
  }

  /** A copy with this {@code data} JSON text. */
  public NewEvent withData(String dataJson) {
    return new NewEvent(type, id, dataJson, meta, seq);
  }

  /** A copy with this {@code meta} JSON object text. */
  public NewEvent withMeta(String metaJson) {
    return new NewEvent(type, id, data, metaJson, seq);
  }

  /** A copy that must be appended at exactly this sequence number. */
  public NewEvent withSeq(long expected) {
    return new NewEvent(type, id, data, meta, expected);
  }
}
