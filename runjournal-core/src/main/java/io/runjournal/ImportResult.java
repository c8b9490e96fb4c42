package io.runjournal;

import java.util.Map;

/**
 * What an import did.
 *
 * @param run the run
 * @param created true if the import wrote the events; false if the run already held exactly them
 *     (an idempotent re-import, which changes nothing)
 * @param events how many events the import holds
 * @param bytes the size of their journal lines, newlines included: the journal's size afterwards
 * @param heads the head of every branch the events are on, by branch name
 */
public record ImportResult(
    String run, boolean created, long events, long bytes, Map<String, Long> heads) {

  /** Copies the map. */
  public ImportResult {
    heads = Map.copyOf(heads);
  }
}
