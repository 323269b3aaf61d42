package io.nextbest.serving;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

/**
 * One replica of the serving service: the HTTP front, the Kafka Streams stores and the producer of accepted events,
 * all from the Nextbest configuration ({@code kafka.*} and {@code serving.*}). Any number of replicas with the same
 * {@code serving.application-id} share the customers' lists; each answers every read (forwarding what it does not
 * hold) and every write.
 */
public final class ServingService implements AutoCloseable {
    private final HttpFront front;
    private final Stores stores;
    private final KafkaProducer<byte[], byte[]> producer;

    private ServingService(HttpFront front, Stores stores, KafkaProducer<byte[], byte[]> producer) {
        this.front = front;
        this.stores = stores;
        this.producer = producer;
    }

    /** Starts a replica; its stores catch up in the background ({@code GET /health} says when they have). */
    public static ServingService start(NextbestConfig config) {
        HttpFront front = HttpFront.start(config.get(Settings.SERVING_PORT), config.get(Settings.SERVING_MAX_BODY_BYTES));
        HostInfo self = new HostInfo(config.get(Settings.SERVING_ADVERTISED_HOST), front.port());
        String prefix = config.get(Settings.KAFKA_TOPIC_PREFIX);

        Properties p = config.kafkaProperties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get(Settings.KAFKA_BOOTSTRAP));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);

        Properties s = config.kafkaProperties();
        s.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.get(Settings.KAFKA_BOOTSTRAP));
        s.put(StreamsConfig.APPLICATION_ID_CONFIG, config.get(Settings.SERVING_APPLICATION_ID));
        s.put(StreamsConfig.STATE_DIR_CONFIG, stateDir(config.get(Settings.SERVING_STATE_DIR)));
        long rocksDbBytes = config.get(Settings.SERVING_ROCKSDB_MEMORY_MB) * 1024L * 1024L;
        if (rocksDbBytes > 0) {
            s.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class.getName());
            s.put(BoundedRocksDb.MEMORY_BYTES, Long.toString(rocksDbBytes));
        }
        Stores stores = Stores.start(prefix, s, self);

        // an accepted event is written (acknowledged by the broker) before its 202
        Api api = new Api(stores, (topic, key, value) ->
                producer.send(new ProducerRecord<>(prefix + topic, key, value)).get(10, TimeUnit.SECONDS));
        List<String> keys = Arrays.stream(config.get(Settings.SERVING_API_KEYS).split(","))
                .map(String::trim).filter(k -> !k.isEmpty()).toList();
        ServingMetrics metrics = new ServingMetrics(stores::lag, () -> BoundedRocksDb.usage(rocksDbBytes), rocksDbBytes);
        front.route(new Routes(api, stores, metrics, new Routes.Options(keys, config.get(Settings.SERVING_RATE_LIMIT),
                config.get(Settings.SERVING_CORS_ORIGIN), config.get(Settings.SERVING_READY_MAX_LAG),
                config.get(Settings.SERVING_PUBLIC_READS), config.get(Settings.SERVING_STOREFRONT)), self));
        return new ServingService(front, stores, producer);
    }

    /**
     * Runs a replica until the process ends ({@code bin/nextbest serve}, the container's entry point): starts it,
     * stops it cleanly on SIGTERM or Ctrl-C, and prints where it listens.
     */
    public static void serve(NextbestConfig config) throws InterruptedException {
        ServingService service = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "serving-shutdown"));
        System.out.println("Nextbest serving on http://" + config.get(Settings.SERVING_ADVERTISED_HOST) + ":"
                + service.port() + "  (GET /health says when its stores have caught up; Ctrl-C to stop)");
        Thread.currentThread().join();
    }

    /**
     * The entry point of the serving image (no Flink on its class path): {@code --config FILE} and any number of
     * {@code --set key=value}, as {@code bin/nextbest serve} takes them. A bad argument or setting: a message and
     * exit status 2.
     */
    public static void main(String[] args) throws InterruptedException {
        NextbestConfig.Builder b = NextbestConfig.builder();
        try {
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--config" -> b.file(Path.of(required(args[i], value)));
                    case "--set" -> b.set(required(args[i], value));
                    default -> throw new io.nextbest.job.config.ConfigException("unknown argument '" + args[i]
                            + "' (serve takes --config FILE and --set key=value)");
                }
                i++;
            }
            serve(b.build());
        } catch (io.nextbest.job.config.ConfigException e) {
            System.err.println("nextbest serve: " + e.getMessage());
            System.exit(2);
        }
    }

    private static String required(String option, String value) {
        if (value == null) {
            throw new io.nextbest.job.config.ConfigException(option + " needs a value");
        }
        return value;
    }

    /** The port the HTTP front listens on. */
    public int port() {
        return front.port();
    }

    private static String stateDir(String configured) {
        try {
            return configured.isEmpty() ? Files.createTempDirectory("nextbest-serving-").toString()
                    : Files.createDirectories(Path.of(configured)).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("serving.state-dir '" + configured + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        front.close();
        stores.close();
        producer.close();
    }
}
