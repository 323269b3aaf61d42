package io.nextbest.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nextbest.schemas.messages.LifecycleStage;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActionResponseModelTest {
    static final Map<String, Map<LifecycleStage, Double>> TRUTH = Map.of(
            "tip", stages(0.20, 0.25, 0.22, 0.18),
            "voucher", stages(0.01, 0.03, 0.09, 0.10),
            "points", stages(0.02, 0.06, 0.15, 0.40),
            "coin", stages(0.5, 0.5, 0.5, 0.5));

    static Map<LifecycleStage, Double> stages(double prospect, double fresh, double active, double loyal) {
        return Map.of(LifecycleStage.PROSPECT, prospect, LifecycleStage.NEW, fresh, LifecycleStage.ACTIVE, active,
                LifecycleStage.LOYAL, loyal);
    }

    /** Four standard deviations of a binomial frequency of n draws at p. */
    static double bound(double p, int n) {
        return 4 * Math.sqrt(p * (1 - p) / n);
    }

    @Test
    void segmentsAreFixedPerCustomerAndDrawnWithTheirShares() {
        ActionResponseModel m = new ActionResponseModel(3, TRUTH);
        int n = 100_000;
        Map<LifecycleStage, Integer> counts = new EnumMap<>(LifecycleStage.class);
        for (int i = 0; i < n; i++) {
            counts.merge(m.segment("c" + i), 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys(LifecycleStage.values());
        for (LifecycleStage s : LifecycleStage.values()) {
            double share = ActionResponseModel.DEFAULT_SHARES.get(s);
            assertThat(m.share(s)).isEqualTo(share);
            assertThat(counts.get(s) / (double) n).isBetween(share - bound(share, n), share + bound(share, n));
        }
        // the segment depends on the seed and the customer only: not on the truth of the actions
        ActionResponseModel other = new ActionResponseModel(3, Map.of("x", stages(1, 1, 1, 1)));
        for (int i = 0; i < 1000; i++) {
            assertThat(other.segment("c" + i)).isEqualTo(m.segment("c" + i));
        }
        ActionResponseModel reseeded = new ActionResponseModel(4, TRUTH);
        long moved = java.util.stream.IntStream.range(0, 1000)
                .filter(i -> reseeded.segment("c" + i) != m.segment("c" + i)).count();
        assertThat(moved).isGreaterThan(500); // a new seed deals the customers anew (≈ 73 % change)
    }

    @Test
    void responsesComeAtTheTrueProbabilityOfTheActionInTheCustomersSegment() {
        ActionResponseModel m = new ActionResponseModel(11, TRUTH);
        int customers = 20_000;
        int decisions = 5;
        for (String action : TRUTH.keySet()) {
            Map<LifecycleStage, int[]> seen = new EnumMap<>(LifecycleStage.class); // {draws, responses}
            for (int c = 0; c < customers; c++) {
                String id = "c" + c;
                int[] t = seen.computeIfAbsent(m.segment(id), s -> new int[2]);
                for (int d = 0; d < decisions; d++) {
                    t[0]++;
                    t[1] += m.respond(id, d, action) ? 1 : 0;
                }
            }
            seen.forEach((stage, t) -> {
                double p = m.trueProbability(action, stage);
                assertThat(p).isEqualTo(TRUTH.get(action).get(stage));
                assertThat(t[1] / (double) t[0]).as("%s in %s over %d draws", action, stage.wire(), t[0])
                        .isBetween(p - bound(p, t[0]), p + bound(p, t[0]));
            });
        }
    }

    @Test
    void theSameDecisionGetsTheSameAnswerAndDifferentOnesAreIndependent() {
        ActionResponseModel m = new ActionResponseModel(7, TRUTH);
        ActionResponseModel again = new ActionResponseModel(7, TRUTH);
        ActionResponseModel reseeded = new ActionResponseModel(8, TRUTH);
        int n = 40_000;
        int yes = 0;
        int nextDecisionToo = 0;
        int differsWithSeed = 0;
        for (int i = 0; i < n; i++) {
            String id = "c" + i;
            boolean a = m.respond(id, 3, "coin");
            assertThat(again.respond(id, 3, "coin")).isEqualTo(a);
            assertThat(m.respond(id, 3, "coin")).isEqualTo(a);
            yes += a ? 1 : 0;
            nextDecisionToo += a && m.respond(id, 4, "coin") ? 1 : 0;
            differsWithSeed += a != reseeded.respond(id, 3, "coin") ? 1 : 0;
        }
        assertThat(yes / (double) n).isBetween(0.5 - bound(0.5, n), 0.5 + bound(0.5, n));
        // another decision of the same customer: independent (½ · ½), as is the answer under another seed (½)
        assertThat(nextDecisionToo / (double) n).isBetween(0.25 - bound(0.25, n), 0.25 + bound(0.25, n));
        assertThat(differsWithSeed / (double) n).isBetween(0.5 - bound(0.5, n), 0.5 + bound(0.5, n));
    }

    @Test
    void twoActionsOfOneDecisionAreAnsweredIndependently() {
        ActionResponseModel m = new ActionResponseModel(5, Map.of("a", stages(0.5, 0.5, 0.5, 0.5),
                "b", stages(0.5, 0.5, 0.5, 0.5)));
        int n = 40_000;
        int both = 0;
        for (int i = 0; i < n; i++) {
            both += m.respond("c" + i, 1, "a") && m.respond("c" + i, 1, "b") ? 1 : 0;
        }
        assertThat(both / (double) n).isBetween(0.25 - bound(0.25, n), 0.25 + bound(0.25, n));
    }

    @Test
    void aSegmentOfShareZeroGetsNobodyAndCertaintiesHold() {
        Map<LifecycleStage, Double> onlyLoyal = Map.of(LifecycleStage.LOYAL, 1.0);
        ActionResponseModel m = new ActionResponseModel(1, onlyLoyal, Map.of("always", stages(0, 0, 0, 1),
                "never", stages(1, 1, 1, 0)));
        Map<LifecycleStage, Double> noLoyal = Map.of(LifecycleStage.PROSPECT, 0.5, LifecycleStage.ACTIVE, 0.5);
        ActionResponseModel n = new ActionResponseModel(1, noLoyal, Map.of("always", stages(1, 1, 1, 1)));
        for (int i = 0; i < 5_000; i++) {
            assertThat(m.segment("c" + i)).isEqualTo(LifecycleStage.LOYAL);
            assertThat(m.respond("c" + i, i, "always")).isTrue();
            assertThat(m.respond("c" + i, i, "never")).isFalse();
            assertThat(n.segment("c" + i)).isIn(LifecycleStage.PROSPECT, LifecycleStage.ACTIVE);
        }
    }

    @Test
    void aWrongTruthIsRefusedByName() {
        assertThatThrownBy(() -> new ActionResponseModel(1, Map.of("tip", Map.of(LifecycleStage.LOYAL, 0.5))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("action tip").hasMessageContaining("prospect");
        assertThatThrownBy(() -> new ActionResponseModel(1, Map.of("tip", stages(0.1, 0.1, 1.5, 0.1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("active").hasMessageContaining("1.5");
        assertThatThrownBy(() -> new ActionResponseModel(1, Map.of(LifecycleStage.LOYAL, 0.5), TRUTH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sum to 1");
        assertThatThrownBy(() -> new ActionResponseModel(1, TRUTH).respond("c1", 1, "nope"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown action 'nope'");
    }
}
