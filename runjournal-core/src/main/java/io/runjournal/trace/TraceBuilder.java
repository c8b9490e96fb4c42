package io.runjournal.trace;

import io.runjournal.internal.json.MalformedLineException;
import io.runjournal.internal.logging.RecordCodec;
import io.runjournal.logging.LogEntry;
import io.runjournal.logging.LogRecord;
import io.runjournal.logging.SpanClose;
import io.runjournal.logging.SpanOpen;
import io.runjournal.model.Event;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds a run's events into a {@link Trace}, by the rules of {@link Traces}: {@link #accept} each
 * event in journal order, then {@link #build} once. Parents and logs are resolved only at the end,
 * so their order in the journal does not matter. Not thread-safe.
 */
final class TraceBuilder {
  private static final Comparator<SpanNode> BY_START_THEN_SEQ =
      Comparator.comparing(SpanNode::start).thenComparingLong(SpanNode::seq);

  private final String run;
  private final String branch;
  private final Map<String, SpanNode> spans = new LinkedHashMap<>();
  private final List<LogEntry> logs = new ArrayList<>();
  private long malformedRecords;
  private long lastEventMillis = Long.MIN_VALUE;

  TraceBuilder(String run, String branch) {
    this.run = run;
    this.branch = branch;
  }

  /** Takes one event of the run (of any branch: every event counts for the last event time). */
  void accept(Event event) {
    lastEventMillis = Math.max(lastEventMillis, event.tsMillis());
    String type = event.type();
    boolean recordType =
        type.equals(LogEntry.EVENT_TYPE)
            || type.equals(SpanOpen.EVENT_TYPE)
            || type.equals(SpanClose.EVENT_TYPE);
    if (!recordType || !event.branch().equals(branch)) {
      return;
    }
    LogRecord record = parse(event.data());
    if (record == null || !record.eventType().equals(type)) {
      malformedRecords++;
      return;
    }
    switch (record) {
      case LogEntry entry -> logs.add(entry);
      case SpanOpen open -> node(open.spanId()).opened(open, event.seq());
      case SpanClose close -> node(close.spanId()).closed(close, event.seq());
    }
  }

  private static LogRecord parse(String data) {
    if (data == null) {
      return null;
    }
    try {
      return RecordCodec.parse(data);
    } catch (MalformedLineException e) {
      return null;
    }
  }

  private SpanNode node(String spanId) {
    return spans.computeIfAbsent(spanId, SpanNode::new);
  }

  /** The trace of the events accepted so far. */
  Trace build() {
    List<SpanNode> roots = linkParents();
    List<LogEntry> unattached = new ArrayList<>();
    for (LogEntry entry : logs) {
      SpanNode span = entry.spanId() == null ? null : spans.get(entry.spanId());
      if (span == null) {
        unattached.add(entry);
      } else {
        span.logs.add(entry);
      }
    }
    roots.sort(BY_START_THEN_SEQ);
    long unfinished = 0;
    // Build bottom-up without recursion: a pre-order walk reversed has every child before its
    // parent, and a pathologically deep trace cannot overflow the stack.
    List<SpanNode> preOrder = new ArrayList<>(spans.size());
    Deque<SpanNode> pending = new ArrayDeque<>(roots);
    while (!pending.isEmpty()) {
      SpanNode span = pending.pop();
      preOrder.add(span);
      span.children.sort(BY_START_THEN_SEQ);
      span.children.forEach(pending::push);
    }
    for (SpanNode span : preOrder.reversed()) {
      span.built = span.toSpan();
      if (span.close == null) {
        unfinished++;
      }
    }
    return new Trace(
        run,
        branch,
        Trace.traceIdOf(run),
        roots.stream().map(root -> root.built).toList(),
        unattached,
        spans.size(),
        unfinished,
        logs.size(),
        malformedRecords,
        lastEventMillis == Long.MIN_VALUE ? null : Instant.ofEpochMilli(lastEventMillis));
  }

  /**
   * Links every span to its parent when the branch holds it, and returns the roots: the spans
   * without a known parent, and one span of each cycle of parents (the first one reached).
   */
  private List<SpanNode> linkParents() {
    for (SpanNode span : spans.values()) {
      String parentId = span.open == null ? null : span.open.parentSpanId();
      span.parent = parentId == null || parentId.equals(span.spanId) ? null : spans.get(parentId);
    }
    for (SpanNode span : spans.values()) {
      List<SpanNode> path = new ArrayList<>();
      SpanNode walked = span;
      while (walked != null && walked.visit == Visit.NEW) {
        walked.visit = Visit.ON_PATH;
        path.add(walked);
        walked = walked.parent;
      }
      if (walked != null && walked.visit == Visit.ON_PATH) {
        walked.parent = null; // the walk came back to it: a cycle, cut here
      }
      path.forEach(visited -> visited.visit = Visit.DONE);
    }
    List<SpanNode> roots = new ArrayList<>();
    for (SpanNode span : spans.values()) {
      if (span.parent == null) {
        roots.add(span);
      } else {
        span.parent.children.add(span);
      }
    }
    return roots;
  }

  private enum Visit {
    NEW,
    ON_PATH,
    DONE
  }

  /** A span while the trace is being built: its first open and first close, as read. */
  private static final class SpanNode {
    final String spanId;
    SpanOpen open;
    long openSeq;
    SpanClose close;
    long closeSeq;
    SpanNode parent;
    Visit visit = Visit.NEW;
    final List<SpanNode> children = new ArrayList<>(0);
    final List<LogEntry> logs = new ArrayList<>(0);
    TraceSpan built;

    SpanNode(String spanId) {
      this.spanId = spanId;
    }

    void opened(SpanOpen record, long seq) {
      if (open == null) {
        open = record;
        openSeq = seq;
      }
    }

    void closed(SpanClose record, long seq) {
      if (close == null) {
        close = record;
        closeSeq = seq;
      }
    }

    Instant start() {
      return open != null
          ? open.timestamp()
          : close.timestamp().minusMillis(close.durationMs()); // a close without an open
    }

    long seq() {
      return open != null ? openSeq : closeSeq;
    }

    TraceSpan toSpan() {
      Map<String, Object> attributes = new LinkedHashMap<>();
      if (open != null) {
        attributes.putAll(open.attributes());
      }
      if (close != null) {
        attributes.putAll(close.attributes());
      }
      return new TraceSpan(
          spanId,
          open != null ? open.name() : close.name(),
          open != null ? open.source() : close.source(),
          open != null ? open.parentSpanId() : null,
          start(),
          close != null ? close.timestamp() : null,
          close != null ? close.durationMs() : null,
          close != null ? close.status() : null,
          close != null ? close.error() : null,
          /* finished= */ close != null,
          attributes,
          open != null ? open.links() : List.of(),
          open != null ? open.body() : null,
          open != null ? openSeq : null,
          close != null ? closeSeq : null,
          logs,
          children.stream().map(child -> child.built).toList());
    }
  }
}
