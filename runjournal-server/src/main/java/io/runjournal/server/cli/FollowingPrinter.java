package io.runjournal.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.runjournal.client.Event;
import io.runjournal.client.SubscriptionListener;
import java.util.function.Consumer;

/**
 * Prints the events of a server subscription for {@code tail -f}, flushing each, and remembers why
 * it stopped: the output was closed, or an error the client does not retry. Callbacks run on the
 * subscription's thread; the command's thread reads the outcome.
 */
final class FollowingPrinter implements SubscriptionListener {
  private final EventPrinter printer;
  private final Consumer<String> warnings;
  private volatile boolean outputClosed;
  private volatile Exception failure;

  FollowingPrinter(EventPrinter printer, Consumer<String> warnings) {
    this.printer = printer;
    this.warnings = warnings;
  }

  @Override
  public void onEvent(Event event) {
    if (outputClosed) {
      return;
    }
    printer.print(ClientEvents.toJournal(event));
    outputClosed = printer.outputClosed(); // flushes
  }

  @Override
  public void onReset(long lastEventId, long head) {
    warnings.accept(
        "the server's journal ends at seq "
            + head
            + ", before the resume point "
            + lastEventId
            + " (restored from an older backup?): continuing after "
            + head);
  }

  @Override
  public void onEnd(JsonNode summary) {
    printer.outputClosed(); // flushes
  }

  @Override
  public void onError(Throwable error, boolean willRetry) {
    if (willRetry) {
      warnings.accept(error.getMessage() + "; reconnecting");
    } else {
      failure = error instanceof Exception exception ? exception : new RuntimeException(error);
    }
  }

  /** Whether the reader of the output went away. */
  boolean outputClosed() {
    return outputClosed;
  }

  /** The error that stopped the subscription, or null. */
  Exception failure() {
    return failure;
  }
}
