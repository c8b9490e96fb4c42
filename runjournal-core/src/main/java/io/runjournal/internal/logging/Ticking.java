package io.runjournal.internal.logging;

/**
 * A sink with work to do while no records arrive: a file sink forces lines written since its last
 * sync once the sync interval has passed. The writer thread of an {@link AsyncSink} calls {@link
 * #tick()} when its queue has been idle for a while.
 */
public interface Ticking {

  /** Does the periodic work that is due, if any; never throws (failures go to the warnings). */
  void tick();
}
