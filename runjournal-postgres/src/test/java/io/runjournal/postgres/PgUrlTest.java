package io.runjournal.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PgUrlTest {

  @Test
  void parse_fullUrl_givesJdbcUrlUserPasswordHostPortAndDatabase() {
    PgUrl url = PgUrl.parse("postgresql://journal:s3cret@db.example:6432/runs?sslmode=require");

    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6432/runs?sslmode=require");
    assertThat(url.user()).isEqualTo("journal");
    assertThat(url.password()).isEqualTo("s3cret");
    assertThat(url.host()).isEqualTo("db.example");
    assertThat(url.port()).isEqualTo(6432);
    assertThat(url.database()).isEqualTo("runs");
    assertThat(url.describe()).isEqualTo("db.example:6432/runs");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "postgresql://127.0.0.1/journal              | jdbc:postgresql://127.0.0.1:5432/journal | - | -",
        "postgres://me@host:5433/journal             | jdbc:postgresql://host:5433/journal      | me | -",
        "postgresql://me:@host/journal               | jdbc:postgresql://host:5432/journal      | me | ''",
        "postgresql://me:p%40ss%3Aw+rd@host/journal  | jdbc:postgresql://host:5432/journal      | me | p@ss:w+rd",
        "postgresql://me:p@ss@host/journal           | jdbc:postgresql://host:5432/journal      | me | p@ss",
        "postgresql://[::1]:5439/journal             | jdbc:postgresql://[::1]:5439/journal     | - | -",
        "postgresql://host/my%20db                   | jdbc:postgresql://host:5432/my%20db      | - | -",
      })
  void parse_withAndWithoutUserPasswordAndPort(
      String given, String jdbcUrl, String user, String password) {
    PgUrl url = PgUrl.parse(given);

    assertThat(url.jdbcUrl()).isEqualTo(jdbcUrl);
    assertThat(url.user()).isEqualTo(user);
    assertThat(url.password()).isEqualTo(password);
  }

  @Test
  void parse_libpqParameters_areTranslated_othersPassedOn() {
    PgUrl url =
        PgUrl.parse(
            "postgresql://h/db?application_name=node-1&connect_timeout=3&sslmode=verify-full&");

    assertThat(url.jdbcUrl())
        .isEqualTo(
            "jdbc:postgresql://h:5432/db?ApplicationName=node-1&connectTimeout=3"
                + "&sslmode=verify-full");
  }

  @Test
  void parse_jdbcUrl_isKeptAsGiven() {
    PgUrl url = PgUrl.parse("jdbc:postgresql://a:5433,b:5434/journal?user=me&password=x");

    assertThat(url.jdbcUrl())
        .isEqualTo("jdbc:postgresql://a:5433,b:5434/journal?user=me&password=x");
    assertThat(url.user()).isNull();
    assertThat(url.database()).isEqualTo("journal");
    assertThat(url.port()).isEqualTo(5433);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "mysql://h/db",
        "postgresql://h",
        "postgresql://h/",
        "postgresql:///db",
        "postgresql://h:99999/db",
        "postgresql://h:port/db",
        "postgresql://[::1/db",
        "postgresql://a,b/db",
        "postgresql://h/db?=x",
        "jdbc:postgresql://h:5432/",
      })
  void parse_badUrl_failsNamingTheUrl(String bad) {
    assertThatThrownBy(() -> PgUrl.parse(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad PostgreSQL URL " + bad);
  }

  @Test
  void parse_badUrlWithAPassword_namesItWithThePasswordMasked() {
    assertThatThrownBy(() -> PgUrl.parse("postgresql://me:hunter2@h:0/db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("postgresql://me:***@h:0/db")
        .hasMessageNotContaining("hunter2");
    assertThat(PgUrl.parse("postgresql://me:hunter2@h/db").toString()).doesNotContain("hunter2");
  }

  @Test
  void options_refuseANonPostgresUrl_andOpenRefusesAnUnparsableOne() {
    assertThatThrownBy(() -> PostgresOptions.of("mysql://h/db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mysql://h/db");
    assertThatThrownBy(() -> PostgresJournal.open(PostgresOptions.of("postgresql://h:0/db")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("postgresql://h:0/db");
  }
}
