package io.nextbest.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node Kafka broker (KRaft, combined broker + controller) in this JVM, on loopback, for
 * the demo. It uses the broker's own classes, no test artifact; it is never part of the job jar.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final Path dir;
    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final String securedBootstrapServers;

    private EmbeddedKafka(Path dir, KafkaRaftServer server, String bootstrapServers, String securedBootstrapServers) {
        this.dir = dir;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.securedBootstrapServers = securedBootstrapServers;
    }

    /**
     * A listener that requires SASL/SCRAM-SHA-512 over TLS, beside the plaintext one: the broker's certificate and key
     * in a PKCS12 keystore, and the one SCRAM user it knows (created when the log directory is formatted).
     */
    public record Secured(Path keystore, String keystorePassword, String user, String password) {
        @Override
        public String toString() { // a record's toString would print the passwords
            return "Secured[keystore=" + keystore + ", user=" + user + "]";
        }
    }

    /** Starts a broker on {@code preferredPort}, or on a free port if that one is taken or is 0. */
    public static EmbeddedKafka start(int preferredPort) throws IOException {
        return start(preferredPort, null);
    }

    /**
     * Starts a broker with a plaintext listener on {@code preferredPort} (or a free port) and, if {@code secured} is
     * given, a SASL_SSL listener on a free port ({@link #securedBootstrapServers}) that takes only that SCRAM user.
     */
    public static EmbeddedKafka start(int preferredPort, Secured secured) throws IOException {
        Path dir = Files.createTempDirectory("nextbest-kafka-");
        int port = preferredPort > 0 && isFree(preferredPort) ? preferredPort : freePort();
        int controllerPort = freePort();
        int securedPort = secured == null ? 0 : freePort();
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        String secure = secured == null ? "" : ",SECURE://127.0.0.1:" + securedPort;
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + secure + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + secure);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
                + (secured == null ? "" : ",SECURE:SASL_SSL"));
        p.put("inter.broker.listener.name", "PLAINTEXT");
        if (secured != null) {
            p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
            p.put("listener.name.secure.sasl.enabled.mechanisms", "SCRAM-SHA-512");
            p.put("listener.name.secure.scram-sha-512.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            p.put("listener.name.secure.ssl.keystore.type", "PKCS12");
            p.put("listener.name.secure.ssl.keystore.location", secured.keystore().toString());
            p.put("listener.name.secure.ssl.keystore.password", secured.keystorePassword());
            p.put("listener.name.secure.ssl.key.password", secured.keystorePassword());
        }
        p.put("log.dirs", dir.resolve("data").toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "2");
        Path config = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            p.store(out, "nextbest demo broker");
        }
        ByteArrayOutputStream formatLog = new ByteArrayOutputStream();
        java.util.List<String> format = new java.util.ArrayList<>(java.util.List.of(
                "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(), "--ignore-formatted"));
        if (secured != null) {
            format.add("--add-scram");
            format.add("SCRAM-SHA-512=[name=" + secured.user() + ",password=" + secured.password() + "]");
        }
        int rc = StorageTool.execute(format.toArray(new String[0]), new PrintStream(formatLog, true, StandardCharsets.UTF_8));
        if (rc != 0) { // the tool's own words, without the command line (it may hold the SCRAM password)
            throw new IOException("formatting the Kafka log directory failed: " + formatLog.toString(StandardCharsets.UTF_8));
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
        server.startup();
        return new EmbeddedKafka(dir, server, "127.0.0.1:" + port, secured == null ? null : "127.0.0.1:" + securedPort);
    }

    /** The plaintext listener (the demo's, and in a secured broker the way tests reach it from outside the job). */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The SASL_SSL listener of a broker started with {@link Secured}; null otherwise. */
    public String securedBootstrapServers() {
        return securedBootstrapServers;
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
        server.awaitShutdown();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port free on the loopback interface now (for a test or a tool that starts a server beside the broker). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
