package io.runjournal;

import io.runjournal.model.Ids;
import io.runjournal.model.NewEvent;
import java.util.List;
import java.util.Objects;

/**
 * An atomic batch of events for one (run, branch): all get contiguous sequence numbers, or none is
 * written (DESIGN §4). Immutable.
 *
 * @param branch the branch, {@code main} when null
 * @param expectedSeq the head the caller believes is current ({@code 0} = the branch is empty), or
 *     null for no check
 * @param events the events, at least one
 */
public record AppendRequest(String branch, Long expectedSeq, List<NewEvent> events) {

  /** Copies the list and checks it is not empty. */
  public AppendRequest {
    events = List.copyOf(Objects.requireNonNull(events, "events"));
    if (events.isEmpty()) {
      throw new InvalidEventException("an append needs at least one event");
    }
    branch = branch == null ? Ids.MAIN_BRANCH : branch;
  }

  /** A batch for branch {@code main} with no expected head. */
  public static AppendRequest of(NewEvent... events) {
    return new AppendRequest(null, null, List.of(events));
  }

  /** A batch for branch {@code main} with no expected head. */
  public static AppendRequest of(List<NewEvent> events) {
    return new AppendRequest(null, null, events);
  }

  /** A copy for this branch. */
  public AppendRequest onBranch(String branchName) {
    return new AppendRequest(branchName, expectedSeq, events);
  }

  /** A copy that is written only if the branch's head is {@code head}. */
  public AppendRequest expecting(long head) {
    return new AppendRequest(branch, head, events);
  }
}
