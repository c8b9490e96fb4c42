package io.runjournal.server.cli;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * What a command may touch outside its arguments: the standard streams and the environment. Tests
 * inject their own; {@link #system()} is the real process.
 *
 * @param out standard output (event lines are UTF-8 and end in {@code \n} on every platform)
 * @param err standard error: one line per error or warning
 * @param in standard input (NDJSON for {@code append --ndjson})
 * @param env the environment variables ({@code RUNJOURNAL_DATA})
 */
record CliContext(PrintWriter out, PrintWriter err, InputStream in, Map<String, String> env) {

  /** The environment variable naming the default data directory. */
  static final String DATA_ENV = "RUNJOURNAL_DATA";

  CliContext {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
    Objects.requireNonNull(in, "in");
    env = Map.copyOf(env);
  }

  /** The process's own streams (UTF-8, stdout buffered) and environment. */
  static CliContext system() {
    PrintWriter out =
        new PrintWriter(
            new BufferedWriter(
                new OutputStreamWriter(
                    new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8)));
    PrintWriter err =
        new PrintWriter(
            new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8),
            /* autoFlush= */ true);
    return new CliContext(out, err, System.in, System.getenv());
  }
}
