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
 * @param dataUtf8 the UTF-8 bytes of {@code data} when validation already made them, else null;
 *     never modified
 * @param metaUtf8 the same for {@code meta}
 */
public record PreparedEvent(
    String type,
    String id,
    String data,
    String meta,
    Long explicitSeq,
    long contentHash,
    byte[] dataUtf8,
    byte[] metaUtf8) {}
