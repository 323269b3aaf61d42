package io.nextbest.job.trending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.customer.ItemSignal;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // the harnesses' close() declares Exception
class TrendingCounterTest {

    static final long H = 3_600_000L; // the default half-life
    static final long T = Instant.parse("2026-11-23T15:00:00Z").toEpochMilli();

    @Test
    void eachItemKeepsItsOwnLogScoreOfDecayedWeights() throws Exception {
        try (var h = harness(NextbestConfig.defaults())) {
            h.processElement(new ItemSignal("a", 1.0, T), 0);
            h.processElement(new ItemSignal("b", 3.0, T + H), 0);
            h.processElement(new ItemSignal("a", 2.0, T + 2 * H), 0);
            h.processElement(new ItemSignal("a", 5.0, T + H / 2), 0); // late: counted at its own time

            List<ItemScore> out = h.extractOutputValues();
            assertThat(out).extracting(s -> s.itemId + "@" + (s.eventTime - T))
                    .containsExactly("a@0", "b@" + H, "a@" + 2 * H, "a@" + H / 2);
            // log2 Σ w·2^(t/h), written relative to T to keep the check exact
            assertThat(out.get(0).logScore).isCloseTo(log2(1) + (double) T / H, within(1e-9));
            assertThat(out.get(1).logScore).isCloseTo(log2(3) + (double) T / H + 1, within(1e-9));
            assertThat(out.get(2).logScore).isCloseTo(log2(1 + 2 * 4) + (double) T / H, within(1e-9));
            assertThat(out.get(3).logScore).isCloseTo(log2(1 + 2 * 4 + 5 * Math.sqrt(2)) + (double) T / H, within(1e-9));
            // as a value: a's weights decayed to T + 2h
            assertThat(new ForwardDecay(H).valueAt(out.get(3).logScore, T + 2 * H))
                    .isCloseTo(1.0 / 4 + 2 + 5 * Math.pow(2, -1.5), within(1e-9));

            assertThat(h.numKeyedStateEntries()).isEqualTo(2); // one score per item
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void anItemIdleForSixtyHalfLivesIsForgotten() throws Exception {
        try (var h = harness(NextbestConfig.builder().set("trending.half-life", "10m").build())) {
            long half = 600_000L;
            h.setStateTtlProcessingTime(0);
            h.processElement(new ItemSignal("a", 4.0, T), 0);
            h.setStateTtlProcessingTime(60 * half - 1);
            h.processElement(new ItemSignal("a", 4.0, T), 0); // still there: the sum doubles
            h.setStateTtlProcessingTime(60 * half - 1 + 60 * half);
            h.processElement(new ItemSignal("a", 4.0, T), 0); // expired: starts afresh

            assertThat(h.extractOutputValues()).extracting(s -> Math.round((s.logScore - (double) T / half) * 1e6) / 1e6)
                    .containsExactly(2.0, 3.0, 2.0);
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        }
    }

    static KeyedOneInputStreamOperatorTestHarness<String, ItemSignal, ItemScore> harness(NextbestConfig c)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(new TrendingCounter(c), s -> s.itemId, Types.STRING);
    }

    static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
