package io.nextbest.job.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.job.config.Settings.ActionStrategy;
import io.nextbest.schemas.messages.ActionKind;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.LifecycleStage;
import java.util.List;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.junit.jupiter.api.Test;

/** The strategies' P, computed independently from the posterior. */
class ArbiterTest {
    private static final ContactRules ALLOW = new ContactRules() {
        @Override
        public Check check(List<ContactChannel> channels, long at, boolean passCaps) {
            return new Check(null, ContactChannel.EMAIL, 0);
        }

        @Override
        public void record(long at) {}
    };

    static ActionDef action(String id, double value, double cost) {
        return new ActionDef(id, ActionKind.DISCRETIONARY, true, null, List.of(ContactChannel.EMAIL), 1, Long.MIN_VALUE,
                Long.MAX_VALUE, null, Condition.ALWAYS, new ActionDef.Value(value, 0, 0), new ActionDef.Cost(cost, 0, 0),
                false, false, 0, null);
    }

    private static Arbiter.Decision decide(ActionStrategy strategy, long voucherTrials, long voucherSuccesses,
            long pointsTrials, long pointsSuccesses) {
        Arbiter.Propensities p = (a, s) -> a.equals("voucher") ? new long[] {voucherTrials, voucherSuccesses}
                : new long[] {pointsTrials, pointsSuccesses};
        return new Arbiter(p, new Arbiter.Prior(1, 9, 0.95)).decide(new Arbiter.Input(
                List.of(action("voucher", 150, 10.1), action("points", 25, 2.1)),
                ActionParserTest.facts(LifecycleStage.ACTIVE, 10, 0, 0), new ActionState(), ALLOW, "lifecycle:active",
                strategy, 7, null));
    }

    private static Arbiter.Candidate candidate(Arbiter.Decision d, String id) {
        return d.candidates().stream().filter(c -> c.actionId().equals(id)).findFirst().orElseThrow();
    }

    /**
     * Bayes-UCB: the quantile rises with the segment's trials, so the voucher, whose bound at 0.95 fell below the
     * points' after an unlucky start (7 of 156), is taken again as the evidence grows.
     */
    @Test
    void ucbsQuantileRisesWithTheSegmentsTrialsSoAnActionDroppedAfterAnUnluckyStartIsTriedAgain() {
        Arbiter.Decision early = decide(ActionStrategy.UCB, 6, 0, 4, 1);
        double q = 0.95; // 10 trials: 1 − 1/11 is below the floor actions.ucb-quantile
        assertThat(candidate(early, "voucher").p()).isCloseTo(new BetaDistribution(1, 9 + 6).inverseCumulativeProbability(q), within(1e-9));
        assertThat(candidate(early, "points").p()).isCloseTo(new BetaDistribution(1 + 1, 9 + 3).inverseCumulativeProbability(q), within(1e-9));

        // at a fixed 0.95 the voucher's bound after 7 of 156 (0.078: 0.078 × 150 − 10.1 = 1.63) stays below the
        // points' value (0.15 × 25 − 2.1 = 1.65): never taken again; with the segment's 20,156 trials it is taken
        Arbiter.Decision stuck = decide(ActionStrategy.UCB, 156, 7, 20_000, 3_000);
        double q2 = 1 - 1.0 / (156 + 20_000 + 1);
        Arbiter.Candidate voucher = candidate(stuck, "voucher");
        assertThat(voucher.p()).isCloseTo(new BetaDistribution(8, 158).inverseCumulativeProbability(q2), within(1e-9));
        assertThat(candidate(stuck, "points").p()).isCloseTo(
                new BetaDistribution(3_001, 17_009).inverseCumulativeProbability(q2), within(1e-9));
        assertThat(stuck.chosen().actionId()).as("the voucher's bound rose above the points' value").isEqualTo("voucher");
    }

    @Test
    void greedyTakesThePosteriorMeanAndThompsonADrawThatTheSeedFixes() {
        Arbiter.Decision greedy = decide(ActionStrategy.GREEDY, 156, 7, 4, 1);
        assertThat(candidate(greedy, "voucher").p()).isEqualTo(8.0 / 166);
        assertThat(candidate(greedy, "points").p()).isEqualTo(2.0 / 14);
        Arbiter.Decision a = decide(ActionStrategy.THOMPSON, 156, 7, 4, 1);
        Arbiter.Decision b = decide(ActionStrategy.THOMPSON, 156, 7, 4, 1);
        assertThat(candidate(a, "voucher").p()).isEqualTo(candidate(b, "voucher").p()).isNotEqualTo(8.0 / 166);
    }
}
