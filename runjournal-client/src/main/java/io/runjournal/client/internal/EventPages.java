package io.runjournal.client.internal;

import io.runjournal.client.Event;
import io.runjournal.client.ReadOptions;
import io.runjournal.client.ReadPage;
import java.util.Iterator;
import java.util.function.Function;

/**
 * The events of consecutive read pages, fetched one page at a time as the iteration reaches it. An
 * ascending read stops at the head its first page reported, so it ends even while producers keep
 * appending. Not thread-safe (one iteration, one thread).
 */
public final class EventPages implements Iterator<Event> {
  private final Function<ReadOptions, ReadPage> reader;
  private ReadOptions options;
  private Iterator<Event> page;
  private Long stopAfter; // ascending: the head seen first
  private boolean lastPage;
  private Event next;

  /** Reads with {@code reader} from {@code options}, following each page's {@code next}. */
  public EventPages(Function<ReadOptions, ReadPage> reader, ReadOptions options) {
    this.reader = reader;
    this.options = options;
  }

  @Override
  public boolean hasNext() {
    while (next == null) {
      if (page != null && page.hasNext()) {
        Event event = page.next();
        if (stopAfter != null && event.seq() > stopAfter) {
          lastPage = true;
          page = null;
          return false;
        }
        next = event;
      } else if (lastPage) {
        return false;
      } else {
        fetch();
      }
    }
    return true;
  }

  @Override
  public Event next() {
    if (!hasNext()) {
      throw new java.util.NoSuchElementException();
    }
    Event event = next;
    next = null;
    return event;
  }

  private void fetch() {
    ReadPage current = reader.apply(options);
    if (stopAfter == null && !options.isDescending()) {
      stopAfter = current.head();
    }
    page = current.events().iterator();
    boolean pastHead = stopAfter != null && current.next() != null && current.next() >= stopAfter;
    boolean stuck = current.next() != null && current.next().equals(options.afterSeq());
    if (current.next() == null || pastHead || stuck) {
      lastPage = true;
    } else {
      options = options.afterSeq(current.next());
    }
  }
}
