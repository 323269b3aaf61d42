package io.nextbest.job.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one topic from its beginning (read_committed unless told otherwise) and keeps everything it
 * has read.
 */
public final class TopicReader implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

    TopicReader(String bootstrapServers, String topic) {
        this(bootstrapServers, topic, IsolationLevel.READ_COMMITTED);
    }

    TopicReader(String bootstrapServers, String topic, IsolationLevel isolation) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + topic + "-" + System.nanoTime());
        consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(topic));
    }

    /** Polls until some record read so far matches, or the timeout; returns whether one did. */
    public boolean awaitAny(Predicate<ConsumerRecord<byte[], byte[]>> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (true) {
            for (; checked < records.size(); checked++) {
                if (match.test(records.get(checked))) {
                    return true;
                }
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        }
    }

    /** Polls until at least {@code count} records were read, or the timeout. */
    public List<ConsumerRecord<byte[], byte[]>> awaitCount(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        }
        return List.copyOf(records);
    }

    /**
     * Polls until no new record has come for {@code quiet} (a writer that publishes in rounds has
     * finished), or the timeout; returns everything read.
     */
    public List<ConsumerRecord<byte[], byte[]>> awaitQuiet(Duration quiet, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastNew = System.nanoTime();
        while (System.nanoTime() < deadline && System.nanoTime() - lastNew < quiet.toNanos()) {
            int before = records.size();
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            if (records.size() > before) {
                lastNew = System.nanoTime();
            }
        }
        return List.copyOf(records);
    }

    /** Polls for a while longer, to see records that should not be there. */
    public List<ConsumerRecord<byte[], byte[]>> drain(Duration quiet) {
        long deadline = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        }
        return List.copyOf(records);
    }

    public List<ConsumerRecord<byte[], byte[]>> records() {
        return List.copyOf(records);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
