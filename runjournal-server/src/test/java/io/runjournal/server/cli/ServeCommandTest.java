package io.runjournal.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.FsyncPolicy;
import io.runjournal.server.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {
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
  void defaults_areLoopback7070FsyncAlwaysWithoutTokens() {
    ServerConfig config = configOf(Map.of());

    assertThat(config.dataDir()).isEqualTo(Path.of("data"));
    assertThat(config.bind()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(7070);
    assertThat(config.fsync()).isEqualTo(FsyncPolicy.ALWAYS);
    assertThat(config.heartbeat()).isEqualTo(Duration.ofSeconds(15));
    assertThat(config.tokenFile()).isNull();
    assertThat(config.insecure()).isFalse();
    assertThat(config.limits()).isEqualTo(ServerConfig.Limits.defaults());
  }

  @Test
  void environment_setsWhatFlagsDoNot_andFlagsWin() {
    Map<String, String> env =
        Map.of(
            "RUNJOURNAL_DATA", "/srv/journal",
            "RUNJOURNAL_PORT", "8080",
            "RUNJOURNAL_FSYNC", "interval",
            "RUNJOURNAL_HEARTBEAT", "500ms",
            "RUNJOURNAL_TOKEN_FILE", "/etc/runjournal/tokens",
            "RUNJOURNAL_MAX_BATCH_EVENTS", "50");

    ServerConfig fromEnv = configOf(env);
    ServerConfig flagsWin =
        configOf(env, "--port", "9090", "--heartbeat", "2m", "--max-batch-events", "7");

    assertThat(fromEnv.dataDir()).isEqualTo(Path.of("/srv/journal"));
    assertThat(fromEnv.port()).isEqualTo(8080);
    assertThat(fromEnv.fsync()).isEqualTo(FsyncPolicy.INTERVAL);
    assertThat(fromEnv.heartbeat()).isEqualTo(Duration.ofMillis(500));
    assertThat(fromEnv.tokenFile()).isEqualTo(Path.of("/etc/runjournal/tokens"));
    assertThat(fromEnv.limits().maxBatchEvents()).isEqualTo(50);
    assertThat(flagsWin.port()).isEqualTo(9090);
    assertThat(flagsWin.heartbeat()).isEqualTo(Duration.ofMinutes(2));
    assertThat(flagsWin.limits().maxBatchEvents()).isEqualTo(7);
  }

  @Test
  void recovery_isOnWithoutInterruption_byDefault_andFlagsOrEnvironmentChangeIt() {
    ServerConfig defaults = configOf(Map.of());
    ServerConfig flags = configOf(Map.of(), "--interrupt-after", "2h");
    ServerConfig off = configOf(Map.of(), "--no-recovery");
    ServerConfig fromEnv =
        configOf(Map.of("RUNJOURNAL_INTERRUPT_AFTER", "7d", "RUNJOURNAL_NO_RECOVERY", "false"));
    ServerConfig offFromEnv = configOf(Map.of("RUNJOURNAL_NO_RECOVERY", "true"));

    assertThat(defaults.recovery()).isTrue();
    assertThat(defaults.interruptAfter()).isNull();
    assertThat(flags.interruptAfter()).isEqualTo(Duration.ofHours(2));
    assertThat(off.recovery()).isFalse();
    assertThat(fromEnv.recovery()).isTrue();
    assertThat(fromEnv.interruptAfter()).isEqualTo(Duration.ofDays(7));
    assertThat(offFromEnv.recovery()).isFalse();
  }

  @Test
  void durations_takeUnitsFromMillisecondsToDays_andIso8601() {
    assertThat(ServeCommand.duration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(ServeCommand.duration("15s")).isEqualTo(Duration.ofSeconds(15));
    assertThat(ServeCommand.duration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(ServeCommand.duration("3h")).isEqualTo(Duration.ofHours(3));
    assertThat(ServeCommand.duration("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(ServeCommand.duration("PT15S")).isEqualTo(Duration.ofSeconds(15));
    assertThat(ServeCommand.duration("PT2H")).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void interruptAfter_withNoRecovery_orNotPositive_isAUsageError() {
    var both = new CliRunner(data).inData("serve", "--no-recovery", "--interrupt-after", "1h");
    var zero = new CliRunner(data).inData("serve", "--interrupt-after", "0s");
    var bad = new CliRunner(data, Map.of("RUNJOURNAL_INTERRUPT_AFTER", "later")).inData("serve");

    assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(both.err()).contains("--interrupt-after", "--no-recovery");
    assertThat(zero.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(zero.err()).contains("interrupt-after must be positive");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).contains("RUNJOURNAL_INTERRUPT_AFTER=later is not valid");
    assertThat(Files.exists(data.resolve("runs"))).isFalse();
  }

  @Test
  void importLimit_comesFromItsFlagOrVariable_andDefaultsTo64MiB() {
    assertThat(configOf(Map.of()).limits().maxImportBytes()).isEqualTo(64L << 20);
    assertThat(configOf(Map.of("RUNJOURNAL_MAX_IMPORT_BYTES", "1000")).limits().maxImportBytes())
        .isEqualTo(1000);
    assertThat(
            configOf(Map.of("RUNJOURNAL_MAX_IMPORT_BYTES", "1000"), "--max-import-bytes", "2000")
                .limits()
                .maxImportBytes())
        .isEqualTo(2000);
  }

  @Test
  void badEnvironmentValue_isAUsageErrorNamingTheVariable() {
    var fromEnv = new CliRunner(data, Map.of("RUNJOURNAL_HEARTBEAT", "soon")).inData("serve");

    assertThat(fromEnv.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(fromEnv.err()).contains("RUNJOURNAL_HEARTBEAT=soon is not valid", "15s, 500ms");
  }

  @Test
  void nonLoopbackBindWithoutTokens_isRefusedWithAClearMessage() throws Exception {
    var outcome = new CliRunner(data).inData("serve", "--bind", "0.0.0.0", "--port", "0");

    assertThat(outcome.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(outcome.err())
        .contains("refusing to listen on 0.0.0.0 without tokens", "--token-file", "--insecure");
    assertThat(Files.exists(data.resolve("runs"))).isFalse();
  }
}
