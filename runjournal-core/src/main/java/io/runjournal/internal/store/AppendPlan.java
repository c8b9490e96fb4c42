package io.runjournal.internal.store;

import io.runjournal.AppendResult;
import io.runjournal.EventTooLargeException;
import io.runjournal.IdConflictException;
import io.runjournal.RunEndedException;
import io.runjournal.SequenceConflictException;
import io.runjournal.internal.json.EventCodec;
import io.runjournal.internal.json.PreparedEvent;
import io.runjournal.internal.json.Timestamps;
import io.runjournal.model.Event;
import io.runjournal.model.EventTypes;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The decisions of one append, made under the run's locks against its current state (DESIGN §4):
 * which events are duplicates, which seqs the others get, and whether the batch is refused.
 */
final class AppendPlan {
  private final String branch;
  private final List<PreparedEvent> events;
  private final long[] seqs;
  private final boolean[] duplicate;
  private final int fresh;
  private final String terminalType;
  private long head;
  private Event[] written;
  private int[] lengths;

  private AppendPlan(
      String branch,
      List<PreparedEvent> events,
      long[] seqs,
      boolean[] duplicate,
      int fresh,
      String terminalType,
      long head) {
    this.branch = branch;
    this.events = events;
    this.seqs = seqs;
    this.duplicate = duplicate;
    this.fresh = fresh;
    this.terminalType = terminalType;
    this.head = head;
  }

  /**
   * Plans the batch, or throws the refusal: {@link IdConflictException}, {@link RunEndedException}
   * or {@link SequenceConflictException}.
   */
  static AppendPlan of(
      RunState state, String branch, Long expectedSeq, List<PreparedEvent> events) {
    long head = state.head(branch);
    long[] seqs = new long[events.size()];
    boolean[] duplicate = new boolean[events.size()];
    Map<String, Integer> batchIds = null; // only batches with ids need one
    String endedBy = state.endedBy;
    long next = head + 1;
    int fresh = 0;
    for (int i = 0; i < events.size(); i++) {
      PreparedEvent event = events.get(i);
      if (event.id() != null) {
        RunState.IdEntry prior = state.ids.get(event.id());
        if (batchIds == null) {
          batchIds = new HashMap<>();
        }
        Integer inBatch = batchIds.putIfAbsent(event.id(), i);
        if (prior != null || inBatch != null) {
          long priorHash = prior != null ? prior.contentHash() : events.get(inBatch).contentHash();
          long priorSeq = prior != null ? prior.seq() : seqs[inBatch];
          if (priorHash != event.contentHash()) {
            throw new IdConflictException(
                state.run, event.id(), prior != null ? prior.branch() : branch, priorSeq);
          }
          seqs[i] = priorSeq;
          duplicate[i] = true;
          continue;
        }
      }
      if (endedBy != null) {
        throw new RunEndedException(state.run, endedBy);
      }
      if (event.explicitSeq() != null && event.explicitSeq() != next) {
        throw new SequenceConflictException(state.run, branch, next, event.explicitSeq());
      }
      if (EventTypes.isTerminal(event.type())) {
        endedBy = event.type();
      }
      seqs[i] = next++;
      fresh++;
    }
    if (fresh > 0 && expectedSeq != null && expectedSeq != head) {
      throw new SequenceConflictException(state.run, branch, head, expectedSeq);
    }
    String terminal = endedBy != null && state.endedBy == null ? endedBy : null;
    return new AppendPlan(branch, events, seqs, duplicate, fresh, terminal, head);
  }

  /** How many events will be written. */
  int fresh() {
    return fresh;
  }

  /** Whether the batch ends the run. */
  boolean ends() {
    return terminalType != null;
  }

  /**
   * Encodes the events to write into {@code buffer} (cleared first, grown if needed), each line
   * ending in a newline, and returns the buffer ready to write.
   *
   * @throws EventTooLargeException if one is over {@code maxEventBytes}
   */
  ByteBuffer encode(String run, long ts, int maxEventBytes, ByteBuffer buffer) {
    byte[] timestamp = Timestamps.formatBytes(ts);
    written = new Event[fresh];
    lengths = new int[fresh];
    ByteBuffer out = buffer.clear();
    int at = 0;
    for (int i = 0; i < events.size(); i++) {
      if (duplicate[i]) {
        continue;
      }
      PreparedEvent event = events.get(i);
      long textLength =
          (event.data() == null ? 0L : event.data().length())
              + (event.meta() == null ? 0L : event.meta().length());
      if (textLength > maxEventBytes) { // UTF-8 has at least a byte per char: surely too large
        int size =
            EventCodec.encodeLine(seqs[i], Timestamps.format(ts), run, branch, event)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)
                    .length
                + 1;
        throw new EventTooLargeException(run, event.type(), size, maxEventBytes);
      }
      int start = out.position();
      while (!EventCodec.writeLine(out, seqs[i], timestamp, run, branch, event)) {
        out = grow(out.position(start), maxEventBytes);
      }
      int length = out.position() - start;
      if (length > maxEventBytes) {
        throw new EventTooLargeException(run, event.type(), length, maxEventBytes);
      }
      lengths[at] = length;
      written[at++] =
          new Event(
              seqs[i], ts, run, branch, event.type(), event.id(), event.data(), event.meta(), null);
    }
    return out.flip();
  }

  /** A buffer twice as large (at least one maximal event more) holding what {@code out} holds. */
  private static ByteBuffer grow(ByteBuffer out, int maxEventBytes) {
    int capacity = Math.max(out.capacity() * 2, out.position() + maxEventBytes + 1);
    return ByteBuffer.allocateDirect(capacity).put(out.flip());
  }

  /** Folds the written lines into the state, as a scan of them would. */
  void apply(RunState state, long ts) {
    BranchState branchState = state.branch(branch);
    long offset = state.scanned;
    int at = 0;
    for (int i = 0; i < events.size(); i++) {
      if (duplicate[i]) {
        continue;
      }
      PreparedEvent event = events.get(i);
      branchState.advance(seqs[i], offset, state.nextLine);
      branchState.recent.add(written[at]);
      if (event.id() != null) {
        state.ids.putIfAbsent(
            event.id(), new RunState.IdEntry(branch, seqs[i], event.contentHash()));
      }
      offset += lengths[at++];
      state.nextLine++;
      head = seqs[i];
    }
    state.scanned = offset;
    state.lastTs = ts;
    if (terminalType != null) {
      state.endedBy = terminalType;
    }
  }

  /** The result to answer, after {@link #apply} or for a batch of duplicates only. */
  AppendResult result(String run) {
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
