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
        assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8)).contains(BenchCommand.USAGE)
                .contains(EvaluateCommand.USAGE).contains(TriggersCommand.USAGE).contains(CatalogMemoryCommand.USAGE)
                .contains(SimulateDecisionsCommand.USAGE);
    }
}
