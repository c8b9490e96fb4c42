package io.runjournal.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runjournal.StorageException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** How store failures from PostgreSQL become problems: an unreachable database is a 503. */
class ProblemWriterTest {
  private final ProblemWriter problems = new ProblemWriter(new ObjectMapper(), Path.of("data"));

  private static StorageException storageError(Throwable cause) {
    return new StorageException(Path.of("postgresql:runs", "runs", "r1"), "appending to", cause);
  }

  @Test
  void storageError_fromALostConnection_isUnavailable503() {
    Problem lost = problems.toProblem(storageError(new SQLException("I/O error", "08006")));
    Problem shutdown =
        problems.toProblem(storageError(new SQLException("terminating connection", "57P01")));

    assertThat(lost.status()).isEqualTo(503);
    assertThat(lost.type()).isEqualTo("unavailable");
    assertThat(lost.title()).isEqualTo("Store unavailable");
    assertThat(lost.detail()).contains("appending to", "r1");
    assertThat(shutdown.status()).isEqualTo(503);
  }

  @Test
  void storageError_whenNoPooledConnectionCameInTime_isUnavailable503() {
    Problem timedOut =
        problems.toProblem(
            storageError(
                new SQLTransientConnectionException(
                    "runjournal-runs - Connection is not available, request timed out after"
                        + " 10000ms")));

    assertThat(timedOut.status()).isEqualTo(503);
    assertThat(timedOut.type()).isEqualTo("unavailable");
  }

  @Test
  void storageError_fromAnythingElse_staysAServerFault500() {
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(ProblemWriter.class);
    logger.setLevel(Level.OFF); // the error it logs is the expected outcome here
    Problem missingTable;
    try {
      missingTable =
          problems.toProblem(storageError(new SQLException("relation does not exist", "42P01")));
    } finally {
      logger.setLevel(null);
    }

    assertThat(missingTable.status()).isEqualTo(500);
    assertThat(missingTable.type()).isEqualTo("storage-error");
  }
}
