package io.nextbest.job.similarity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.schemas.messages.ItemNeighbours;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NeighbourRowsTest {

    // ---- apply ----

    @Test
    void deltasAreSummedIntoExistingPairsAndPositiveDeltasAddNewOnes() {
        ItemRow row = row("a", 1.0, "b", 2.0);

        NeighbourRows.Applied applied = NeighbourRows.apply(row, new String[] {"a", "c"}, new double[] {0.5, 1.5}, 0);

        // a: 1.0 + 0.5 = 1.5; b untouched; c new with 1.5
        assertThat(dots(applied.row())).isEqualTo(Map.of("a", 1.5, "b", 2.0, "c", 1.5));
        assertThat(applied.evicted()).isZero();
        assertThat(applied.ignored()).isZero();
        // the input row is not modified
        assertThat(dots(row)).isEqualTo(Map.of("a", 1.0, "b", 2.0));
    }

    @Test
    void aNegativeOrZeroDeltaForAnAbsentPairIsIgnoredAndCounted() {
        NeighbourRows.Applied applied = NeighbourRows.apply(row("a", 1.0),
                new String[] {"x", "a", "y"}, new double[] {-0.5, 0.25, 0.0}, 0);

        // x (−0.5) and y (0) are not in the row: two ignored; a: 1.0 + 0.25 = 1.25
        assertThat(dots(applied.row())).isEqualTo(Map.of("a", 1.25));
        assertThat(applied.ignored()).isEqualTo(2);
        assertThat(applied.evicted()).isZero();
    }

    @Test
    void aFullRetractionRemovesThePairDespiteTheRoundingResidue() {
        assertThat((0.1 + 0.2) - 0.3).as("precondition: the residue is not 0").isEqualTo(5.551115123125783e-17);
        ItemRow row = NeighbourRows.apply(new ItemRow(), new String[] {"a", "b"}, new double[] {0.1, 1.0}, 0).row();
        row = NeighbourRows.apply(row, new String[] {"a"}, new double[] {0.2}, 0).row();
        assertThat(dots(row)).isEqualTo(Map.of("a", 0.30000000000000004, "b", 1.0));

        // 0.30000000000000004 − 0.3 = 5.55e-17 ≤ 1e-12·0.30000000000000004: gone
        NeighbourRows.Applied applied = NeighbourRows.apply(row, new String[] {"a"}, new double[] {-0.3}, 0);

        assertThat(dots(applied.row())).isEqualTo(Map.of("b", 1.0));
        assertThat(applied.ignored()).isZero();
        // and the exact retraction too
        assertThat(dots(NeighbourRows.apply(row, new String[] {"a"}, new double[] {-0.30000000000000004}, 0).row()))
                .isEqualTo(Map.of("b", 1.0));
    }

    @Test
    void aSumBelowZeroRemovesThePairButASmallPositiveOneStays() {
        ItemRow row = row("a", 1.0, "b", 1.0);

        NeighbourRows.Applied applied = NeighbourRows.apply(row, new String[] {"a", "b"}, new double[] {-1.5, -0.999}, 0);

        // a: 1.0 − 1.5 = −0.5 → removed; b: 1.0 − 0.999 = 0.0010000000000000009, far above 1e-12 → kept
        assertThat(dots(applied.row())).isEqualTo(Map.of("b", 0.0010000000000000009));
        assertThat(applied.ignored()).isZero();
    }

    @Test
    void aRowWhosePairsAllRetractIsEmpty() {
        NeighbourRows.Applied applied = NeighbourRows.apply(row("a", 2.0, "b", 3.0),
                new String[] {"b", "a"}, new double[] {-3.0, -2.0}, 0);

        assertThat(applied.row().others).isEmpty();
        assertThat(applied.row().dots).isEmpty();
    }

    @Test
    void theCapKeepsThePairsWithTheLargestDotsAndCountsTheEvicted() {
        NeighbourRows.Applied applied = NeighbourRows.apply(new ItemRow(),
                new String[] {"a", "b", "c", "d", "e"}, new double[] {3, 1, 4, 1.5, 5}, 3);

        // the largest three: e 5, c 4, a 3; b (1) and d (1.5) go
        assertThat(dots(applied.row())).isEqualTo(Map.of("e", 5.0, "c", 4.0, "a", 3.0));
        assertThat(applied.evicted()).isEqualTo(2);
        assertThat(applied.ignored()).isZero();
    }

    @Test
    void theCapAppliesAfterTheBatchSoARisingPairCanDisplaceAnother() {
        ItemRow row = row("a", 3.0, "b", 2.0, "c", 1.0);

        // c rises to 1.0 + 2.5 = 3.5, d enters with 2.5: four pairs {a 3, b 2, c 3.5, d 2.5} → b goes
        NeighbourRows.Applied applied = NeighbourRows.apply(row, new String[] {"c", "d"}, new double[] {2.5, 2.5}, 3);

        assertThat(dots(applied.row())).isEqualTo(Map.of("a", 3.0, "c", 3.5, "d", 2.5));
        assertThat(applied.evicted()).isEqualTo(1);

        // the evicted pair's later retraction is ignored, a new positive change brings it back (and out again)
        NeighbourRows.Applied later = NeighbourRows.apply(applied.row(), new String[] {"b", "b"}, new double[] {-2.0, 0.5},
                3);
        // b: −2 ignored (absent); +0.5 enters; four pairs again, b is the smallest → evicted
        assertThat(later.ignored()).isEqualTo(1);
        assertThat(later.evicted()).isEqualTo(1);
        assertThat(dots(later.row())).isEqualTo(Map.of("a", 3.0, "c", 3.5, "d", 2.5));
    }

    @Test
    void capZeroIsUnlimited() {
        String[] others = new String[250];
        double[] deltas = new double[250];
        Map<String, Double> expected = new HashMap<>();
        for (int k = 0; k < others.length; k++) {
            others[k] = "i" + k;
            deltas[k] = k + 1;
            expected.put(others[k], (double) (k + 1));
        }

        NeighbourRows.Applied applied = NeighbourRows.apply(new ItemRow(), others, deltas, 0);

        assertThat(dots(applied.row())).isEqualTo(expected);
        assertThat(applied.evicted()).isZero();
    }

    @Test
    void aRowAtTheCapWithoutNewPairsEvictsNothing() {
        NeighbourRows.Applied applied = NeighbourRows.apply(row("a", 1.0, "b", 2.0), new String[] {"a"},
                new double[] {1.0}, 2);

        assertThat(dots(applied.row())).isEqualTo(Map.of("a", 2.0, "b", 2.0));
        assertThat(applied.evicted()).isZero();
    }

    /** Small rows and batches take the linear search, rows of more than 8 pairs with more than 2 deltas the index. */
    @ParameterizedTest(name = "row of {0} other pairs")
    @ValueSource(ints = {1, 12})
    void aPairRemovedAndReAddedInOneBatch(int filler) {
        ItemRow row = withFiller(filler, "a", 1.0, "b", 2.0);

        // a: 1 − 1 = 0 → removed, then +0.75 → back with 0.75 (not 0 + 0.75 on top of a residue)
        // b: 2 − 2.5 → removed; −0.5 → ignored (as if absent); +0.25 → back with 0.25
        // x: new +0.5, then −0.5 → removed; y: new +0.5 then +0.25 → 0.75
        NeighbourRows.Applied applied = NeighbourRows.apply(row,
                new String[] {"a", "b", "x", "a", "b", "y", "x", "b", "y"},
                new double[] {-1.0, -2.5, 0.5, 0.75, -0.5, 0.5, -0.5, 0.25, 0.25}, 0);

        Map<String, Double> expected = fillerDots(filler);
        expected.put("a", 0.75);
        expected.put("b", 0.25);
        expected.put("y", 0.75);
        assertThat(dots(applied.row())).isEqualTo(expected);
        assertThat(applied.ignored()).isEqualTo(1);
        assertThat(applied.evicted()).isZero();
    }

    @ParameterizedTest(name = "row of {0} other pairs")
    @ValueSource(ints = {0, 12})
    void aPairRemovedAndReAddedInOneBatchStillCountsForTheCap(int filler) {
        ItemRow row = withFiller(filler, "a", 100.0, "b", 200.0);

        // a removed and back with 3000 (the largest); b 200 + 2500 = 2700; the cap of 2 keeps a and b
        // (the fillers have 1000 … 1011)
        NeighbourRows.Applied applied = NeighbourRows.apply(row, new String[] {"a", "b", "a"},
                new double[] {-100.0, 2500.0, 3000.0}, 2);

        assertThat(dots(applied.row())).isEqualTo(Map.of("a", 3000.0, "b", 2700.0));
        assertThat(applied.evicted()).isEqualTo(filler);
    }

    /**
     * The indexed path (rows of more than 8 pairs, batches of more than 2 deltas) and the linear one agree with
     * a plain map, on random batches with duplicates, exact retractions, residues, re-additions and retractions
     * of absent pairs; and with cap 0 a batch gives the same as its deltas applied one at a time.
     */
    @Test
    void theIndexedAndTheLinearPathAgreeWithAMapModel() {
        Random random = new Random(42);
        int indexedBatches = 0;
        for (int round = 0; round < 3000; round++) {
            int cap = round % 3 == 0 ? 0 : 1 + random.nextInt(25);
            Map<String, Double> model = new LinkedHashMap<>();
            int n = random.nextInt(24);
            for (int k = 0; k < n; k++) {
                model.put("i" + random.nextInt(40), 0.01 + random.nextDouble() * 10);
            }
            if (cap > 0) {
                model = capped(model, cap);
            }
            ItemRow row = fromMap(model);

            int size = random.nextInt(12);
            String[] others = new String[size];
            double[] deltas = new double[size];
            Map<String, Double> running = new HashMap<>(model);
            for (int d = 0; d < size; d++) {
                String other = "i" + random.nextInt(40);
                Double current = running.get(other);
                double delta = switch (random.nextInt(6)) {
                    case 0 -> current == null ? 0.5 + random.nextDouble() : -current; // exact retraction
                    case 1 -> current == null ? -0.25 : -current * (1 + 1e-15); // retraction leaving −residue
                    case 2 -> current == null ? -0.25 : -current * (1 - 1e-15); // retraction leaving +residue
                    case 3 -> -random.nextDouble() * 5; // often below zero, or absent
                    default -> random.nextDouble() * 5;
                };
                others[d] = other;
                deltas[d] = delta;
                modelApply(running, other, delta); // only to aim the next retractions at real sums
            }

            Map<String, Double> expected = new HashMap<>(model);
            int expectedIgnored = 0;
            for (int d = 0; d < size; d++) {
                expectedIgnored += modelApply(expected, others[d], deltas[d]) ? 0 : 1;
            }
            int expectedEvicted = cap > 0 ? Math.max(0, expected.size() - cap) : 0;
            if (cap > 0) {
                expected = capped(expected, cap);
            }

            NeighbourRows.Applied batch = NeighbourRows.apply(row, others, deltas, cap);
            if (n > 8 && size > 2) {
                indexedBatches++;
            }
            String what = "round " + round;
            assertThat(dots(batch.row())).as(what).isEqualTo(expected);
            assertThat(batch.ignored()).as(what).isEqualTo(expectedIgnored);
            assertThat(batch.evicted()).as(what).isEqualTo(expectedEvicted);

            if (cap == 0) { // one delta at a time: always the linear path
                ItemRow single = row;
                int ignored = 0;
                for (int d = 0; d < size; d++) {
                    NeighbourRows.Applied a = NeighbourRows.apply(single, new String[] {others[d]},
                            new double[] {deltas[d]}, 0);
                    single = a.row();
                    ignored += a.ignored();
                }
                assertThat(dots(single)).as(what).isEqualTo(dots(batch.row()));
                assertThat(ignored).as(what).isEqualTo(batch.ignored());
            }
        }
        assertThat(indexedBatches).as("batches on the indexed path").isGreaterThan(500);
    }

    /** The model of {@link NeighbourRows#apply} for one delta; false if ignored. */
    private static boolean modelApply(Map<String, Double> m, String other, double delta) {
        Double old = m.get(other);
        if (old == null) {
            if (delta <= 0) {
                return false;
            }
            m.put(other, delta);
            return true;
        }
        double sum = old + delta;
        if (sum <= 1e-12 * Math.max(Math.abs(old), Math.abs(delta))) {
            m.remove(other);
        } else {
            m.put(other, sum);
        }
        return true;
    }

    private static Map<String, Double> capped(Map<String, Double> m, int cap) {
        List<Map.Entry<String, Double>> entries = new ArrayList<>(m.entrySet());
        entries.sort((x, y) -> Double.compare(y.getValue(), x.getValue()));
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : entries.subList(0, Math.min(cap, entries.size()))) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    // ---- the published list ----

    @Test
    void thePublishedListRanksByCosineBestFirstWithTiesByIdCutAtM() {
        // dots of i with others; ‖i‖² = 4
        ItemRow row = row("c2", 2.0, "b", 3.0, "a2", 1.0, "d", 4.0, "e", 6.0, "f", 2.0);
        row.asOf = 7;
        Map<String, Double> norms = Map.of("i", 4.0, "c2", 1.0, "b", 4.0, "a2", 0.25, "d", 16.0, "f", 6.0);
        // e has no norm (unknown): skipped
        // c2: 2/√(4·1) = 1; a2: 1/√(4·0.25) = 1 (tie: a2 before c2); b: 3/√16 = 0.75; d: 4/√64 = 0.5;
        // f: 2/√24 = 0.4082482904638631

        ItemNeighbours all = NeighbourRows.published(row, "i", x -> norms.getOrDefault(x, 0.0), 10, 7, 99);

        assertThat(all.itemId()).isEqualTo("i");
        assertThat(all.squaredNorm()).isEqualTo(4.0);
        assertThat(all.asOf().toEpochMilli()).isEqualTo(7);
        assertThat(all.updatedAt().toEpochMilli()).isEqualTo(99);
        assertThat(all.neighbours()).extracting(ItemNeighbours.Neighbour::itemId).containsExactly("a2", "c2", "b", "d", "f");
        assertThat(all.neighbours()).extracting(ItemNeighbours.Neighbour::dot).containsExactly(1.0, 2.0, 3.0, 4.0, 2.0);
        double[] expected = {1.0, 1.0, 0.75, 0.5, 0.4082482904638631};
        for (int k = 0; k < expected.length; k++) {
            assertThat(all.neighbours().get(k).similarity()).isCloseTo(expected[k], within(1e-12));
        }
        // cut to the best m by cosine
        assertThat(NeighbourRows.published(row, "i", x -> norms.getOrDefault(x, 0.0), 3, 7, 99).neighbours())
                .extracting(ItemNeighbours.Neighbour::itemId).containsExactly("a2", "c2", "b");
    }

    @Test
    void anItemWithoutANormPublishesNoNeighboursAndNeighboursWithoutANormAreLeftOut() {
        ItemRow row = row("a", 1.0, "b", 1.0, "c", 1.0, "d", 2.0);
        Map<String, Double> norms = Map.of("i", 1.0, "a", 0.0, "b", -1.0, "d", 16.0);
        ItemNeighbours i = NeighbourRows.published(row, "i", x -> norms.getOrDefault(x, 0.0), 10, 1, 2);
        assertThat(i.neighbours()).extracting(ItemNeighbours.Neighbour::itemId).containsExactly("d"); // 2/√16 = 0.5
        assertThat(i.neighbours().get(0).similarity()).isEqualTo(0.5);

        ItemNeighbours none = NeighbourRows.published(row, "x", x -> norms.getOrDefault(x, 0.0), 10, 1, 2);
        assertThat(none.squaredNorm()).isZero();
        assertThat(none.neighbours()).isEmpty();
    }

    // ---- helpers ----

    static ItemRow row(Object... othersAndDots) {
        String[] others = new String[othersAndDots.length / 2];
        double[] dots = new double[others.length];
        for (int k = 0; k < others.length; k++) {
            others[k] = (String) othersAndDots[2 * k];
            dots[k] = (Double) othersAndDots[2 * k + 1];
        }
        return new ItemRow(others, dots);
    }

    /** A row of {@code filler} pairs f0.. with dots 1000, 1001, … followed by the given pairs. */
    private static ItemRow withFiller(int filler, Object... othersAndDots) {
        Object[] all = new Object[2 * filler + othersAndDots.length];
        for (int k = 0; k < filler; k++) {
            all[2 * k] = "f" + k;
            all[2 * k + 1] = 1000.0 + k;
        }
        System.arraycopy(othersAndDots, 0, all, 2 * filler, othersAndDots.length);
        return row(all);
    }

    private static Map<String, Double> fillerDots(int filler) {
        Map<String, Double> m = new HashMap<>();
        for (int k = 0; k < filler; k++) {
            m.put("f" + k, 1000.0 + k);
        }
        return m;
    }

    private static ItemRow fromMap(Map<String, Double> m) {
        String[] others = m.keySet().toArray(new String[0]);
        double[] dots = new double[others.length];
        for (int k = 0; k < others.length; k++) {
            dots[k] = m.get(others[k]);
        }
        return new ItemRow(others, dots);
    }

    /** The row as a map; fails on a pair listed twice or arrays of different lengths. */
    static Map<String, Double> dots(ItemRow row) {
        assertThat(row.dots).as("one dot per pair").hasSameSizeAs(row.others);
        Map<String, Double> m = new HashMap<>();
        for (int k = 0; k < row.others.length; k++) {
            assertThat(m.put(row.others[k], row.dots[k])).as("%s listed twice", row.others[k]).isNull();
        }
        return m;
    }
}
