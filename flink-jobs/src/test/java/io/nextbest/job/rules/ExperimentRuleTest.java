package io.nextbest.job.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nextbest.schemas.DeadLetterReason;
import io.nextbest.schemas.messages.RuleKind;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;

/** Experiments as rules: the definition's checks, and the assignment's determinism, shares and independence. */
class ExperimentRuleTest {
    static final String WINDOW = "\"validFrom\":\"2026-12-01T00:00:00Z\",\"validTo\":\"2026-12-15T00:00:00Z\"";
    static final String DEFINITION = "{\"placements\":[\"home\",\"product\"],"
            + "\"control\":{\"share\":0.2},"
            + "\"variants\":[{\"name\":\"more-content\",\"weight\":3,\"settings\":{\"ranking.weight.content\":1.5}},"
            + "{\"name\":\"trending\",\"weight\":1,\"strategy\":\"trending-only\"}]}";

    static ExperimentRule experiment(String id, String definition, String envelope) throws RuleException {
        return (ExperimentRule) Rules.parse(id, "experiment", definition, envelope);
    }

    @Test
    void anExperimentParses() throws Exception {
        ExperimentRule x = experiment("exp-1", DEFINITION, WINDOW);
        assertThat(x.kind()).isEqualTo(RuleKind.EXPERIMENT);
        assertThat(x.placements()).containsExactly("home", "product");
        assertThat(x.controlShare()).isEqualTo(0.2);
        assertThat(x.control().name()).isEqualTo("control");
        assertThat(x.control().strategy()).isEqualTo(ExperimentRule.Strategy.PERSONALISED);
        assertThat(x.variants()).extracting(ExperimentRule.Arm::name).containsExactly("more-content", "trending");
        assertThat(x.variants().get(0).settings()).containsExactly(Map.entry("ranking.weight.content", "1.5"));
        assertThat(x.variants().get(1).strategy()).isEqualTo(ExperimentRule.Strategy.TRENDING_ONLY);
        assertThat(x.shares()).containsExactly(0.2, 0.6000000000000001, 0.2);
        assertThat(x.plannedCustomers()).isZero();
        assertThat(experiment("exp-2", DEFINITION.replace("\"placements\"", "\"plannedCustomers\":20000,\"placements\""),
                WINDOW).plannedCustomers()).isEqualTo(20000);
    }

    @Test
    void badDefinitionsAreRefusedWithTheirReason() {
        assertRefused(DEFINITION, "", DeadLetterReason.INVALID_VALUE,
                "validFrom and validTo: an experiment needs both (its start and its end), got no validFrom");
        assertRefused(DEFINITION.replace("ranking.weight.content", "ranking.weight.contnet"), WINDOW,
                DeadLetterReason.SCHEMA_VIOLATION, "definition.variants[0].settings.ranking.weight.contnet: not a setting"
                        + " a variant may change");
        assertRefused(DEFINITION.replace("\"ranking.weight.content\":1.5", "\"similarity.half-life\":\"1d\""), WINDOW,
                DeadLetterReason.SCHEMA_VIOLATION, "similarity.half-life: not a setting a variant may change");
        assertRefused(DEFINITION.replace("1.5", "-2"), WINDOW, DeadLetterReason.INVALID_VALUE,
                "definition.variants[0].settings.ranking.weight.content: ");
        assertRefused(DEFINITION.replace("\"trending\",", "\"more-content\","), WINDOW, DeadLetterReason.INVALID_VALUE,
                "definition.variants[1].name: duplicate of variants[0].name \"more-content\"");
        assertRefused(DEFINITION.replace("\"trending\",", "\"control\","), WINDOW, DeadLetterReason.INVALID_VALUE,
                "(reserved)");
        assertRefused(DEFINITION.replace("\"weight\":3", "\"weight\":0"), WINDOW, DeadLetterReason.INVALID_VALUE,
                "definition.variants[0].weight: must be a weight > 0");
        assertRefused(DEFINITION.replace("0.2", "0.95"), WINDOW, DeadLetterReason.INVALID_VALUE,
                "definition.control.share: must be a share of the traffic 0..0.9, got 0.95");
        assertRefused(DEFINITION.replace("trending-only", "trending-ony"), WINDOW, DeadLetterReason.INVALID_VALUE,
                "did you mean");
        assertRefused(DEFINITION.replace("\"placements\":[\"home\",\"product\"],", ""), WINDOW,
                DeadLetterReason.SCHEMA_VIOLATION, "definition.placements: missing");
        assertRefused(DEFINITION.replace("\"control\":{\"share\":0.2},", "\"control\":{\"share\":0.2},\"holdout\":1,"),
                WINDOW, DeadLetterReason.SCHEMA_VIOLATION, "definition.holdout: unknown field of an experiment");
        assertRefused(DEFINITION.replace("\"placements\"", "\"plannedCustomers\":0,\"placements\""), WINDOW,
                DeadLetterReason.INVALID_VALUE, "definition.plannedCustomers: must be an integer 1..1000000000, got 0");
        assertRefused(DEFINITION.replace("\"placements\"", "\"plannedCustomers\":\"many\",\"placements\""), WINDOW,
                DeadLetterReason.SCHEMA_VIOLATION, "definition.plannedCustomers: must be an integer");
    }

    private static void assertRefused(String definition, String envelope, DeadLetterReason reason, String message) {
        assertThatThrownBy(() -> experiment("x", definition, envelope)).isInstanceOfSatisfying(RuleException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.getMessage()).contains(message);
        });
    }

    @Test
    void assignmentIsStickyAndFollowsTheShares() throws Exception {
        ExperimentRule x = experiment("exp-1", DEFINITION, WINDOW);
        ExperimentRule again = experiment("exp-1", DEFINITION, WINDOW); // another instance, another restart
        Map<String, Long> counts = new HashMap<>();
        int n = 40_000;
        for (int i = 0; i < n; i++) {
            String customer = "C-" + i;
            ExperimentRule.Arm arm = x.assign(customer);
            assertThat(again.assign(customer)).isEqualTo(arm);
            counts.merge(arm.name(), 1L, Long::sum);
        }
        long[] observed = {counts.get("control"), counts.get("more-content"), counts.get("trending")};
        double[] expected = {0.2 * n, 0.6 * n, 0.2 * n};
        // a χ² goodness-of-fit test (Commons Math): the split is what the weights say
        assertThat(new ChiSquareTest().chiSquareTest(expected, observed)).isGreaterThan(0.001);
        assertThat(observed[1] / (double) n).isBetween(0.59, 0.61);
    }

    @Test
    void twoExperimentsAssignIndependently() throws Exception {
        ExperimentRule a = experiment("exp-a", DEFINITION, WINDOW);
        ExperimentRule b = experiment("exp-b", DEFINITION, WINDOW);
        long[][] table = new long[3][3];
        List<String> arms = List.of("control", "more-content", "trending");
        for (int i = 0; i < 30_000; i++) {
            String c = "C-" + i;
            table[arms.indexOf(a.assign(c).name())][arms.indexOf(b.assign(c).name())]++;
        }
        // independence of the two assignments: χ² test of the 3×3 contingency table
        assertThat(new ChiSquareTest().chiSquareTest(table)).isGreaterThan(0.001);
    }

    @Test
    void overlapIsTheSamePlacementAtTheSameTime() throws Exception {
        ExperimentRule x = experiment("exp-1", DEFINITION, WINDOW);
        ExperimentRule later = experiment("exp-2", DEFINITION,
                "\"validFrom\":\"2026-12-15T00:00:00Z\",\"validTo\":\"2026-12-20T00:00:00Z\"");
        ExperimentRule during = experiment("exp-3", DEFINITION.replace("\"home\",", ""),
                "\"validFrom\":\"2026-12-10T00:00:00Z\",\"validTo\":\"2026-12-20T00:00:00Z\"");
        ExperimentRule elsewhere = experiment("exp-4", DEFINITION.replace("\"home\",\"product\"", "\"basket\""), WINDOW);
        assertThat(x.overlaps(later)).isFalse(); // the end is exclusive
        assertThat(x.overlaps(during)).isTrue();
        assertThat(x.sharedPlacement(during)).isEqualTo("product");
        assertThat(x.overlaps(elsewhere)).isFalse();
        assertThat(x.validTo()).isEqualTo(Instant.parse("2026-12-15T00:00:00Z"));
    }

    @Test
    void theBookFindsTheExperimentOfARequest() throws Exception {
        RuleBook book = RuleBook.of(List.of(experiment("exp-1", DEFINITION, WINDOW)));
        assertThat(book.experiment(Rules.request("2026-12-05T10:00:00Z")).ruleId()).isEqualTo("exp-1");
        assertThat(book.experiment(Rules.request("2026-12-16T10:00:00Z"))).isNull(); // after its end
        var basket = Rules.request("2026-12-05T10:00:00Z");
        basket.placement = "basket";
        assertThat(book.experiment(basket)).isNull();
    }
}
