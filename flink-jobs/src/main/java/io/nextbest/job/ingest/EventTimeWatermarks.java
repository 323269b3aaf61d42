package io.nextbest.job.ingest;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/** Event time of the inputs: the events' own timestamps, bounded out-of-orderness, idleness. */
public final class EventTimeWatermarks {
    private EventTimeWatermarks() {}

    public static WatermarkStrategy<CustomerInput> strategy(NextbestConfig config) {
        return WatermarkStrategy.<CustomerInput>forBoundedOutOfOrderness(config.get(Settings.INGEST_OUT_OF_ORDERNESS))
                .withTimestampAssigner((in, previous) -> in.eventTime().toEpochMilli())
                .withIdleness(config.get(Settings.INGEST_IDLENESS));
    }
}
