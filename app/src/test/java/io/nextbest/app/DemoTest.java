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
}
