package io.runjournal.server.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr for long commands, shown only on a terminal ({@code System.console() !=
 * null}): piped or redirected output gets nothing of it, so scripts and logs see only the command's
 * own lines. The one place commands get a bar from. Thread-safe: workers may step it. A command
 * that prints lines while the bar is shown prints them through {@link #println}, which clears the
 * bar's line first and draws the bar again below, so the two never tear each other.
 */
final class Progress implements AutoCloseable {
  private final ProgressBar bar;
  private final LineSafeConsumer consumer;

  private Progress(ProgressBar bar, LineSafeConsumer consumer) {
    this.bar = bar;
    this.consumer = consumer;
  }

  /** A bar named {@code task}, or a silent one when not on a terminal; the total comes later. */
  static Progress start(String task) {
    if (System.console() == null) {
      return new Progress(null, null);
    }
    LineSafeConsumer consumer = new LineSafeConsumer(System.err);
    return new Progress(
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(-1)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(100)
            .setConsumer(consumer)
            .clearDisplayOnFinish()
            .build(),
        consumer);
  }

  /** Sets how many steps make the whole task. */
  void total(long steps) {
    if (bar != null) {
      bar.maxHint(steps);
    }
  }

  /** One step done. */
  void step() {
    if (bar != null) {
      bar.step();
    }
  }

  /** Prints {@code line} and a newline to {@code out} (the command's output), above the bar. */
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

  /** Removes the bar from the terminal. */
  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }

  /**
   * Draws the bar on one line (carriage return, no cursor movement), and erases it while a line of
   * output is printed, then draws it again below that line.
   */
  private static final class LineSafeConsumer extends ConsoleProgressBarConsumer {
    private final PrintStream err;
    private String drawn = ""; // the bar as last drawn

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
      err.print("\r\u001b[K"); // erase the bar's line
      err.flush();
      print.run();
      super.accept(drawn);
    }
  }
}
