package io.runjournal.postgres;

import io.runjournal.EventTooLargeException;
import io.runjournal.IdConflictException;
import io.runjournal.RunEndedException;
import io.runjournal.SequenceConflictException;
import io.runjournal.internal.store.AppendDecision;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decisions of one group of appends to a run, made under the run's row lock: each request is
 * planned with {@link BatchPlan}, in order, against the state the requests before it left (branch
 * heads, the run's end, the ids the run holds and the ids earlier requests wrote, the journal's
 * line count), exactly as if the requests had been appended one after another. A refused request
 * changes nothing and gets its own refusal; the accepted ones' rows are collected for one insert.
 * Not thread-safe; one per transaction attempt.
 */
final class GroupPlan {
  private final String run;
  private final long ts;
  private final int maxEventBytes;
  private final Map<String, Long> heads;
  private final Map<String, Long> changedHeads = new LinkedHashMap<>();
  private final Map<String, AppendDecision.PriorId> knownIds;
  private final EventRows rows = new EventRows();
  private final List<Appender.Outcome> outcomes = new ArrayList<>();
  private String endedBy;
  private String terminalType;
  private long lines;
  private long bytes;
  private int fresh;

  /**
   * A plan for a group of appends to {@code run}.
   *
   * @param row the run's locked row
   * @param heads the head of every branch the group appends to that has events
   * @param priors the events the run holds under the group's ids, by id
   * @param ts the timestamp of every event the group writes, in epoch milliseconds
   */
  GroupPlan(
      String run,
      RunRow row,
      Map<String, Long> heads,
      Map<String, AppendDecision.PriorId> priors,
      long ts,
      int maxEventBytes) {
    this.run = run;
    this.ts = ts;
    this.maxEventBytes = maxEventBytes;
    this.heads = new HashMap<>(heads);
    this.knownIds = new HashMap<>(priors);
    this.endedBy = row.endedBy();
    this.lines = row.lines();
  }

  /**
   * Plans the next request of the group: accepted (its events join the rows to insert) or refused
   * ({@link IdConflictException}, {@link RunEndedException}, {@link SequenceConflictException},
   * {@link EventTooLargeException}) without changing the plan. Either way its outcome is added.
   */
  void add(Appender.Request request) {
    String branch = request.request().branch();
    long head = heads.getOrDefault(branch, 0L);
    int mark = rows.size();
    BatchPlan batch;
    long batchBytes;
    try {
      batch =
          BatchPlan.of(
              run,
              branch,
              request.request().expectedSeq(),
              request.events(),
              head,
              endedBy,
              knownIds);
      batchBytes = batch.fresh() == 0 ? 0 : batch.encode(ts, lines, maxEventBytes, rows);
    } catch (IdConflictException
        | RunEndedException
        | SequenceConflictException
        | EventTooLargeException refused) {
      rows.truncate(mark);
      outcomes.add(Appender.Outcome.refused(refused));
      return;
    }
    if (batch.fresh() > 0) {
      heads.put(branch, batch.head());
      changedHeads.put(branch, batch.head());
      batch.recordIds(knownIds);
      lines += batch.fresh();
      bytes += batchBytes;
      fresh += batch.fresh();
      if (batch.terminalType() != null) {
        endedBy = batch.terminalType();
        terminalType = batch.terminalType();
      }
    }
    outcomes.add(
        Appender.Outcome.of(new Appender.Appended(batch.result(), batch.fresh(), batchBytes)));
  }

  /** The rows of every accepted event, in order. */
  EventRows rows() {
    return rows;
  }

  /** The new head of every branch the group writes to, by branch. */
  Map<String, Long> changedHeads() {
    return changedHeads;
  }

  /** How many events the group writes. */
  int fresh() {
    return fresh;
  }

  /** The size of the lines the group writes, newlines included. */
  long bytes() {
    return bytes;
  }

  /** The timestamp of the group's events. */
  long ts() {
    return ts;
  }

  /** The type of the terminal event the group writes (ending the run), or null. */
  String terminalType() {
    return terminalType;
  }

  /** Each request's outcome, in the order they were added. */
  List<Appender.Outcome> outcomes() {
    return outcomes;
  }
}
