package io.nextbest.loadtest.bench;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.ingest.InputKind;
import io.nextbest.job.ingest.RawRecord;
import io.nextbest.job.io.KafkaIo;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The ceiling: the least a keyed Kafka → Flink → Kafka job can do on the same input, with the same
 * state backend, checkpointing, parallelism and sink guarantee as Nextbest. Per record: key by the
 * record key, three state operations (read, count, write), and one small output record that names
 * the event id (found by a substring scan, not a JSON parse) so the latency probe can match it.
 */
public final class CeilingJob {
    private CeilingJob() {}

    /** The output topic of the ceiling job (with the run's prefix), read by the latency probe. */
    public static final String OUTPUT = "ceiling-out";

    public static void build(StreamExecutionEnvironment env, NextbestConfig config) {
        DataStream<RawRecord> all = null;
        for (InputKind kind : InputKind.values()) {
            if (kind.replica()) {
                continue; // the input topics, each read once, as the shop writes them
            }
            DataStream<RawRecord> s = env.fromSource(KafkaIo.source(config, kind.topic()),
                            WatermarkStrategy.noWatermarks(), "Kafka " + kind.topic().name())
                    .uid("ceiling-source-" + kind.topic().name());
            all = all == null ? s : all.union(s);
        }
        Properties props = config.kafkaProperties();
        props.putIfAbsent("linger.ms", "5");
        props.putIfAbsent("compression.type", "lz4");
        String topic = config.topic(OUTPUT);
        KafkaSink<byte[]> sink = KafkaSink.<byte[]>builder()
                .setBootstrapServers(config.get(Settings.KAFKA_BOOTSTRAP))
                .setKafkaProducerConfig(props)
                .setRecordSerializer((KafkaRecordSerializationSchema<byte[]>) (value, ctx, ts) ->
                        new ProducerRecord<>(topic, null, ts, null, value))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
        all.keyBy(r -> r.key == null ? "" : new String(r.key, StandardCharsets.UTF_8))
                .process(new Count())
                .uid("ceiling-count")
                .name("Ceiling: keyed count")
                .sinkTo(sink)
                .uid("ceiling-sink")
                .name("ceiling-out");
    }

    /** Three state operations per record: read the count, write it back incremented, read the last size. */
    static final class Count extends KeyedProcessFunction<String, RawRecord, byte[]> {
        private static final long serialVersionUID = 1L;
        private static final FieldScan EVENT_ID = FieldScan.of("eventId");
        private transient ValueState<Long> count;
        private transient ValueState<Integer> lastSize;

        @Override
        public void open(OpenContext openContext) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Long.class));
            lastSize = getRuntimeContext().getState(new ValueStateDescriptor<>("last-size", Integer.class));
        }

        @Override
        public void processElement(RawRecord r, Context ctx, Collector<byte[]> out) throws Exception {
            Long c = count.value();
            count.update(c == null ? 1 : c + 1);
            lastSize.update(r.value == null ? 0 : r.value.length);
            String id = EVENT_ID.find(r.value);
            out.collect(("{\"triggerEventId\":\"" + (id == null ? "" : id) + "\"}").getBytes(StandardCharsets.UTF_8));
        }
    }
}
