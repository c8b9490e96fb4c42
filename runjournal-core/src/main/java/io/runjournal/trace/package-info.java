/**
 * Traces per run (DESIGN §9): {@link io.runjournal.trace.Traces#read} rebuilds the span tree of a
 * run's branch from its {@code log}, {@code span.open} and {@code span.close} events, as a {@link
 * io.runjournal.trace.Trace} of {@link io.runjournal.trace.TraceSpan}s; spans opened and never
 * closed (a crash) are unfinished.
 */
package io.runjournal.trace;
