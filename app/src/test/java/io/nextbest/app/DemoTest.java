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
}
