package io.nextbest.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkloadsTest {

    private static final Workloads WORKLOADS = Workloads.load();

    @Test
    void theCheckedInFileHasTheNamedWorkloadsInItsOrder() {
        assertThat(WORKLOADS.names()).containsSubsequence("smoke", "small", "medium", "large").contains("small-clean");
        assertThat(WORKLOADS.all()).extracting(Workload::name).containsExactlyElementsOf(WORKLOADS.names());
    }

    @Test
    void everyWorkloadGivesEveryKeyAndReadsBackTheSame() {
        List<String> keys = Workload.ALL.stream().map(Workload.Key::name).toList();
        for (Workload w : WORKLOADS.all()) {
            assertThat(w.toMap().keySet()).as(w.name()).containsExactlyElementsOf(keys);
            assertThat(Workload.of(w.name(), w.toMap())).isEqualTo(w);
            assertThat(w.rate()).isPositive();
            assertThat(w.minViews()).isLessThanOrEqualTo(w.maxViews());
            assertThat(w.generatorThreads()).isLessThanOrEqualTo(w.concurrentSessions());
        }
    }

    @Test
    void smokeFinishesInSecondsAndTheOthersHaveTheirSizes() {
        Workload smoke = WORKLOADS.get("smoke");
        Duration run = smoke.warmup().plus(smoke.duration());
        assertThat(run).isLessThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(smoke.rate() * run.toSeconds()).isLessThanOrEqualTo(30_000);
        assertThat(smoke.customers()).isLessThanOrEqualTo(5_000);
        assertThat(smoke.items()).isLessThanOrEqualTo(1_000);

        Workload small = WORKLOADS.get("small");
        assertThat(small.customers()).isEqualTo(50_000);
        assertThat(small.items()).isEqualTo(10_000);

        Workload large = WORKLOADS.get("large");
        assertThat(large.customers()).isGreaterThanOrEqualTo(1_000_000);
        assertThat(large.items()).isGreaterThanOrEqualTo(100_000);

        Workload clean = WORKLOADS.get("small-clean");
        assertThat(clean.badRecordShare()).isZero();
        assertThat(clean.duplicateShare()).isZero();
    }

    @Test
    void typedValuesComeFromTheFile() {
        Workload smoke = WORKLOADS.get("smoke");
        assertThat(smoke.seed()).isEqualTo(42);
        assertThat(smoke.categoryDepth()).isEqualTo(2);
        assertThat(smoke.categoryFanOut()).isEqualTo(4);
        assertThat(smoke.warmup()).isEqualTo(Duration.ofSeconds(5));
        assertThat(smoke.duration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(smoke.zipfExponent()).isEqualTo(1.1);
        assertThat(smoke.viewToCart()).isEqualTo(0.12); // from defaults
        assertThat(WORKLOADS.get("large").customers()).isEqualTo(1_000_000); // written 1_000_000
    }

    /** Every key of the defaults section has a comment line right above it. */
    @Test
    void everyKeyInTheFileIsCommented() throws IOException {
        String yaml;
        try (InputStream in = Workloads.class.getResourceAsStream(Workloads.RESOURCE)) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> lines = yaml.lines().toList();
        int end = lines.indexOf("workloads:");
        Pattern leafKey = Pattern.compile("^\\s+([a-z-]+):\\s*\\S.*$");
        int keys = 0;
        for (int i = lines.indexOf("defaults:") + 1; i < end; i++) {
            Matcher m = leafKey.matcher(lines.get(i));
            if (m.matches()) {
                keys++;
                assertThat(lines.get(i - 1).trim()).as("comment above '%s'", m.group(1)).startsWith("#");
            }
        }
        assertThat(keys).isEqualTo(Workload.ALL.size());
    }

    @Test
    void overridesAreCheckedLikeTheFile() {
        Workload small = WORKLOADS.get("small");
        Workload faster = small.with("bench.rate", "12000");
        assertThat(faster.rate()).isEqualTo(12000);
        assertThat(faster.customers()).isEqualTo(small.customers());
        assertThatThrownBy(() -> small.with("bench.rate", "fast"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'small'")
                .hasMessageContaining("'bench.rate'")
                .hasMessageContaining("'fast'");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            customers                       | 0      | expected a whole number in 1..100000000
            customers                       | many   | expected a whole number
            items                           | 2.5    | expected a whole number
            seed                            | 0x1f   | expected a whole number (64 bit)
            zipf-exponent                   | -1     | expected a number in 0..5
            funnel.view-to-cart             | 1.5    | expected a number in 0..1
            records.bad-share               | NaN    | expected a number in 0..1
            bench.warmup                    | 5      | expected a duration like 500ms, 5s, 2m or 1h
            bench.duration                  | 0s     | must be longer than 0
            bench.rate-search.step-factor   | 1      | expected a number in 1.0001..100
            categories.depth                | 9      | expected a whole number in 1..8
            """)
    void aBadValueIsRejectedWithWorkloadKeyAndValue(String key, String value, String why) {
        Map<String, String> values = new LinkedHashMap<>(WORKLOADS.get("smoke").toMap());
        values.put(key, value);
        assertThatThrownBy(() -> Workload.of("smoke", values))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workload 'smoke'")
                .hasMessageContaining("'" + key + "'")
                .hasMessageContaining("'" + value + "'")
                .hasMessageContaining(why);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            session.min-views=20                                        | 'session.min-views' (20) must not exceed 'session.max-views' (12)
            funnel.cart-to-purchase=0.5                                 | 'funnel.cart-to-purchase' (0.5) cannot exceed 1 - 'funnel.abandoned-basket-share'
            records.bad-share=0.3,records.duplicate-share=0.3           | must be at most 0.5
            categories.fan-out=100,categories.depth=4                   | leaf categories, at most 1000000
            customers=10,bench.generator-threads=20                     | 'bench.generator-threads' (20) exceeds 'customers' (10)
            bench.rate-search.start-rate=9000                           | 'bench.rate-search.start-rate' (9000.0) exceeds 'bench.rate-search.max-rate'
            """)
    void contradictingValuesAreRejectedNamingTheKeys(String assignments, String why) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String a : assignments.split(",")) {
            overrides.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        assertThatThrownBy(() -> WORKLOADS.get("smoke").with(overrides))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workload 'smoke'")
                .hasMessageContaining(why);
    }

    @Test
    void anUnknownKeyInAFileIsRejectedWithWorkloadAndKey(@TempDir Path dir) throws IOException {
        Path file = fileWith(dir, """
                  shop:
                    funnel:
                      view-to-kart: 0.2
                """);
        assertThatThrownBy(() -> Workloads.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workload 'shop'")
                .hasMessageContaining("unknown key 'funnel.view-to-kart'")
                .hasMessageContaining("did you mean 'funnel.view-to-cart'");
    }

    @Test
    void aBadValueInAFileIsRejectedWithWorkloadKeyAndValue(@TempDir Path dir) throws IOException {
        Path file = fileWith(dir, """
                  shop:
                    anonymous:
                      share: 30%
                """);
        assertThatThrownBy(() -> Workloads.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workload 'shop'")
                .hasMessageContaining("'anonymous.share'")
                .hasMessageContaining("'30%'");
    }

    @Test
    void aFileOfOwnWorkloadsLoadsWithItsDefaults(@TempDir Path dir) throws IOException {
        Path file = fileWith(dir, """
                  tiny:
                    customers: 10
                    items: 5
                  huge:
                    customers: 2_000_000
                """);
        Workloads ws = Workloads.load(file);
        assertThat(ws.names()).containsExactly("tiny", "huge");
        assertThat(ws.get("tiny").items()).isEqualTo(5);
        assertThat(ws.get("huge").customers()).isEqualTo(2_000_000);
        assertThat(ws.get("huge").items()).isEqualTo(WORKLOADS.get("smoke").items());
    }

    @Test
    void structuralMistakesAreNamed(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> Workloads.load(fileWith(dir, """
                  shop:
                    session: 5
                """))).hasMessageContaining("workload 'shop'").hasMessageContaining("unknown key 'session'");
        assertThatThrownBy(() -> Workloads.load(fileWith(dir, """
                  shop:
                    brands: [1, 2]
                """))).hasMessageContaining("workload 'shop'").hasMessageContaining("'brands' needs a single value");
        Path noDefaults = dir.resolve("partial.yaml");
        Files.writeString(noDefaults, "workloads:\n  shop:\n    seed: 1\n");
        assertThatThrownBy(() -> Workloads.load(noDefaults))
                .hasMessageContaining("workload 'shop'").hasMessageContaining("missing key 'customers'");
        Path extraSection = dir.resolve("extra.yaml");
        Files.writeString(extraSection, "default:\n  seed: 1\nworkloads:\n  shop: {}\n");
        assertThatThrownBy(() -> Workloads.load(extraSection)).hasMessageContaining("unknown section 'default'");
        assertThatThrownBy(() -> Workloads.load(dir.resolve("absent.yaml"))).hasMessageContaining("not found");
    }

    @Test
    void anUnknownWorkloadNameListsTheKnownOnes() {
        assertThatThrownBy(() -> WORKLOADS.get("huge"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown workload 'huge'")
                .hasMessageContaining("smoke, small, medium, large");
    }

    /** A file whose defaults are the smoke workload's values (as dotted keys) and whose workloads section is given. */
    private static Path fileWith(Path dir, String workloads) throws IOException {
        String defaults = WORKLOADS.get("smoke").toMap().entrySet().stream()
                .map(e -> "  \"" + e.getKey() + "\": " + e.getValue())
                .collect(Collectors.joining("\n"));
        Path file = Files.createTempFile(dir, "workloads", ".yaml");
        Files.writeString(file, "defaults:\n" + defaults + "\nworkloads:\n" + workloads);
        return file;
    }
}
