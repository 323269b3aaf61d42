package io.nextbest.job.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.schemas.messages.FeedbackType;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The attribution operator on RocksDB, as the job runs it: state read is a copy, so every change must be written
 * back — also a change that emits nothing (feedback held until its list arrives). On the heap backend of the default
 * harness a forgotten write goes unnoticed.
 */
@SuppressWarnings("try")
class ExperimentAttributionTest {
    @Test
    void feedbackHeldForItsListSurvivesInRocksDb() throws Exception {
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ExperimentAttribution(NextbestConfig.defaults())),
                AttributionInput::subjectKey, Types.STRING)) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
            h.open();
            long t = AttributionTest.T0;
            for (AttributionInput in : List.of(
                    AttributionTest.list("c1", 1, "v1", t, "A"),
                    AttributionTest.feedback(FeedbackType.IMPRESSION, "c1", "B", 2L, t + 2), // list 2 not here yet
                    AttributionTest.feedback(FeedbackType.CLICK, "c1", "B", 2L, t + 3),
                    AttributionTest.list("c1", 2, "v1", t + 1, "B"))) {
                h.processElement(in, 0);
            }
            ArmCounts total = new ArmCounts("exp", "v1", 0);
            h.extractOutputValues().forEach(total::add);
            assertThat(total.lists).isEqualTo(2);
            assertThat(total.impressions).isEqualTo(1);
            assertThat(total.clicks).isEqualTo(1);
            assertThat(total.clickers).isEqualTo(1);
        }
    }
}
