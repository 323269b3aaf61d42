package io.nextbest.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nextbest.job.config.ConfigException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The demo/run/topics options through picocli: values, defaults, did-you-mean, help, bad numbers. */
class CliTest {
    @Test
    void optionsTakeTheirValuesAndDefaults() {
        Cli.Args a = Cli.Args.parse(new String[] {"--rate", "50", "--set", "a=1", "--set", "b=2", "--create-topics",
            "--config", "x.yaml"});
        assertThat(a.rate).isEqualTo(50);
        assertThat(a.sets).containsExactly("a=1", "b=2");
        assertThat(a.createTopics).isTrue();
        assertThat(a.config).isEqualTo(Path.of("x.yaml"));
        Cli.Args none = Cli.Args.parse(new String[0]);
        assertThat(none.rate).isEqualTo(20);
        assertThat(none.seed).isEqualTo(42);
        assertThat(none.webPort).isEqualTo(8081);
        assertThat(none.partitions).isEqualTo(2);
        assertThat(none.help).isFalse();
    }

    @Test
    void typosAndBadValuesAreRefusedClearly() {
        assertThatThrownBy(() -> Cli.Args.parse(new String[] {"--durration", "5s"}))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown option '--durration'")
                .hasMessageContaining("did you mean --duration");
        assertThatThrownBy(() -> Cli.Args.parse(new String[] {"--rate", "0"}))
                .isInstanceOf(ConfigException.class).hasMessage("option '--rate' needs a positive whole number, got '0'");
        assertThatThrownBy(() -> Cli.Args.parse(new String[] {"--seed", "x"}))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--seed").hasMessageContaining("'x'");
        assertThatThrownBy(() -> Cli.Args.parse(new String[] {"--rate"}))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--rate");
    }

    @Test
    void helpShowsTheCommandsOwnSection() {
        assertThat(Cli.Args.parse(new String[] {"--help"}).help).isTrue();
        assertThat(Cli.section("demo")).startsWith("  demo ").contains("--duration D").doesNotContain("  run ");
        assertThat(Cli.section("topics")).startsWith("  topics ").contains("--partitions N");
    }
}
