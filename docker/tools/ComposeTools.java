import io.nextbest.generator.CatalogFeed;
import io.nextbest.generator.InputEvent;
import io.nextbest.generator.SyntheticGenerator;
import io.nextbest.generator.Workload;
import io.nextbest.generator.Workloads;
import io.nextbest.job.config.ConfigException;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Option;
import io.nextbest.job.config.Settings;
import io.nextbest.job.io.TopicAdmin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The {@code topics} and {@code generator} services of docker/docker-compose.yml, run by the
 * {@code tools} image of docker/Dockerfile against a Kafka cluster outside this JVM. Nothing new:
 * {@code topics} is {@link TopicAdmin#createMissing} (the registry's topics, compacted where the
 * registry says), {@code generate} streams the {@code demo} workload of the {@link SyntheticGenerator}
 * (catalog first, then shoppers at a fixed rate, ~2% broken and ~1% repeated records) as {@code bin/nextbest demo} does
 * against its in-process broker. No {@code bin/nextbest} command streams load to an external broker
 * (demo starts its own; bench, evaluate and triggers run the job in process), hence this launcher.
 *
 * <p>Both read the job configuration ({@code --config FILE}, {@code --set key=value}) for the
 * bootstrap servers, the topic prefix and {@code kafka.properties.*} (security). DeploymentFilesTest
 * compiles this file against the job's classes without Flink, so that it cannot drift from them.
 */
public final class ComposeTools {
    static final String USAGE = String.join("\n",
            "usage: ComposeTools <command> [--config FILE] [--set key=value …] [options]",
            "  topics     create the missing topics of the registry",
            "             --partitions N (default 2), --replication R (default 1), --wait D (default 2m: retry while the broker is not up)",
            "  generate   stream generated shoppers to the input topics until stopped",
            "             --rate N events/s (default 20), --seed N (default 42), --customers N (default 200),",
            "             --items N (default 100), --duration D (default: until stopped)");

    private ComposeTools() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            System.out.println(USAGE);
            return;
        }
        try {
            Options o = Options.parse(args);
            switch (args[0]) {
                case "topics" -> topics(o);
                case "generate" -> generate(o);
                default -> throw new ConfigException("unknown command '" + args[0] + "'");
            }
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println("ComposeTools: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
    }

    private static void topics(Options o) throws Exception {
        long deadline = System.nanoTime() + o.waitFor.toNanos();
        while (true) {
            try {
                List<String> created = TopicAdmin.createMissing(o.config, o.partitions, o.replication);
                System.out.println(created.isEmpty() ? "all topics exist" : "created: " + String.join(", ", created));
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                System.out.println("broker not ready (" + e.getClass().getSimpleName() + "), retrying in 3s");
                TimeUnit.SECONDS.sleep(3);
            }
        }
    }

    /** Open-loop pacing: event i is due at start + i/rate, whatever happened before. */
    private static void generate(Options o) throws Exception {
        Properties p = o.config.kafkaProperties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, o.config.get(Settings.KAFKA_BOOTSTRAP));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        long startMs = System.currentTimeMillis();
        Workload w = Workloads.load().get("demo").with(Map.of("bench.rate", Integer.toString(o.rate),
                "seed", Long.toString(o.seed), "customers", Integer.toString(o.customers), "items", Integer.toString(o.items)));
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        long end = o.duration == null ? Long.MAX_VALUE : start + o.duration.toNanos();
        long nextReport = start + TimeUnit.SECONDS.toNanos(10);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p);
                CatalogFeed feed = new CatalogFeed(w, startMs, 0);
                SyntheticGenerator gen = new SyntheticGenerator(w, 0, 1, 0, startMs)) {
            int catalog = 0;
            while (feed.hasNext()) {
                send(producer, o.config, feed.next(), failed);
                catalog++;
            }
            System.out.printf("sent %d catalog items; generating %d events/s (seed %d, %d customers, %d items)%n",
                    catalog, o.rate, o.seed, o.customers, o.items);
            long i = 0;
            while (System.nanoTime() < end) {
                long wait = start + i * 1_000_000_000L / o.rate - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                send(producer, o.config, gen.next(), failed);
                i++;
                if (System.nanoTime() >= nextReport) {
                    System.out.printf("%d events sent, %d failed%n", i, failed.get());
                    nextReport += TimeUnit.SECONDS.toNanos(10);
                }
            }
            producer.flush();
            System.out.printf("done: %d events sent, %d failed%n", i, failed.get());
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, NextbestConfig config, InputEvent r,
            AtomicLong failed) {
        producer.send(new ProducerRecord<>(config.topic(r.topic()), r.key(), r.value()), (m, e) -> {
            if (e != null && failed.getAndIncrement() == 0) {
                System.err.println("send failed: " + e);
            }
        });
    }

    /** The options of both commands. */
    private static final class Options {
        NextbestConfig config;
        int partitions = 2;
        short replication = 1;
        Duration waitFor = Duration.ofMinutes(2);
        int rate = 20;
        long seed = 42;
        int customers = 200;
        int items = 100;
        Duration duration;

        static Options parse(String[] args) {
            Options o = new Options();
            NextbestConfig.Builder b = NextbestConfig.builder();
            List<String> sets = new ArrayList<>();
            for (int i = 1; i < args.length; i++) {
                String opt = args[i];
                if (i + 1 >= args.length) {
                    throw new ConfigException("option '" + opt + "' needs a value");
                }
                String v = args[++i];
                switch (opt) {
                    case "--config" -> b.file(Path.of(v));
                    case "--set" -> sets.add(v);
                    case "--partitions" -> o.partitions = positive(opt, v);
                    case "--replication" -> o.replication = (short) positive(opt, v);
                    case "--wait" -> o.waitFor = Option.parseDuration(v);
                    case "--rate" -> o.rate = positive(opt, v);
                    case "--seed" -> o.seed = Long.parseLong(v);
                    case "--customers" -> o.customers = positive(opt, v);
                    case "--items" -> o.items = positive(opt, v);
                    case "--duration" -> o.duration = Option.parseDuration(v);
                    default -> throw new ConfigException("unknown option '" + opt + "'");
                }
            }
            o.config = b.setAll(sets).build();
            return o;
        }

        private static int positive(String opt, String v) {
            int n = Integer.parseInt(v);
            if (n <= 0) {
                throw new ConfigException("option '" + opt + "' needs a positive whole number, got '" + v + "'");
            }
            return n;
        }
    }
}
