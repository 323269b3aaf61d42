package io.nextbest.job.io;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.ingest.RawRecord;
import io.nextbest.schemas.Topic;
import io.nextbest.schemas.Topics;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Kafka sources and sinks of the job, from the configuration. */
public final class KafkaIo {
    private KafkaIo() {}

    /** A source of one input topic's raw records; offsets are committed on checkpoints. */
    @SuppressWarnings("deprecation")
    public static KafkaSource<RawRecord> source(NextbestConfig config, Topic<?> topic) {
        OffsetsInitializer start;
        switch (config.get(Settings.KAFKA_STARTING_OFFSETS)) {
            case EARLIEST:
                start = OffsetsInitializer.earliest();
                break;
            case LATEST:
                start = OffsetsInitializer.latest();
                break;
            default:
                start = OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        }
        Properties props = config.kafkaProperties();
        props.putIfAbsent("partition.discovery.interval.ms", "60000");
        props.putIfAbsent("client.id.prefix", config.get(Settings.KAFKA_GROUP_ID) + "-" + topic.name());
        return KafkaSource.<RawRecord>builder()
                .setBootstrapServers(config.get(Settings.KAFKA_BOOTSTRAP))
                .setTopics(config.topic(topic.name()))
                .setGroupId(config.get(Settings.KAFKA_GROUP_ID))
                .setStartingOffsets(start)
                .setDeserializer(new RawRecordDeserializer())
                .setProperties(props)
                .build();
    }

    /**
     * A source of a compacted topic for a heap replica: from the beginning at every start, restores
     * included ({@link RewindingKafkaSource}), committing no offsets (its own group id).
     */
    public static RewindingKafkaSource<RawRecord> replicaSource(NextbestConfig config, Topic<?> topic) {
        Properties props = config.kafkaProperties();
        props.putIfAbsent("partition.discovery.interval.ms", "60000");
        String group = config.get(Settings.KAFKA_GROUP_ID) + "-replica-" + topic.name();
        props.put("client.id.prefix", group);
        props.put("commit.offsets.on.checkpoint", "false");
        return new RewindingKafkaSource<>(KafkaSource.<RawRecord>builder()
                .setBootstrapServers(config.get(Settings.KAFKA_BOOTSTRAP))
                .setTopics(config.topic(topic.name()))
                .setGroupId(group)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new RawRecordDeserializer())
                .setProperties(props)
                .build());
    }

    /** A sink of one output topic with the given guarantee; exactly-once writes in Kafka transactions. */
    public static <T> KafkaSink<T> sink(NextbestConfig config, Topic<T> topic, DeliveryGuarantee guarantee) {
        Properties props = producerProperties(config, topic);
        var builder = KafkaSink.<T>builder()
                .setBootstrapServers(config.get(Settings.KAFKA_BOOTSTRAP))
                .setRecordSerializer(new TopicSerializer<>(topic, config.topic(topic.name())))
                .setDeliveryGuarantee(guarantee);
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            // must not exceed the broker's transaction.max.timeout.ms (15 min by default); Flink's default is 1 h
            props.putIfAbsent("transaction.timeout.ms", "900000");
            builder.setTransactionalIdPrefix(transactionalIdPrefix(config, topic));
            // reuse a small pool of transactional producers instead of a new producer per checkpoint. The connector
            // (5.0.0-2.2, ProducerPoolImpl.getTransactionalProducer) still calls initTransactions, a broker round trip,
            // for every checkpoint's transaction: these writers are not chained to the customer stage (NextbestPipeline)
            builder.setTransactionNamingStrategy(
                    config.get(Settings.TRIGGER_TRANSACTION_NAMING) == Settings.TransactionNaming.POOLING
                            ? TransactionNamingStrategy.POOLING : TransactionNamingStrategy.INCREMENTING);
        }
        return builder.setKafkaProducerConfig(props).build();
    }

    /** The producer settings of one output topic's sink: kafka.properties.*, then the defaults below. */
    static Properties producerProperties(NextbestConfig config, Topic<?> topic) {
        Properties props = config.kafkaProperties();
        // lists are awaited: their own, short linger; the rest is read at leisure, and fuller batches mean fewer
        // produce requests for the brokers (the largest cost of an in-process broker, JFR, issue 15)
        if (topic == Topics.SUGGESTIONS) {
            props.put("linger.ms", Long.toString(config.get(Settings.KAFKA_SUGGESTIONS_LINGER).toMillis()));
        } else {
            props.putIfAbsent("linger.ms", "50");
        }
        // none: with lz4, compressing in the job and validating compressed batches in the broker cost more
        // CPU than the bytes saved (bench small, issue 15: 2,744 events/s held without, 1,000–2,000 with); set
        // kafka.properties.compression.type=lz4 (or zstd) where the network, not the CPU, is the limit
        props.putIfAbsent("compression.type", "none");
        return props;
    }

    /** Unique per job and topic on a Kafka cluster (the topic prefix keeps jobs sharing a cluster apart), stable across restarts. */
    static String transactionalIdPrefix(NextbestConfig config, Topic<?> topic) {
        return config.get(Settings.TRIGGER_TRANSACTIONAL_ID_PREFIX) + "-" + config.topic(topic.name());
    }
}
