package io.runjournal.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.server.ServerConfig;
import io.runjournal.server.store.PgUrls;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code serve --store file|postgres --pg-url URL --recover-runs}, flags and environment. */
class ServeStoreOptionsTest {
  private static final String URL = "postgresql://journal:s3cret@db.internal:5432/runs";

  @TempDir Path data;

  private static ServerConfig configOf(Map<String, String> env, String... args) {
    CliContext context =
        new CliContext(
            new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()),
            new ByteArrayInputStream(new byte[0]),
            env);
    ServeCommand serve = new ServeCommand(context);
    new CommandLine(serve).parseArgs(args);
    return serve.config();
  }

  @Test
  void store_isTheFileStore_byDefault() {
    ServerConfig config = configOf(Map.of());

    assertThat(config.store()).isEqualTo(ServerConfig.Store.FILE);
    assertThat(config.pgUrl()).isNull();
    assertThat(config.recoverRuns()).isFalse();
  }

  @Test
  void pgUrl_alone_impliesPostgres_fromTheFlagOrTheEnvironment() {
    ServerConfig flag = configOf(Map.of(), "--pg-url", URL);
    ServerConfig env = configOf(Map.of("RUNJOURNAL_PG_URL", URL));

    assertThat(flag.store()).isEqualTo(ServerConfig.Store.POSTGRES);
    assertThat(flag.pgUrl()).isEqualTo(URL);
    assertThat(env.store()).isEqualTo(ServerConfig.Store.POSTGRES);
    assertThat(env.pgUrl()).isEqualTo(URL);
  }

  @Test
  void storePostgres_takesTheUrlFromTheEnvironment_andTheFlagWins() {
    String other = "postgresql://other@127.0.0.1/other";

    ServerConfig fromEnv =
        configOf(Map.of("RUNJOURNAL_STORE", "postgres", "RUNJOURNAL_PG_URL", URL));
    ServerConfig flagWins =
        configOf(Map.of("RUNJOURNAL_PG_URL", URL), "--store", "postgres", "--pg-url", other);

    assertThat(fromEnv.pgUrl()).isEqualTo(URL);
    assertThat(flagWins.pgUrl()).isEqualTo(other);
  }

  @Test
  void storeFile_ignoresTheEnvironmentsUrl() {
    ServerConfig config = configOf(Map.of("RUNJOURNAL_PG_URL", URL), "--store", "file");

    assertThat(config.store()).isEqualTo(ServerConfig.Store.FILE);
  }

  @Test
  void storePostgres_withoutAUrl_isAUsageErrorThatSaysWhatToGive() {
    var outcome = new CliRunner(data).inData("serve", "--store", "postgres", "--port", "0");

    assertThat(outcome.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(outcome.err())
        .contains("--store postgres needs the database", "--pg-url", "RUNJOURNAL_PG_URL");
    assertThat(Files.exists(data.resolve("runs"))).isFalse();
  }

  @Test
  void storeFile_withAPgUrlFlag_orAnUnknownStore_isAUsageError() {
    var both = new CliRunner(data).inData("serve", "--store", "file", "--pg-url", URL);
    var unknown = new CliRunner(data).inData("serve", "--store", "mysql");

    assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(both.err()).contains("--pg-url is for the PostgreSQL store");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err()).contains("--store must be file or postgres, got \"mysql\"");
  }

  @Test
  void pgUrl_thatIsNotAPostgresUrl_isAUsageErrorNamingIt() {
    var outcome = new CliRunner(data).inData("serve", "--pg-url", "mysql://db/runs");

    assertThat(outcome.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(outcome.err()).contains("postgresql://", "mysql://db/runs");
  }

  @Test
  void recoverRuns_fromTheFlagOrTheEnvironment_onPostgres() {
    assertThat(configOf(Map.of(), "--pg-url", URL, "--recover-runs").recoverRuns()).isTrue();
    assertThat(configOf(Map.of("RUNJOURNAL_RECOVER_RUNS", "true"), "--pg-url", URL).recoverRuns())
        .isTrue();
  }

  @Test
  void recoverRuns_onTheFileStore_orWithNoRecovery_isAUsageError() {
    var onFile = new CliRunner(data).inData("serve", "--recover-runs");
    var withoutRecovery =
        new CliRunner(data).inData("serve", "--pg-url", URL, "--recover-runs", "--no-recovery");

    assertThat(onFile.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(onFile.err()).contains("--recover-runs applies to the PostgreSQL store");
    assertThat(withoutRecovery.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(withoutRecovery.err()).contains("--recover-runs", "--no-recovery");
  }

  @Test
  void interruptAfter_onPostgres_needsRecoverRuns() {
    var without = new CliRunner(data).inData("serve", "--pg-url", URL, "--interrupt-after", "2h");
    ServerConfig with =
        configOf(Map.of(), "--pg-url", URL, "--interrupt-after", "2h", "--recover-runs");

    assertThat(without.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(without.err()).contains("--interrupt-after", "give --recover-runs too");
    assertThat(with.recoverRuns()).isTrue();
  }

  @Test
  void redactedUrl_hidesThePassword_inTheUserPartAndInParameters() {
    assertThat(PgUrls.redacted(URL)).isEqualTo("postgresql://journal:***@db.internal:5432/runs");
    assertThat(PgUrls.redacted("postgresql://db/runs?user=j&password=s3cret&ssl=true"))
        .isEqualTo("postgresql://db/runs?user=j&password=***&ssl=true");
    assertThat(PgUrls.redacted("postgresql://journal@db/runs"))
        .isEqualTo("postgresql://journal@db/runs");
  }
}
