package io.runjournal.server.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr for long commands, shown only on a terminal ({@code System.console() !=
 * null}): piped or redirected output gets nothing of it, so scripts and logs see only the command's
 * own lines. The one place commands get a bar from. Thread-safe: workers may step it.
 */
final class Progress implements AutoCloseable {
  private final ProgressBar bar;

  private Progress(ProgressBar bar) {
    this.bar = bar;
  }

  /** A bar named {@code task}, or a silent one when not on a terminal; the total comes later. */
  static Progress start(String task) {
    if (System.console() == null) {
      return new Progress(null);
    }
    return new Progress(
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(-1)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(100)
            .clearDisplayOnFinish()
            .build());
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

  /** Removes the bar from the terminal. */
  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
