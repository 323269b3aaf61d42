package io.nextbest.job.io;

import io.nextbest.schemas.Topic;
import io.nextbest.schemas.Topics;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes a message to its topic with the registry's key and codec. */
public class TopicSerializer<T> implements KafkaRecordSerializationSchema<T> {
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
        return new ProducerRecord<>(fullTopicName, null, timestamp, topic.keyBytes(message), topic.codec().encode(message));
    }
}
