package io.nextbest.loadtest.harness;

import io.nextbest.loadtest.KafkaClients;
import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Reads one of the job's output topics from the beginning on a thread of its own, decoding every
 * record with the topic's codec and keeping them all in arrival order. Reads committed records only
 * ({@code isolation.level=read_committed}), as the consumers of an exactly-once topic must: records of
 * a Kafka transaction appear when the job's checkpoint commits it.
 */
public final class TopicReader<T> implements AutoCloseable {
    private final List<T> records = new ArrayList<>();
    private final List<String> positions = new ArrayList<>();
    private final AtomicLong unreadable = new AtomicLong();
    private final AtomicLong lastArrival = new AtomicLong(System.nanoTime());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong count = new AtomicLong();
    private final Thread thread;

    /**
     * Reads and keeps every record.
     *
     * @param fullTopicName the topic's name with the deployment's prefix
     * @param topic the topic of the registry, for its codec
     */
    public TopicReader(String bootstrapServers, String fullTopicName, Topic<T> topic) {
        this(bootstrapServers, fullTopicName, topic, m -> {}, true);
    }

    /**
     * @param listener called with each record, on the reader's thread, before it counts as read
     * @param keep whether to keep the records ({@link #records()}); false: only count them
     */
    public TopicReader(String bootstrapServers, String fullTopicName, Topic<T> topic,
            java.util.function.Consumer<T> listener, boolean keep) {
        this(bootstrapServers, fullTopicName, topic, listener, keep, true);
    }

    /** @param committedOnly false: read_uncommitted, records of open and aborted transactions too (diagnostics) */
    public TopicReader(String bootstrapServers, String fullTopicName, Topic<T> topic,
            java.util.function.Consumer<T> listener, boolean keep, boolean committedOnly) {
        Properties p = KafkaClients.consumer(bootstrapServers, "reader-" + topic.name(), "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(fullTopicName));
        thread = new Thread(() -> {
            try (consumer) {
                while (running.get()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        if (r.value() == null) {
                            continue; // a tombstone (an erasure's, on suggestions and trigger-decisions): no message
                        }
                        try {
                            T m = topic.codec().decode(r.value());
                            listener.accept(m);
                            if (keep) {
                                synchronized (records) {
                                    records.add(m);
                                    positions.add(r.partition() + "@" + r.offset());
                                }
                            }
                            count.incrementAndGet();
                        } catch (InvalidMessageException e) {
                            unreadable.incrementAndGet();
                        }
                        lastArrival.set(System.nanoTime());
                    }
                }
            }
        }, "reader-" + topic.name());
        thread.setDaemon(true);
        thread.start();
    }

    /** Records read so far (decodable ones). */
    public int size() {
        return (int) count.get();
    }

    /** A copy of the records read so far, in arrival order. */
    public List<T> records() {
        synchronized (records) {
            return new ArrayList<>(records);
        }
    }

    /** Where each kept record was read, "partition@offset", in the order of {@link #records()}. */
    public List<String> positions() {
        synchronized (records) {
            return new ArrayList<>(positions);
        }
    }

    /** Records that did not decode. */
    public long unreadable() {
        return unreadable.get();
    }

    /** {@link System#nanoTime()} of the last record read, or of the reader's start. */
    public long lastArrivalNanos() {
        return lastArrival.get();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(5000);
    }
}
