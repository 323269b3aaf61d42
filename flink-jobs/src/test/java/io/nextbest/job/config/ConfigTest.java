package io.nextbest.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nextbest.job.NextbestJob;
import io.nextbest.job.config.Settings.StartingOffsets;
import io.nextbest.job.config.Settings.StateBackend;
import io.nextbest.job.config.Settings.WeightCombine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigTest {

    @TempDir
    Path dir;

    // ---- defaults ----

    @Test
    void defaultsBuildAndEveryDefaultParsesWithItsOwnOption() {
        NextbestConfig c = NextbestConfig.defaults();

        Set<String> keys = new HashSet<>();
        for (Option<?> o : Settings.ALL) {
            assertThat(keys.add(o.key())).as("unique key %s", o.key()).isTrue();
            assertThat(o.key()).as("key form").matches("[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)+");
            assertThat(o.doc()).as("doc of %s", o.key()).isNotBlank();
            assertThat(c.get(o)).as("default of %s", o.key()).isEqualTo(o.parse(o.defaultValue()));
        }
        assertThat(c.toMap()).containsOnlyKeys(keys);
        assertThat(c.kafkaProperties()).isEmpty();
    }

    @Test
    void defaultsHaveTheDocumentedTypedValues() {
        NextbestConfig c = NextbestConfig.defaults();

        assertThat(c.get(Settings.KAFKA_BOOTSTRAP)).isEqualTo("localhost:9092");
        assertThat(c.get(Settings.KAFKA_TOPIC_PREFIX)).isEmpty();
        assertThat(c.get(Settings.KAFKA_STARTING_OFFSETS)).isEqualTo(StartingOffsets.COMMITTED);
        assertThat(c.get(Settings.JOB_PARALLELISM)).isEqualTo(2);
        assertThat(c.get(Settings.JOB_CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.get(Settings.JOB_STATE_BACKEND)).isEqualTo(StateBackend.ROCKSDB);
        assertThat(c.get(Settings.JOB_INCREMENTAL_CHECKPOINTS)).isTrue();
        assertThat(c.get(Settings.INGEST_MAX_RECORD_BYTES)).isEqualTo(65536);
        assertThat(c.get(Settings.INGEST_MAX_FUTURE_SKEW)).isEqualTo(Duration.ofHours(1));
        assertThat(c.get(Settings.INGEST_MAX_EVENT_AGE)).isEqualTo(Duration.ofDays(30));
        assertThat(c.get(Settings.CUSTOMER_WINDOW_SIZE)).isEqualTo(30);
        assertThat(c.get(Settings.CUSTOMER_WEIGHT_COMBINE)).isEqualTo(WeightCombine.MAX);
        assertThat(c.get(Settings.CUSTOMER_WEIGHT_CAP)).isEqualTo(10.0);
        assertThat(c.get(Settings.WEIGHT_REMOVE_FROM_CART)).isEqualTo(-2.0);
        assertThat(c.get(Settings.WEIGHT_CLICK)).isEqualTo(1.5);
        assertThat(c.get(Settings.TRENDING_HALF_LIFE)).isEqualTo(Duration.ofHours(1));
        assertThat(c.get(Settings.TRENDING_PUBLISH_INTERVAL)).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.get(Settings.RANKING_LIST_SIZE)).isEqualTo(10);
        assertThat(c.topic("suggestions")).isEqualTo("suggestions");
    }

    // ---- layering ----

    @Test
    void yamlFilesLayerInOrderAndOverridesWinOverFiles() throws IOException {
        Path base = write("base.yaml", """
                kafka:
                  bootstrap-servers: broker-a:9092
                  topic-prefix: shop1.
                job:
                  parallelism: 8
                  incremental-checkpoints: false
                customer:
                  window-size: 12
                  weight-combine: sum
                  weights:
                    view: 0.5
                    add_to_cart: 4
                trending:
                  half-life: 30m
                """);
        Path site = write("site.yaml", """
                kafka:
                  bootstrap-servers: broker-b:9092
                customer:
                  weights:
                    view: 0.75
                """);

        NextbestConfig c = NextbestConfig.builder()
                .file(base)
                .file(site)
                .setAll(List.of("job.parallelism=3", "customer.weights.add_to_cart = 6"))
                .build();

        assertThat(c.get(Settings.KAFKA_BOOTSTRAP)).isEqualTo("broker-b:9092"); // second file wins
        assertThat(c.get(Settings.KAFKA_TOPIC_PREFIX)).isEqualTo("shop1.");    // first file, untouched
        assertThat(c.get(Settings.JOB_PARALLELISM)).isEqualTo(3);               // override wins
        assertThat(c.get(Settings.JOB_INCREMENTAL_CHECKPOINTS)).isFalse();
        assertThat(c.get(Settings.CUSTOMER_WINDOW_SIZE)).isEqualTo(12);
        assertThat(c.get(Settings.CUSTOMER_WEIGHT_COMBINE)).isEqualTo(WeightCombine.SUM);
        assertThat(c.get(Settings.WEIGHT_VIEW)).isEqualTo(0.75);
        assertThat(c.get(Settings.WEIGHT_ADD_TO_CART)).isEqualTo(6.0);
        assertThat(c.get(Settings.TRENDING_HALF_LIFE)).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.get(Settings.JOB_MAX_PARALLELISM)).isEqualTo(128); // default
        assertThat(c.topic("suggestions")).isEqualTo("shop1.suggestions");
        assertThat(c.toMap()).containsEntry("job.parallelism", "3").containsEntry("kafka.bootstrap-servers", "broker-b:9092");
    }

    @Test
    void argumentsOfTheJobApplyTheFileThenEverySet() throws IOException {
        Path file = write("job.yaml", "job:\n  name: from-file\n  parallelism: 4\n");

        NextbestConfig c = NextbestJob.parseArgs(new String[] {
            "--set", "job.parallelism=5", "--config", file.toString(), "--set=kafka.group-id=g2"});

        assertThat(c.get(Settings.JOB_NAME)).isEqualTo("from-file");
        assertThat(c.get(Settings.JOB_PARALLELISM)).isEqualTo(5); // --set applies after the file
        assertThat(c.get(Settings.KAFKA_GROUP_ID)).isEqualTo("g2");
        assertThatThrownBy(() -> NextbestJob.parseArgs(new String[] {"--conf", "x.yaml"}))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'--conf'");
    }

    @Test
    void anEmptyFileMeansDefaults() throws IOException {
        Path empty = write("empty.yaml", "# nothing set\n");

        NextbestConfig c = NextbestConfig.builder().file(empty).build();

        assertThat(c.toMap()).isEqualTo(NextbestConfig.defaults().toMap());
    }

    @Test
    void offInYamlMeansNoLimitLikeOffInAnOverride() throws IOException {
        // YAML 1.1 reads a bare off/on/yes/no as a boolean; the file must still mean "off".
        Path file = write("replay.yaml", """
                ingest:
                  max-event-age: off
                  max-future-skew: "off"
                """);

        NextbestConfig c = NextbestConfig.builder().file(file).build();

        assertThat(c.get(Settings.INGEST_MAX_EVENT_AGE)).isNull();
        assertThat(c.get(Settings.INGEST_MAX_FUTURE_SKEW)).isNull();
        assertThat(NextbestConfig.builder().set("ingest.max-event-age", "OFF").build()
                .get(Settings.INGEST_MAX_EVENT_AGE)).isNull();
    }

    @Test
    void booleanLikeWordsInYamlAreReadAsWrittenAndBooleansStayBooleans() throws IOException {
        Path words = write("words.yaml", """
                kafka:
                  group-id: on
                job:
                  incremental-checkpoints: false
                ranking:
                  exclude-basket: TRUE
                """);

        NextbestConfig c = NextbestConfig.builder().file(words).build();

        assertThat(c.get(Settings.KAFKA_GROUP_ID)).isEqualTo("on");
        assertThat(c.get(Settings.JOB_INCREMENTAL_CHECKPOINTS)).isFalse();
        assertThat(c.get(Settings.RANKING_EXCLUDE_BASKET)).isTrue();
        // 'no' is no boolean of this configuration, in a file as in an override
        Path no = write("no.yaml", "job:\n  incremental-checkpoints: no\n");
        assertThatThrownBy(() -> NextbestConfig.builder().file(no))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("bad value for 'job.incremental-checkpoints': 'no' — expected true or false");
    }

    @Test
    void badFilesFailNamingTheFileOrKey() throws IOException {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> NextbestConfig.builder().file(missing))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nope.yaml");

        Path list = write("list.yaml", "kafka:\n  bootstrap-servers:\n    - a:9092\n    - b:9092\n");
        assertThatThrownBy(() -> NextbestConfig.builder().file(list))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'kafka.bootstrap-servers'")
                .hasMessageContaining("list");

        Path empty = write("null.yaml", "job:\n  name:\n");
        assertThatThrownBy(() -> NextbestConfig.builder().file(empty))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'job.name'")
                .hasMessageContaining("no value");

        Path scalar = write("scalar.yaml", "just text\n");
        assertThatThrownBy(() -> NextbestConfig.builder().file(scalar))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mapping");

        Path broken = write("broken.yaml", "job: [unclosed\n");
        assertThatThrownBy(() -> NextbestConfig.builder().file(broken))
                .isInstanceOf(ConfigException.class).hasMessageContaining("broken.yaml");

        Path typo = write("typo.yaml", "customer:\n  windowsize: 3\n");
        assertThatThrownBy(() -> NextbestConfig.builder().file(typo))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown configuration key 'customer.windowsize' (did you mean 'customer.window-size'?)");

        Path bad = write("bad.yaml", "trending:\n  top-n: lots\n");
        assertThatThrownBy(() -> NextbestConfig.builder().file(bad))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("bad value for 'trending.top-n': 'lots'");
    }

    // ---- unknown keys ----

    @Test
    void unknownKeyFailsWithTheClosestKnownKey() {
        assertThatThrownBy(() -> NextbestConfig.builder().set("job.paralelism=4"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown configuration key 'job.paralelism' (did you mean 'job.parallelism'?)");
        assertThatThrownBy(() -> NextbestConfig.builder().set("customer.weights.veiw", "1"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown configuration key 'customer.weights.veiw' (did you mean 'customer.weights.view'?)");
    }

    @Test
    void unknownKeyFarFromEveryKeyHasNoSuggestion() {
        assertThatThrownBy(() -> NextbestConfig.builder().set("totally.unrelated.setting", "1"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown configuration key 'totally.unrelated.setting'");
        // the bare prefix is no Kafka property
        assertThatThrownBy(() -> NextbestConfig.builder().set("kafka.properties.", "x"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown configuration key 'kafka.properties.'");
    }

    @Test
    void anAssignmentNeedsAKeyAndAnEqualsSign() {
        assertThatThrownBy(() -> NextbestConfig.builder().set("job.parallelism"))
                .isInstanceOf(ConfigException.class).hasMessage("expected key=value, got 'job.parallelism'");
        assertThatThrownBy(() -> NextbestConfig.builder().set("=4"))
                .isInstanceOf(ConfigException.class).hasMessage("expected key=value, got '=4'");
    }

    // ---- bad values ----

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        // durations
        "job.checkpoint-interval   | 10 sec  | expected a duration like 250ms, 10s, 5m, 1h or 30d",
        "job.checkpoint-interval   | -5s     | expected a duration",
        "job.checkpoint-interval   | 1.5s    | expected a duration",
        "job.checkpoint-interval   | 10S     | expected a duration",
        "job.checkpoint-interval   | 50ms    | must be at least 100ms",
        "trending.half-life        | 999ms   | must be at least 1000ms",
        "ingest.max-event-age      | never   | expected a duration",
        // integers and their ranges
        "job.parallelism           | 0       | expected 1..4096",
        "job.parallelism           | 4097    | expected 1..4096",
        "job.parallelism           | 2.5     | expected a whole number",
        "job.parallelism           | 99999999999 | expected a whole number",
        "ingest.max-record-bytes   | 255     | expected 256..16777216",
        "customer.dedup-event-ids  | -1      | expected 0..1024",
        // numbers
        "customer.weight-cap       | 0       | expected a number in 0.001..1000000",
        "customer.weight-cap       | NaN     | expected a number in 0.001..1000000",
        "customer.weights.view     | heavy   | expected a number",
        // choices
        "job.state-backend         | memory  | expected one of [rocksdb, hashmap]",
        "customer.weight-combine   | avg     | expected one of [max, sum]",
        "kafka.starting-offsets    | newest  | expected one of [committed, earliest, latest]",
        // booleans
        "job.incremental-checkpoints | yes   | expected true or false",
        "ranking.exclude-basket      | 1     | expected true or false",
        // non-empty strings
        "kafka.bootstrap-servers   | ''      | must not be empty",
    })
    void badValueFailsNamingKeyAndValue(String key, String value, String why) {
        assertThatThrownBy(() -> NextbestConfig.builder().set(key, value))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("bad value for '" + key + "': '" + value + "' — ")
                .hasMessageContaining(why);
        // the same through a key=value override
        assertThatThrownBy(() -> NextbestConfig.builder().set(key + "=" + value))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'" + key + "'");
    }

    @Test
    void goodValuesParseToTheirTypes() {
        NextbestConfig c = NextbestConfig.builder()
                .set("job.checkpoint-interval", "250ms")
                .set("trending.half-life", " 5m ")
                .set("customer.state-ttl", "2d")
                .set("ingest.max-future-skew", "1h")
                .set("ingest.watermark-out-of-orderness", "0s")
                .set("job.state-backend", "HashMap")
                .set("job.incremental-checkpoints", "FALSE")
                .set("customer.weights.remove_from_cart", "-3.5")
                .set("customer.weight-cap", "1e3")
                .set("job.parallelism", "4096")
                .build();

        assertThat(c.get(Settings.JOB_CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofMillis(250));
        assertThat(c.get(Settings.TRENDING_HALF_LIFE)).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.get(Settings.CUSTOMER_STATE_TTL)).isEqualTo(Duration.ofDays(2));
        assertThat(c.get(Settings.INGEST_MAX_FUTURE_SKEW)).isEqualTo(Duration.ofHours(1));
        assertThat(c.get(Settings.INGEST_OUT_OF_ORDERNESS)).isEqualTo(Duration.ZERO);
        assertThat(c.get(Settings.JOB_STATE_BACKEND)).isEqualTo(StateBackend.HASHMAP);
        assertThat(c.get(Settings.JOB_INCREMENTAL_CHECKPOINTS)).isFalse();
        assertThat(c.get(Settings.WEIGHT_REMOVE_FROM_CART)).isEqualTo(-3.5);
        assertThat(c.get(Settings.CUSTOMER_WEIGHT_CAP)).isEqualTo(1000.0);
        assertThat(c.get(Settings.JOB_PARALLELISM)).isEqualTo(4096);
    }

    // ---- Kafka pass-through ----

    @Test
    void kafkaPropertiesPassThroughAsTheyAreAndSecretsAreMaskedInTheMap() throws IOException {
        Path file = write("kafka.yaml", """
                kafka:
                  properties:
                    security.protocol: SASL_SSL
                    sasl:
                      mechanism: PLAIN
                """);
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p=1\";";

        NextbestConfig c = NextbestConfig.builder()
                .file(file)
                .set("kafka.properties.sasl.jaas.config=" + jaas)
                .set("kafka.properties.ssl.truststore.password", "s3cret")
                .set("kafka.properties.linger.ms", "5")
                .build();

        Properties p = c.kafkaProperties();
        assertThat(p).containsOnly(
                Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.mechanism", "PLAIN"),
                Map.entry("sasl.jaas.config", jaas), // everything after the first '='
                Map.entry("ssl.truststore.password", "s3cret"),
                Map.entry("linger.ms", "5"));
        assertThat(c.toMap())
                .containsEntry("kafka.properties.security.protocol", "SASL_SSL")
                .containsEntry("kafka.properties.linger.ms", "5")
                .containsEntry("kafka.properties.sasl.jaas.config", "******")
                .containsEntry("kafka.properties.ssl.truststore.password", "******");
        // a copy: changing it does not change the configuration
        p.setProperty("linger.ms", "99");
        assertThat(c.kafkaProperties().getProperty("linger.ms")).isEqualTo("5");
    }

    // ---- cross-key checks ----

    @Test
    void highTierMustNotBeBelowMidTier() {
        assertThatThrownBy(() -> NextbestConfig.builder().set("customer.value-tier.high", "50").build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("'customer.value-tier.high' must not be below 'customer.value-tier.mid'");
        // checked on build, so the order of the layers does not matter
        NextbestConfig c = NextbestConfig.builder()
                .set("customer.value-tier.high", "50")
                .set("customer.value-tier.mid", "50")
                .build();
        assertThat(c.get(Settings.TIER_HIGH)).isEqualTo(50.0);
    }

    @Test
    void loyalOrdersMustNotBeBelowActiveOrders() {
        assertThatThrownBy(() -> NextbestConfig.builder().set("customer.lifecycle.active-orders", "6").build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("'customer.lifecycle.loyal-orders' must not be below 'customer.lifecycle.active-orders'");
        assertThat(NextbestConfig.builder().set("customer.lifecycle.active-orders", "5").build()
                .get(Settings.LIFECYCLE_ACTIVE)).isEqualTo(5);
    }

    @Test
    void topNMustNotExceedTheBoardSize() {
        assertThatThrownBy(() -> NextbestConfig.builder()
                        .set("trending.board-size", "50").set("trending.top-n", "51").build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("'trending.top-n' must not exceed 'trending.board-size'");
        assertThat(NextbestConfig.builder().set("trending.board-size", "50").set("trending.top-n", "50").build()
                .get(Settings.TRENDING_TOP_N)).isEqualTo(50);
    }

    // ---- shipping to the cluster ----

    @Test
    void survivesJavaSerializationWithItsValues() throws Exception {
        NextbestConfig c = NextbestConfig.builder()
                .set("customer.window-size", "7")
                .set("kafka.properties.acks", "all")
                .build();

        NextbestConfig copy = InstantiationUtil.clone(c);

        assertThat(copy.get(Settings.CUSTOMER_WINDOW_SIZE)).isEqualTo(7);
        assertThat(copy.kafkaProperties()).containsOnly(Map.entry("acks", "all"));
        assertThat(copy.toMap()).isEqualTo(c.toMap());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
