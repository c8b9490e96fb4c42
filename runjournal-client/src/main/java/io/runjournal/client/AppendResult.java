package io.runjournal.client;

import java.util.List;

/**
 * What an append did.
 *
 * @param run the run
 * @param branch the branch
 * @param first the seq of the batch's first event (a duplicate answers its original seq)
 * @param last the seq of the batch's last event
 * @param head the branch's head after the append
 * @param seqs the seq of every event of the batch, in batch order
 * @param duplicates the seqs of the events that already existed (same id) and were not written
 *     again
 */
public record AppendResult(
    String run,
    String branch,
    long first,
    long last,
    long head,
    List<Long> seqs,
    List<Long> duplicates) {

  /** Copies the lists. */
  public AppendResult {
    seqs = List.copyOf(seqs);
    duplicates = List.copyOf(duplicates);
  }

  /** Whether every event of the batch was a duplicate: nothing was written. */
  public boolean allDuplicates() {
    return !seqs.isEmpty() && duplicates.size() == seqs.size();
  }
}
