package io.runjournal.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresServerTest {
  @Test
  void start_givesARealPostgresThatAnswersQueries_andCloseStopsIt() throws Exception {
    String jdbcUrl;
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start()) {
      server.createDatabase("journal_a");
      jdbcUrl = server.jdbcUrl("journal_a");
      try (Connection connection = DriverManager.getConnection(jdbcUrl);
          Statement statement = connection.createStatement();
          ResultSet result = statement.executeQuery("select current_database(), version()")) {
        assertThat(result.next()).isTrue();
        assertThat(result.getString(1)).isEqualTo("journal_a");
        assertThat(result.getString(2)).startsWith("PostgreSQL 17");
      }
      assertThat(server.url()).startsWith("postgresql://postgres@127.0.0.1:");
    }
    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(
                () -> DriverManager.getConnection(jdbcUrl).close()))
        .isInstanceOf(java.sql.SQLException.class);
  }
}
