package io.runjournal.logging;

import java.time.Instant;
import java.util.Map;

/**
 * One record of DESIGN §9, in one of three kinds: a {@link LogEntry} ({@code log}), a {@link
 * SpanOpen} ({@code span-open}) or a {@link SpanClose} ({@code span-close}). Records are immutable
 * values; two records with the same fields are equal, so a record parsed back from its line equals
 * the one written.
 *
 * <p>{@code source} names the component that produced the record. It is stamped by the {@link
 * Logging} host from the logger the component was given, never passed by the caller, so that one
 * component cannot log as another.
 */
public sealed interface LogRecord permits LogEntry, SpanOpen, SpanClose {

  /** The kind written in the record's {@code kind} field: {@code log}, {@code span-open}, ... */
  String kind();

  /** The journal event type of this kind in a run: {@code log}, {@code span.open}, ... */
  String eventType();

  /** When the record was made, at millisecond precision. */
  Instant timestamp();

  /** The component that made the record. */
  String source();

  /** The record's attributes (string, number, boolean or null values), possibly empty. */
  Map<String, Object> attributes();

  /** A copy with these attributes (used by redaction). */
  LogRecord withAttributes(Map<String, Object> replaced);
}
