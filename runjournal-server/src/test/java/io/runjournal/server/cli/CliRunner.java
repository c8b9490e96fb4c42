package io.runjournal.server.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/** Runs CLI command lines in-process on a data directory, capturing stdout and stderr. */
final class CliRunner {
  private final Path data;
  private final Map<String, String> env;

  CliRunner(Path data) {
    this(data, Map.of());
  }

  CliRunner(Path data, Map<String, String> env) {
    this.data = data;
    this.env = env;
  }

  /** What a command printed and returned. */
  record Outcome(int exitCode, String out, String err) {}

  /** A command running on another thread; {@link #out()} grows as it prints. */
  record Background(StringWriter stdout, CompletableFuture<Integer> exitCode) {
    String out() {
      return stdout.toString();
    }
  }

  /** Runs {@code args} exactly as given. */
  Outcome execute(String... args) {
    return executeWithStdin("", args);
  }

  /** Runs {@code args} with {@code --data <the data directory>} appended. */
  Outcome inData(String... args) {
    return execute(withData(args));
  }

  /** Runs {@code args} with {@code --data} appended, with {@code stdin} as standard input. */
  Outcome inDataWithStdin(String stdin, String... args) {
    return executeWithStdin(stdin, withData(args));
  }

  /** Starts {@code args} with {@code --data} appended on another thread. */
  Background startInData(String... args) {
    StringWriter out = new StringWriter();
    CliContext context = context(out, new StringWriter(), "");
    String[] command = withData(args);
    return new Background(out, CompletableFuture.supplyAsync(() -> Main.execute(context, command)));
  }

  /** Starts {@code args}, exactly as given, on another thread. */
  Background start(String... args) {
    StringWriter out = new StringWriter();
    CliContext context = context(out, new StringWriter(), "");
    return new Background(out, CompletableFuture.supplyAsync(() -> Main.execute(context, args)));
  }

  /** Runs {@code args}, exactly as given, with {@code stdin} as standard input. */
  Outcome executeWithStdin(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode = Main.execute(context(out, err, stdin), args);
    return new Outcome(exitCode, out.toString(), err.toString());
  }

  private CliContext context(StringWriter out, StringWriter err, String stdin) {
    InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    return new CliContext(new PrintWriter(out), new PrintWriter(err), in, env);
  }

  private String[] withData(String... args) {
    return Stream.concat(Arrays.stream(args), Stream.of("--data", data.toString()))
        .toArray(String[]::new);
  }
}
