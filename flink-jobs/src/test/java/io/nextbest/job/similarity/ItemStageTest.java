package io.nextbest.job.similarity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.messages.ItemMessage;
import io.nextbest.job.messages.NeighbourUpdate;
import io.nextbest.job.messages.NormDeltas;
import io.nextbest.job.messages.WindowChange;
import io.nextbest.job.ranking.AnchorNeighbours;
import io.nextbest.job.ranking.Replicas;
import io.nextbest.schemas.messages.ItemNeighbours;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@SuppressWarnings("try") // the harnesses' close() declares Exception
class ItemStageTest {

    /** The item stage under test: row updates keyed by item (input 1), norm changes broadcast (input 2). */
    static final class Harness extends KeyedTwoInputStreamOperatorTestHarness<String, ItemMessage, NormDeltas, ItemNeighbours> {
        Harness(NextbestConfig config, int parallelism, int subtask) throws Exception {
            super(new ItemStage(config), m -> m.item, null, Types.STRING, 128, parallelism, subtask); // input 2: broadcast
        }

        ItemStage stage() {
            return (ItemStage) getOperator();
        }

        /** The lists published so far, by item (the newest if one was published twice); clears the output. */
        Map<String, ItemNeighbours> published() {
            Map<String, ItemNeighbours> out = new LinkedHashMap<>();
            for (ItemNeighbours n : extractOutputValues()) {
                out.put(n.itemId(), n);
            }
            getOutput().clear();
            return out;
        }
    }

    @Test
    void aChangedItemPublishesItsTopNeighboursByCosineOncePerInterval() throws Exception {
        try (var h = harness(NextbestConfig.defaults())) { // publish interval 1s
            h.processElement2(norms("i", 4.0, "a", 1.0, "b", 9.0, "c", 2.0), 0);
            h.processElement2(norms("a", 2.0), 0); // ‖a‖² = 1 + 2 = 3
            h.processElement1(ItemMessage.update("i", new String[] {"a", "b"}, new double[] {1.0, 3.0}, null, 100), 0);
            h.processElement1(ItemMessage.update("i", new String[] {"a", "c"}, new double[] {0.5, 1.0}, null, 300), 0);
            h.processElement1(ItemMessage.update("a", new String[] {"i"}, new double[] {1.5}, null, 200), 0);
            h.setProcessingTime(999);
            assertThat(h.extractOutputValues()).as("nothing before the interval").isEmpty();

            h.setProcessingTime(1000);
            Map<String, ItemNeighbours> lists = h.published();
            // every item whose row or norm changed: i, a (rows), b, c (norms); one list each
            assertThat(lists.keySet()).containsExactlyInAnyOrder("i", "a", "b", "c");
            assertThat(h.stage().normCount()).isEqualTo(4);
            // row of i: a 1 + 0.5 = 1.5, b 3, c 1
            // b: 3/√(4·9) = 0.5; a: 1.5/√(4·3) = 0.4330127018922193; c: 1/√(4·2) = 0.3535533905932738
            ItemNeighbours i = lists.get("i");
            assertThat(i.squaredNorm()).isEqualTo(4.0);
            assertThat(i.neighbours()).extracting(ItemNeighbours.Neighbour::itemId).containsExactly("b", "a", "c");
            assertThat(i.neighbours()).extracting(ItemNeighbours.Neighbour::dot).containsExactly(3.0, 1.5, 1.0);
            assertCloseTo(i.neighbours().stream().mapToDouble(ItemNeighbours.Neighbour::similarity).toArray(),
                    0.5, 0.4330127018922193, 0.3535533905932738);
            assertThat(i.asOf().toEpochMilli()).isEqualTo(300);
            assertThat(i.updatedAt().toEpochMilli()).isEqualTo(1000);
            assertThat(lists.get("a").neighbours()).extracting(ItemNeighbours.Neighbour::itemId).containsExactly("i");
            assertThat(lists.get("a").squaredNorm()).isEqualTo(3.0);
            assertThat(lists.get("b").neighbours()).isEmpty(); // a norm, no row of its own
            assertThat(lists.get("b").squaredNorm()).isEqualTo(9.0);

            h.setProcessingTime(2000);
            assertThat(h.extractOutputValues()).as("nothing changed since").isEmpty();
            assertThat(h.numKeyedStateEntries()).isEqualTo(2); // the rows of i and a
        }
    }

    @Test
    void theNewestListOfAnIntervalGoesAndPendingListsLeaveBeforeTheBarrier() throws Exception {
        try (var h = harness(NextbestConfig.defaults())) {
            h.processElement2(norms("i", 4.0, "a", 1.0, "b", 4.0), 0);
            h.setProcessingTime(1000);
            h.getOutput().clear();
            h.processElement1(ItemMessage.update("i", new String[] {"a"}, new double[] {0.5}), 0);
            h.processElement1(ItemMessage.update("i", new String[] {"b"}, new double[] {1.8}), 0);
            h.processElement2(norms("b", -3.0), 0); // ‖b‖² = 1
            assertThat(h.extractOutputValues()).isEmpty();

            h.prepareSnapshotPreBarrier(1); // a checkpoint before the interval is up: everything pending goes
            Map<String, ItemNeighbours> lists = h.published();
            assertThat(lists.keySet()).containsExactly("i", "b");
            // one list of i with both changes and b's new norm: b 1.8/√(4·1) = 0.9, a 0.5/√(4·1) = 0.25
            assertThat(lists.get("i").neighbours()).extracting(ItemNeighbours.Neighbour::itemId).containsExactly("b", "a");
            assertCloseTo(lists.get("i").neighbours().stream().mapToDouble(ItemNeighbours.Neighbour::similarity).toArray(),
                    0.9, 0.25);
            h.setProcessingTime(2000);
            assertThat(h.extractOutputValues()).as("sent already").isEmpty();
        }
    }

    @Test
    void onlyTheInstanceThatOwnsAnItemPublishesItsNormChange() throws Exception {
        NextbestConfig config = NextbestConfig.defaults();
        try (var zero = new Harness(config, 2, 0); var one = new Harness(config, 2, 1)) {
            zero.open();
            one.open();
            String[] items = {"i1", "i2", "i3", "i4", "i5", "i6", "i7", "i8"};
            double[] deltas = {1, 1, 1, 1, 1, 1, 1, 1};
            zero.processElement2(new NormDeltas(items, deltas), 0);
            one.processElement2(new NormDeltas(items, deltas), 0);
            zero.prepareSnapshotPreBarrier(1);
            one.prepareSnapshotPreBarrier(1);
            Set<String> fromZero = zero.published().keySet();
            Set<String> fromOne = one.published().keySet();
            assertThat(fromZero).isNotEmpty().doesNotContainAnyElementsOf(fromOne);
            assertThat(fromOne).isNotEmpty();
            Set<String> all = new TreeSet<>(fromZero);
            all.addAll(fromOne);
            assertThat(all).containsExactly(items);
            assertThat(zero.stage().normCount()).isEqualTo(8); // but both know every norm
            assertThat(one.stage().normCount()).isEqualTo(8);
        }
    }

    @Test
    void withOthersOnlyAListHoldsTheWindowSizeMoreNeighbours() throws Exception {
        NextbestConfig plain = NextbestConfig.builder().set("similarity.neighbours", "2")
                .set("similarity.window-size", "1").build();
        NextbestConfig othersOnly = NextbestConfig.builder().set("similarity.neighbours", "2")
                .set("similarity.window-size", "1").set("ranking.others-only", "true").build();
        for (NextbestConfig config : List.of(plain, othersOnly)) {
            try (var h = harness(config)) {
                h.processElement2(norms("i", 4.0, "a", 3.0, "b", 9.0, "c", 2.0), 0);
                h.processElement1(ItemMessage.update("i", new String[] {"a", "b", "c"}, new double[] {1.5, 3.0, 1.0}), 0);
                h.prepareSnapshotPreBarrier(1);
                List<String> ids = h.published().get("i").neighbours().stream().map(ItemNeighbours.Neighbour::itemId)
                        .toList();
                assertThat(ids).isEqualTo(config == plain ? List.of("b", "a") : List.of("b", "a", "c"));
            }
        }
    }

    @Test
    void aFullyRetractedItemPublishesAnEmptyListAndLeavesTheNormTable() throws Exception {
        try (var h = harness(NextbestConfig.defaults())) {
            h.processElement2(norms("x", 0.1, "y", 1.0), 0);
            h.processElement2(norms("x", 0.2, "y", -0.25), 0);
            assertThat(h.stage().squaredNorm("x")).isEqualTo(0.30000000000000004);

            // 0.30000000000000004 − 0.3 = 5.55e-17: a residue, the item is gone
            h.processElement2(norms("x", -0.3), 0);
            assertThat(h.stage().normCount()).isEqualTo(1);
            assertThat(h.stage().squaredNorm("y")).isEqualTo(0.75);
            h.prepareSnapshotPreBarrier(1);
            ItemNeighbours x = h.published().get("x");
            assertThat(x.squaredNorm()).isZero();
            assertThat(x.neighbours()).isEmpty();

            h.processElement2(norms("y", -0.75, "z", -1.0), 0); // z was never there
            assertThat(h.stage().normCount()).isZero();
        }
    }

    @Test
    void aRowWhosePairsAllRetractLeavesNoKeyedState() throws Exception {
        try (var h = harness(NextbestConfig.defaults())) {
            h.processElement1(ItemMessage.update("i", new String[] {"a", "b"}, new double[] {0.1, 2.0}), 0);
            h.processElement1(ItemMessage.update("i", new String[] {"a"}, new double[] {0.2}), 0);
            h.processElement1(ItemMessage.update("j", new String[] {"a"}, new double[] {1.0}), 0);
            assertThat(h.numKeyedStateEntries()).isEqualTo(2);

            h.processElement1(ItemMessage.update("i", new String[] {"b", "a"}, new double[] {-2.0, -0.3}), 0);
            assertThat(h.numKeyedStateEntries()).isEqualTo(1); // only j's row

            h.processElement1(ItemMessage.update("j", new String[] {"a", "x"}, new double[] {-1.0, -0.5}), 0);
            assertThat(h.numKeyedStateEntries()).isZero();
            // a retraction for a row that is not there creates none
            h.processElement1(ItemMessage.update("k", new String[] {"a"}, new double[] {-1.0}), 0);
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void theCandidateCapFromTheConfigApplies() throws Exception {
        try (var h = harness(NextbestConfig.builder().set("similarity.max-candidates", "2").build())) {
            h.processElement2(norms("i", 9.0, "a", 1.0, "b", 1.0, "c", 1.0), 0);
            h.processElement1(ItemMessage.update("i", new String[] {"a", "b", "c"}, new double[] {1.0, 2.5, 2.0}), 0);
            // a (1.0) was evicted: its retraction is ignored, the others stay
            h.processElement1(ItemMessage.update("i", new String[] {"a"}, new double[] {-1.0}), 0);
            h.prepareSnapshotPreBarrier(1);

            // b: 2.5/√9 = 0.8333333333333334; c: 2/√9 = 0.6666666666666666
            ItemNeighbours i = h.published().get("i");
            assertThat(i.neighbours()).extracting(ItemNeighbours.Neighbour::itemId).containsExactly("b", "c");
            assertCloseTo(i.neighbours().stream().mapToDouble(ItemNeighbours.Neighbour::similarity).toArray(),
                    2.5 / 3, 2.0 / 3);
        }
    }

    /**
     * The norm table is the same on every instance: instance 0 alone writes it, every instance reads that
     * copy on restore, at any parallelism; the rows are keyed state and go where their keys go.
     */
    @Test
    void theNormTableIsWrittenOnceAndEveryRestoredInstanceHasAllOfIt() throws Exception {
        NextbestConfig config = NextbestConfig.defaults();
        NormDeltas all = norms("i", 4.0, "a", 1.0, "b", 9.0, "c", 2.0);
        OperatorSubtaskState s0;
        OperatorSubtaskState s1;
        try (var zero = new Harness(config, 2, 0); var one = new Harness(config, 2, 1)) {
            zero.open();
            one.open();
            zero.processElement2(all, 0);
            one.processElement2(all, 0);
            Harness owner = org.apache.flink.runtime.state.KeyGroupRangeAssignment.assignKeyToParallelOperator("i", 128, 2)
                    == 0 ? zero : one;
            owner.processElement1(ItemMessage.update("i", new String[] {"a", "b"}, new double[] {1.0, 3.0}), 0);
            s0 = zero.snapshot(1, 0);
            s1 = one.snapshot(1, 0);
            assertThat(s1.getManagedOperatorState()).as("instance 1 writes no norms")
                    .allMatch(h -> h.getStateNameToPartitionOffsets().values().stream()
                            .allMatch(m -> m.getOffsets().length == 0));
        }
        OperatorSubtaskState both = KeyedTwoInputStreamOperatorTestHarness.repackageState(s0, s1);
        for (int parallelism : new int[] {1, 3}) {
            for (int subtask = 0; subtask < parallelism; subtask++) {
                try (var h = new Harness(config, parallelism, subtask)) {
                    h.initializeState(KeyedTwoInputStreamOperatorTestHarness.repartitionOperatorState(
                            both, 128, 2, parallelism, subtask));
                    h.open();
                    assertThat(h.stage().normCount()).as("p=%d #%d", parallelism, subtask).isEqualTo(4);
                    assertThat(h.stage().squaredNorm("b")).isEqualTo(9.0);
                }
            }
        }
    }

    /**
     * Customer A (weights ≈ 1 and 0.1) stays while customer B (weights ≈ 200, as under forward decay some 50
     * days later) comes and goes; when A leaves, x's and y's norms and their dot are rounding residues of B's
     * terms (1.2e-12, 2.2e-13, 3.3e-12), above 1e-12 of A's own terms. Each sum's largest term is kept (row
     * scales, norm scales), so they are recognised as residues and go.
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

            assertThat(h.stage().normCount()).isZero();
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    // ---- the oracle ----

    /**
     * Random customers' vector changes, turned into norm and dot changes by {@link SimilarityDeltas}, go both
     * into an {@link IncrementalCosine} and (as one row update per item and one norm batch per change, or
     * summed by a {@link PairDeltaCombiner} flushed at random moments) into the item stage, whose published
     * lists (flushed at random moments too) feed a {@link Replicas}, as every ranker's replica is fed.
     * Without a cap, every item's neighbours in the index are then exactly its pairs that share a customer
     * now, with the incremental cosine (1e-9 relative); the published dot products and norms are the
     * incremental ones, and only items with a neighbour keep a row.
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
    void theIndexBuiltFromThePublishedListsEqualsTheIncrementalCosine(long seed, int customerCount, int flushOneIn,
            boolean combined, double growth) throws Exception {
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
        Replicas index = new Replicas();
        Map<String, Vector> customers = new HashMap<>();
        int items = 25;
        try (var h = harness(config);
                var combiner = new OneInputStreamOperatorTestHarness<WindowChange, ItemMessage>(
                        new PairDeltaCombiner(Duration.ofMillis(100)))) {
            combiner.open();
            long now = 0;
            long published = 0;
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
                        after.weightArray(), n + 1);
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
                if (random.nextInt(10) == 0) {
                    published += 1000;
                    h.setProcessingTime(published);
                    feed(h, index);
                }
            }
            combiner.endInput();
            forward(combiner, h);
            h.prepareSnapshotPreBarrier(1);
            feed(h, index);

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

            assertThat(h.stage().normCount()).as("items with a norm").isEqualTo(present.size());
            assertThat(h.numKeyedStateEntries()).as("rows").isEqualTo(together.size());
            int pairs = 0;
            for (int k = 0; k < items; k++) {
                String i = "i" + k;
                double norm = present.contains(i) ? incremental.squaredNorm(i) : 0;
                assertThat(index.item(i) == null ? 0 : index.item(i).squaredNorm()).as("‖%s‖² in the index", i)
                        .isCloseTo(norm, within(1e-9 * norm));
                AnchorNeighbours part = index.top(i, 1000, 0, 1.0);
                assertThat(part.anchor).isEqualTo(i);
                assertThat(new TreeSet<>(List.of(part.ids()))).as("neighbours of %s", i)
                        .isEqualTo(together.getOrDefault(i, Set.of()));
                for (int j = 0; j < part.items.length; j++) {
                    double expected = incremental.cosine(i, part.items[j].id());
                    assertThat(expected).isPositive();
                    assertThat(part.similarities[j]).as("cos(%s,%s)", i, part.items[j].id())
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

    /** Reads the lists the stage has published into the index, as the rankers read the topic. */
    private static void feed(Harness h, Replicas index) {
        for (ItemNeighbours n : h.published().values()) {
            NeighbourUpdate u = NeighbourUpdate.of(n);
            index.putNeighbours(u.itemId, u.squaredNorm, u.neighbours, u.dots, u.asOf);
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

        void sendTo(Harness h)
                throws Exception {
            if (!norms.isEmpty()) {
                h.processElement2(new NormDeltas(norms.keySet().toArray(new String[0]),
                        norms.values().stream().mapToDouble(Double::doubleValue).toArray()), 0);
            }
            for (Map.Entry<String, Map<String, Double>> row : rows.entrySet()) {
                h.processElement1(ItemMessage.update(row.getKey(), row.getValue().keySet().toArray(new String[0]),
                        row.getValue().values().stream().mapToDouble(Double::doubleValue).toArray()), 0);
            }
        }
    }

    /** Moves what the combiner has sent into the item stage: norms as broadcast, rows keyed. */
    private static void forward(OneInputStreamOperatorTestHarness<WindowChange, ItemMessage> combiner,
            Harness h) throws Exception {
        var normQueue = combiner.getSideOutput(PairDeltaCombiner.NORM_DELTAS);
        if (normQueue != null) {
            for (StreamRecord<NormDeltas> r; (r = normQueue.poll()) != null; ) {
                h.processElement2(r.getValue(), 0);
            }
        }
        for (Object o; (o = combiner.getOutput().poll()) != null; ) {
            @SuppressWarnings("unchecked")
            StreamRecord<ItemMessage> r = (StreamRecord<ItemMessage>) o;
            h.processElement1(r.getValue(), 0);
        }
    }

    // ---- helpers ----

    static Harness harness(NextbestConfig c) throws Exception {
        Harness h = new Harness(c, 1, 0);
        h.open();
        return h;
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
}
