package io.runjournal.client.internal;

/**
 * One dispatched Server-Sent Events frame.
 *
 * @param event the {@code event:} field, {@code message} when the frame has none
 * @param data the {@code data:} lines joined with {@code \n}
 * @param lastEventId the last {@code id:} seen on the stream so far (it carries over frames), or
 *     empty
 */
public record SseFrame(String event, String data, String lastEventId) {}
