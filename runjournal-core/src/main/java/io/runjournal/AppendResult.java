package io.runjournal;

import java.util.List;

/**
 * What an append did.
 *
 * @param run the run
 * @param branch the branch
 * @param seqs the sequence number of each event of the request, in request order; a duplicate gets
 *     its original number
 * @param duplicate for each event of the request, whether it was a duplicate (not written again)
 * @param head the branch's head after the append
 */
public record AppendResult(
    String run, String branch, List<Long> seqs, List<Boolean> duplicate, long head) {

  /** Copies the lists. */
  public AppendResult {
    seqs = List.copyOf(seqs);
    duplicate = List.copyOf(duplicate);
  }

  /** The seq of the request's first event. */
  public long first() {
    return seqs.getFirst();
  }

  /** The seq of the request's last event. */
  public long last() {
    return seqs.getLast();
  }

  /** How many events of the request were duplicates. */
  public int duplicates() {
    return (int) duplicate.stream().filter(Boolean::booleanValue).count();
  }

  /** Whether every event of the request was a duplicate (nothing was written). */
  public boolean allDuplicates() {
    return duplicates() == seqs.size();
  }
}
