package io.runjournal.internal.store;

import io.runjournal.AppendResult;
import io.runjournal.EventTooLargeException;
import io.runjournal.internal.json.EventCodec;
import io.runjournal.internal.json.PreparedEvent;
import io.runjournal.internal.json.Timestamps;
import io.runjournal.model.Event;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The decisions of one append, made under the run's locks against its current state (DESIGN §4):
 * which events are duplicates, which seqs the others get, and whether the batch is refused.
 */
final class AppendPlan {
  private final String branch;
  private final List<PreparedEvent> events;
  private final AppendDecision decision;
  private long head;
  private Event[] written;
  private int[] lengths;

  private AppendPlan(
      String branch, List<PreparedEvent> events, AppendDecision decision, long head) {
    this.branch = branch;
    this.events = events;
    this.decision = decision;
    this.head = head;
  }

  /**
   * Plans the batch, or throws the refusal: {@link io.runjournal.IdConflictException}, {@link
   * io.runjournal.RunEndedException} or {@link io.runjournal.SequenceConflictException}.
   */
  static AppendPlan of(
      RunState state, String branch, Long expectedSeq, List<PreparedEvent> events) {
    long head = state.head(branch);
    AppendDecision decision =
        AppendDecision.of(state.run, branch, expectedSeq, events, head, state.endedBy, state.ids);
    return new AppendPlan(branch, events, decision, head);
  }

  /** How many events will be written. */
  int fresh() {
    return decision.fresh();
  }

  /** Whether the batch ends the run. */
  boolean ends() {
    return decision.terminalType() != null;
  }

  /**
   * Encodes the events to write into {@code buffer} (cleared first, grown if needed), each line
   * ending in a newline, and returns the buffer ready to write.
   *
   * @throws EventTooLargeException if one is over {@code maxEventBytes}
   */
  ByteBuffer encode(String run, long ts, int maxEventBytes, ByteBuffer buffer) {
    byte[] timestamp = Timestamps.formatBytes(ts);
    written = new Event[decision.fresh()];
    lengths = new int[decision.fresh()];
    ByteBuffer out = buffer.clear();
    int at = 0;
    for (int i = 0; i < events.size(); i++) {
      if (decision.duplicate(i)) {
        continue;
      }
      PreparedEvent event = events.get(i);
      long textLength =
          (event.data() == null ? 0L : event.data().length())
              + (event.meta() == null ? 0L : event.meta().length());
      if (textLength > maxEventBytes) { // UTF-8 has at least a byte per char: surely too large
        int size =
            EventCodec.encodeLine(decision.seq(i), Timestamps.format(ts), run, branch, event)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)
                    .length
                + 1;
        throw new EventTooLargeException(run, event.type(), size, maxEventBytes);
      }
      int start = out.position();
      while (!EventCodec.writeLine(out, decision.seq(i), timestamp, run, branch, event)) {
        out = grow(out.position(start), maxEventBytes);
      }
      int length = out.position() - start;
      if (length > maxEventBytes) {
        throw new EventTooLargeException(run, event.type(), length, maxEventBytes);
      }
      lengths[at] = length;
      written[at++] =
          new Event(
              decision.seq(i),
              ts,
              run,
              branch,
              event.type(),
              event.id(),
              event.data(),
              event.meta(),
              null);
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
      if (decision.duplicate(i)) {
        continue;
      }
      PreparedEvent event = events.get(i);
      branchState.advance(decision.seq(i), offset, state.nextLine);
      branchState.recent.add(written[at]);
      if (event.id() != null) {
        state.ids.putIfAbsent(
            event.id(), new AppendDecision.PriorId(branch, decision.seq(i), event.contentHash()));
      }
      offset += lengths[at++];
      state.nextLine++;
      head = decision.seq(i);
    }
    state.scanned = offset;
    state.lastTs = ts;
    if (decision.terminalType() != null) {
      state.endedBy = decision.terminalType();
    }
  }

  /** The result to answer, after {@link #apply} or for a batch of duplicates only. */
  AppendResult result(String run) {
    return decision.result(run, branch, head);
  }
}
