package io.nextbest.job.io;

import io.nextbest.schemas.Topic;
import io.nextbest.schemas.Topics;
import java.util.List;
import java.util.Optional;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a message to its topic with the registry's key and codec, stamped with the wall-clock time
 * of writing — not the element's event time.
 *
 * <p>Kafka's time-based retention and segment rolling go by record timestamps. Stamped with event
 * time, the output of a replay of last year's events (or of a backlog older than the retention)
 * would be deleted as soon as its segment rolls: found when {@code bin/nextbest triggers} lost
 * 0–76 committed triggers per Taobao replay (2017 events, 7-day retention) — a {@code
 * read_committed} reader, which sees a record only after the checkpoint commits it, found the
 * segment already gone. Event time is in every message's payload.
 *
 * <p>An erasure ({@code Suggestions.erasure}, {@code TriggerDecision.erasure}) is written as a tombstone: the key
 * and a null value, through the same writer as the key's earlier records, so it lands after them.
 */
public class TopicSerializer<T> implements KafkaRecordSerializationSchema<T>, KafkaDatasetFacetProvider {
    private static final long serialVersionUID = 1L;

    private final String topicName;
    private final String fullTopicName;
    private transient Topic<T> topic;

    public TopicSerializer(Topic<T> topic, String fullTopicName) {
        this.topicName = topic.name();
        this.fullTopicName = fullTopicName;
    }

    @Override
    @SuppressWarnings("unchecked")
    public ProducerRecord<byte[], byte[]> serialize(T message, KafkaSinkContext context, Long timestamp) {
        if (topic == null) {
            topic = (Topic<T>) Topics.byName(topicName).orElseThrow();
        }
        return new ProducerRecord<>(fullTopicName, null, System.currentTimeMillis(), topic.keyBytes(message),
                tombstone(message) ? null : topic.codec().encode(message));
    }

    /** An erasure (of a customer's list or trigger decisions): the key with a null value. */
    static boolean tombstone(Object message) {
        return message instanceof io.nextbest.schemas.messages.Suggestions s && s.tombstone()
                || message instanceof io.nextbest.schemas.messages.TriggerDecision d && d.tombstone();
    }

    /** The one topic written (lineage; the pooling transaction strategy lists its open transactions by it). */
    @Override
    public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
        return Optional.of(new DefaultKafkaDatasetFacet(DefaultKafkaDatasetIdentifier.ofTopics(List.of(fullTopicName))));
    }
}
