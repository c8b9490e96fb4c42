/**
 * The wire forms of a {@link io.runjournal.trace.Trace}, shared by {@code GET /v1/runs/{run}/trace}
 * and {@code runjournal trace}: the span tree as RunJournal's own JSON ({@link
 * io.runjournal.server.trace.TraceJson}) and as OTLP/JSON ({@link
 * io.runjournal.server.trace.OtlpJson}).
 */
package io.runjournal.server.trace;
