package io.nextbest.job.explore;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.messages.ClickThrough;
import io.nextbest.schemas.messages.Feedback;
import io.nextbest.schemas.messages.FeedbackType;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try")
class ClickThroughCounterTest {
    static final NextbestConfig CONFIG = NextbestConfig.builder()
            .set("feedback.click-through-publish-interval", "1s").build();

    static Feedback feedback(FeedbackType type, String item, String placement) {
        return new Feedback("f", type, "C-1", null, Instant.parse("2026-12-01T00:00:00Z"), item, placement, 1L, null,
                null, null);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, Feedback, ClickThrough> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new ClickThroughCounter.Operator(new ClickThroughCounter(CONFIG)), Feedback::itemId, Types.STRING);
    }

    static String text(ClickThrough c) {
        StringBuilder b = new StringBuilder(c.itemId);
        for (int k = 0; k < c.placements.length; k++) {
            b.append(' ').append(c.placements[k]).append('=').append(c.clicks[k]).append('/').append(c.impressions[k]);
        }
        return b.toString();
    }

    @Test
    void countsPerPlacementArePublishedOncePerIntervalPerItem() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(100);
            for (int i = 0; i < 10; i++) {
                h.processElement(feedback(FeedbackType.IMPRESSION, "a", "home"), 0);
            }
            h.processElement(feedback(FeedbackType.CLICK, "a", "home"), 0);
            h.processElement(feedback(FeedbackType.IMPRESSION, "a", "pdp"), 0);
            h.processElement(feedback(FeedbackType.IMPRESSION, "b", "home"), 0);
            assertThat(h.extractOutputValues()).isEmpty();
            h.setProcessingTime(1_000);
            assertThat(h.extractOutputValues()).extracting(ClickThroughCounterTest::text)
                    .containsExactlyInAnyOrder("a home=1/10 pdp=0/1", "b home=0/1");
            h.getOutput().clear();
            h.setProcessingTime(5_000);
            assertThat(h.extractOutputValues()).as("nothing new: nothing published").isEmpty();
        }
    }

    @Test
    void afterARestoreEveryItemsCountsArePublishedAgain() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement(feedback(FeedbackType.CLICK, "a", "home"), 0);
            snapshot = h.snapshot(1, 0);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(h.getProcessingTime() + 1);
            assertThat(h.extractOutputValues()).extracting(ClickThroughCounterTest::text).contains("a home=1/0");
        }
    }

    @Test
    void onlyImpressionsAndClicksOfAnItemOnAPlacementCount() {
        assertThat(ClickThroughCounter.isCountable(feedback(FeedbackType.CLICK, "a", "home"))).isTrue();
        assertThat(ClickThroughCounter.isCountable(feedback(FeedbackType.DISMISS, "a", "home"))).isFalse();
        assertThat(ClickThroughCounter.isCountable(feedback(FeedbackType.CLICK, "a", null))).isFalse();
        assertThat(TypeInformation.of(ClickThrough.class)).isInstanceOf(PojoTypeInfo.class);
    }
}
