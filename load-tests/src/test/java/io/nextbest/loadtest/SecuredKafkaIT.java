package io.nextbest.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nextbest.job.JobSetup;
import io.nextbest.job.NextbestJob;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.io.TopicAdmin;
import io.nextbest.kafka.EmbeddedKafka;
import io.nextbest.loadtest.harness.TopicReader;
import io.nextbest.schemas.Topic;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.CatalogItem;
import io.nextbest.schemas.messages.Channel;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.Rule;
import io.nextbest.schemas.messages.RuleKind;
import io.nextbest.schemas.messages.Suggestions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21, secured Kafka: the real job against a broker that takes clients only over SASL/SCRAM-SHA-512 on TLS, with
 * the credentials (the SCRAM password in {@code sasl.jaas.config}, the truststore's password) in the job's config file
 * under {@code kafka.properties.*}, as a user deploys it. The job creates its topics, reads and writes through that
 * listener alone (its only bootstrap server), and makes lists; a client with a wrong password is refused, so the
 * listener really checks.
 *
 * <p>The secrets never show: every log event of the run (the broker's, Flink's, the Kafka clients', the job's; at
 * INFO, where Kafka clients print their whole configuration, and DEBUG for Kafka's security classes and the job) is
 * searched, and is known to contain the Kafka clients' configuration dumps (so the search sees what would leak); the
 * Flink web UI's views of the job's and the cluster's configuration and of the job (REST, as the UI reads them) show
 * the keys masked; and a report of {@code bin/nextbest experiment-report}, run against the secured broker with the
 * credentials given on its command line ({@code --set}), holds none of them in any file, nor does its output.
 */
class SecuredKafkaIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    @Test
    void theJobRunsOnSaslScramOverTlsAndItsCredentialsShowNowhere() throws Exception {
        String scramPassword = "scram-" + UUID.randomUUID();
        String truststorePassword = "trust-" + UUID.randomUUID();
        String keystorePassword = "keys-" + UUID.randomUUID();
        List<String> secrets = List.of(scramPassword, truststorePassword, keystorePassword);
        Path keystore = tmp.resolve("broker.p12");
        Path truststore = tmp.resolve("truststore.p12");
        tls(keystore, keystorePassword, truststore, truststorePassword);

        try (LogCapture logs = LogCapture.begin()) {
            try (EmbeddedKafka kafka = EmbeddedKafka.start(0,
                    new EmbeddedKafka.Secured(keystore, keystorePassword, "nextbest", scramPassword))) {
                // the user's config file: the secured listener, the credentials under kafka.properties
                Path file = tmp.resolve("nextbest.yaml");
                Files.writeString(file, String.join("\n",
                        "kafka:",
                        "  bootstrap-servers: " + kafka.securedBootstrapServers(),
                        "  topic-prefix: sec.",
                        "  group-id: sec-job",
                        "  starting-offsets: earliest",
                        "  properties:",
                        "    security.protocol: SASL_SSL",
                        "    sasl.mechanism: SCRAM-SHA-512",
                        "    sasl.jaas.config: 'org.apache.kafka.common.security.scram.ScramLoginModule required"
                                + " username=\"nextbest\" password=\"" + scramPassword + "\";'",
                        "    ssl.truststore.type: PKCS12",
                        "    ssl.truststore.location: " + truststore,
                        "    ssl.truststore.password: " + truststorePassword,
                        "job:",
                        "  parallelism: 1",
                        "  checkpoint-interval: 1s",
                        "  checkpoint-dir: " + tmp.resolve("checkpoints").toUri(),
                        "experiments:",
                        "  metrics-flush: 300ms",
                        ""));
                NextbestConfig config = NextbestConfig.builder().file(file).build();
                assertThat(config.get(Settings.KAFKA_BOOTSTRAP)).isEqualTo(kafka.securedBootstrapServers());

                // the listener checks: a wrong password is refused
                Properties wrong = config.kafkaProperties();
                wrong.put("bootstrap.servers", kafka.securedBootstrapServers());
                wrong.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"nextbest\" password=\"not-" + scramPassword.substring(0, 8) + "\";");
                try (Admin admin = Admin.create(wrong)) {
                    assertThatThrownBy(() -> admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                            .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
                }

                assertThat(TopicAdmin.createMissing(config, 1, (short) 1)).contains("sec.suggestions", "sec.interactions");
                int webPort = EmbeddedKafka.freePort();
                Configuration flink = JobSetup.flinkConfiguration(config);
                flink.set(RestOptions.PORT, webPort);
                flink.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
                StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
                JobSetup.configure(env, config);
                NextbestJob.buildWithKafka(env, config);
                JobClient job = env.executeAsync("secured-kafka-it");
                try {
                    runThrough(kafka, config);
                    assertWebUiShowsNoSecret(webPort, job.getJobID().toString(), secrets);
                    assertReportShowsNoSecret(kafka, config, secrets);
                } finally {
                    job.cancel().get(60, TimeUnit.SECONDS);
                }
            }
            List<String> events = logs.events();
            assertThat(events).as("the capture saw the Kafka clients' configuration dumps (with the keys masked)")
                    .anyMatch(e -> e.contains("sasl.jaas.config = [hidden]"))
                    .anyMatch(e -> e.contains("ssl.truststore.password = [hidden]"))
                    .anyMatch(e -> e.contains("security.protocol = SASL_SSL"));
            List<String> leaks = new ArrayList<>();
            for (String e : events) {
                for (String secret : secrets) {
                    if (e.contains(secret)) {
                        leaks.add(e.length() > 400 ? e.substring(0, 400) + " …" : e);
                    }
                }
            }
            assertThat(leaks).as("log events (of %d) holding a secret", events.size()).isEmpty();
        }
    }

    /** Catalog, an experiment and views in through the plaintext listener; the job's lists out through SASL_SSL. */
    private static void runThrough(EmbeddedKafka kafka, NextbestConfig config) throws Exception {
        Instant now = Instant.now();
        Map<String, Suggestions> lists = new ConcurrentHashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaClients.producer(kafka.bootstrapServers(), 0));
                TopicReader<Suggestions> reader = new TopicReader<>(kafka.bootstrapServers(),
                        config.topic(Topics.SUGGESTIONS.name()), Topics.SUGGESTIONS,
                        s -> lists.put(s.triggerEventId(), s), false)) {
            for (int i = 1; i <= 5; i++) {
                send(producer, config, Topics.CATALOG, new CatalogItem("SKU-" + i, "Item " + i, List.of("shoes"), "acme",
                        10.0 * i, "EUR", List.of(), true, null, now));
            }
            send(producer, config, Topics.RULES, new Rule("exp-sec", RuleKind.EXPERIMENT, true, null,
                    now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), null,
                    new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(Map.of("placements", List.of("default"),
                            "control", Map.of("share", 0.5), "variants", List.of(Map.of("name", "b", "weight", 1)))),
                    now));
            Set<String> ids = ConcurrentHashMap.newKeySet();
            for (int c = 0; c < 20; c++) {
                String id = "view-" + c;
                send(producer, config, Topics.INTERACTIONS, new Interaction(id, InteractionType.VIEW, "C-" + c, null,
                        "SKU-" + (1 + c % 5), null, now, Channel.WEB, null, null, null));
                ids.add(id);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!lists.keySet().containsAll(ids)) {
                assertThat(System.nanoTime()).as("lists for the views: %s of %s", lists.size(), ids.size())
                        .isLessThan(deadline);
                Thread.sleep(100);
            }
            assertThat(lists.values()).allSatisfy(s -> assertThat(s.items()).isNotEmpty());
        }
    }

    private static <T> void send(KafkaProducer<byte[], byte[]> producer, NextbestConfig config, Topic<T> topic, T message)
            throws Exception {
        producer.send(new ProducerRecord<>(config.topic(topic.name()), topic.keyBytes(message), topic.codec().encode(message)))
                .get();
    }

    /** The web UI's configuration views (job, cluster) and the job's own view, as its REST API serves them. */
    private static void assertWebUiShowsNoSecret(int port, String jobId, List<String> secrets) throws Exception {
        String jobConfig = get(port, "/jobs/" + jobId + "/config");
        assertThat(jobConfig).as("the job's configuration view lists the keys, masked")
                .contains("kafka.properties.sasl.jaas.config").contains("kafka.properties.ssl.truststore.password")
                .contains("******");
        for (String path : List.of("/jobs/" + jobId + "/config", "/jobmanager/config", "/jobs/" + jobId,
                "/jobs/" + jobId + "/plan", "/jobmanager/environment")) {
            String body = get(port, path);
            for (String secret : secrets) {
                assertThat(body).as("%s", path).doesNotContain(secret);
            }
        }
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s", path).isEqualTo(200);
        return r.body();
    }

    /** {@code bin/nextbest experiment-report} against the secured broker, the credentials on its command line. */
    private void assertReportShowsNoSecret(EmbeddedKafka kafka, NextbestConfig config, List<String> secrets)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("--experiment", "exp-sec", "--timeout", "60s",
                "--out", tmp.resolve("report").toString()));
        config.kafkaProperties().forEach((k, v) -> {
            args.add("--set");
            args.add(Settings.KAFKA_PROPERTIES_PREFIX + k + "=" + v);
        });
        for (String key : List.of("kafka.bootstrap-servers", "kafka.topic-prefix")) {
            args.add("--set");
            args.add(key + "=" + config.toMap().get(key));
        }
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        AtomicInteger files = new AtomicInteger();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Path dir = null;
        while (dir == null) { // until the job has flushed the experiment's first metrics
            try {
                dir = ExperimentReportCommand.run(args.toArray(new String[0]), new PrintStream(printed, true,
                        StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                assertThat(System.nanoTime()).as("a report: %s", e.getMessage()).isLessThan(deadline);
                Thread.sleep(500);
            }
        }
        String report = Files.readString(dir.resolve("report.md"));
        assertThat(report).as("the report quotes its command, the secrets masked")
                .contains("kafka.properties.sasl.jaas.config=******").contains("kafka.properties.security.protocol=SASL_SSL");
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path f : all.filter(Files::isRegularFile).toList()) {
                files.incrementAndGet();
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    assertThat(content).as("%s", f.getFileName()).doesNotContain(secret);
                }
            }
        }
        assertThat(files.get()).isGreaterThanOrEqualTo(2);
        for (String secret : secrets) {
            assertThat(printed.toString(StandardCharsets.UTF_8)).as("the command's output").doesNotContain(secret);
        }
    }

    /** A self-signed certificate for 127.0.0.1 in the broker's keystore, trusted by the clients' truststore (keytool). */
    private static void tls(Path keystore, String keystorePassword, Path truststore, String truststorePassword)
            throws IOException, InterruptedException {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Path cert = keystore.resolveSibling("broker.pem");
        keytool(keytool, "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=IP:127.0.0.1,DNS:localhost", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", keystorePassword, "-keypass", keystorePassword);
        keytool(keytool, "-exportcert", "-rfc", "-alias", "broker", "-keystore", keystore.toString(), "-storepass",
                keystorePassword, "-file", cert.toString());
        keytool(keytool, "-importcert", "-noprompt", "-alias", "broker", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", truststore.toString(), "-storepass", truststorePassword);
    }

    private static void keytool(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("keytool %s: %s", command[1], out).isZero();
    }

    /**
     * Every log event of the JVM while open (formatted message and stack traces), at INFO — DEBUG for Kafka's security
     * classes and the job — instead of the quiet console of the tests.
     */
    private static final class LogCapture extends AbstractAppender implements AutoCloseable {
        private final List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
        private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
        private final Map<String, Level> before = new java.util.HashMap<>();

        private LogCapture() {
            super("capture", null, null, true, Property.EMPTY_ARRAY);
        }

        static LogCapture begin() {
            LogCapture c = new LogCapture();
            c.start0();
            return c;
        }

        private void start0() {
            start();
            var config = context.getConfiguration();
            for (var e : Map.of("", Level.INFO, "org.apache.kafka", Level.INFO, "kafka", Level.INFO,
                    "org.apache.kafka.common.security", Level.DEBUG, "io.nextbest", Level.DEBUG).entrySet()) {
                LoggerConfig l = config.getLoggerConfig(e.getKey());
                if (!l.getName().equals(e.getKey())) { // no config of its own: give it one
                    l = new LoggerConfig(e.getKey(), e.getValue(), true);
                    config.addLogger(e.getKey(), l);
                }
                before.put(e.getKey(), l.getLevel());
                l.setLevel(e.getValue());
            }
            LoggerConfig root = config.getRootLogger();
            root.removeAppender("Console");
            root.addAppender(this, Level.ALL, null);
            context.updateLoggers();
        }

        @Override
        public void append(LogEvent event) {
            StringBuilder b = new StringBuilder(event.getLoggerName()).append(": ")
                    .append(event.getMessage().getFormattedMessage());
            for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
                b.append(" | ").append(t);
                for (StackTraceElement s : t.getStackTrace()) {
                    b.append(' ').append(s);
                }
            }
            events.add(b.toString());
        }

        List<String> events() {
            return List.copyOf(events);
        }

        @Override
        public void close() {
            var config = context.getConfiguration();
            LoggerConfig root = config.getRootLogger();
            root.removeAppender(getName());
            root.addAppender(config.getAppender("Console"), null, null);
            before.forEach((name, level) -> config.getLoggerConfig(name).setLevel(level));
            context.updateLoggers();
            stop();
        }
    }
}
