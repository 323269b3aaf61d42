package io.nextbest.job.ingest;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.messages.CustomerInput;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/** Event time of the inputs: the events' own timestamps, bounded out-of-orderness, idleness. */
public final class EventTimeWatermarks {
    private EventTimeWatermarks() {}

    public static WatermarkStrategy<CustomerInput> strategy(NextbestConfig config) {
        return WatermarkStrategy.<CustomerInput>forBoundedOutOfOrderness(config.get(Settings.INGEST_OUT_OF_ORDERNESS))
                .withTimestampAssigner((in, previous) -> in.eventTime().toEpochMilli())
                .withIdleness(config.get(Settings.INGEST_IDLENESS));
    }

    /**
     * For side inputs (catalog, rules) joined with event streams: no event time of their own and
     * marked idle, so that a quiet catalog never holds back the watermark of the stage it feeds.
     */
    public static <T> WatermarkStrategy<T> sideInput() {
        return WatermarkStrategy.<T>forGenerator(ctx -> new WatermarkGenerator<T>() {
            @Override
            public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.markIdle();
            }
        });
    }
}
