package io.nextbest.job.similarity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.job.config.NextbestConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@SuppressWarnings("try") // the harnesses' close() declares Exception
class ItemStageTest {

    @Test
    void aQueryIsAnsweredWithTheTopNeighboursByCosine() throws Exception {
        try (var h = harness(NextbestConfig.defaults())) {
            h.processBroadcastElement(norms("i", 4.0, "a", 1.0, "b", 9.0, "c", 2.0), 0);
            h.processBroadcastElement(norms("a", 2.0), 0); // ‖a‖² = 1 + 2 = 3
            h.processElement(ItemMessage.update("i", new String[] {"a", "b"}, new double[] {1.0, 3.0}), 0);
            h.processElement(ItemMessage.update("i", new String[] {"a", "c"}, new double[] {0.5, 1.0}), 0);
            h.processElement(ItemMessage.update("a", new String[] {"i"}, new double[] {1.5}), 0);
            assertThat(h.extractOutputValues()).as("updates answer nothing").isEmpty();

            h.processElement(ItemMessage.query("i", "C-1", 7, 0.8, null, null), 0);

            // row of i: a 1 + 0.5 = 1.5, b 3, c 1
            // b: 3/√(4·9) = 0.5; a: 1.5/√(4·3) = 0.4330127018922193; c: 1/√(4·2) = 0.3535533905932738
            CandidatePart part = single(h.extractOutputValues());
            assertThat(part.subjectKey).isEqualTo("C-1");
            assertThat(part.sequence).isEqualTo(7);
            assertThat(part.anchor).isEqualTo("i");
            assertThat(part.anchorWeight).isEqualTo(0.8);
            assertThat(part.items).containsExactly("b", "a", "c");
            assertCloseTo(part.similarities, 0.5, 0.4330127018922193, 0.3535533905932738);
            assertThat(numKeyedStateEntries(h)).isEqualTo(2); // the rows of i and a
            assertThat(h.getBroadcastState(ItemStage.NORMS).get("a")).isEqualTo(3.0);
        }
    }

    @Test
    void cachedCandidatesServeALaterQueryThatLeavesItsOwnProductsOut() throws Exception {
        NextbestConfig config = NextbestConfig.builder().set("similarity.neighbours", "1")
                .set("similarity.window-size", "2").build();
        try (var h = harness(config)) {
            h.processBroadcastElement(norms("i", 4.0, "a", 1.0, "b", 1.0), 0);
            h.processElement(ItemMessage.update("i", new String[] {"a", "b"}, new double[] {1.0, 0.8}), 0);
            // plain: a 1/√(4·1) = 0.5, b 0.8/√(4·1) = 0.4
            h.processElement(ItemMessage.query("i", "C-1", 1, 1.0, null, null), 0);
            assertThat(single(h.extractOutputValues()).items).containsExactly("a");
            h.getOutput().clear();
            // from the cache, for a customer whose own i·a = 1 is all of dot(i,a): b, at 0.8/√((4 − 1)·1)
            h.processElement(ItemMessage.query("i", "C-2", 1, 1.0, new String[] {"i", "a"}, new double[] {1, 1}), 0);
            CandidatePart part = single(h.extractOutputValues());
            assertThat(part.items).containsExactly("b");
            assertCloseTo(part.similarities, 0.8 / Math.sqrt(3));
        }
    }

    @Test
    void theAnswerIsCutToTheConfiguredNeighbours() throws Exception {
        try (var h = harness(NextbestConfig.builder().set("similarity.neighbours", "2").build())) {
            h.processBroadcastElement(norms("i", 4.0, "a", 3.0, "b", 9.0, "c", 2.0), 0);
            h.processElement(ItemMessage.update("i", new String[] {"a", "b", "c"}, new double[] {1.5, 3.0, 1.0}), 0);

            h.processElement(ItemMessage.query("i", "S-9", 1, 1.0, null, null), 0);

            CandidatePart part = single(h.extractOutputValues());
            assertThat(part.items).containsExactly("b", "a");
            assertCloseTo(part.similarities, 0.5, 0.4330127018922193);
        }
    }

    @Test
    void aQueryForAnUnknownItemIsAnsweredEmptyAndKeepsNoState() throws Exception {
        try (var h = harness(NextbestConfig.defaults())) {
            h.processBroadcastElement(norms("a", 1.0), 0);

            h.processElement(ItemMessage.query("nope", "C-2", 5, 0.25, null, null), 0);

            CandidatePart part = single(h.extractOutputValues());
            assertThat(part.anchor).isEqualTo("nope");
            assertThat(part.subjectKey).isEqualTo("C-2");
            assertThat(part.sequence).isEqualTo(5);
            assertThat(part.anchorWeight).isEqualTo(0.25);
            assertThat(part.items).isEmpty();
            assertThat(part.similarities).isEmpty();
            assertThat(numKeyedStateEntries(h)).isZero();
        }
    }

    @Test
    void aFullyRetractedNormLeavesTheBroadcastState() throws Exception {
        try (var h = harness(NextbestConfig.defaults())) {
            h.processBroadcastElement(norms("x", 0.1, "y", 1.0), 0);
            h.processBroadcastElement(norms("x", 0.2, "y", -0.25), 0);
            assertThat(h.getBroadcastState(ItemStage.NORMS).get("x")).isEqualTo(0.30000000000000004);

            // 0.30000000000000004 − 0.3 = 5.55e-17: a residue, the item is gone
            h.processBroadcastElement(norms("x", -0.3), 0);

            assertThat(h.getBroadcastState(ItemStage.NORMS).contains("x")).isFalse();
            assertThat(h.getBroadcastState(ItemStage.NORMS).get("y")).isEqualTo(0.75);

            h.processBroadcastElement(norms("y", -0.75, "z", -1.0), 0); // z was never there
            assertThat(h.getBroadcastState(ItemStage.NORMS).entries()).isEmpty();
        }
    }

    @Test
    void anAnchorWhoseNormIsGoneHasNoNeighboursAndNeitherIsItOne() throws Exception {
        try (var h = harness(NextbestConfig.defaults())) {
            h.processBroadcastElement(norms("i", 1.0, "a", 1.0, "b", 4.0), 0);
            h.processElement(ItemMessage.update("i", new String[] {"a", "b"}, new double[] {0.5, 1.0}), 0);
            h.processBroadcastElement(norms("a", -1.0), 0);

            h.processElement(ItemMessage.query("i", "C-1", 1, 1.0, null, null), 0);
            CandidatePart part = single(h.extractOutputValues());
            assertThat(part.items).containsExactly("b"); // 1/√(1·4) = 0.5; a has no norm any more
            assertThat(part.similarities).containsExactly(0.5);

            h.processBroadcastElement(norms("i", -1.0), 0);
            h.getOutput().clear();
            // within a flush interval the cached candidates answer (norms move only at flushes) ...
            h.processElement(ItemMessage.query("i", "C-1", 2, 1.0, null, null), 0);
            assertThat(single(h.extractOutputValues()).items).containsExactly("b");
            // ... after it, the answer is read afresh
            h.getOutput().clear();
            h.setProcessingTime(200 + 1);
            h.processElement(ItemMessage.query("i", "C-1", 3, 1.0, null, null), 0);
            assertThat(single(h.extractOutputValues()).items).isEmpty();
        }
    }

    @Test
    void aRowUpdateDropsTheCachedCandidatesAtOnce() throws Exception {
        try (var h = harness(NextbestConfig.defaults())) {
            h.processBroadcastElement(norms("i", 1.0, "a", 1.0, "b", 4.0), 0);
            h.processElement(ItemMessage.update("i", new String[] {"a"}, new double[] {0.5}), 0);
            h.processElement(ItemMessage.query("i", "C-1", 1, 1.0, null, null), 0);
            assertThat(single(h.extractOutputValues()).items).containsExactly("a");
            h.getOutput().clear();
            h.processElement(ItemMessage.update("i", new String[] {"b"}, new double[] {1.8}), 0);
            h.processElement(ItemMessage.query("i", "C-1", 2, 1.0, null, null), 0);
            CandidatePart part = single(h.extractOutputValues());
            assertThat(part.items).containsExactly("b", "a"); // 1.8/2 = 0.9, 0.5/1 = 0.5
            assertThat(part.similarities).containsExactly(0.9, 0.5);
        }
    }

    @Test
    void aRowWhosePairsAllRetractLeavesNoKeyedState() throws Exception {
        try (var h = harness(NextbestConfig.defaults())) {
            h.processElement(ItemMessage.update("i", new String[] {"a", "b"}, new double[] {0.1, 2.0}), 0);
            h.processElement(ItemMessage.update("i", new String[] {"a"}, new double[] {0.2}), 0);
            h.processElement(ItemMessage.update("j", new String[] {"a"}, new double[] {1.0}), 0);
            assertThat(numKeyedStateEntries(h)).isEqualTo(2);

            h.processElement(ItemMessage.update("i", new String[] {"b", "a"}, new double[] {-2.0, -0.3}), 0);
            assertThat(numKeyedStateEntries(h)).isEqualTo(1); // only j's row

            h.processElement(ItemMessage.update("j", new String[] {"a", "x"}, new double[] {-1.0, -0.5}), 0);
            assertThat(numKeyedStateEntries(h)).isZero();
            // a retraction for a row that is not there creates none
            h.processElement(ItemMessage.update("k", new String[] {"a"}, new double[] {-1.0}), 0);
            assertThat(numKeyedStateEntries(h)).isZero();
        }
    }

    @Test
    void theCandidateCapFromTheConfigApplies() throws Exception {
        try (var h = harness(NextbestConfig.builder().set("similarity.max-candidates", "2").build())) {
            h.processBroadcastElement(norms("i", 9.0, "a", 1.0, "b", 1.0, "c", 1.0), 0);
            h.processElement(ItemMessage.update("i", new String[] {"a", "b", "c"}, new double[] {1.0, 2.5, 2.0}), 0);
            // a (1.0) was evicted: its retraction is ignored, the others stay
            h.processElement(ItemMessage.update("i", new String[] {"a"}, new double[] {-1.0}), 0);

            h.processElement(ItemMessage.query("i", "C-1", 1, 1.0, null, null), 0);

            // b: 2.5/√9 = 0.8333333333333334; c: 2/√9 = 0.6666666666666666
            CandidatePart part = single(h.extractOutputValues());
            assertThat(part.items).containsExactly("b", "c");
            assertCloseTo(part.similarities, 2.5 / 3, 2.0 / 3);
        }
    }

    @Test
    void aRowAndItsNormsSurviveASnapshotAndRestore() throws Exception {
        NextbestConfig config = NextbestConfig.defaults();
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
        try (var h = harness(config)) {
            h.processBroadcastElement(norms("i", 4.0, "a", 1.0, "b", 9.0), 0);
            h.processElement(ItemMessage.update("i", new String[] {"a", "b"}, new double[] {1.0, 3.0}), 0);
            snapshot = h.snapshot(1, 0);
        }
        try (var h = new KeyedBroadcastOperatorTestHarness<>(
                new org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator<>(
                        new ItemStage(config), List.of(ItemStage.NORMS, ItemStage.NORM_SCALES)),
                (ItemMessage m) -> m.item, Types.STRING, 1, 1, 0)) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(ItemMessage.query("i", "C-1", 1, 1.0, null, null), 0);
            // a: 1/√4 = 0.5, b: 3/√36 = 0.5; tie by id
            CandidatePart part = single(h.extractOutputValues());
            assertThat(part.items).containsExactly("a", "b");
            assertCloseTo(part.similarities, 0.5, 0.5);
        }
    }

    /**
     * Customer A (weights ≈ 1 and 0.1) stays while customer B (weights ≈ 200, as under forward decay some 50
     * days later) comes and goes; when A leaves, x's and y's norms and their dot are rounding residues of B's
     * terms (1.2e-12, 2.2e-13, 3.3e-12), above 1e-12 of A's own terms. Each sum's largest term is kept in
     * state (row scales, norm scales), so they are recognised as residues and go.
     */
    @Test
    void aPairWhoseLargerTermsLeftFirstIsGoneWhenItsLastTermLeaves() throws Exception {
        double a = 1.0677559094241207;
        double b = 0.1061171822657613;
        double p = 196.37047970232078;
        double q = 193.986538878191;
        WindowChange[] changes = {
            new WindowChange(new String[0], new double[0], new String[] {"x", "y"}, new double[] {a, b}),
            new WindowChange(new String[0], new double[0], new String[] {"x", "y"}, new double[] {p, q}),
            new WindowChange(new String[] {"x", "y"}, new double[] {p, q}, new String[0], new double[0]),
            new WindowChange(new String[] {"x", "y"}, new double[] {a, b}, new String[0], new double[0]),
        };
        try (var h = harness(NextbestConfig.defaults())) {
            for (WindowChange c : changes) {
                PerChange sink = new PerChange();
                SimilarityDeltas.apply(c, sink);
                sink.sendTo(h);
            }

            assertThat(h.getBroadcastState(ItemStage.NORMS).entries()).isEmpty();
            assertThat(numKeyedStateEntries(h)).isZero();
        }
    }

    // ---- the oracle ----

    /**
     * Random customers' vector changes, turned into norm and dot changes by {@link SimilarityDeltas}, go both
     * into an {@link IncrementalCosine} and (as one row update per item and one norm batch per change, or
     * summed by a {@link PairDeltaCombiner} flushed at random moments) into the item stage. Without a cap,
     * every item's answer is then exactly its pairs that share a customer now, with the incremental cosine
     * (1e-9 relative); the broadcast norms are exactly the items in some vector, and only items with a
     * neighbour keep a row.
     *
     * @param growth how much the weights of later changes grow (as under forward decay): the ratio of the
     *     newest weights to the first ones
     */
    @ParameterizedTest(name = "seed {0}, {1} customers, combined (flushed after 1 in {2} changes): {3}, weight growth {4}")
    @CsvSource({
        "1, 30, 0, false, 1",
        "2, 12, 0, false, 1",
        "3, 30, 0, false, 1000",
        "4, 30, 8, true, 1",
        "5, 5, 40, true, 1",
        "6, 30, 8, true, 1000",
    })
    void everyAnswerEqualsTheIncrementalCosine(long seed, int customerCount, int flushOneIn, boolean combined,
            double growth) throws Exception {
        oracle(seed, customerCount, flushOneIn, combined, growth, 4000);
    }

    static void oracle(long seed, int customerCount, int flushOneIn, boolean combined, double growth, int changes)
            throws Exception {
        NextbestConfig config = NextbestConfig.builder()
                .set("similarity.max-candidates", "0")
                .set("similarity.neighbours", "1000")
                .build();
        Random random = new Random(seed);
        IncrementalCosine incremental = new IncrementalCosine();
        Map<String, Vector> customers = new HashMap<>();
        int items = 25;
        try (var h = harness(config);
                var combiner = new OneInputStreamOperatorTestHarness<WindowChange, ItemMessage>(
                        new PairDeltaCombiner(Duration.ofMillis(100)))) {
            combiner.open();
            long now = 0;
            for (int n = 0; n < changes; n++) {
                double scale = Math.pow(growth, (double) n / changes);
                String customer = "c" + random.nextInt(customerCount);
                Vector before = customers.getOrDefault(customer, new Vector());
                Vector after = before.next(random, items, scale);
                if (after.items.isEmpty()) {
                    customers.remove(customer);
                } else {
                    customers.put(customer, after);
                }
                WindowChange change = new WindowChange(before.itemArray(), before.weightArray(), after.itemArray(),
                        after.weightArray());
                SimilarityDeltas.apply(change, incremental);
                if (combined) {
                    combiner.processElement(change, 0);
                    if (random.nextInt(flushOneIn) == 0) {
                        now += 100;
                        combiner.setProcessingTime(now);
                        forward(combiner, h);
                    }
                } else {
                    PerChange sink = new PerChange();
                    SimilarityDeltas.apply(change, sink);
                    sink.sendTo(h);
                }
            }
            combiner.endInput();
            forward(combiner, h);

            // the truth: which items are in some vector, which pairs share one
            Set<String> present = new TreeSet<>();
            Map<String, Set<String>> together = new HashMap<>();
            for (Vector v : customers.values()) {
                present.addAll(v.items.keySet());
                for (String i : v.items.keySet()) {
                    for (String j : v.items.keySet()) {
                        if (!i.equals(j)) {
                            together.computeIfAbsent(i, k -> new TreeSet<>()).add(j);
                        }
                    }
                }
            }

            Map<String, Double> norms = new HashMap<>();
            for (Map.Entry<String, Double> e : h.getBroadcastState(ItemStage.NORMS).entries()) {
                norms.put(e.getKey(), e.getValue());
            }
            assertThat(norms.keySet()).as("items with a norm (all: %s)", norms).isEqualTo(present);
            for (String i : present) {
                assertThat(norms.get(i)).as("‖%s‖²", i).isCloseTo(incremental.squaredNorm(i),
                        within(1e-9 * incremental.squaredNorm(i)));
            }
            assertThat(numKeyedStateEntries(h)).as("rows").isEqualTo(together.size());

            int pairs = 0;
            for (int k = 0; k < items; k++) {
                String i = "i" + k;
                h.processElement(ItemMessage.query(i, "q", k, 1.0, null, null), 0);
                CandidatePart part = single(h.extractOutputValues());
                h.getOutput().clear();
                assertThat(part.anchor).isEqualTo(i);
                assertThat(new TreeSet<>(Arrays.asList(part.items))).as("neighbours of %s", i)
                        .isEqualTo(together.getOrDefault(i, Set.of()));
                for (int j = 0; j < part.items.length; j++) {
                    double expected = incremental.cosine(i, part.items[j]);
                    assertThat(expected).isPositive();
                    assertThat(part.similarities[j]).as("cos(%s,%s)", i, part.items[j])
                            .isCloseTo(expected, within(1e-9 * expected));
                    if (j > 0) {
                        assertThat(part.similarities[j]).as("best first").isLessThanOrEqualTo(part.similarities[j - 1]);
                    }
                    pairs++;
                }
            }
            assertThat(together).as("items with neighbours").hasSizeGreaterThan(8);
            assertThat(pairs).as("pairs checked").isGreaterThan(40);
        }
    }

    /** One customer's vector: items (oldest first) and weights. */
    private static final class Vector {
        final LinkedHashMap<String, Double> items = new LinkedHashMap<>();

        Vector next(Random random, int itemCount, double scale) {
            Vector v = new Vector();
            v.items.putAll(items);
            int op = random.nextInt(20);
            if (op == 0) {
                v.items.clear(); // erased
            } else if (op < 4 && !v.items.isEmpty()) { // an item leaves
                List<String> keys = new ArrayList<>(v.items.keySet());
                v.items.remove(keys.get(random.nextInt(keys.size())));
            } else if (op < 10 && !v.items.isEmpty()) { // a weight rises or falls
                List<String> keys = new ArrayList<>(v.items.keySet());
                v.items.put(keys.get(random.nextInt(keys.size())), weight(random, scale));
            } else { // an item enters (or is seen again: to the end); the oldest goes beyond 6
                String item = "i" + (int) Math.floor(Math.pow(random.nextDouble(), 2) * itemCount);
                v.items.remove(item);
                v.items.put(item, weight(random, scale));
                if (v.items.size() > 6) {
                    v.items.remove(v.items.keySet().iterator().next());
                }
            }
            return v;
        }

        private static double weight(Random random, double scale) {
            return scale * (0.1 + 3 * random.nextDouble());
        }

        String[] itemArray() {
            return items.keySet().toArray(new String[0]);
        }

        double[] weightArray() {
            return items.values().stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    /** The deltas of one change as the item stage's inputs: one norm batch, one update per item. */
    private static final class PerChange implements SimilarityDeltas.Sink {
        final Map<String, Double> norms = new LinkedHashMap<>();
        final Map<String, Map<String, Double>> rows = new LinkedHashMap<>();

        @Override
        public void norm(String item, double squaredNormDelta) {
            assertThat(norms.put(item, squaredNormDelta)).as("one norm change per item").isNull();
        }

        @Override
        public void dot(String item, String other, double dotDelta) {
            assertThat(rows.computeIfAbsent(item, k -> new LinkedHashMap<>()).put(other, dotDelta))
                    .as("one change per pair").isNull();
        }

        void sendTo(KeyedBroadcastOperatorTestHarness<String, ItemMessage, NormDeltas, CandidatePart> h)
                throws Exception {
            if (!norms.isEmpty()) {
                h.processBroadcastElement(new NormDeltas(norms.keySet().toArray(new String[0]),
                        norms.values().stream().mapToDouble(Double::doubleValue).toArray()), 0);
            }
            for (Map.Entry<String, Map<String, Double>> row : rows.entrySet()) {
                h.processElement(ItemMessage.update(row.getKey(), row.getValue().keySet().toArray(new String[0]),
                        row.getValue().values().stream().mapToDouble(Double::doubleValue).toArray()), 0);
            }
        }
    }

    /** Moves what the combiner has sent into the item stage: norms as broadcast, rows keyed. */
    private static void forward(OneInputStreamOperatorTestHarness<WindowChange, ItemMessage> combiner,
            KeyedBroadcastOperatorTestHarness<String, ItemMessage, NormDeltas, CandidatePart> h) throws Exception {
        var normQueue = combiner.getSideOutput(PairDeltaCombiner.NORM_DELTAS);
        if (normQueue != null) {
            for (StreamRecord<NormDeltas> r; (r = normQueue.poll()) != null; ) {
                h.processBroadcastElement(r.getValue(), 0);
            }
        }
        for (Object o; (o = combiner.getOutput().poll()) != null; ) {
            @SuppressWarnings("unchecked")
            StreamRecord<ItemMessage> r = (StreamRecord<ItemMessage>) o;
            h.processElement(r.getValue(), 0);
        }
    }

    // ---- helpers ----

    static KeyedBroadcastOperatorTestHarness<String, ItemMessage, NormDeltas, CandidatePart> harness(NextbestConfig c)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new ItemStage(c), m -> m.item, Types.STRING, ItemStage.NORMS, ItemStage.NORM_SCALES);
    }

    static NormDeltas norms(Object... itemsAndDeltas) {
        String[] items = new String[itemsAndDeltas.length / 2];
        double[] deltas = new double[items.length];
        for (int k = 0; k < items.length; k++) {
            items[k] = (String) itemsAndDeltas[2 * k];
            deltas[k] = (Double) itemsAndDeltas[2 * k + 1];
        }
        return new NormDeltas(items, deltas);
    }

    static void assertCloseTo(double[] actual, double... expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int k = 0; k < expected.length; k++) {
            assertThat(actual[k]).as("[%d]", k).isCloseTo(expected[k], within(1e-12));
        }
    }

    /** The broadcast harness lacks numKeyedStateEntries(); the same count, from the heap backend. */
    static int numKeyedStateEntries(KeyedBroadcastOperatorTestHarness<String, ?, ?, ?> h) {
        return ((HeapKeyedStateBackend<?>) h.getOperator().getKeyedStateBackend()).numKeyValueStateEntries();
    }

    static <X> X single(List<X> xs) {
        assertThat(xs).hasSize(1);
        return xs.get(0);
    }
}
