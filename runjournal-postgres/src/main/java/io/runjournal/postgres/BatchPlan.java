package io.runjournal.postgres;

import io.runjournal.AppendResult;
import io.runjournal.EventTooLargeException;
import io.runjournal.IdConflictException;
import io.runjournal.RunEndedException;
import io.runjournal.SequenceConflictException;
import io.runjournal.internal.json.EventCodec;
import io.runjournal.internal.json.PreparedEvent;
import io.runjournal.internal.json.Timestamps;
import io.runjournal.model.EventTypes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The decisions of one append, made under the run's row lock against what the database holds
 * (DESIGN §4), exactly as the file store makes them: which events are duplicates, which seqs the
 * others get, and whether the batch is refused. Not thread-safe; one per append attempt.
 */
final class BatchPlan {

  /**
   * An event the run already has under an id of the batch.
   *
   * @param branch its branch
   * @param seq its seq
   * @param contentHash {@link EventCodec#contentHash} of its type and data
   */
  record Prior(String branch, long seq, long contentHash) {}

  private final String run;
  private final String branch;
  private final List<PreparedEvent> events;
  private final long[] seqs;
  private final boolean[] duplicate;
  private final int fresh;
  private final String terminalType;
  private final long head;

  private BatchPlan(
      String run,
      String branch,
      List<PreparedEvent> events,
      long[] seqs,
      boolean[] duplicate,
      int fresh,
      String terminalType,
      long head) {
    this.run = run;
    this.branch = branch;
    this.events = events;
    this.seqs = seqs;
    this.duplicate = duplicate;
    this.fresh = fresh;
    this.terminalType = terminalType;
    this.head = head;
  }

  /**
   * Plans the batch against the branch's {@code head}, the run's end and the {@code priors} the run
   * holds under the batch's ids.
   *
   * @throws IdConflictException if an id is reused for another type or data
   * @throws RunEndedException if a new event would follow the run's terminal event
   * @throws SequenceConflictException if {@code expectedSeq} or an explicit seq does not match
   */
  static BatchPlan of(
      String run,
      String branch,
      Long expectedSeq,
      List<PreparedEvent> events,
      long head,
      String endedBy,
      Map<String, Prior> priors) {
    long[] seqs = new long[events.size()];
    boolean[] duplicate = new boolean[events.size()];
    Map<String, Integer> batchIds = new HashMap<>();
    String ended = endedBy;
    long next = head + 1;
    int fresh = 0;
    for (int i = 0; i < events.size(); i++) {
      PreparedEvent event = events.get(i);
      if (event.id() != null) {
        Prior prior = priors.get(event.id());
        Integer inBatch = batchIds.putIfAbsent(event.id(), i);
        if (prior != null || inBatch != null) {
          long priorHash = prior != null ? prior.contentHash() : events.get(inBatch).contentHash();
          long priorSeq = prior != null ? prior.seq() : seqs[inBatch];
          if (priorHash != event.contentHash()) {
            throw new IdConflictException(
                run, event.id(), prior != null ? prior.branch() : branch, priorSeq);
          }
          seqs[i] = priorSeq;
          duplicate[i] = true;
          continue;
        }
      }
      if (ended != null) {
        throw new RunEndedException(run, ended);
      }
      if (event.explicitSeq() != null && event.explicitSeq() != next) {
        throw new SequenceConflictException(run, branch, next, event.explicitSeq());
      }
      if (EventTypes.isTerminal(event.type())) {
        ended = event.type();
      }
      seqs[i] = next++;
      fresh++;
    }
    if (fresh > 0 && expectedSeq != null && expectedSeq != head) {
      throw new SequenceConflictException(run, branch, head, expectedSeq);
    }
    String terminal = ended != null && endedBy == null ? ended : null;
    return new BatchPlan(run, branch, events, seqs, duplicate, fresh, terminal, head + fresh);
  }

  /** How many events will be written. */
  int fresh() {
    return fresh;
  }

  /** The type of the terminal event the batch writes, or null. */
  String terminalType() {
    return terminalType;
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
      if (duplicate[i]) {
        continue;
      }
      PreparedEvent event = events.get(i);
      String line = EventCodec.encodeLine(seqs[i], timestamp, run, branch, event);
      long size = Utf8.length(line) + 1L;
      if (size > maxEventBytes) {
        throw new EventTooLargeException(run, event.type(), size, maxEventBytes);
      }
      rows.add(
          branch,
          seqs[i],
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
  void recordIds(Map<String, Prior> knownIds) {
    for (int i = 0; i < events.size(); i++) {
      PreparedEvent event = events.get(i);
      if (!duplicate[i] && event.id() != null) {
        knownIds.putIfAbsent(event.id(), new Prior(branch, seqs[i], event.contentHash()));
      }
    }
  }

  /** The result to answer. */
  AppendResult result() {
    Long[] seqList = new Long[seqs.length];
    Boolean[] duplicateList = new Boolean[seqs.length];
    for (int i = 0; i < seqs.length; i++) {
      seqList[i] = seqs[i];
      duplicateList[i] = duplicate[i];
    }
    return new AppendResult(run, branch, List.of(seqList), List.of(duplicateList), head);
  }
}
