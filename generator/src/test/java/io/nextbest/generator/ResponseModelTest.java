package io.nextbest.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponseModelTest {
    static final List<String> CATEGORIES = List.of("red", "blue", "green", "gold");
    static final Map<String, String> CATEGORY = Map.of("r1", "red", "r2", "red", "b1", "blue", "g1", "green",
            "o1", "gold");

    @Test
    void tastesAreHiddenButFixedAndSpreadEvenly() {
        ResponseModel m = new ResponseModel(11, 3, 0.3, 0.05, 0.5);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 40_000; i++) {
            counts.merge(m.taste("shopper-" + i, CATEGORIES), 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys(CATEGORIES);
        counts.values().forEach(n -> assertThat(n).isBetween(9_600, 10_400)); // 10,000 ± 4 sd
        assertThat(m.taste("shopper-7", CATEGORIES)).isEqualTo(new ResponseModel(11, 3, 0.9, 0.9, 0).taste("shopper-7",
                CATEGORIES));
    }

    @Test
    void shoppersSeeTheFirstItemsAndClickAtTheModelsRates() {
        ResponseModel m = new ResponseModel(5, 3, 0.3, 0.05, 0.5);
        List<String> list = List.of("r1", "b1", "r2", "g1", "o1");
        int n = 50_000;
        int matchClicks = 0;
        int otherClicks = 0;
        int orders = 0;
        int anyClick = 0;
        for (int i = 0; i < n; i++) {
            ResponseModel.Answer a = m.answer("s" + i, "red", 1, list, CATEGORY::get);
            assertThat(a.impressions()).containsExactly("r1", "b1", "r2");
            matchClicks += (int) a.clicks().stream().filter(x -> x.startsWith("r")).count();
            otherClicks += (int) a.clicks().stream().filter(x -> !x.startsWith("r")).count();
            orders += a.orders().size();
            assertThat(a.orders()).allMatch(x -> x.startsWith("r") && a.clicks().contains(x));
            anyClick += a.clicks().isEmpty() ? 0 : 1;
        }
        assertThat(matchClicks / (2.0 * n)).isCloseTo(0.3, within(0.01));
        assertThat(otherClicks / (double) n).isCloseTo(0.05, within(0.005));
        assertThat(orders / (double) matchClicks).isCloseTo(0.5, within(0.015));
        // the true chance of at least one click, against the frequency of the simulation: 1 − 0.7² × 0.95
        double truth = m.clickProbability("red", List.of(list), CATEGORY::get);
        assertThat(truth).isCloseTo(1 - 0.7 * 0.7 * 0.95, within(1e-12));
        assertThat(anyClick / (double) n).isCloseTo(truth, within(0.01));
    }

    @Test
    void theSameListGetsTheSameAnswer() {
        ResponseModel m = new ResponseModel(5, 2, 0.5, 0.5, 0.5);
        List<String> list = List.of("r1", "b1");
        assertThat(m.answer("s1", "red", 3, list, CATEGORY::get)).isEqualTo(m.answer("s1", "red", 3, list, CATEGORY::get));
    }
}
