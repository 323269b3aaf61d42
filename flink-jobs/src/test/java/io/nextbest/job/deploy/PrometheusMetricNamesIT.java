package io.nextbest.job.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.schemas.messages.DecisionReason;
import java.io.IOException;
import java.io.Reader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The metric names the Grafana dashboard queries, as Flink's real Prometheus reporter exports them:
 * a MiniCluster started with the reporter and RocksDB settings of config/flink/config.yaml (only the
 * port changed to a free one) runs a small keyed job whose operator registers its metrics the way
 * the Nextbest stages do (a key-value group for dead-letter reasons, nested groups for trigger
 * outcomes, a histogram for latency, RocksDB state), and the test reads GET /metrics on loopback.
 * It checks the reporter's naming rules the dashboard relies on, not that the job registers each
 * metric (the Kafka lag metric needs a Kafka source and is not produced here).
 */
class PrometheusMetricNamesIT {
    private static final String OP = "flink_taskmanager_job_task_operator_";
    private static final int PORT = freePort();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(clusterConfig())
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(1)
            .build());

    @Test
    void reporterExportsTheNamesTheDashboardQueries() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.enableCheckpointing(200);
        env.fromSequence(0, Long.MAX_VALUE).name("numbers")
                .keyBy(n -> n % 16)
                .process(new LikeTheStages()).name("like the stages").uid("like-the-stages")
                .sinkTo(new DiscardingSink<>()).name("discard");
        JobClient job = env.executeAsync("metricnames");
        try {
            List<Pattern> expected = new ArrayList<>();
            for (String name : List.of(
                    "numRecordsIn", "numRecordsOut", "deadLetters", "duplicatesDropped",
                    "triggers_sent", "triggers_armed", "triggers_cancelledByOrder")) {
                expected.add(line(OP + name + "\\{[^}]*job_name=\"metricnames\"[^}]*\\}"));
            }
            expected.add(line(OP + "reason_deadLetters\\{[^}]*reason=\"not_json\"[^}]*\\}"));
            for (DecisionReason r : DecisionReason.values()) {
                expected.add(line(OP + "triggers_" + r.outcome().wire() + "_" + r.wire() + "\\{[^}]*\\}"));
            }
            expected.add(line(OP + "rankingMicros\\{[^}]*quantile=\"0\\.5\"[^}]*\\}"));
            expected.add(line(OP + "rankingMicros\\{[^}]*quantile=\"0\\.99\"[^}]*\\}"));
            expected.add(line(OP + "replica_indexItems\\{[^}]*\\}"));
            expected.add(line(OP + "replica_catalogItems\\{[^}]*\\}"));
            // The dashboard's regular expressions, with the state name as the column_family label.
            expected.add(line(OP + "\\w*rocksdb_estimate_num_keys\\{[^}]*column_family=\"seen\"[^}]*\\}"));
            expected.add(line(OP + "\\w*rocksdb_estimate_live_data_size\\{[^}]*column_family=\"seen\"[^}]*\\}"));
            for (String name : List.of("lastCheckpointDuration", "lastCheckpointSize", "numberOfFailedCheckpoints",
                    "numRestarts", "uptime")) {
                expected.add(line("flink_jobmanager_job_" + name + "\\{[^}]*job_name=\"metricnames\"[^}]*\\}"));
            }

            HttpClient http = HttpClient.newHttpClient();
            HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            List<Pattern> missing = expected;
            String body = "";
            while (!missing.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(500);
                try {
                    body = http.send(get, HttpResponse.BodyHandlers.ofString()).body();
                } catch (IOException notYet) {
                    continue;
                }
                String scraped = body;
                missing = expected.stream().filter(p -> !p.matcher(scraped).find()).toList();
            }
            Path scrape = Path.of("target", "prometheus-metric-names.txt");
            Files.writeString(scrape, body);
            assertThat(missing).as("not exported (the reporter's last output is in %s)", scrape.toAbsolutePath()).isEmpty();
        } finally {
            job.cancel().get();
        }
    }

    /** A metric sample line: name{labels} value. */
    private static Pattern line(String nameAndLabels) {
        return Pattern.compile("(?m)^" + nameAndLabels + " \\S+$");
    }

    /** Registers metrics as the job's stages do, with RocksDB keyed state. */
    private static final class LikeTheStages extends KeyedProcessFunction<Long, Long, Long> {
        private transient ValueState<Long> seen;
        private transient Counter notJson;
        private transient Counter deadLetters;
        private transient Counter sent;
        private transient Histogram latency;

        @Override
        public void open(OpenContext openContext) {
            seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Long.class));
            MetricGroup metrics = getRuntimeContext().getMetricGroup();
            notJson = metrics.addGroup("reason", "not_json").counter("deadLetters");
            deadLetters = metrics.counter("deadLetters");
            metrics.counter("duplicatesDropped");
            MetricGroup triggers = metrics.addGroup("triggers");
            sent = triggers.counter("sent");
            triggers.counter("armed");
            triggers.counter("cancelledByOrder");
            for (DecisionReason r : DecisionReason.values()) {
                triggers.addGroup(r.outcome().wire()).counter(r.wire());
            }
            latency = metrics.histogram("rankingMicros", new DescriptiveStatisticsHistogram(1000));
            MetricGroup replica = metrics.addGroup("replica");
            replica.gauge("indexItems", () -> 10_000);
            replica.gauge("catalogItems", () -> 12_000);
        }

        @Override
        public void processElement(Long n, Context ctx, Collector<Long> out) throws Exception {
            Long before = seen.value();
            seen.update(before == null ? 1 : before + 1);
            if (n % 50 == 0) {
                notJson.inc();
                deadLetters.inc();
                sent.inc();
            }
            latency.update(n % 40);
            out.collect(n);
            Thread.sleep(1); // about 1,000 records a second: enough for every metric, little CPU
        }
    }

    /** The reporter and RocksDB keys of config/flink/config.yaml, on a free port. */
    private static Configuration clusterConfig() {
        Map<String, Object> file;
        try (Reader r = Files.newBufferedReader(Path.of("..", "config", "flink", "config.yaml"))) {
            file = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Configuration c = new Configuration();
        file.forEach((k, v) -> {
            if (k.startsWith("metrics.") || k.startsWith("state.backend.")) {
                c.setString(k, String.valueOf(v));
            }
        });
        assertThat(c.toMap()).containsKeys("metrics.reporter.prom.factory.class", "metrics.reporter.prom.port",
                "state.backend.rocksdb.metrics.estimate-num-keys", "state.backend.rocksdb.metrics.column-family-as-variable");
        c.setString("metrics.reporter.prom.port", Integer.toString(PORT));
        return c;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
