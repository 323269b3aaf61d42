package io.nextbest.job.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.messages.ActionLearning;
import io.nextbest.schemas.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** The propensity replicas read the job's own action-propensities records back: what they keep, and what they skip. */
@SuppressWarnings("try")
class DecodePropensitiesTest {

    @Test
    void aRecordGivesTheCountsOfItsActionAndSegmentAndBadOnesAreSkippedWithTheirReason() throws Exception {
        byte[] value = DecodeInputTest.examples("action-propensities").get("valid-learned.json");
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(
                new DecodePropensities(NextbestConfig.defaults(), DecodeInputTest.CLOCK))) {
            h.processElement(new RawRecord("action-propensities", 0, 0, 0, bytes("winback-10/lifecycle:loyal"), value), 0);
            h.processElement(new RawRecord("action-propensities", 0, 1, 0, bytes("x/y"), null), 0); // no tombstones
            h.processElement(new RawRecord("action-propensities", 0, 2, 0, bytes("x/y"), bytes("{not json")), 0);
            h.processElement(new RawRecord("action-propensities", 0, 3, 0, bytes("winback-10/lifecycle:new"), value), 0);

            assertThat(h.extractOutputValues()).hasSize(1);
            ActionLearning l = h.extractOutputValues().get(0);
            assertThat(l.actionId).isEqualTo("winback-10");
            assertThat(l.segment).isEqualTo("lifecycle:loyal");
            assertThat(l.trials).isEqualTo(169);
            assertThat(l.successes).isEqualTo(12);
            assertThat(h.getSideOutput(DecodeRecords.DEAD_LETTERS)).extracting(r -> r.getValue().reason()).containsExactly(
                    DeadLetterReason.SCHEMA_VIOLATION, DeadLetterReason.SCHEMA_VIOLATION, DeadLetterReason.INVALID_VALUE);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
