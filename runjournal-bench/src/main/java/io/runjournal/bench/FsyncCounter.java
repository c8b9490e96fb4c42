package io.runjournal.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A JMH secondary metric {@code fsyncs}: the {@code fdatasync} calls each writer thread made (as
 * group-commit leader), reported as a rate; the mean batch is the primary events/s divided by it.
 * Code that forces calls {@link #forced()} on the forcing thread.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class FsyncCounter {
  private static final ThreadLocal<FsyncCounter> CURRENT = new ThreadLocal<>();

  /** fdatasync calls this thread made in the iteration. */
  public long fsyncs;

  /** Counts one force for the calling thread, if it is a benchmark thread with a counter. */
  static void forced() {
    FsyncCounter counter = CURRENT.get();
    if (counter != null) {
      counter.fsyncs++;
    }
  }

  @Setup(Level.Iteration)
  public void bind() {
    fsyncs = 0;
    CURRENT.set(this);
  }

  @TearDown(Level.Iteration)
  public void unbind() {
    CURRENT.remove();
  }
}
