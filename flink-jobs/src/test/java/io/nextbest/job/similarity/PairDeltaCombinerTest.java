package io.nextbest.job.similarity;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.messages.ItemMessage;
import io.nextbest.job.messages.NormDeltas;
import io.nextbest.job.messages.WindowChange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // the harness's close() declares Exception
class PairDeltaCombinerTest {

    /** Customer 1 views a (1) and b (2). */
    static final WindowChange FIRST = change(new Object[] {}, new Object[] {"a", 1.0, "b", 2.0});
    /** Customer 1 again: a rises to 3, c (1) enters. */
    static final WindowChange SECOND = change(new Object[] {"a", 1.0, "b", 2.0}, new Object[] {"a", 3.0, "b", 2.0, "c", 1.0});
    /** Customer 2 views a (0.5) and c (2). */
    static final WindowChange THIRD = change(new Object[] {}, new Object[] {"a", 0.5, "c", 2.0});

    @Test
    void nothingIsSentBeforeTheIntervalThenOneSummedUpdatePerItem() throws Exception {
        try (var h = harness(Duration.ofMillis(100))) {
            assertThat(timers(h)).containsExactly(100L);
            h.processElement(FIRST, 0);
            h.processElement(SECOND, 0);
            h.processElement(THIRD, 0);
            h.setProcessingTime(99);
            assertThat(h.getOutput()).isEmpty();
            assertThat(norms(h)).isEmpty();

            h.setProcessingTime(100);

            // FIRST:  ‖a‖² +1, ‖b‖² +4; ab +1·2 = 2
            // SECOND: ‖a‖² +9−1 = 8, ‖c‖² +1 (b unchanged); ab +3·2−1·2 = 4, ac +3·1 = 3, cb +1·2 = 2
            // THIRD:  ‖a‖² +0.25, ‖c‖² +4; ac +0.5·2 = 1
            // sums: ‖a‖² 9.25, ‖b‖² 4, ‖c‖² 5; ab 6, ac 4, bc 2 (in both rows)
            assertThat(rows(h)).isEqualTo(Map.of(
                    "a", Map.of("b", 6.0, "c", 4.0),
                    "b", Map.of("a", 6.0, "c", 2.0),
                    "c", Map.of("a", 4.0, "b", 2.0)));
            assertThat(h.getOutput()).as("one update per item").hasSize(3);
            List<NormDeltas> norms = norms(h);
            assertThat(norms).as("one batch of norm changes").hasSize(1);
            assertThat(asMap(norms.get(0))).isEqualTo(Map.of("a", 9.25, "b", 4.0, "c", 5.0));

            // the next interval: nothing buffered, nothing sent; the timer goes on
            assertThat(timers(h)).containsExactly(200L);
            h.getOutput().clear();
            h.getSideOutput(PairDeltaCombiner.NORM_DELTAS).clear();
            h.setProcessingTime(200);
            assertThat(h.getOutput()).isEmpty();
            assertThat(norms(h)).isEmpty();

            // and what comes next goes at 300
            h.processElement(THIRD, 0);
            h.setProcessingTime(299);
            assertThat(h.getOutput()).isEmpty();
            h.setProcessingTime(300);
            assertThat(rows(h)).isEqualTo(Map.of("a", Map.of("c", 1.0), "c", Map.of("a", 1.0)));
            assertThat(norms(h)).singleElement().extracting(PairDeltaCombinerTest::asMap)
                    .isEqualTo(Map.of("a", 0.25, "c", 4.0));
        }
    }

    @Test
    void theBufferIsFlushedBeforeTheCheckpointBarrier() throws Exception {
        try (var h = harness(Duration.ofMillis(100))) {
            h.processElement(FIRST, 0);

            h.prepareSnapshotPreBarrier(1);

            assertThat(rows(h)).isEqualTo(Map.of("a", Map.of("b", 2.0), "b", Map.of("a", 2.0)));
            assertThat(norms(h)).singleElement().extracting(PairDeltaCombinerTest::asMap)
                    .isEqualTo(Map.of("a", 1.0, "b", 4.0));

            // nothing is left for the timer
            h.getOutput().clear();
            h.getSideOutput(PairDeltaCombiner.NORM_DELTAS).clear();
            h.setProcessingTime(100);
            assertThat(h.getOutput()).isEmpty();
            assertThat(norms(h)).isEmpty();
        }
    }

    @Test
    void theEndOfInputFlushes() throws Exception {
        try (var h = harness(Duration.ofMillis(100))) {
            h.processElement(FIRST, 0);
            h.processElement(SECOND, 0);

            h.endInput();

            // ab 2 + 4 = 6, ac 3, bc 2; ‖a‖² 1 + 8 = 9, ‖b‖² 4, ‖c‖² 1
            assertThat(rows(h)).isEqualTo(Map.of(
                    "a", Map.of("b", 6.0, "c", 3.0),
                    "b", Map.of("a", 6.0, "c", 2.0),
                    "c", Map.of("a", 3.0, "b", 2.0)));
            assertThat(norms(h)).singleElement().extracting(PairDeltaCombinerTest::asMap)
                    .isEqualTo(Map.of("a", 9.0, "b", 4.0, "c", 1.0));
        }
    }

    @Test
    void withAZeroIntervalEachChangeIsSentAtOnce() throws Exception {
        try (var h = harness(Duration.ZERO)) {
            assertThat(timers(h)).isEmpty();

            h.processElement(FIRST, 0);
            assertThat(rows(h)).isEqualTo(Map.of("a", Map.of("b", 2.0), "b", Map.of("a", 2.0)));
            assertThat(norms(h)).singleElement().extracting(PairDeltaCombinerTest::asMap)
                    .isEqualTo(Map.of("a", 1.0, "b", 4.0));
            h.getOutput().clear();
            h.getSideOutput(PairDeltaCombiner.NORM_DELTAS).clear();

            h.processElement(SECOND, 0);
            assertThat(rows(h)).isEqualTo(Map.of(
                    "a", Map.of("b", 4.0, "c", 3.0),
                    "b", Map.of("a", 4.0, "c", 2.0),
                    "c", Map.of("a", 3.0, "b", 2.0)));
            assertThat(norms(h)).singleElement().extracting(PairDeltaCombinerTest::asMap)
                    .isEqualTo(Map.of("a", 8.0, "c", 1.0));
            assertThat(timers(h)).isEmpty();
        }
    }

    @Test
    void aVectorWithoutChangesSendsNothing() throws Exception {
        try (var h = harness(Duration.ZERO)) {
            h.processElement(change(new Object[] {"a", 1.0, "b", 2.0}, new Object[] {"a", 1.0, "b", 2.0}), 0);
            h.processElement(change(new Object[] {}, new Object[] {}), 0);

            assertThat(h.getOutput()).isEmpty();
            assertThat(norms(h)).isEmpty();
        }
    }

    @Test
    void aFullBufferIsFlushedBeforeTheInterval() throws Exception {
        try (var h = harness(Duration.ofMillis(100))) {
            // one customer with 460 items: 460·459 = 211,140 changed pairs ≥ 200,000
            Object[] after = new Object[2 * 460];
            for (int k = 0; k < 460; k++) {
                after[2 * k] = "i" + k;
                after[2 * k + 1] = 1.0;
            }
            h.processElement(change(new Object[] {}, after), 0);

            assertThat(h.getOutput()).hasSize(460);
            Map<String, Map<String, Double>> rows = rows(h);
            assertThat(rows.get("i7")).hasSize(459).containsEntry("i300", 1.0);
            assertThat(norms(h)).singleElement().extracting(n -> n.items.length).isEqualTo(460);
        }
    }

    /**
     * A pair (and two norms) that come and go within one interval sum to a rounding residue, not 0: here
     * dot(a,b) = 0.1·0.7 + (0.3·0.7 − 0.1·0.7) − 0.3·0.7 = 2.8e-17. That must not be sent, or the item stage
     * would take the positive residue for a new pair and keep it forever.
     */
    @Test
    void aPairThatCameAndWentWithinTheIntervalIsNotSent() throws Exception {
        WindowChange[] changes = {
            change(new Object[] {}, new Object[] {"a", 0.1, "b", 0.7}),
            change(new Object[] {"a", 0.1, "b", 0.7}, new Object[] {"a", 0.3, "b", 0.7}),
            change(new Object[] {"a", 0.3, "b", 0.7}, new Object[] {}), // erased
            change(new Object[] {}, new Object[] {"c", 0.5, "d", 1.5}), // another customer, who stays
        };
        IncrementalCosine incremental = new IncrementalCosine();
        for (WindowChange c : changes) {
            SimilarityDeltas.apply(c, incremental);
        }
        assertThat(incremental.dot("a", "b")).as("precondition: a positive residue").isEqualTo(2.7755575615628914e-17);

        try (var h = harness(Duration.ofMillis(100));
                var stage = ItemStageTest.harness(NextbestConfig.defaults())) {
            for (WindowChange c : changes) {
                h.processElement(c, 0);
            }
            h.setProcessingTime(100);

            // c·d: 0.5·1.5 = 0.75; ‖c‖² 0.25, ‖d‖² 2.25
            assertThat(rows(h)).isEqualTo(Map.of("c", Map.of("d", 0.75), "d", Map.of("c", 0.75)));
            assertThat(norms(h)).singleElement().extracting(PairDeltaCombinerTest::asMap)
                    .isEqualTo(Map.of("c", 0.25, "d", 2.25));

            // and so the item stage keeps only c's and d's rows and norms
            for (StreamRecord<NormDeltas> r : h.getSideOutput(PairDeltaCombiner.NORM_DELTAS)) {
                stage.processElement2(r.getValue(), 0);
            }
            for (Object o : h.getOutput()) {
                stage.processElement1(messageOf(o), 0);
            }
            assertThat(stage.numKeyedStateEntries()).isEqualTo(2);
            assertThat(stage.stage().normCount()).isEqualTo(2);
        }
    }

    /**
     * On random vector changes, flushed at random moments: each flush sends, per pair and per item, exactly the
     * sum (same terms, same order) of what {@link SimilarityDeltas} gives for the changes since the last flush
     * into a fresh {@link IncrementalCosine}, leaving out only the residues of retractions; and over all flushes
     * the sent changes add up to the incremental dot products and norms.
     */
    @Test
    void theSumsEqualWhatSimilarityDeltasGivesIntoAnIncrementalCosine() throws Exception {
        Random random = new Random(11);
        IncrementalCosine total = new IncrementalCosine();
        IncrementalCosine received = new IncrementalCosine();
        Map<String, Map<String, Double>> vectors = new HashMap<>();
        int flushes = 0;
        int sentPairs = 0;
        int leftOut = 0;
        try (var h = harness(Duration.ofMillis(100))) {
            long now = 0;
            IncrementalCosine interval = new IncrementalCosine();
            for (int n = 0; n < 3000; n++) {
                String customer = "c" + random.nextInt(8);
                Map<String, Double> before = vectors.getOrDefault(customer, new LinkedHashMap<>());
                Map<String, Double> after = new LinkedHashMap<>(before);
                int op = random.nextInt(10);
                if (op == 0) {
                    after.clear();
                } else if (op < 3 && !after.isEmpty()) {
                    after.remove(after.keySet().iterator().next());
                } else {
                    String item = "i" + random.nextInt(15);
                    after.remove(item);
                    after.put(item, 0.1 + 3 * random.nextDouble());
                    if (after.size() > 5) {
                        after.remove(after.keySet().iterator().next());
                    }
                }
                vectors.put(customer, after);
                WindowChange c = change(flatten(before), flatten(after));
                SimilarityDeltas.apply(c, total);
                SimilarityDeltas.apply(c, interval);
                h.processElement(c, 0);

                if (random.nextInt(10) == 0 || n == 2999) {
                    now += 100;
                    h.setProcessingTime(now);
                    flushes++;
                    Map<String, Map<String, Double>> rows = rows(h);
                    List<NormDeltas> norms = norms(h);
                    assertThat(norms).as("norm batches per flush").hasSizeLessThanOrEqualTo(1);
                    Map<String, Double> normSums = norms.isEmpty() ? Map.of() : asMap(norms.get(0));
                    Set<String> changed = allItems(interval);
                    for (String item : changed) {
                        Double sent = normSums.get(item);
                        double expected = interval.squaredNorm(item);
                        if (sent != null) {
                            assertThat(sent).as("‖%s‖² change", item).isEqualTo(expected);
                            received.norm(item, sent);
                        } else {
                            assertThat(Math.abs(expected)).as("left-out ‖%s‖² change", item).isLessThan(1e-12);
                        }
                        for (Map.Entry<String, Double> e : interval.row(item).entrySet()) {
                            Double dot = rows.getOrDefault(item, Map.of()).get(e.getKey());
                            if (dot != null) {
                                assertThat(dot).as("dot(%s,%s) change", item, e.getKey()).isEqualTo(e.getValue());
                                received.dot(item, e.getKey(), dot);
                                sentPairs++;
                            } else {
                                assertThat(Math.abs(e.getValue())).as("left-out dot(%s,%s) change", item, e.getKey())
                                        .isLessThan(1e-12);
                                leftOut++;
                            }
                        }
                    }
                    // nothing else was sent
                    assertThat(changed).containsAll(normSums.keySet());
                    for (Map.Entry<String, Map<String, Double>> row : rows.entrySet()) {
                        assertThat(interval.row(row.getKey()).keySet()).as("pairs of %s", row.getKey())
                                .containsAll(row.getValue().keySet());
                    }
                    h.getOutput().clear();
                    if (h.getSideOutput(PairDeltaCombiner.NORM_DELTAS) != null) {
                        h.getSideOutput(PairDeltaCombiner.NORM_DELTAS).clear();
                    }
                    interval = new IncrementalCosine();
                }
            }
        }
        assertThat(flushes).isGreaterThan(200);
        assertThat(sentPairs).isGreaterThan(2000);
        assertThat(leftOut).as("retractions within an interval").isPositive();
        // over all flushes: the same dot products and norms (summed in another order)
        for (String item : allItems(total)) {
            assertThat(received.squaredNorm(item)).as("‖%s‖²", item)
                    .isCloseTo(total.squaredNorm(item), org.assertj.core.data.Offset.offset(1e-9));
            for (Map.Entry<String, Double> e : total.row(item).entrySet()) {
                assertThat(received.dot(item, e.getKey())).as("dot(%s,%s)", item, e.getKey())
                        .isCloseTo(e.getValue(), org.assertj.core.data.Offset.offset(1e-9));
            }
        }
    }

    // ---- helpers ----

    static OneInputStreamOperatorTestHarness<WindowChange, ItemMessage> harness(Duration interval) throws Exception {
        var h = new OneInputStreamOperatorTestHarness<WindowChange, ItemMessage>(new PairDeltaCombiner(interval));
        h.open();
        return h;
    }

    static Set<Long> timers(OneInputStreamOperatorTestHarness<WindowChange, ItemMessage> h) {
        return h.getProcessingTimeService().getActiveTimerTimestamps();
    }

    static WindowChange change(Object[] before, Object[] after) {
        return new WindowChange(items(before), weights(before), items(after), weights(after));
    }

    private static Object[] flatten(Map<String, Double> v) {
        List<Object> out = new ArrayList<>();
        v.forEach((k, w) -> {
            out.add(k);
            out.add(w);
        });
        return out.toArray();
    }

    private static String[] items(Object[] itemsAndWeights) {
        String[] items = new String[itemsAndWeights.length / 2];
        for (int k = 0; k < items.length; k++) {
            items[k] = (String) itemsAndWeights[2 * k];
        }
        return items;
    }

    private static double[] weights(Object[] itemsAndWeights) {
        double[] weights = new double[itemsAndWeights.length / 2];
        for (int k = 0; k < weights.length; k++) {
            weights[k] = (Double) itemsAndWeights[2 * k + 1];
        }
        return weights;
    }

    private static Set<String> allItems(IncrementalCosine c) {
        Set<String> all = new TreeSet<>();
        for (int k = 0; k < 500; k++) {
            String i = "i" + k;
            if (c.squaredNorm(i) != 0 || !c.row(i).isEmpty()) {
                all.add(i);
            }
        }
        return all;
    }

    static ItemMessage messageOf(Object record) {
        @SuppressWarnings("unchecked")
        StreamRecord<ItemMessage> r = (StreamRecord<ItemMessage>) record;
        return r.getValue();
    }

    /** The updates sent so far, item → other → change; fails on an item sent twice, a pair listed twice. */
    static Map<String, Map<String, Double>> rows(OneInputStreamOperatorTestHarness<WindowChange, ItemMessage> h) {
        Map<String, Map<String, Double>> rows = new TreeMap<>();
        for (Object o : h.getOutput()) {
            ItemMessage m = messageOf(o);
            assertThat(m.dotDeltas).hasSameSizeAs(m.others);
            Map<String, Double> row = new TreeMap<>();
            for (int k = 0; k < m.others.length; k++) {
                assertThat(row.put(m.others[k], m.dotDeltas[k])).as("%s listed twice in %s", m.others[k], m.item)
                        .isNull();
            }
            assertThat(rows.put(m.item, row)).as("%s sent twice", m.item).isNull();
        }
        return rows;
    }

    static List<NormDeltas> norms(OneInputStreamOperatorTestHarness<WindowChange, ItemMessage> h) {
        var queue = h.getSideOutput(PairDeltaCombiner.NORM_DELTAS);
        List<NormDeltas> out = new ArrayList<>();
        if (queue != null) {
            queue.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    static Map<String, Double> asMap(NormDeltas d) {
        assertThat(d.deltas).hasSameSizeAs(d.items);
        Map<String, Double> m = new TreeMap<>();
        for (int k = 0; k < d.items.length; k++) {
            assertThat(m.put(d.items[k], d.deltas[k])).as("%s listed twice", d.items[k]).isNull();
        }
        return m;
    }
}
