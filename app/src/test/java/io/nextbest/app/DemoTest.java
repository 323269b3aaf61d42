package io.nextbest.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.rules.ExperimentRule;
import io.nextbest.job.rules.RuleParser;
import io.nextbest.schemas.Topics;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DemoTest {
    /** The experiment the demo sends is one the job accepts (encoded and decoded as on the topic), running now. */
    @Test
    void theDemoExperimentIsAValidRunningExperiment() throws Exception {
        Instant now = Instant.parse("2026-12-06T12:00:00Z");
        ExperimentRule x = (ExperimentRule) RuleParser.parse(Topics.RULES.codec().decode(
                Topics.RULES.codec().encode(Demo.demoExperiment(now))));
        assertThat(x.ruleId()).isEqualTo(Demo.DEMO_EXPERIMENT);
        assertThat(x.appliesTo(now.toEpochMilli(), null)).isTrue();
        assertThat(x.placements()).contains("default", "grid", "product", "suggestions", "home");
        assertThat(x.shares()).containsExactly(0.5, 0.5);
        assertThat(x.variants()).singleElement().satisfies(v ->
                assertThat(v.strategy()).isEqualTo(ExperimentRule.Strategy.TRENDING_ONLY));
    }

    /** The live output names a list's arm when it was made in an experiment, and nothing else otherwise. */
    @Test
    void theLiveOutputShowsTheArm() {
        Instant t = Instant.parse("2026-12-06T12:00:00Z");
        var item = new io.nextbest.schemas.messages.SuggestedItem("i1", 1, 0.5, java.util.List.of(
                new io.nextbest.schemas.messages.Reason(io.nextbest.schemas.messages.Signal.TRENDING, "trending #1",
                        1.0, null)));
        var in = new io.nextbest.schemas.messages.Suggestions("c1", null, 3, "e3", "home", "trending", "trending-only",
                Demo.DEMO_EXPERIMENT, t, t, java.util.List.of(item));
        var out = new io.nextbest.schemas.messages.Suggestions("c1", null, 3, "e3", "home", "hybrid", "default", t, t,
                java.util.List.of(item));
        assertThat(LivePrinter.format(in)).endsWith("— trending #1 [trending-only]");
        assertThat(LivePrinter.format(out)).endsWith("— trending #1");
    }

    /** The demo's action catalog is one the job accepts: every action decodes and parses. */
    @Test
    void theDemoActionsAreActionsTheJobAccepts() throws Exception {
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (String[] a : Demo.DEMO_ACTIONS) {
            var action = Topics.ACTIONS.codec().decode(a[1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(action.actionId()).isEqualTo(a[0]);
            ids.add(io.nextbest.job.action.ActionParser.parse(action, 0.1).actionId());
        }
        assertThat(ids).containsExactly("demo-gift-wrap-tip", "demo-first-order-voucher", "demo-loyal-thanks");
    }

    /** A taken action prints with its customer, channel, kind and expected net value (or that it was mandatory). */
    @Test
    void theLiveOutputShowsATakenAction() {
        Instant t = Instant.parse("2026-12-06T12:00:00Z");
        var tip = new io.nextbest.schemas.messages.ActionCandidate("demo-gift-wrap-tip",
                io.nextbest.schemas.messages.ActionKind.DISCRETIONARY, 100, true, null, "ok", 0.12, 0.1, 3L, 0L, 4.0, 0.1,
                0.38);
        var d = new io.nextbest.schemas.messages.NextBestAction("c1/nba/1", "c1", t,
                io.nextbest.schemas.messages.DecisionCause.EVENT, "e1", io.nextbest.schemas.messages.ActionOutcome.ACT,
                "demo-gift-wrap-tip", io.nextbest.schemas.messages.ActionKind.DISCRETIONARY,
                io.nextbest.schemas.messages.ContactChannel.WEB, null, null, null, "thompson", null, null,
                java.util.List.of(tip), java.util.List.of("act"), null);
        assertThat(LivePrinter.format(d)).isEqualTo(
                "[action]       c1         act demo-gift-wrap-tip via web (discretionary, P·V−C 0.38)");
    }
}
