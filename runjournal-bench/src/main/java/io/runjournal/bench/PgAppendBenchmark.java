package io.runjournal.bench;

import io.runjournal.AppendRequest;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.internal.json.EventCodec;
import io.runjournal.model.Event;
import io.runjournal.postgres.EmbeddedPostgresServer;
import io.runjournal.postgres.PostgresJournal;
import io.runjournal.postgres.PostgresOptions;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * B8: batched appends into the PostgreSQL store beside the fastest way PostgreSQL loads the same
 * rows, in one run, into one database (a real PostgreSQL 17 with its default durability: fsync and
 * synchronous commit on). Every operation is a batch of {@value #BATCH} events of {@value
 * BenchEvents#LINE_BYTES} bytes; ops/s × {@value #BATCH} = events/s (reported per event).
 *
 * <ul>
 *   <li>{@code journalAppendBatch}: {@code journal.append(run, batch)} — one transaction: lock the
 *       run's row, check ids and heads, insert the batch in one statement, update heads, notify.
 *   <li>{@code copyBinary}: the baseline — {@code COPY events FROM STDIN (FORMAT BINARY)} of the
 *       same rows (every column, the same line and jsonb data) in one transaction, pre-encoded: no
 *       checks, no sequence assignment, no head update.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 5)
public class PgAppendBenchmark {
  static final int BATCH = 100;
  static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L; // 2000-01-01T00:00:00Z

  /** One PostgreSQL server and database for the whole benchmark. */
  @State(Scope.Benchmark)
  public static class Database {
    EmbeddedPostgresServer server;
    String url;

    @Setup(Level.Trial)
    public void start() throws IOException {
      server = EmbeddedPostgresServer.startDurable();
      url = server.createDatabase("b8");
    }

    @TearDown(Level.Trial)
    public void stop() {
      server.close();
    }
  }

  /** The PostgreSQL journal, appending batches to fresh runs. */
  @State(Scope.Thread)
  public static class JournalWriter {
    Journal journal;
    AppendRequest batch;
    int run;

    @Setup(Level.Trial)
    public void open(Database database) {
      journal =
          PostgresJournal.open(
              PostgresOptions.of(database.url).withJournal(JournalOptions.defaults()));
      batch = AppendRequest.of(Collections.nCopies(BATCH, BenchEvents.EVENT));
    }

    @TearDown(Level.Trial)
    public void close() {
      journal.close();
    }
  }

  /** COPY BINARY of the same rows over a plain connection, to fresh runs. */
  @State(Scope.Thread)
  public static class CopyWriter {
    Connection connection;
    CopyManager copy;
    List<String> lines;
    int run;

    @Setup(Level.Trial)
    public void open(Database database) throws SQLException {
      // The journal created the schema in its own state; make sure it exists for COPY too.
      PostgresJournal.open(PostgresOptions.of(database.url)).close();
      connection = DriverManager.getConnection(database.server.jdbcUrl("b8"));
      copy = connection.unwrap(PGConnection.class).getCopyAPI();
      lines = new ArrayList<>(BATCH);
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
      connection.close();
    }

    /** The rows of one batch, encoded as COPY's binary format. */
    byte[] encode(String runId) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(BATCH * 700);
      DataOutputStream out = new DataOutputStream(bytes);
      out.write("PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1));
      out.writeInt(0); // flags
      out.writeInt(0); // header extension length
      long millis = Instant.now().toEpochMilli();
      byte[] data = BenchEvents.DATA.getBytes(StandardCharsets.UTF_8);
      for (int seq = 1; seq <= BATCH; seq++) {
        Event event =
            new Event(
                seq, millis, runId, "main", BenchEvents.TYPE, null, BenchEvents.DATA, null, null);
        out.writeShort(10);
        text(out, runId);
        text(out, "main");
        out.writeInt(8);
        out.writeLong(seq);
        out.writeInt(8);
        out.writeLong(seq); // line_no
        out.writeInt(8);
        out.writeLong(millis * 1000 - POSTGRES_EPOCH_MICROS);
        text(out, BenchEvents.TYPE);
        out.writeInt(-1); // id
        out.writeInt(data.length + 1); // jsonb: version byte, then the text
        out.write(1);
        out.write(data);
        out.writeInt(-1); // meta
        text(out, EventCodec.encodeLine(event));
      }
      out.writeShort(-1);
      out.flush();
      return bytes.toByteArray();
    }

    private static void text(DataOutputStream out, String value) throws IOException {
      byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      out.writeInt(utf8.length);
      out.write(utf8);
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long journalAppendBatch(JournalWriter writer) {
    return writer.journal.append("journal-" + writer.run++, writer.batch).last();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long copyBinary(CopyWriter writer) throws IOException, SQLException {
    byte[] rows = writer.encode("copy-" + writer.run++);
    return writer.copy.copyIn(
        "COPY events (run, branch, seq, line_no, ts, type, id, data, meta, line)"
            + " FROM STDIN (FORMAT BINARY)",
        new java.io.ByteArrayInputStream(rows));
  }
}
