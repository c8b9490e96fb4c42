package io.runjournal.server.cli;

import java.io.Console;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A progress bar on stderr for commands that work through many items (library {@code
 * me.tongfei:progressbar}), shown only on a terminal: when the output is piped or redirected, or in
 * tests, nothing of it is printed. The command's own lines go through {@link #println}, which
 * clears the bar, prints the line and draws the bar again below it, so the two never tear each
 * other. Not thread-safe except that the bar redraws itself on its own thread.
 */
final class Progress implements AutoCloseable {
  private final ProgressBar bar; // null when not on a terminal
  private final LineSafeConsumer consumer;

  private Progress(ProgressBar bar, LineSafeConsumer consumer) {
    this.bar = bar;
    this.consumer = consumer;
  }

  /** A bar for {@code total} steps named {@code task}, or an invisible one off a terminal. */
  static Progress start(String task, long total) {
    if (!onTerminal()) {
      return new Progress(null, null);
    }
    LineSafeConsumer consumer = new LineSafeConsumer(System.err);
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .setUpdateIntervalMillis(200)
            .setConsumer(consumer)
            .clearDisplayOnFinish()
            .build();
    return new Progress(bar, consumer);
  }

  /** One more item done. */
  void step() {
    if (bar != null) {
      bar.step();
    }
  }

  /** Prints {@code line} and a newline to {@code out}, above the bar. */
  void println(PrintWriter out, String line) {
    if (consumer == null) {
      out.print(line + "\n");
      return;
    }
    consumer.printAbove(
        () -> {
          out.print(line + "\n");
          out.flush();
        });
  }

  /** Removes the bar. */
  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }

  /**
   * Whether stdin and stdout are a terminal. JDK 22 to 24 return a console even when they are
   * redirected and tell with {@code Console.isTerminal()} (absent from the Java 21 API we compile
   * against, hence the reflection).
   */
  private static boolean onTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (NoSuchMethodException e) {
      return true; // JDK 21: a console means a terminal
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }

  /** Draws the bar, and clears it while a line of output is printed above it. */
  private static final class LineSafeConsumer extends ConsoleProgressBarConsumer {
    private final PrintStream err;
    private String drawn = ""; // the bar as last drawn, redrawn below a printed line

    LineSafeConsumer(PrintStream err) {
      super(err);
      this.err = err;
    }

    @Override
    public synchronized void accept(String rendered) {
      drawn = rendered;
      super.accept(rendered);
    }

    synchronized void printAbove(Runnable print) {
      err.print("\r\u001b[K"); // erase the line (the bar itself draws with ANSI colours)
      err.flush();
      print.run();
      super.accept(drawn);
    }
  }
}
