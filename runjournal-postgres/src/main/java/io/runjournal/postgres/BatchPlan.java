package io.runjournal.postgres;

import io.runjournal.AppendResult;
import io.runjournal.EventTooLargeException;
import io.runjournal.internal.json.EventCodec;
import io.runjournal.internal.json.PreparedEvent;
import io.runjournal.internal.json.Timestamps;
import io.runjournal.internal.store.AppendDecision;
import java.util.List;
import java.util.Map;

/**
 * One append planned under the run's row lock against what the database holds (DESIGN §4): the
 * decisions are the file store's own ({@link AppendDecision}); this adds the encoding of the rows
 * to write. Not thread-safe; one per append attempt.
 */
final class BatchPlan {
  private final String run;
  private final String branch;
  private final List<PreparedEvent> events;
  private final AppendDecision decision;
  private final long head;

  private BatchPlan(
      String run, String branch, List<PreparedEvent> events, AppendDecision decision, long head) {
    this.run = run;
    this.branch = branch;
    this.events = events;
    this.decision = decision;
    this.head = head;
  }

  /**
   * Plans the batch against the branch's {@code head}, the run's end and the {@code priors} the run
   * holds under the batch's ids.
   *
   * @throws io.runjournal.IdConflictException if an id is reused for another type or data
   * @throws io.runjournal.RunEndedException if a new event would follow the run's terminal event
   * @throws io.runjournal.SequenceConflictException if {@code expectedSeq} or an explicit seq does
   *     not match
   */
  static BatchPlan of(
      String run,
      String branch,
      Long expectedSeq,
      List<PreparedEvent> events,
      long head,
      String endedBy,
      Map<String, AppendDecision.PriorId> priors) {
    AppendDecision decision =
        AppendDecision.of(run, branch, expectedSeq, events, head, endedBy, priors);
    return new BatchPlan(run, branch, events, decision, head + decision.fresh());
  }

  /** How many events will be written. */
  int fresh() {
    return decision.fresh();
  }

  /** The type of the terminal event the batch writes, or null. */
  String terminalType() {
    return decision.terminalType();
  }

  /** The branch's head after the batch. */
  long head() {
    return head;
  }

  /**
   * Encodes the events to write with timestamp {@code ts} into rows whose journal positions follow
   * {@code lines}.
   *
   * @return the size of the encoded lines, newlines included
   * @throws EventTooLargeException if one line (with its newline) is over {@code maxEventBytes}
   */
  long encode(long ts, long lines, int maxEventBytes, EventRows rows) {
    String timestamp = Timestamps.format(ts);
    long bytes = 0;
    long lineNo = lines;
    for (int i = 0; i < events.size(); i++) {
      if (decision.duplicate(i)) {
        continue;
      }
      PreparedEvent event = events.get(i);
      String line = EventCodec.encodeLine(decision.seq(i), timestamp, run, branch, event);
      long size = Utf8.length(line) + 1L;
      if (size > maxEventBytes) {
        throw new EventTooLargeException(run, event.type(), size, maxEventBytes);
      }
      rows.add(
          branch,
          decision.seq(i),
          ++lineNo,
          ts,
          event.type(),
          event.id(),
          event.data(),
          event.meta(),
          line);
      bytes += size;
    }
    return bytes;
  }

  /**
   * Adds the events this batch writes that carry an id to {@code knownIds}, so that later batches
   * of the same group see them as the run's (duplicates or conflicts).
   */
  void recordIds(Map<String, AppendDecision.PriorId> knownIds) {
    for (int i = 0; i < events.size(); i++) {
      PreparedEvent event = events.get(i);
      if (!decision.duplicate(i) && event.id() != null) {
        knownIds.putIfAbsent(
            event.id(), new AppendDecision.PriorId(branch, decision.seq(i), event.contentHash()));
      }
    }
  }

  /** The result to answer. */
  AppendResult result() {
    return decision.result(run, branch, head);
  }
}
