package io.runjournal.internal.store;

import io.runjournal.AppendResult;
import io.runjournal.IdConflictException;
import io.runjournal.RunEndedException;
import io.runjournal.SequenceConflictException;
import io.runjournal.internal.json.PreparedEvent;
import io.runjournal.model.EventTypes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The store-independent decisions of one append (DESIGN §4), made under the run's locks against its
 * current state: which events are duplicates of ones the run (or the batch) already holds under
 * their id, which seqs the others get, whether the batch ends the run, and whether it is refused.
 * Every store plans its appends with this one rule. Immutable once made.
 */
public final class AppendDecision {

  /**
   * An event the run already holds under an id.
   *
   * @param branch its branch
   * @param seq its seq
   * @param contentHash {@link io.runjournal.internal.json.EventCodec#contentHash} of its type and
   *     data
   */
  public record PriorId(String branch, long seq, long contentHash) {}

  private final long[] seqs;
  private final boolean[] duplicate;
  private final int fresh;
  private final String terminalType;

  private AppendDecision(long[] seqs, boolean[] duplicate, int fresh, String terminalType) {
    this.seqs = seqs;
    this.duplicate = duplicate;
    this.fresh = fresh;
    this.terminalType = terminalType;
  }

  /**
   * Decides the batch against the branch's {@code head}, the run's end ({@code endedBy}, null while
   * open) and the events the run holds under the batch's ids ({@code priors}).
   *
   * @throws IdConflictException if an id is reused for another type or data
   * @throws RunEndedException if a new event would follow the run's terminal event
   * @throws SequenceConflictException if {@code expectedSeq} or an explicit seq does not match
   */
  public static AppendDecision of(
      String run,
      String branch,
      Long expectedSeq,
      List<PreparedEvent> events,
      long head,
      String endedBy,
      Map<String, PriorId> priors) {
    long[] seqs = new long[events.size()];
    boolean[] duplicate = new boolean[events.size()];
    Map<String, Integer> batchIds = null; // only batches with ids need one
    String ended = endedBy;
    long next = head + 1;
    int fresh = 0;
    for (int i = 0; i < events.size(); i++) {
      PreparedEvent event = events.get(i);
      if (event.id() != null) {
        PriorId prior = priors.get(event.id());
        if (batchIds == null) {
          batchIds = new HashMap<>();
        }
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
    return new AppendDecision(
        seqs, duplicate, fresh, ended != null && endedBy == null ? ended : null);
  }

  /** How many events the batch has. */
  public int size() {
    return seqs.length;
  }

  /** The seq of the batch's {@code index}th event: new, or the original of a duplicate. */
  public long seq(int index) {
    return seqs[index];
  }

  /** Whether the batch's {@code index}th event is a duplicate (not written again). */
  public boolean duplicate(int index) {
    return duplicate[index];
  }

  /** How many events will be written. */
  public int fresh() {
    return fresh;
  }

  /** The type of the terminal event the batch writes, or null. */
  public String terminalType() {
    return terminalType;
  }

  /** The answer to the append, with the branch's {@code head} after it. */
  public AppendResult result(String run, String branch, long head) {
    if (seqs.length == 1) {
      return new AppendResult(run, branch, List.of(seqs[0]), List.of(duplicate[0]), head);
    }
    Long[] seqList = new Long[seqs.length];
    Boolean[] duplicateList = new Boolean[seqs.length];
    for (int i = 0; i < seqs.length; i++) {
      seqList[i] = seqs[i];
      duplicateList[i] = duplicate[i];
    }
    return new AppendResult(run, branch, List.of(seqList), List.of(duplicateList), head);
  }
}
