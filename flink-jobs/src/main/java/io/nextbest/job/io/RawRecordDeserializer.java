package io.nextbest.job.io;

import io.nextbest.job.ingest.RawRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;

/** Keeps each Kafka record as it is; decoding happens in the next (chained) operator. */
public class RawRecordDeserializer implements KafkaRecordDeserializationSchema<RawRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<RawRecord> out) {
        long ts = r.timestampType() == TimestampType.NO_TIMESTAMP_TYPE ? Long.MIN_VALUE : r.timestamp();
        out.collect(new RawRecord(r.topic(), r.partition(), r.offset(), ts, r.key(), r.value()));
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }
}
