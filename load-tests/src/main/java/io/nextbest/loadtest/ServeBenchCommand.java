package io.nextbest.loadtest;

import io.nextbest.job.config.ConfigException;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.serving.ServingService;
import io.nextbest.job.io.TopicAdmin;
import io.nextbest.kafka.EmbeddedKafka;
import io.nextbest.loadtest.workload.OpenLoopPacer;
import io.nextbest.schemas.Topic;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.CatalogItem;
import io.nextbest.schemas.messages.Reason;
import io.nextbest.schemas.messages.Signal;
import io.nextbest.schemas.messages.SuggestedItem;
import io.nextbest.schemas.messages.Suggestions;
import io.nextbest.schemas.messages.TrendingList;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code bin/nextbest bench-serve}: the read path of the serving service on this machine. Fills the topics the
 * service reads (N customers' lists of 10 items with reasons, the catalog, a trending list) on an in-process
 * broker, starts one replica (in this JVM, or with {@code --replica-jvm own} in a JVM of its own as deployed: see
 * {@link Replica}), waits until its stores have caught up (the time and the bytes they take), then
 * drives {@code GET /v1/customers/{id}/suggestions} open-loop: each request is due at start + i / rate whatever
 * happened before, and its latency counts from that due time (coordinated omission corrected, as {@code bench}).
 * A rate search finds the highest rate that holds; then a longer step at half that rate gives the latency.
 */
public final class ServeBenchCommand {
    private ServeBenchCommand() {}

    public static final String USAGE = String.join("\n",
            "  bin/nextbest bench-serve [--customers N] [--items N] [--step D] [--start-rate R] [--max-rate R] [--set k=v]",
            "           the serving API's read path: fills the stores (default 100,000 customers' lists, 10,000",
            "           items), then an open-loop rate search of GET suggestions (steps of --step, default 10s, from",
            "           --start-rate 1000 doubling to --max-rate 64000) and p50/p99/p99.9 at half the sustainable rate;",
            "           then, with the job running, POST → list readable over HTTP at --loop-rate events/s (default 200);",
            "           --set key=value: a setting of the replica (e.g. serving.rocksdb-memory-mb=0); --job key=value:",
            "           a setting of the loop's job (e.g. job.checkpoint-interval=60s); --replica-jvm shared|own: the",
            "           replica in this JVM (default) or in its own (NEXTBEST_REPLICA_JAVA_OPTS, default -Xmx512m),",
            "           whose RSS is then the memory per replica");

    /** A step holds when this share of the requests came back 200 within it and p99 from schedule stayed under the bound. */
    static final double HELD_SHARE = 0.95;
    static final long HELD_P99_MS = 100;

    public static void run(String[] args, PrintStream out) throws Exception {
        CommandLine c = CommandLine.parse(args, List.of("customers", "items", "step", "start-rate", "max-rate", "loop-rate",
                "set", "job", "replica-jvm"));
        if (c.help) {
            out.println(USAGE);
            return;
        }
        int customers = positive(c, "customers", 100_000);
        int items = positive(c, "items", 10_000);
        int startRate = positive(c, "start-rate", 1000);
        int maxRate = positive(c, "max-rate", 64_000);
        int loopRate = positive(c, "loop-rate", 200);
        String replicaJvm = c.options.getOrDefault("replica-jvm", "shared");
        if (!List.of("shared", "own").contains(replicaJvm)) {
            throw new ConfigException("--replica-jvm: 'shared' or 'own', not '" + replicaJvm + "'");
        }
        Duration step;
        try {
            step = io.nextbest.job.config.Option.parseDuration(c.options.getOrDefault("step", "10s"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--step: " + e.getMessage());
        }

        Path work = Files.createTempDirectory("nextbest-bench-serve-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0)) {
            List<String> replicaSettings = new ArrayList<>(List.of(
                    "kafka.bootstrap-servers=" + kafka.bootstrapServers(), "serving.port=" + EmbeddedKafka.freePort(),
                    "serving.state-dir=" + work.resolve("state"), "serving.api-keys=bench",
                    "serving.rate-limit=0")); // the loop's writes are measured, not limited
            replicaSettings.addAll(c.sets);
            NextbestConfig config = NextbestConfig.builder().setAll(replicaSettings).build(); // a bad --set fails here
            TopicAdmin.createMissing(config, 4, (short) 1);
            out.printf("bench-serve: filling the topics: %,d customers' lists, %,d catalog items …%n", customers, items);
            long listBytes = fill(kafka, customers, items);
            out.printf("  %,d bytes of lists (%.0f per list)%n", listBytes, (double) listBytes / customers);

            long t0 = System.nanoTime();
            out.println(replicaJvm.equals("own") ? "  starting the replica in its own JVM (" + REPLICA_JAVA_OPTS + "), as deployed …"
                    : "  starting the replica in this JVM (broker and load generator beside it) …");
            try (Replica replica = replicaJvm.equals("own") ? Replica.process(replicaSettings, work.resolve("replica.log"))
                    : Replica.inProcess(config)) {
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                String base = "http://localhost:" + config.get(io.nextbest.job.config.Settings.SERVING_PORT);
                awaitReady(client, base, replica);
                double readySeconds = (System.nanoTime() - t0) / 1e9;
                long stateBytes = size(work.resolve("state"));
                out.printf("  replica ready after %.1f s: state directory %,d bytes (%.0f per customer), RSS %,d"
                        + " bytes%n", readySeconds, stateBytes, (double) stateBytes / customers, replica.rss());

                HttpResponse<String> probe = client.send(HttpRequest.newBuilder(URI.create(base + "/v1/customers/"
                        + customerId(customers, customers) + "/suggestions")).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (probe.statusCode() != 200 || !probe.body().contains("\"source\":\"personal\"")) {
                    throw new IllegalStateException("the replica is ready but does not hold the last customer's list: "
                            + probe.statusCode() + " " + probe.body().substring(0, Math.min(200, probe.body().length())));
                }
                Step warm = step(base, customers, startRate, step);
                out.println("  warm-up (not counted): " + warm.line());
                long sustainable = 0;
                for (long rate = startRate; rate <= maxRate; rate *= 2) {
                    Step s = step(base, customers, rate, step);
                    out.println("  " + s.line());
                    if (!s.held()) {
                        break;
                    }
                    sustainable = rate;
                }
                if (sustainable == 0) {
                    out.println("  no rate held; lower --start-rate");
                    return;
                }
                Step half = step(base, customers, sustainable / 2, step.multipliedBy(2));
                out.printf("%nsustainable %,d requests/s; at half that rate (%,d/s, from schedule): p50 %.2f ms, p99 %.2f ms,"
                        + " p99.9 %.2f ms, max %.2f ms%n", sustainable, sustainable / 2, half.ms(50), half.ms(99),
                        half.ms(99.9), half.histogram.getMaxValue() / 1e6);
                out.printf("memory per replica: state directory %.0f bytes per customer (%,d customers on one replica);"
                        + " after the reads: RSS %,d bytes, of it RocksDB %s bytes (serving.rocksdb-memory-mb=%d)%n",
                        (double) stateBytes / customers, customers, replica.rss(), metric(client, base,
                        "nextbest_serving_rocksdb_bytes"), config.get(io.nextbest.job.config.Settings.SERVING_ROCKSDB_MEMORY_MB));

                // the loop through the job: POST an event, read its list over HTTP
                out.printf("%nstarting the job for the loop (POST → list readable over HTTP) …%n");
                NextbestConfig jobConfig = NextbestConfig.builder().setAll(List.of(
                        "kafka.bootstrap-servers=" + kafka.bootstrapServers(), "kafka.starting-offsets=latest",
                        "job.parallelism=1", "job.checkpoint-dir=" + work.resolve("checkpoints").toUri()))
                        .setAll(c.jobSettings).build();
                org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env =
                        org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.createLocalEnvironment(
                                io.nextbest.job.JobSetup.flinkConfiguration(jobConfig));
                io.nextbest.job.JobSetup.configure(env, jobConfig);
                io.nextbest.job.NextbestJob.buildWithKafka(env, jobConfig);
                org.apache.flink.core.execution.JobClient job = env.executeAsync("nextbest-bench-serve");
                try {
                    Step warmLoop = loop(base, loopRate, Duration.ofSeconds(20), items, 2);
                    out.println("  warm-up (not counted): " + warmLoop.line().replace("requests/s", "events/s"));
                    Step measured = loop(base, loopRate, step.multipliedBy(3), items, 2);
                    out.printf("POST → list readable over HTTP at %,d events/s (polled every 2 ms, from schedule): %,d events,"
                            + " %,d seen, %,d not within 5 s; p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", loopRate,
                            measured.sent(), measured.ok(), measured.failed(), measured.ms(50), measured.ms(99),
                            measured.histogram().getMaxValue() / 1e6);
                } finally {
                    job.cancel().get(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** One open-loop step at {@code rate}: every request due at its time, latency from that time. */
    record Step(long rate, long sent, long ok, long failed, Histogram histogram) {
        boolean held() {
            return ok >= HELD_SHARE * sent && failed == 0 && ms(99) <= HELD_P99_MS;
        }

        double ms(double percentile) {
            return histogram.getValueAtPercentile(percentile) / 1e6;
        }

        String line() {
            return String.format(Locale.ROOT, "%,d requests/s offered → %s: %,d sent, %,d answered 200, %,d failed;"
                    + " p50 %.2f ms, p99 %.2f ms", rate, held() ? "held" : "not held", sent, ok, failed, ms(50), ms(99));
        }
    }

    /** Connections (and sender threads) of the load: requests due while all are busy wait, and that wait counts. */
    static final int CONNECTIONS = 32;

    /** What one sender does with request i on its connection: true when it succeeded (its latency then counts). */
    interface Request {
        boolean send(KeepAlive connection, long i, SplittableRandom random) throws InterruptedException;
    }

    /**
     * Runs {@code request} open loop: request i is due at start + i / rate; {@value #CONNECTIONS} senders, each on
     * its own kept-alive connection, take the requests in order, wait for their due time and send them; latency
     * counts from the due time (as wrk2 does), so a slow answer delays the requests queued behind it and shows in
     * their latency. Requests still queued 5 s after the step's end count as failed.
     */
    static Step openLoop(String base, long rate, Duration length, String name, Request request) throws InterruptedException {
        Recorder recorder = new Recorder(3);
        AtomicLong next = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        long end = start + length.toNanos();
        OpenLoopPacer pacer = new OpenLoopPacer(rate, start);
        long stopAt = end + TimeUnit.SECONDS.toNanos(5);
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < CONNECTIONS; t++) {
            SplittableRandom random = new SplittableRandom(rate * 1000 + t);
            Thread sender = new Thread(() -> {
                try (KeepAlive connection = new KeepAlive(base)) {
                    for (long i = next.getAndIncrement(); pacer.intendedNanos(i) < end; i = next.getAndIncrement()) {
                        if (System.nanoTime() > stopAt) {
                            failed.incrementAndGet();
                            continue;
                        }
                        pacer.awaitTurn(i);
                        long due = pacer.intendedNanos(i);
                        if (request.send(connection, i, random)) {
                            recorder.recordValue(Math.max(0, System.nanoTime() - due));
                            ok.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, name + "-" + t);
            sender.start();
            senders.add(sender);
        }
        for (Thread sender : senders) {
            sender.join();
        }
        return new Step(rate, ok.get() + failed.get(), ok.get(), failed.get(), recorder.getIntervalHistogram());
    }

    /** One step of the read path: GET suggestions of random customers. */
    static Step step(String base, int customers, long rate, Duration length) throws InterruptedException {
        return openLoop(base, rate, length, "bench-serve-get", (connection, i, random) ->
                connection.get("/v1/customers/" + customerId(1 + random.nextInt(customers), customers) + "/suggestions")
                        == 200);
    }

    /**
     * One kept-alive HTTP/1.1 connection that sends GETs and reads whole answers (status, headers, Content-Length
     * body). The JDK's HttpClient cost more CPU per request than the service it measured (JFR), on the same cores;
     * this costs little. Returns the status, or -1 when the connection failed (it reconnects on the next request).
     */
    static final class KeepAlive implements AutoCloseable {
        private final String host;
        private final int port;
        private java.net.Socket socket;
        private java.io.BufferedInputStream in;
        private java.io.OutputStream out;
        private final byte[] skip = new byte[64 * 1024];

        KeepAlive(String base) {
            URI u = URI.create(base);
            this.host = u.getHost();
            this.port = u.getPort();
        }

        int get(String path) {
            return request("GET", path, null, null) == null ? -1 : status;
        }

        /** The status of the last request (-1: the connection failed). */
        int status;

        /**
         * Sends a request (a body with {@code Content-Type: application/json}, an API key when given) and returns the
         * answer's body, or null when the connection failed (it reconnects on the next request).
         */
        byte[] request(String method, String path, byte[] body, String apiKey) {
            try {
                if (socket == null) {
                    socket = new java.net.Socket(host, port);
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout(5000);
                    in = new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024);
                    out = socket.getOutputStream();
                }
                StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                        .append(host).append("\r\n");
                if (apiKey != null) {
                    head.append("X-Api-Key: ").append(apiKey).append("\r\n");
                }
                if (body != null) {
                    head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
                }
                out.write(head.append("\r\n").toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                if (body != null) {
                    out.write(body);
                }
                out.flush();
                String statusLine = line();
                status = Integer.parseInt(statusLine.substring(9, 12));
                int length = -1;
                for (String h = line(); !h.isEmpty(); h = line()) {
                    if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                        length = Integer.parseInt(h.substring(15).trim());
                    }
                }
                if (length < 0) {
                    throw new IOException("no Content-Length");
                }
                byte[] answer = length <= skip.length ? skip : new byte[length];
                for (int at = 0; at < length; ) {
                    int n = in.read(answer, at, length - at);
                    if (n < 0) {
                        throw new IOException("connection closed in a body");
                    }
                    at += n;
                }
                return java.util.Arrays.copyOf(answer, length);
            } catch (IOException | RuntimeException e) {
                close();
                status = -1;
                return null;
            }
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder(64);
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing
                }
                socket = null;
            }
        }
    }

    /**
     * The loop through the job: at {@code rate} events/s (open loop), a view of a fresh customer is POSTed to the
     * service, and the same sender reads that customer's suggestions over HTTP every {@code pollMs} until the list
     * the view triggered is there (at most 5 s); latency from the event's due time (resolution: the poll interval).
     */
    static Step loop(String base, long rate, Duration length, int items, long pollMs) throws InterruptedException {
        return openLoop(base, rate, length, "bench-serve-loop", (connection, i, random) -> {
            String customer = "loop-" + i;
            String eventId = "loop-e" + i;
            byte[] view = ("{\"eventId\":\"" + eventId + "\",\"type\":\"view\",\"customerId\":\"" + customer
                    + "\",\"itemId\":\"" + itemId(1 + random.nextInt(items)) + "\",\"timestamp\":\""
                    + Instant.now() + "\",\"channel\":\"web\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            connection.request("POST", "/v1/events", view, "bench");
            if (connection.status != 202) {
                return false;
            }
            String wanted = "\"triggerEventId\":\"" + eventId + "\"";
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < giveUp) {
                byte[] list = connection.request("GET", "/v1/customers/" + customer + "/suggestions", null, null);
                if (list != null && new String(list, java.nio.charset.StandardCharsets.UTF_8).contains(wanted)) {
                    return true;
                }
                Thread.sleep(pollMs);
            }
            return false;
        });
    }

    /** Fills catalog, trending and suggestions; returns the bytes of the lists written. */
    static long fill(EmbeddedKafka kafka, int customers, int items) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false); // a fill of compacted tables: a repeat is harmless
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        Instant now = Instant.now();
        SplittableRandom r = new SplittableRandom(7);
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = 1; i <= items; i++) {
                send(producer, Topics.CATALOG, new CatalogItem(itemId(i), "Item " + i + " of the bench catalog",
                        List.of("dept-" + i % 7, "cat-" + i % 41), "brand-" + i % 97, 5 + i % 200, "EUR", List.of(),
                        true, null, now));
            }
            List<TrendingList.Entry> top = new ArrayList<>();
            for (int k = 1; k <= 50; k++) {
                top.add(new TrendingList.Entry(itemId(k), k, 100.0 / k));
            }
            send(producer, Topics.TRENDING, new TrendingList(TrendingList.GLOBAL, top, now, 1, now));
            for (int c = 1; c <= customers; c++) {
                List<SuggestedItem> list = new ArrayList<>(10);
                for (int k = 1; k <= 10; k++) {
                    String anchor = itemId(1 + r.nextInt(items));
                    list.add(new SuggestedItem(itemId(1 + r.nextInt(items)), k, 1.0 / k, List.of(
                            new Reason(Signal.COLLABORATIVE, "viewed together with " + anchor + " (similarity 0.4" + k
                                    + ")", 0.4, anchor),
                            new Reason(Signal.CONTENT, "matches category:dept-3/cat-17, brand:brand-5 (content 0.6"
                                    + k + ")", 0.6, null))));
                }
                bytes += send(producer, Topics.SUGGESTIONS, new Suggestions(customerId(c, customers), null, 1,
                        "e-" + c, "home", "hybrid", "default", now, now, list));
            }
            producer.flush();
        }
        return bytes;
    }

    private static <T> int send(KafkaProducer<byte[], byte[]> producer, Topic<T> topic, T message) {
        byte[] value = topic.codec().encode(message);
        producer.send(new ProducerRecord<>(topic.name(), topic.keyBytes(message), value));
        return value.length;
    }

    static String customerId(int c, int customers) {
        return String.format("c%0" + Integer.toString(customers).length() + "d", c);
    }

    private static String itemId(int i) {
        return String.format("i%06d", i);
    }

    private static void awaitReady(HttpClient client, String base, Replica replica) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < deadline) {
            replica.checkAlive();
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(base + "/health")).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notListeningYet) {
                // the replica's JVM is still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the replica did not catch up within 10 minutes");
    }

    /**
     * The replica's JVM options: {@code NEXTBEST_REPLICA_JAVA_OPTS}, else the heap the Kubernetes manifest gives it
     * (docker/k8s/serving.yaml).
     */
    static final String REPLICA_JAVA_OPTS = System.getenv().getOrDefault("NEXTBEST_REPLICA_JAVA_OPTS", "-Xmx512m").trim();

    /**
     * The serving replica under test: in this JVM ({@link #inProcess}: its figures include the collections the
     * broker and the load generator cause), or in a JVM of its own ({@link #process}: {@code ServingService.main} on
     * this process's class path, as it is deployed; its RSS is the memory of one replica).
     */
    static final class Replica implements AutoCloseable {
        private final Process process; // null: in this JVM
        private final Path log;
        private final ServingService inProcess;

        private Replica(Process process, Path log, ServingService inProcess) {
            this.process = process;
            this.log = log;
            this.inProcess = inProcess;
        }

        static Replica inProcess(NextbestConfig config) {
            return new Replica(null, null, ServingService.start(config));
        }

        static Replica process(List<String> settings, Path log) throws java.io.IOException {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString()));
            command.addAll(List.of(REPLICA_JAVA_OPTS.split("\\s+")));
            String log4j = System.getProperty("log4j.configurationFile");
            if (log4j != null) {
                command.add("-Dlog4j.configurationFile=" + log4j);
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.nextbest.serving.ServingService"));
            for (String s : settings) {
                command.add("--set");
                command.add(s);
            }
            return new Replica(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start(),
                    log, null);
        }

        void checkAlive() throws java.io.IOException {
            if (process != null && !process.isAlive()) {
                List<String> lines = Files.readAllLines(log);
                throw new IllegalStateException("the replica exited with status " + process.exitValue() + "; its last"
                        + " lines:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
            }
        }

        /** The resident memory of the replica's process (in this JVM: of this whole process, broker included). */
        long rss() {
            return rssBytes(Path.of("/proc", process == null ? "self" : Long.toString(process.pid()), "status"));
        }

        @Override
        public void close() throws InterruptedException {
            if (process == null) {
                inProcess.close();
                return;
            }
            process.destroy(); // SIGTERM: the replica's shutdown hook closes it cleanly
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }


    /** One value of the replica's /metrics, as written there ("?" if absent). */
    private static String metric(HttpClient client, String base, String name) throws Exception {
        String body = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(body);
        return m.find() ? String.format("%,.0f", Double.parseDouble(m.group(1))) : "?";
    }

    private static long rssBytes(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static int positive(CommandLine c, String name, int def) {
        String v = c.options.get(name);
        if (v == null) {
            return def;
        }
        try {
            int n = Integer.parseInt(v.replace("_", "").replace(",", ""));
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new ConfigException("--" + name + " needs a positive whole number, got '" + v + "'");
    }
}
