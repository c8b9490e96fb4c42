package io.runjournal.torture;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a test main class on the test class path, talking over stdin/stdout lines.
 * Its stderr goes to a file that failures quote. {@link #close()} kills it if it still runs, so a
 * test that opens children in try-with-resources or closes them in {@code @AfterEach} never leaks
 * one. Not thread-safe, except that stdout is pumped by a daemon thread.
 */
final class ChildJvm implements AutoCloseable {
  /** A bound for waits that should end quickly but must never hang a test forever. */
  static final Duration PATIENCE = Duration.ofSeconds(60);

  private static final String END_OF_OUTPUT = "\u0000end-of-output";

  private final String name;
  private final Process process;
  private final Path stderr;
  private final Writer stdin;
  private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
  private boolean ended;

  private ChildJvm(String name, Process process, Path stderr) {
    this.name = name;
    this.process = process;
    this.stderr = stderr;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread.ofPlatform().daemon().name("child-" + name + "-stdout").start(this::pumpStdout);
  }

  /**
   * Starts {@code mainClass} with {@code args}; its stderr goes to {@code <workDir>/<name>.err}.
   */
  static ChildJvm start(String name, Path workDir, Class<?> mainClass, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            mainClass.getName()));
    command.addAll(List.of(args));
    Files.createDirectories(workDir);
    Path stderr = workDir.resolve(name + ".err");
    Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    return new ChildJvm(name, process, stderr);
  }

  private void pumpStdout() {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        stdout.add(line);
      }
    } catch (IOException e) {
      // The child was killed; whatever it printed before is in the queue.
    } finally {
      stdout.add(END_OF_OUTPUT);
    }
  }

  /** The child's name, as given to {@link #start}. */
  String name() {
    return name;
  }

  /**
   * The next line the child printed, or null once its output ended; fails if nothing comes within
   * {@code timeout}.
   */
  String nextLine(Duration timeout) throws InterruptedException {
    if (ended) {
      return null;
    }
    String line = stdout.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null) {
      fail("child %s printed nothing within %s; stderr:%n%s", name, timeout, stderr());
    }
    if (line.equals(END_OF_OUTPUT)) {
      ended = true;
      return null;
    }
    return line;
  }

  /** Reads lines until one equals {@code expected}; fails if the output ends first. */
  List<String> readUntil(String expected, Duration timeout) throws InterruptedException {
    List<String> before = new ArrayList<>();
    while (true) {
      String line = nextLine(timeout);
      if (line == null) {
        fail(
            "child %s ended (exit %s) before printing %s; stderr:%n%s",
            name, exitCodeIfEnded(), expected, stderr());
      }
      if (line.equals(expected)) {
        return before;
      }
      before.add(line);
    }
  }

  /** Every remaining line up to the end of the child's output (the child must be ending). */
  List<String> readToEnd(Duration timeout) throws InterruptedException {
    List<String> lines = new ArrayList<>();
    String line;
    while ((line = nextLine(timeout)) != null) {
      lines.add(line);
    }
    return lines;
  }

  /** Sends one line to the child's stdin. */
  void send(String line) throws IOException {
    stdin.write(line + "\n");
    stdin.flush();
  }

  /** Waits for the child to exit on its own and fails unless it exits with 0. */
  void awaitSuccess(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      fail("child %s did not exit within %s; stderr:%n%s", name, timeout, stderr());
    }
    if (process.exitValue() != 0) {
      fail("child %s exited with %d; stderr:%n%s", name, process.exitValue(), stderr());
    }
  }

  /** Kills the child with SIGKILL and waits until it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** The child's stderr so far. */
  String stderr() {
    try {
      return Files.readString(stderr);
    } catch (IOException e) {
      return "(stderr unreadable: " + e + ")";
    }
  }

  private String exitCodeIfEnded() {
    return process.isAlive() ? "still running" : Integer.toString(process.exitValue());
  }

  /** Kills the child if it still runs. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Closes every child, even if one fails. */
  static void closeAll(List<ChildJvm> children) {
    for (ChildJvm child : children) {
      child.close();
    }
  }
}
