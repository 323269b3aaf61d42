package io.nextbest.job.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.ExperimentMetrics;
import io.nextbest.schemas.SchemaValidation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try")
class ExperimentMetricsBoardTest {
    static final long HOUR = 3_600_000;
    static final long T0 = Instant.parse("2026-12-06T10:00:00Z").toEpochMilli();

    static NextbestConfig config() {
        return NextbestConfig.builder().set("experiments.metrics-flush", "10s").build();
    }

    static KeyedOneInputStreamOperatorTestHarness<String, ArmCounts, ExperimentMetrics> harness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ExperimentMetricsBoard(config())), ArmCounts::arm, Types.STRING);
        h.open();
        return h;
    }

    static ArmCounts change(String variant, long window, long clicks, double revenue) {
        ArmCounts c = new ArmCounts("exp", variant, window);
        c.clicks = clicks;
        c.revenue = revenue;
        return c;
    }

    @Test
    void windowsArePublishedWithTheirTotalsSoFarOncePerFlushAndOnlyWhenChanged() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(1_000);
            h.processElement(change("v1", T0, 1, 0.1), T0);
            h.processElement(change("v1", T0, 2, 0.2), T0);
            h.processElement(change("v1", T0 + HOUR, 5, 0), T0);
            h.processElement(change("control", T0, 7, 0), T0);
            assertThat(h.extractOutputValues()).isEmpty(); // nothing before the flush
            h.setProcessingTime(10_000);
            List<ExperimentMetrics> first = h.extractOutputValues();
            assertThat(first).hasSize(3);
            ExperimentMetrics v1 = first.stream().filter(m -> m.variant().equals("v1")
                    && m.windowStart().toEpochMilli() == T0).findFirst().orElseThrow();
            assertThat(v1.clicks()).isEqualTo(3);
            assertThat(v1.revenue()).isEqualTo(0.3); // rounded to 1e-6, not 0.30000000000000004
            assertThat(v1.revision()).isEqualTo(1);
            assertThat(v1.windowEnd()).isEqualTo(Instant.ofEpochMilli(T0 + HOUR));
            assertThat(v1.updatedAt()).isEqualTo(Instant.ofEpochMilli(10_000));
            for (ExperimentMetrics m : first) {
                String json = new String(Topics.EXPERIMENT_METRICS.codec().encode(m), StandardCharsets.UTF_8);
                assertThat(SchemaValidation.violations("experiment-metrics", json)).as(json).isEmpty();
            }

            h.getOutput().clear();
            h.processElement(change("v1", T0, 4, 0), T0);
            h.setProcessingTime(20_000);
            List<ExperimentMetrics> second = h.extractOutputValues();
            assertThat(second).hasSize(1); // only the window that changed
            assertThat(second.get(0).clicks()).isEqualTo(7);
            assertThat(second.get(0).revision()).isEqualTo(2);
            assertThat(second.get(0).key()).isEqualTo("exp/v1/2026-12-06T10:00:00Z");
        }
    }

    @Test
    void totalsAndRevisionsSurviveARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.processElement(change("v1", T0, 2, 0), T0);
            h.setProcessingTime(10_000);
            h.processElement(change("v1", T0, 1, 0), T0); // not yet published
            snapshot = h.snapshot(1, 10_001);
        }
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ExperimentMetricsBoard(config())), ArmCounts::arm, Types.STRING)) {
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(20_000); // the restored timer publishes the change made before the snapshot
            List<ExperimentMetrics> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).clicks()).isEqualTo(3);
            assertThat(out.get(0).revision()).isEqualTo(2);
        }
    }

    @Test
    void theStateTypesAreFlinkPojos() {
        for (Class<?> c : List.of(ArmCounts.class, AttributionState.class, AttributionState.Member.class, AttributionState.Pending.class,
                ShownList.class, AttributionInput.class, ExperimentMetricsBoard.WindowTotals.class)) {
            assertThat(TypeInformation.of(c)).as(c.getSimpleName()).isInstanceOf(PojoTypeInfo.class);
        }
    }
}
