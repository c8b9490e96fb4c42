package io.runjournal.internal.live;

import io.runjournal.Subscription;
import io.runjournal.model.Event;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A subscription that is a cursor over the store (DESIGN §5): each poll reads everything after its
 * position, and waits on the run's signal (appends in this process) or at most one poll period
 * (appends by other processes) when there is nothing new. Not thread-safe except {@link #close()}.
 */
public final class CursorSubscription implements Subscription {

  /** Reads a batch of events after a position. */
  @FunctionalInterface
  public interface Source {
    /** Events after {@code afterSeq}, at most {@code limit}. */
    Batch read(long afterSeq, int limit);
  }

  /**
   * One read of the source.
   *
   * @param events the events that pass the filter
   * @param head the branch's head
   * @param through the last seq of the branch examined (delivered or filtered out)
   * @param ended whether the run has ended
   */
  public record Batch(List<Event> events, long head, long through, boolean ended) {}

  private final Source source;
  private final ChangeNotifier notifier;
  private final ChangeNotifier.Signal signal;
  private final int maxBatch;
  private final long pollNanos;
  private final BooleanSupplier journalClosed;
  private final AtomicBoolean closed = new AtomicBoolean();
  private long position;
  private long head;
  private boolean complete;

  /** A cursor starting after {@code afterSeq}. */
  public CursorSubscription(
      Source source,
      ChangeNotifier notifier,
      String run,
      long afterSeq,
      int maxBatch,
      Duration pollPeriod,
      BooleanSupplier journalClosed) {
    this.source = source;
    this.notifier = notifier;
    this.signal = notifier.register(run);
    this.position = afterSeq;
    this.maxBatch = maxBatch;
    this.pollNanos = pollPeriod.toNanos();
    this.journalClosed = journalClosed;
  }

  @Override
  public List<Event> poll(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!closed.get() && !journalClosed.getAsBoolean()) {
      long version = signal.version();
      Batch batch = source.read(position, maxBatch);
      head = batch.head();
      position = Math.max(position, batch.through());
      if (!batch.events().isEmpty()) {
        return batch.events();
      }
      if (batch.ended() && position >= head) {
        complete = true;
        return List.of();
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return List.of();
      }
      signal.await(version, Math.min(remaining, pollNanos));
    }
    return List.of();
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public long head() {
    return head;
  }

  @Override
  public boolean isComplete() {
    return complete;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      signal.fire();
      notifier.unregister(signal);
    }
  }
}
