package io.nextbest.job.explore;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.messages.ItemWarmth;
import io.nextbest.schemas.messages.Feedback;
import io.nextbest.schemas.messages.FeedbackType;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // the harnesses' close() declares Exception
class ImpressionCounterTest {

    static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void anItemIsWarmedOnceWhenItsImpressionsReachTheThreshold() throws Exception {
        try (var h = harness(threshold(3))) {
            h.processElement(impression("f-1", "a"), 0);
            h.processElement(impression("f-2", "a"), 0);
            h.processElement(impression("f-3", "b"), 0);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(counts(h, "a", "b")).containsExactly(2, 1);

            h.processElement(impression("f-4", "a"), 0); // the third: warm
            assertThat(h.extractOutputValues()).containsExactly(new ItemWarmth("a", true));
            assertThat(counts(h, "a", "b")).containsExactly(ImpressionCounter.WARM, 1);

            h.processElement(impression("f-5", "a"), 0); // warm already: nothing more
            h.processElement(impression("f-5", "a"), 0); // a repeated event counts too, but a is warm
            h.processElement(impression("f-6", "b"), 0);
            h.processElement(impression("f-6", "b"), 0); // the same event id again: b's third impression
            assertThat(h.extractOutputValues()).containsExactly(new ItemWarmth("a", true), new ItemWarmth("b", true));
            assertThat(counts(h, "a", "b")).containsExactly(ImpressionCounter.WARM, ImpressionCounter.WARM);

            assertThat(h.numKeyedStateEntries()).isEqualTo(2); // one per item
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void theDefaultThresholdIsAHundredImpressions() throws Exception {
        try (var h = harness(NextbestConfig.defaults())) {
            for (int i = 1; i <= 99; i++) {
                h.processElement(impression("f-" + i, "a"), 0);
            }
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(counts(h, "a")).containsExactly(99);
            h.processElement(impression("f-100", "a"), 0);
            assertThat(h.extractOutputValues()).containsExactly(new ItemWarmth("a", true));
        }
    }

    @Test
    void otherFeedbackTypesAreIgnoredAndLeaveNoState() throws Exception {
        try (var h = harness(threshold(1))) {
            for (FeedbackType type : FeedbackType.values()) {
                if (type != FeedbackType.IMPRESSION) {
                    h.processElement(feedback("f-" + type, type, "a"), 0);
                }
            }
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numKeyedStateEntries()).isZero();

            h.processElement(impression("f-9", "a"), 0); // a threshold of 1: the first impression warms
            assertThat(h.extractOutputValues()).containsExactly(new ItemWarmth("a", true));
        }
    }

    @Test
    void onlyImpressionsOfANamedItemAreCountable() {
        assertThat(ImpressionCounter.isCountable(impression("f-1", "a"))).isTrue();
        assertThat(ImpressionCounter.isCountable(impression("f-2", null))).isFalse();
        assertThat(ImpressionCounter.isCountable(feedback("f-3", FeedbackType.CLICK, "a"))).isFalse();
        assertThat(ImpressionCounter.isCountable(feedback("f-4", FeedbackType.TRIGGER_OPENED, null))).isFalse();
    }

    @Test
    void countsSurviveARestoreAndALowerThresholdWarmsAtTheNextImpression() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(threshold(10))) {
            for (int i = 0; i < 4; i++) {
                h.processElement(impression("f-a" + i, "a"), 0);
            }
            h.processElement(impression("f-b", "b"), 0);
            snapshot = h.snapshot(1, 0);
        }
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ImpressionCounter(threshold(3))), (Feedback f) -> f.itemId(),
                Types.STRING)) {
            h.initializeState(snapshot);
            h.open();
            assertThat(counts(h, "a", "b")).containsExactly(4, 1);
            h.processElement(impression("f-b2", "b"), 0); // 2 < 3
            h.processElement(impression("f-a4", "a"), 0); // 5 ≥ 3: warm now
            assertThat(h.extractOutputValues()).containsExactly(new ItemWarmth("a", true));
            assertThat(counts(h, "a", "b")).containsExactly(ImpressionCounter.WARM, 2);
        }
    }

    @Test
    void itemWarmthIsAFlinkPojo() {
        assertThat(TypeInformation.of(ItemWarmth.class)).isInstanceOf(PojoTypeInfo.class);
    }

    static NextbestConfig threshold(int n) {
        return NextbestConfig.builder().set("exploration.max-impressions", Integer.toString(n)).build();
    }

    static KeyedOneInputStreamOperatorTestHarness<String, Feedback, ItemWarmth> harness(NextbestConfig c)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(new ImpressionCounter(c), Feedback::itemId,
                Types.STRING);
    }

    /** The counter state of each item, read through the harness's keyed backend. */
    static List<Integer> counts(KeyedOneInputStreamOperatorTestHarness<String, Feedback, ItemWarmth> h, String... items)
            throws Exception {
        var backend = h.getOperator().getKeyedStateBackend();
        var state = backend.getPartitionedState(
                org.apache.flink.runtime.state.VoidNamespace.INSTANCE,
                org.apache.flink.runtime.state.VoidNamespaceSerializer.INSTANCE, ImpressionCounter.IMPRESSIONS);
        java.util.ArrayList<Integer> out = new java.util.ArrayList<>();
        for (String item : items) {
            backend.setCurrentKey(item);
            out.add(state.value());
        }
        return out;
    }

    static Feedback impression(String eventId, String itemId) {
        return feedback(eventId, FeedbackType.IMPRESSION, itemId);
    }

    static Feedback feedback(String eventId, FeedbackType type, String itemId) {
        return new Feedback(eventId, type, "C-1", null, T, itemId, "default", 1L, null, null, null);
    }
}
