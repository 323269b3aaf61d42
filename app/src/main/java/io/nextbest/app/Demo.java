package io.nextbest.app;

import io.nextbest.generator.CatalogFeed;
import io.nextbest.generator.InputEvent;
import io.nextbest.generator.SyntheticGenerator;
import io.nextbest.generator.Workload;
import io.nextbest.generator.Workloads;
import io.nextbest.kafka.EmbeddedKafka;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.Rule;
import io.nextbest.schemas.messages.RuleKind;
import io.nextbest.serving.ServingService;
import io.nextbest.job.NextbestJob;
import io.nextbest.job.config.ConfigException;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Option;
import io.nextbest.job.io.TopicAdmin;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** {@code bin/nextbest demo}: everything on this machine, live output, clean shutdown. */
final class Demo {
    private Demo() {}

    static void run(Cli.Args a) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        long started = System.nanoTime();
        Duration limit = a.duration == null ? null : parseDuration(a.duration);
        out.println("Nextbest demo: starting an in-process Kafka broker (KRaft) …");
        EmbeddedKafka kafka = EmbeddedKafka.start(a.kafkaPort);
        Path work = Files.createTempDirectory("nextbest-demo-");
        NextbestConfig config = config(a.config, kafka.bootstrapServers(), work, portOrAny(a.servePort), a.sets);
        out.println("  Kafka: " + kafka.bootstrapServers() + "   topics: "
                + String.join(", ", TopicAdmin.createMissing(config, 2, (short) 1)));

        StreamExecutionEnvironment env = Cli.localWithWebUi(config, a.webPort);
        NextbestJob.buildWithKafka(env, config);
        JobClient job = env.executeAsync("nextbest-demo");
        out.println("  Flink job " + job.getJobID() + " running; web UI: http://localhost:" + a.webPort);
        ServingService serving = ServingService.start(config);
        out.println();
        out.println("  Open the demo shop: " + shopUrl(serving.port()));
        out.println("  (its API: docs/serving.md; write key " + DEMO_KEY + ")");
        out.println();
        out.println("  Generator: " + a.rate + " events/s, seed " + a.seed + ", ~2% broken and ~1% repeated records");
        out.println("  Experiment " + DEMO_EXPERIMENT + ": half the shoppers get the job's ranking (control), half"
                + " trending only; each list says its arm [in brackets]; simulated shoppers click what suits their");
        out.println("  hidden taste. Its result, while the demo runs: bin/nextbest experiment-report --experiment "
                + DEMO_EXPERIMENT + " --set kafka.bootstrap-servers=" + kafka.bootstrapServers()
                + (config.get(io.nextbest.job.config.Settings.KAFKA_TOPIC_PREFIX).isEmpty() ? ""
                        : " --set kafka.topic-prefix=" + config.get(io.nextbest.job.config.Settings.KAFKA_TOPIC_PREFIX)));
        out.println(limit == null ? "Live output follows. Ctrl-C stops everything cleanly." :
                "Live output follows for " + a.duration + ".");
        out.println();

        LivePrinter printer = new LivePrinter(config, out, a.every);
        DemoShoppers shoppers = new DemoShoppers(config, demoWorkload(a.rate, a.seed), a.seed);
        printer.onList = shoppers;
        Thread printerThread = new Thread(printer, "demo-printer");
        printerThread.start();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong sent = new AtomicLong();
        Thread generator = new Thread(() -> generate(config, a, running, sent), "demo-generator");
        generator.start();

        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean(false);
        Runnable shutdown = () -> {
            if (!stopping.compareAndSet(false, true)) {
                return;
            }
            out.println();
            out.println("Stopping: generator, job, printer, broker …");
            running.set(false);
            try {
                generator.join(5000);
                job.cancel().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                out.println("  (job cancel: " + e.getMessage() + ")");
            }
            printer.stop();
            serving.close();
            shoppers.close();
            try {
                printerThread.join(5000);
                kafka.close();
            } catch (Exception e) {
                out.println("  (broker shutdown: " + e.getMessage() + ")");
            }
            out.printf("Done after %ds: %d events sent, %d suggestions lists, %d basket triggers, %d next-best-action"
                    + " decisions (%d actions taken), %d customer updates, %d dead letters.%n",
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), sent.get(), printer.suggestions.get(),
                    printer.triggers.get(), printer.decisions.get(), printer.actions.get(), printer.updates.get(),
                    printer.deadLetters.get());
            if (printer.decisions.get() > 0) {
                out.println("Decisions by outcome: " + printer.outcomeSummary() + " (docs/decisioning.md)");
            }
            stopped.countDown();
        };
        Thread hook = new Thread(shutdown, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        long nextStatus = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!stopping.get()) {
            if (limit != null && System.nanoTime() - started >= limit.toNanos()) {
                break;
            }
            if (System.nanoTime() >= nextStatus) {
                out.printf("[status]       %d events sent, %d lists, %d triggers, %d decisions (%d actions taken),"
                        + " %d customer updates, %d dead letters%n", sent.get(), printer.suggestions.get(),
                        printer.triggers.get(), printer.decisions.get(), printer.actions.get(), printer.updates.get(),
                        printer.deadLetters.get());
                nextStatus += TimeUnit.SECONDS.toNanos(15);
            }
            Thread.sleep(200);
        }
        if (limit != null) {
            Runtime.getRuntime().removeShutdownHook(hook);
            shutdown.run();
            stopped.await();
            System.exit(printer.suggestions.get() > 0 ? 0 : 1);
        }
        stopped.await();
    }

    /** Open-loop pacing: event i is due at start + i/rate, whatever happened before. */
    private static void generate(NextbestConfig config, Cli.Args a, AtomicBoolean running, AtomicLong sent) {
        Properties p = config.kafkaProperties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get(io.nextbest.job.config.Settings.KAFKA_BOOTSTRAP));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        Workload w = demoWorkload(a.rate, a.seed);
        long startMs = System.currentTimeMillis();
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p);
                CatalogFeed catalog = new CatalogFeed(w, startMs, 0);
                SyntheticGenerator gen = new SyntheticGenerator(w, 0, 1, 0, startMs)) {
            Rule experiment = demoExperiment(Instant.ofEpochMilli(startMs));
            producer.send(new ProducerRecord<>(config.topic(Topics.RULES.name()), experiment.ruleId(),
                    Topics.RULES.codec().encode(experiment)));
            for (String[] action : DEMO_ACTIONS) { // the action catalog next-best-action decisions weigh
                producer.send(new ProducerRecord<>(config.topic(Topics.ACTIONS.name()), action[0],
                        action[1].getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            while (catalog.hasNext()) { // some items are out of stock: never suggested
                InputEvent r = catalog.next();
                producer.send(new ProducerRecord<>(config.topic(r.topic()), r.key(), r.value()));
            }
            for (long i = 0; running.get(); i++) { // event i is stamped start + i/rate: the schedule is the clock
                long due = start + i * 1_000_000_000L / a.rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                InputEvent r = gen.next();
                producer.send(new ProducerRecord<>(config.topic(r.topic()), r.key(), r.value()));
                sent.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The demo's configuration: the file (if any), then what a demo on one machine needs (short checkpoints and
     * publish intervals, abandoned baskets within a minute, no quiet hours, the storefront on), then {@code sets}.
     */
    static NextbestConfig config(Path file, String bootstrap, Path work, int servePort, java.util.List<String> sets) {
        NextbestConfig.Builder b = NextbestConfig.builder();
        if (file != null) {
            b.file(file);
        }
        return b
                .set("kafka.bootstrap-servers", bootstrap)
                .set("kafka.starting-offsets", "earliest")
                .set("job.checkpoint-interval", "5s")
                .set("job.checkpoint-dir", work.resolve("checkpoints").toUri().toString())
                .set("trending.publish-interval", "500ms")
                .set("trigger.idle-time", "20s") // so that abandoned baskets show within the demo's minutes
                .set("contact.quiet-hours", "off")
                .set("experiments.metrics-window", "1m") // the experiment report's uplift over a demo's minutes
                .set("experiments.metrics-flush", "2s")
                .set("serving.port", Integer.toString(servePort))
                .set("serving.api-keys", DEMO_KEY)
                .set("serving.storefront", "true")
                .set("serving.state-dir", work.resolve("serving").toString())
                .setAll(sets)
                .build();
    }

    /** The storefront's address, with the demo's write key (its events go through the API like a shop's would). */
    static String shopUrl(int port) {
        return "http://localhost:" + port + "/?key=" + DEMO_KEY;
    }

    /**
     * The experiment the demo runs: on every placement the generator and the shop page use, half the shoppers get
     * the job's ranking (control), half trending only; the page shows each list's arm (docs/experiments.md).
     */
    static Rule demoExperiment(Instant now) {
        try {
            return new Rule(DEMO_EXPERIMENT, RuleKind.EXPERIMENT, true, "The demo's experiment: personalised (control)"
                    + " against trending only", now.minusSeconds(3600), now.plus(Duration.ofDays(30)), null,
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"placements\":[\"default\",\"home\","
                            + "\"category\",\"recommendation\",\"search\",\"product\",\"grid\",\"suggestions\"],"
                            + "\"plannedCustomers\":2000,\"control\":{\"share\":0.5},\"variants\":[{\"name\":\"trending-only\",\"weight\":1,"
                            + "\"strategy\":\"trending-only\"}]}"), now);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static final String DEMO_EXPERIMENT = "demo-personal-vs-trending";

    /**
     * The demo's action catalog (docs/decisioning.md): a tip for shoppers with a basket, a first-order voucher for
     * known customers who never ordered, and a mandatory thank-you to loyal customers, once a month.
     */
    static final String[][] DEMO_ACTIONS = {
        {"demo-gift-wrap-tip", "{\"actionId\":\"demo-gift-wrap-tip\",\"kind\":\"discretionary\",\"enabled\":true,"
                + "\"description\":\"Did you know? Free gift wrap for what is in your basket\","
                + "\"channels\":[\"web\",\"push\",\"email\"],\"priority\":100,"
                + "\"eligibility\":{\"basketLines\":{\"min\":1}},\"value\":{\"fixed\":2,\"basketMarginShare\":0.2},"
                + "\"cost\":{\"contact\":0.1},\"cooldown\":\"PT10M\",\"updatedAt\":\"2026-12-01T00:00:00Z\"}"},
        {"demo-first-order-voucher", "{\"actionId\":\"demo-first-order-voucher\",\"kind\":\"discretionary\","
                + "\"enabled\":true,\"description\":\"5 EUR off the first order\",\"channels\":[\"email\",\"push\"],"
                + "\"priority\":200,\"eligibility\":{\"known\":true,\"orders\":{\"max\":0}},\"value\":{\"fixed\":60},"
                + "\"cost\":{\"contact\":0.05,\"discount\":5},\"cooldown\":\"P7D\",\"updatedAt\":\"2026-12-01T00:00:00Z\"}"},
        {"demo-loyal-thanks", "{\"actionId\":\"demo-loyal-thanks\",\"kind\":\"mandatory\",\"enabled\":true,"
                + "\"description\":\"A thank-you to loyal customers\",\"channels\":[\"email\"],\"priority\":500,"
                + "\"eligibility\":{\"lifecycle\":[\"loyal\"]},\"value\":{\"fixed\":0},\"cooldown\":\"P30D\","
                + "\"updatedAt\":\"2026-12-01T00:00:00Z\"}"}};

    /** The API key of the demo's serving service (a demo has no secrets; a deployment sets serving.api-keys). */
    static final String DEMO_KEY = "demo-key";

    /** The port if it is free, else 0 (any free port). */
    private static int portOrAny(int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket(port)) {
            return port;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /** The {@code demo} workload of the one synthetic generator, at the command's rate and seed. */
    static Workload demoWorkload(int rate, long seed) {
        return Workloads.load().get("demo").with(Map.of("bench.rate", Integer.toString(rate), "seed", Long.toString(seed)));
    }

    private static Duration parseDuration(String s) {
        try {
            return Option.parseDuration(s);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--duration '" + s + "': " + e.getMessage());
        }
    }
}
