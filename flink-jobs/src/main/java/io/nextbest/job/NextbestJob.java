package io.nextbest.job;

import io.nextbest.job.config.ConfigException;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.ingest.InputKind;
import io.nextbest.job.ingest.RawRecord;
import io.nextbest.job.ingest.WallClock;
import io.nextbest.job.io.KafkaIo;
import io.nextbest.schemas.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point of the job jar: {@code flink run nextbest-job.jar --config nextbest.yaml [--set key=value …]}.
 * Parses the configuration, wires Kafka in and runs {@link NextbestPipeline}.
 */
public final class NextbestJob {
    private NextbestJob() {}

    public static void main(String[] args) throws Exception {
        NextbestConfig config;
        try {
            config = parseArgs(args);
        } catch (ConfigException e) {
            System.err.println("nextbest: " + e.getMessage());
            System.exit(2);
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobSetup.configure(env, config);
        buildWithKafka(env, config);
        env.execute(config.get(io.nextbest.job.config.Settings.JOB_NAME));
    }

    /** {@code --config FILE} (optional) then any number of {@code --set key=value}. */
    public static NextbestConfig parseArgs(String[] args) {
        NextbestConfig.Builder b = NextbestConfig.builder();
        List<String> sets = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--config") && i + 1 < args.length) {
                b.file(Path.of(args[++i]));
            } else if (a.equals("--set") && i + 1 < args.length) {
                sets.add(args[++i]);
            } else if (a.startsWith("--set=")) {
                sets.add(a.substring("--set=".length()));
            } else {
                throw new ConfigException("unknown argument '" + a + "' (expected --config FILE or --set key=value)");
            }
        }
        return b.setAll(sets).build();
    }

    /** Builds the job with Kafka sources and sinks as configured. */
    public static void buildWithKafka(StreamExecutionEnvironment env, NextbestConfig config) {
        NextbestPipeline.build(config, new NextbestPipeline.Inputs(kafkaInputs(env, config)), kafkaOutputs(config),
                WallClock.SYSTEM);
    }

    /**
     * The Kafka sources, one per input kind (uid {@code source-<topic>}, replica feeds {@code
     * replica-source-<topic>}), as raw records; tests wrap one of them (e.g. to inject a failure)
     * before handing the map to {@link NextbestPipeline#build}.
     */
    public static Map<InputKind, DataStream<RawRecord>> kafkaInputs(StreamExecutionEnvironment env, NextbestConfig config) {
        Map<InputKind, DataStream<RawRecord>> inputs = new EnumMap<>(InputKind.class);
        for (InputKind kind : InputKind.values()) {
            String name = kind.topic().name();
            DataStreamSource<RawRecord> source = kind.replica()
                    ? env.fromSource(KafkaIo.replicaSource(config, kind.topic()), WatermarkStrategy.noWatermarks(),
                            "Kafka " + name + " (replica, from the start)")
                    : env.fromSource(KafkaIo.source(config, kind.topic()), WatermarkStrategy.noWatermarks(),
                            "Kafka " + name);
            inputs.put(kind, Stage.INGEST.apply(source.uid(kind.sourceUid()), config));
        }
        return inputs;
    }

    /**
     * The Kafka sinks: basket-triggers and next-best-actions exactly-once (Kafka transactions, committed with each
     * checkpoint: a duplicated email is a real harm); the rest at-least-once — lists replace each
     * other, updates and decisions carry stable ids for de-duplication.
     */
    public static NextbestPipeline.Outputs kafkaOutputs(NextbestConfig config) {
        return new NextbestPipeline.Outputs(
                KafkaIo.sink(config, Topics.SUGGESTIONS, DeliveryGuarantee.AT_LEAST_ONCE),
                KafkaIo.sink(config, Topics.ITEM_NEIGHBOURS, DeliveryGuarantee.AT_LEAST_ONCE),
                KafkaIo.sink(config, Topics.CUSTOMER_UPDATES, DeliveryGuarantee.AT_LEAST_ONCE),
                KafkaIo.sink(config, Topics.DEAD_LETTER, DeliveryGuarantee.AT_LEAST_ONCE),
                KafkaIo.sink(config, Topics.BASKET_TRIGGERS, DeliveryGuarantee.EXACTLY_ONCE),
                KafkaIo.sink(config, Topics.TRIGGER_DECISIONS, DeliveryGuarantee.AT_LEAST_ONCE),
                KafkaIo.sink(config, Topics.TRENDING, DeliveryGuarantee.AT_LEAST_ONCE),
                KafkaIo.sink(config, Topics.EXPERIMENT_METRICS, DeliveryGuarantee.AT_LEAST_ONCE),
                KafkaIo.sink(config, Topics.NEXT_BEST_ACTIONS, DeliveryGuarantee.EXACTLY_ONCE),
                KafkaIo.sink(config, Topics.ACTION_PROPENSITIES, DeliveryGuarantee.AT_LEAST_ONCE));
    }
}
