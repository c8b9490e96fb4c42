package io.runjournal.client.internal;

import io.runjournal.client.Event;
import io.runjournal.client.ReadOptions;
import io.runjournal.client.ReadPage;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * The events of consecutive read pages, fetched one page at a time as the iteration reaches it: an
 * ascending read continues with {@code afterSeq = next}, a descending one with {@code beforeSeq =
 * next}. An ascending read stops at the head its first page reported (later pages are asked with
 * {@code beforeSeq = head + 1}, and anything past the head is dropped should a server ignore that),
 * so it ends even while producers keep appending. Not thread-safe (one iteration, one thread).
 */
public final class EventPages implements Iterator<Event> {
  private final Function<ReadOptions, ReadPage> reader;
  private final boolean descending;
  private ReadOptions options;
  private Iterator<Event> page;
  private Long stopAfter; // ascending: the head seen first
  private boolean lastPage;
  private Event next;

  /** Reads with {@code reader} from {@code options}, following each page's {@code next}. */
  public EventPages(Function<ReadOptions, ReadPage> reader, ReadOptions options) {
    this.reader = reader;
    this.options = options;
    this.descending = options.isDescending();
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
      throw new NoSuchElementException();
    }
    Event event = next;
    next = null;
    return event;
  }

  private void fetch() {
    ReadPage current = reader.apply(options);
    page = current.events().iterator();
    Long cursor = current.next();
    if (descending) {
      lastPage = cursor == null || cursor.equals(options.beforeSeq());
      options = lastPage ? options : options.beforeSeq(cursor);
      return;
    }
    if (stopAfter == null) {
      stopAfter = current.head();
    }
    lastPage = cursor == null || cursor >= stopAfter || cursor.equals(options.afterSeq());
    if (!lastPage) {
      long bound = stopAfter + 1;
      options =
          options
              .afterSeq(cursor)
              .beforeSeq(
                  options.beforeSeq() == null ? bound : Math.min(options.beforeSeq(), bound));
    }
  }
}
