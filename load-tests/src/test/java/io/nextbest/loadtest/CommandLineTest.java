package io.nextbest.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nextbest.job.config.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {
    private static final List<String> OPTIONS = List.of("catalog", "cold-threshold", "job");

    @Test
    void onOffAndCountsHaveDefaultsAndNameTheBadOption() {
        CommandLine none = CommandLine.parse(new String[0], OPTIONS);
        assertThat(none.onOff("catalog", true)).isTrue();
        assertThat(none.count("cold-threshold", 5)).isEqualTo(5);

        CommandLine set = CommandLine.parse(new String[] {"--catalog", "off", "--cold-threshold", "0",
            "--job", "a=1", "--job", "b=2"}, OPTIONS);
        assertThat(set.onOff("catalog", true)).isFalse();
        assertThat(set.count("cold-threshold", 5)).isZero();
        assertThat(set.jobSettings).containsExactly("a=1", "b=2");
        assertThat(CommandLine.parse(new String[] {"--catalog", "ON"}, OPTIONS).onOff("catalog", false)).isTrue();

        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--catalog", "maybe"}, OPTIONS).onOff("catalog", true))
                .isInstanceOf(ConfigException.class).hasMessage("--catalog needs on or off, got 'maybe'");
        for (String bad : List.of("-1", "2.5", "x")) {
            assertThatThrownBy(() -> CommandLine.parse(new String[] {"--cold-threshold", bad}, OPTIONS)
                    .count("cold-threshold", 5))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("--cold-threshold needs a whole number >= 0, got '" + bad + "'");
        }
    }

    @Test
    void soakRefusesBadDurationsAndRatesByName() {
        java.io.PrintStream out = new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true,
                java.nio.charset.StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SoakCommand.run(new String[] {"--duration", "forever"}, out))
                .isInstanceOf(ConfigException.class).hasMessage("--duration needs a duration like 60s, 30m or 2h, got 'forever'");
        assertThatThrownBy(() -> SoakCommand.run(new String[] {"--duration", "1m", "--sample", "2m"}, out))
                .isInstanceOf(ConfigException.class).hasMessage("--sample (2m) is longer than --duration");
        assertThatThrownBy(() -> SoakCommand.run(new String[] {"--rate", "-5"}, out))
                .isInstanceOf(ConfigException.class).hasMessage("--rate needs a number of events per second > 0, got '-5'");
        assertThatThrownBy(() -> SoakCommand.run(new String[] {"--workload", "huge"}, out))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("unknown workload 'huge' (known: ");
    }

    @Test
    void aReportQuotesTheCommandWithoutItsSecrets() {
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"nb\" password=\"s3cr3t\";";
        String quoted = CommandLine.quoted("bin/nextbest evaluate", new String[] {
            "--dataset", "rees46", "--set", "kafka.properties.sasl.jaas.config=" + jaas,
            "--set=kafka.properties.ssl.truststore.password=trust-me", "--job", "kafka.properties.ssl.keystore.key=PEM",
            "--set", "kafka.properties.security.protocol=SASL_SSL", "--set", "rate=100"});
        assertThat(quoted).isEqualTo("bin/nextbest evaluate --dataset rees46 --set kafka.properties.sasl.jaas.config=******"
                + " --set=kafka.properties.ssl.truststore.password=****** --job kafka.properties.ssl.keystore.key=******"
                + " --set kafka.properties.security.protocol=SASL_SSL --set rate=100");
        assertThat(CommandLine.quoted("bin/nextbest simulate-decisions", new String[0]))
                .isEqualTo("bin/nextbest simulate-decisions");
    }

    @Test
    void aTypoGetsADidYouMeanAndHelpIsRecognised() {
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--catlog", "off"}, OPTIONS))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown option '--catlog'")
                .hasMessageContaining("did you mean --catalog");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--catalog"}, OPTIONS))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--catalog");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"stray"}, OPTIONS))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'stray'");
        assertThat(CommandLine.parse(new String[] {"--help"}, OPTIONS).help).isTrue();
        assertThat(CommandLine.parse(new String[] {"-h"}, OPTIONS).help).isTrue();
        assertThat(CommandLine.parse(new String[0], OPTIONS).help).isFalse();
    }

    @Test
    void everyCommandPrintsItsUsageOnHelp() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(BenchCommand.run(new String[] {"--help"}, out)).isNull();
        assertThat(EvaluateCommand.run(new String[] {"--help"}, out)).isNull();
        assertThat(TriggersCommand.run(new String[] {"-h"}, out)).isNull();
        CatalogMemoryCommand.run(new String[] {"--help"}, out);
        assertThat(SimulateDecisionsCommand.run(new String[] {"--help"}, out)).isNull();
        assertThat(SoakCommand.run(new String[] {"--help"}, out)).isNull();
        assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8)).contains(BenchCommand.USAGE)
                .contains(EvaluateCommand.USAGE).contains(TriggersCommand.USAGE).contains(CatalogMemoryCommand.USAGE)
                .contains(SimulateDecisionsCommand.USAGE).contains(SoakCommand.USAGE);
        // bench names every workload of the file it names (demo was missing, the path was another module's)
        assertThat(BenchCommand.USAGE).contains(
                "--workload NAME   smoke, small, medium, large, small-clean, demo (generator/src/main/resources/workloads.yaml)");
        assertThat(java.nio.file.Path.of("..", "generator", "src", "main", "resources", "workloads.yaml")).isRegularFile();
    }
}
