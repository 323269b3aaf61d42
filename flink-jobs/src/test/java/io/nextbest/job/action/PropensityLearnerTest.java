package io.nextbest.job.action;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.messages.ActionLearning;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The propensity learner: totals per action and segment, published once per interval, and again after a restore. */
@SuppressWarnings("try")
class PropensityLearnerTest {
    static KeyedOneInputStreamOperatorTestHarness<String, ActionLearning, ActionLearning> harness(String interval)
            throws Exception {
        NextbestConfig c = NextbestConfig.builder().set("actions.publish-interval", interval).build();
        return new KeyedOneInputStreamOperatorTestHarness<>(new PropensityLearner.Operator(new PropensityLearner(c)),
                ActionLearning::key, Types.STRING);
    }

    @Test
    void sumsTrialsAndSuccessesPerActionAndSegmentAndPublishesTheTotalsOncePerInterval() throws Exception {
        try (var h = harness("1s")) {
            h.open();
            h.setProcessingTime(100);
            for (int i = 0; i < 7; i++) {
                h.processElement(new ActionLearning("tip", "lifecycle:new", 1, 0), 0);
            }
            h.processElement(new ActionLearning("tip", "lifecycle:new", 0, 1), 0);
            h.processElement(new ActionLearning("tip", "lifecycle:loyal", 1, 0), 0);
            h.processElement(new ActionLearning("voucher", "lifecycle:new", 1, 0), 0);
            assertThat(h.extractOutputValues()).isEmpty();
            h.setProcessingTime(1_000);
            assertThat(h.extractOutputValues()).extracting(ActionLearning::toString).containsExactlyInAnyOrder(
                    "ActionLearning[tip in lifecycle:new: 1 of 7]", "ActionLearning[tip in lifecycle:loyal: 0 of 1]",
                    "ActionLearning[voucher in lifecycle:new: 0 of 1]");
            h.getOutput().clear();
            h.setProcessingTime(5_000);
            assertThat(h.extractOutputValues()).as("nothing new: nothing published").isEmpty();
        }
    }

    @Test
    void withoutAnIntervalEveryChangeIsPublishedAndAfterARestoreEveryTotalAgain() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness("0s")) {
            h.open();
            h.processElement(new ActionLearning("tip", "all", 1, 0), 0);
            h.processElement(new ActionLearning("tip", "all", 1, 1), 0);
            assertThat(h.extractOutputValues()).extracting(ActionLearning::toString).containsExactly(
                    "ActionLearning[tip in all: 0 of 1]", "ActionLearning[tip in all: 1 of 2]");
            snapshot = h.snapshot(1, 0);
        }
        try (var h = harness("0s")) {
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(h.getProcessingTime() + 1);
            assertThat(h.extractOutputValues()).extracting(ActionLearning::toString)
                    .containsExactly("ActionLearning[tip in all: 1 of 2]");
        }
    }
}
