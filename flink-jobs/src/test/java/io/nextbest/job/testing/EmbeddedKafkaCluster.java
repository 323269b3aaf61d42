package io.nextbest.job.testing;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** A real single-node KRaft Kafka broker in this JVM, for integration tests. */
public final class EmbeddedKafkaCluster implements AutoCloseable {
    private final KafkaClusterTestKit cluster;
    private final KafkaProducer<byte[], byte[]> producer;

    public EmbeddedKafkaCluster() throws Exception {
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "2")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "2")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producer = new KafkaProducer<>(p);
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /**
     * The settings every end-to-end test starts from: this broker, its own topic prefix and group,
     * from the earliest offsets, parallelism 2, RocksDB and checkpoints every 500 ms.
     */
    public io.nextbest.job.config.NextbestConfig.Builder jobConfig(String topicPrefix, java.nio.file.Path checkpoints) {
        return io.nextbest.job.config.NextbestConfig.builder()
                .set("kafka.bootstrap-servers", bootstrapServers())
                .set("kafka.topic-prefix", topicPrefix)
                .set("kafka.group-id", topicPrefix + "job")
                .set("kafka.starting-offsets", "earliest")
                .set("job.parallelism", "2")
                .set("job.state-backend", "rocksdb")
                .set("job.checkpoint-interval", "500ms")
                .set("job.checkpoint-dir", checkpoints.toUri().toString());
    }

    /** Sends one record and waits for it to be appended. */
    public RecordMetadata send(String topic, Integer partition, byte[] key, byte[] value) throws Exception {
        return producer.send(new ProducerRecord<>(topic, partition, key, value)).get();
    }

    /** A reader of a topic from its beginning, with read_committed isolation. */
    public TopicReader reader(String topic) {
        return new TopicReader(bootstrapServers(), topic);
    }

    /**
     * A reader of a topic from its beginning with the given isolation: {@code READ_UNCOMMITTED} also
     * sees records of open and aborted transactions.
     */
    public TopicReader reader(String topic, org.apache.kafka.common.IsolationLevel isolation) {
        return new TopicReader(bootstrapServers(), topic, isolation);
    }

    @Override
    public void close() throws Exception {
        producer.close(Duration.ofSeconds(5));
        cluster.close();
    }
}
