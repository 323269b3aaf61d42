package io.nextbest.loadtest.experiment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a topic from its beginning to the end offsets it had when reading began (committed records only). */
public final class TopicSnapshot {
    private TopicSnapshot() {}

    /**
     * Hands every record (key, value; value null for a tombstone) to {@code each}, partition by partition in offset
     * order.
     *
     * @param kafka client properties (bootstrap servers and any security settings)
     * @return records read
     */
    public static long read(Properties kafka, String topic, Duration timeout, BiConsumer<byte[], byte[]> each)
            throws TimeoutException {
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        long deadline = System.nanoTime() + timeout.toNanos();
        long read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic '" + topic + "' does not exist");
            }
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo i : infos) {
                partitions.add(new TopicPartition(topic, i.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            while (true) {
                boolean done = true;
                for (TopicPartition tp : partitions) {
                    if (consumer.position(tp, timeout) < end.get(tp)) {
                        done = false;
                        break;
                    }
                }
                if (done) {
                    return read;
                }
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("reading '" + topic + "' took longer than " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    each.accept(r.key(), r.value());
                    read++;
                }
            }
        }
    }
}
