package io.runjournal.internal.json;

/**
 * An event validated and canonically encoded, ready for sequence assignment.
 *
 * @param type the event type
 * @param id the event id, or null
 * @param data canonical {@code data} JSON, or null
 * @param meta canonical {@code meta} JSON object, or null
 * @param explicitSeq the seq the producer requires, or null
 * @param contentHash a 64-bit hash of type and data, to tell an idempotent retry from a conflict
 */
public record PreparedEvent(
    String type, String id, String data, String meta, Long explicitSeq, long contentHash) {}
