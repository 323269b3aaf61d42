package io.nextbest.job.trending;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.messages.FeatureTrending;
import io.nextbest.job.messages.ItemScore;
import io.nextbest.job.messages.TrendingSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@SuppressWarnings("try") // the harnesses' close() declares Exception
class TrendingBoardTest {

    static final long T = 1_795_000_000_000L; // event times in late 2026

    static final NextbestConfig TOP3 = NextbestConfig.builder()
            .set("trending.board-size", "10")
            .set("trending.top-n", "3")
            .set("trending.publish-interval", "1s").set("trending.feature-publish-interval", "0s")
            .build();

    @Test
    void publishesOnlyWhenTheTimerFiresAndOnlyAChangedList() throws Exception {
        try (var h = harness(TOP3)) {
            h.setProcessingTime(1_000);
            h.processElement(score("a", 5, T), 0);
            h.processElement(score("b", 7, T + 1), 0);
            h.processElement(score("c", 6, T + 3), 0);
            h.processElement(score("d", 1, T + 2), 0);
            assertThat(h.getOutput()).isEmpty();
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1); // one timer for the whole interval

            h.setProcessingTime(1_999);
            assertThat(h.getOutput()).isEmpty();
            h.setProcessingTime(2_000);
            assertThat(lists(h)).containsExactly("v1 asOf+3 [b=7.0, c=6.0, a=5.0]");
            assertThat(h.numProcessingTimeTimers()).isZero();

            // nothing new: no timer, nothing published
            h.setProcessingTime(10_000);
            assertThat(lists(h)).isEmpty();
            assertThat(h.numProcessingTimeTimers()).isZero();

            // a score that is no higher than the item's own changes nothing: no timer either
            h.processElement(score("a", 4, T + 50), 0);
            assertThat(h.numProcessingTimeTimers()).isZero();

            // the board changes below the top 3: the timer fires, the list is the same, nothing is published
            h.processElement(score("e", 2, T + 60), 0);
            h.processElement(score("d", 3, T + 61), 0);
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            h.setProcessingTime(11_000);
            assertThat(lists(h)).isEmpty();
            assertThat(h.numProcessingTimeTimers()).isZero();

            // a higher score in the top 3 is a change
            h.processElement(score("c", 8, T + 70), 0);
            h.setProcessingTime(12_000);
            assertThat(lists(h)).containsExactly("v2 asOf+70 [c=8.0, b=7.0, a=5.0]");
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.numKeyedStateEntries()).isZero(); // the board is operator state, not keyed state
        }
    }

    @Test
    void publishesAtMostOncePerInterval() throws Exception {
        try (var h = harness(TOP3)) {
            List<Long> publishedAt = new ArrayList<>();
            h.setProcessingTime(0);
            for (long now = 0; now <= 10_000; now += 100) {
                h.setProcessingTime(now);
                if (!h.getOutput().isEmpty()) {
                    publishedAt.add(now);
                    h.getOutput().clear();
                }
                h.processElement(score("item-" + now % 700, now, T + now), 0); // a new leader every 100 ms
            }

            assertThat(publishedAt).hasSize(10);
            for (int i = 1; i < publishedAt.size(); i++) {
                assertThat(publishedAt.get(i) - publishedAt.get(i - 1)).isGreaterThanOrEqualTo(1_000);
            }
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1); // the last element's
        }
    }

    @Test
    void theBoardSurvivesSnapshotAndRestore() throws Exception {
        NextbestConfig all = NextbestConfig.builder()
                .set("trending.board-size", "10").set("trending.top-n", "10").set("trending.publish-interval", "1s").set("trending.feature-publish-interval", "0s")
                .build();
        OperatorSubtaskState snapshot;
        try (var h = harness(all)) {
            h.setProcessingTime(1_000);
            h.processElement(score("a", 5, T), 0);
            h.processElement(score("b", 7, T + 1), 0);
            h.processElement(score("c", 6, T + 2), 0);
            h.setProcessingTime(2_000);
            assertThat(lists(h)).containsExactly("v1 asOf+2 [b=7.0, c=6.0, a=5.0]");
            h.processElement(score("e", 9, T + 3), 0); // pending: timer at 3000
            snapshot = h.snapshot(1L, 2_500L);
        }

        try (var h = restored(all, snapshot)) {
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1); // the pending timer came back
            h.setProcessingTime(3_000);
            assertThat(lists(h)).containsExactly("v2 asOf+3 [e=9.0, b=7.0, c=6.0, a=5.0]");

            h.processElement(score("d", 6.5, T + 4), 0);
            h.setProcessingTime(4_000);
            assertThat(lists(h)).containsExactly("v3 asOf+4 [e=9.0, b=7.0, d=6.5, c=6.0, a=5.0]");
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void aRestoredBoardWithoutPendingTimerPublishesWithTheNextChange() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(TOP3)) {
            h.setProcessingTime(1_000);
            h.processElement(score("a", 5, T), 0);
            h.processElement(score("b", 7, T + 1), 0);
            h.setProcessingTime(2_000);
            assertThat(lists(h)).containsExactly("v1 asOf+1 [b=7.0, a=5.0]");
            snapshot = h.snapshot(1L, 2_000L);
        }
        try (var h = restored(TOP3, snapshot)) {
            assertThat(h.numProcessingTimeTimers()).isZero();
            h.setProcessingTime(5_000);
            h.processElement(score("c", 6, T + 9), 0);
            h.setProcessingTime(6_000);
            assertThat(lists(h)).containsExactly("v2 asOf+9 [b=7.0, c=6.0, a=5.0]");
        }
    }

    // ---- per feature ----

    static final NextbestConfig BY_FEATURE_3 = NextbestConfig.builder()
            .set("trending.board-size", "10")
            .set("trending.top-n", "3")
            .set("trending.per-feature-size", "3")
            .set("trending.publish-interval", "1s").set("trending.feature-publish-interval", "0s")
            .build();

    @Test
    void featureListsGoOutAtMostOncePerFeaturePublishIntervalWhileTheGlobalListKeepsItsPace() throws Exception {
        NextbestConfig slow = NextbestConfig.builder().set("trending.board-size", "10").set("trending.top-n", "3")
                .set("trending.per-feature-size", "3").set("trending.publish-interval", "1s")
                .set("trending.feature-publish-interval", "10s").build();
        try (var h = harness(slow)) {
            h.setProcessingTime(1_000);
            h.processElement(score("a", 5, T, "category:x"), 0);
            h.setProcessingTime(2_000); // the first publication goes at once
            assertThat(lists(h)).containsExactly("v1 asOf+0 [a=5.0]");
            assertThat(featureLists(h)).containsExactly("category:x v1 asOf+0 [a=5.0]");

            h.processElement(score("b", 7, T + 1, "category:x"), 0);
            h.setProcessingTime(3_000); // the global list at its pace; the feature list waits
            assertThat(lists(h)).containsExactly("v2 asOf+1 [b=7.0, a=5.0]");
            assertThat(featureLists(h)).isEmpty();
            h.setProcessingTime(11_000);
            assertThat(featureLists(h)).isEmpty();
            assertThat(h.numProcessingTimeTimers()).as("the timer keeps ticking for the waiting list").isEqualTo(1);
            h.setProcessingTime(12_000); // 10 s after the first publication
            assertThat(featureLists(h)).containsExactly("category:x v2 asOf+1 [b=7.0, a=5.0]");
            assertThat(lists(h)).isEmpty();
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void eachFeatureListHoldsTheBestItemsOfThatFeatureAndIsPublishedOnlyWhenItChanged() throws Exception {
        try (var h = harness(BY_FEATURE_3)) {
            h.setProcessingTime(1_000);
            h.processElement(score("a", 5, T, "category:x", "brand:p"), 0);
            h.processElement(score("b", 7, T + 1, "category:x"), 0);
            h.processElement(score("c", 6, T + 2, "category:y", "brand:p"), 0);
            h.processElement(score("d", 1, T + 3), 0); // not in the catalog: global only
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            h.setProcessingTime(2_000);
            assertThat(lists(h)).containsExactly("v1 asOf+3 [b=7.0, c=6.0, a=5.0]");
            assertThat(featureLists(h)).containsExactly(
                    "category:x v1 asOf+3 [b=7.0, a=5.0]",
                    "brand:p v1 asOf+3 [c=6.0, a=5.0]",
                    "category:y v1 asOf+3 [c=6.0]");

            // a new score of a: in place on both of its boards
            h.processElement(score("a", 5.5, T + 10, "category:x", "brand:p"), 0);
            h.setProcessingTime(3_000);
            assertThat(lists(h)).containsExactly("v2 asOf+10 [b=7.0, c=6.0, a=5.5]");
            assertThat(featureLists(h)).containsExactly(
                    "category:x v2 asOf+10 [b=7.0, a=5.5]",
                    "brand:p v2 asOf+10 [c=6.0, a=5.5]");

            // no higher score: no change anywhere, no timer
            h.processElement(score("b", 6, T + 11, "category:x"), 0);
            assertThat(h.numProcessingTimeTimers()).isZero();

            // e fills x; f is below x's lowest; both change the global board only below its top 3
            h.processElement(score("e", 2, T + 12, "category:x"), 0);
            h.processElement(score("f", 1, T + 13, "category:x"), 0);
            h.setProcessingTime(4_000);
            assertThat(lists(h)).isEmpty();
            assertThat(featureLists(h)).containsExactly("category:x v3 asOf+13 [b=7.0, a=5.5, e=2.0]");

            h.processElement(score("g", 3, T + 14, "category:y", "brand:p"), 0);
            h.setProcessingTime(5_000);
            assertThat(featureLists(h)).containsExactly(
                    "category:y v4 asOf+14 [c=6.0, g=3.0]",
                    "brand:p v4 asOf+14 [c=6.0, a=5.5, g=3.0]");

            // below the lowest of p: the timer fires, nothing is published
            h.processElement(score("h", 1.5, T + 15, "brand:p"), 0);
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1); // for the global board, changed below its top 3
            h.setProcessingTime(6_000);
            assertThat(lists(h)).isEmpty();
            assertThat(featureLists(h)).isEmpty();
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    /**
     * The oracle: random items, each in random categories (one or two levels) and a random brand or
     * none, random growing scores (now and then a lower one, which changes nothing). After every
     * publish round, for every feature: its list was published in that round exactly when the top k
     * of a full sort of all scores of the feature's items (each item's highest) differs from the list
     * published before, and then it equals that top k. The global list is checked the same way.
     */
    @ParameterizedTest(name = "k {0}, {1} items, {2} categories, seed {3}")
    @CsvSource({"3, 200, 12, 1", "20, 2000, 40, 2", "1, 60, 5, 3", "5, 500, 300, 4", "50, 300, 3, 5"})
    void publishedFeatureListsEqualTheTopKOfAFullSortOfEachFeaturesScores(int k, int items, int categories, long seed)
            throws Exception {
        NextbestConfig config = NextbestConfig.builder()
                .set("trending.board-size", "50").set("trending.top-n", "10")
                .set("trending.per-feature-size", Integer.toString(k)).set("trending.publish-interval", "1s").set("trending.feature-publish-interval", "0s")
                .build();
        Random rnd = new Random(seed);
        String[][] featuresOf = new String[items][];
        for (int i = 0; i < items; i++) {
            List<String> f = new ArrayList<>();
            if (rnd.nextInt(10) > 0) { // a tenth is not in the catalog
                String top = "category:c" + rnd.nextInt(categories);
                f.add(top);
                if (rnd.nextBoolean()) {
                    f.add(top + "/s" + rnd.nextInt(3));
                }
                if (rnd.nextInt(3) > 0) {
                    f.add("brand:b" + rnd.nextInt(categories / 2 + 1));
                }
            }
            featuresOf[i] = f.toArray(new String[0]);
        }
        Map<String, Double> best = new HashMap<>();
        Map<String, List<String>> itemsOf = new HashMap<>();
        Map<String, List<String>> lastPublished = new HashMap<>();
        List<String> lastGlobal = List.of();
        long maxEventTime = 0;
        long round = 0;
        int published = 0;
        int unchanged = 0;

        try (var h = harness(config)) {
            long now = 0;
            h.setProcessingTime(now);
            for (int n = 0; n < 20_000; n++) {
                int i = rnd.nextInt(items);
                String item = "item-" + i;
                Double current = best.get(item);
                double score = (current == null ? rnd.nextInt(40) : current) + rnd.nextInt(4) - 1;
                if (current == null) {
                    for (String f : featuresOf[i]) {
                        itemsOf.computeIfAbsent(f, x -> new ArrayList<>()).add(item);
                    }
                }
                best.merge(item, score, Math::max);
                long eventTime = T + rnd.nextInt(1_000_000);
                maxEventTime = Math.max(maxEventTime, eventTime);
                h.processElement(new ItemScore(item, score, eventTime, featuresOf[i].clone()), 0);

                if (rnd.nextInt(100) == 0 || n == 19_999) {
                    h.setProcessingTime(now += 1_000); // a publish round, if anything changed
                    Map<String, FeatureTrending> inRound = new HashMap<>();
                    for (FeatureTrending f : drainFeatureLists(h)) {
                        assertThat(inRound.put(f.feature, f)).as("one list per feature and round").isNull();
                    }
                    if (!inRound.isEmpty()) {
                        round++;
                    }
                    for (Map.Entry<String, List<String>> e : itemsOf.entrySet()) {
                        List<String> expected = fullSortTop(e.getValue(), best, k);
                        FeatureTrending f = inRound.get(e.getKey());
                        if (expected.equals(lastPublished.get(e.getKey()))) {
                            assertThat(f).as("%s unchanged after %d offers", e.getKey(), n).isNull();
                            unchanged++;
                        } else {
                            assertThat(f).as("%s changed after %d offers", e.getKey(), n).isNotNull();
                            assertThat(entries(f.items, f.logScores)).as(e.getKey()).isEqualTo(expected);
                            assertThat(f.version).isEqualTo(round);
                            assertThat(f.asOf).isEqualTo(maxEventTime);
                            lastPublished.put(e.getKey(), expected);
                            published++;
                        }
                    }
                    assertThat(lastPublished.keySet()).containsAll(inRound.keySet());

                    List<String> expectedGlobal = fullSortTop(best.keySet(), best, 10);
                    List<TrendingSnapshot> global = h.extractOutputValues();
                    h.getOutput().clear();
                    if (expectedGlobal.equals(lastGlobal)) {
                        assertThat(global).isEmpty();
                    } else {
                        assertThat(global).hasSize(1);
                        assertThat(entries(global.get(0).items, global.get(0).logScores)).isEqualTo(expectedGlobal);
                        lastGlobal = expectedGlobal;
                    }
                }
            }
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
        assertThat(lastPublished).hasSameSizeAs(itemsOf); // every feature was published
        assertThat(published).isGreaterThan(itemsOf.size()); // lists were republished as they changed
        assertThat(unchanged).isPositive();                   // and lists that had not changed were not
    }

    @Test
    void beyondMaxFeaturesNewFeaturesAreRefusedAndCounted() throws Exception {
        NextbestConfig two = NextbestConfig.builder().set("trending.per-feature-size", "3").set("trending.feature-publish-interval", "0s")
                .set("trending.max-features", "2").build();
        TrendingBoard board = new TrendingBoard(two);
        try (var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(board, s -> TrendingBoard.KEY, Types.INT)) {
            h.setProcessingTime(0);
            h.processElement(score("a", 5, T, "category:x", "category:x/y", "brand:p"), 0);
            h.processElement(score("b", 6, T, "brand:p"), 0);
            h.processElement(score("c", 7, T, "category:x/y", "brand:q"), 0);
            h.setProcessingTime(1_000);
            assertThat(featureLists(h)).containsExactly(
                    "category:x v1 asOf+0 [a=5.0]",
                    "category:x/y v1 asOf+0 [c=7.0, a=5.0]");
            assertThat(board.featureBoardsRefused()).isEqualTo(3); // brand:p twice, brand:q once
            assertThat(lists(h)).containsExactly("v1 asOf+0 [c=7.0, b=6.0, a=5.0]");
        }
    }

    @Test
    void maxFeaturesZeroTurnsPerFeatureTrendingOff() throws Exception {
        NextbestConfig off = NextbestConfig.builder().set("trending.top-n", "3").set("trending.max-features", "0")
                .build();
        TrendingBoard board = new TrendingBoard(off);
        try (var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(board, s -> TrendingBoard.KEY, Types.INT)) {
            h.setProcessingTime(0);
            h.processElement(score("a", 5, T, "category:x", "brand:p"), 0);
            h.setProcessingTime(1_000);
            assertThat(lists(h)).containsExactly("v1 asOf+0 [a=5.0]");
            assertThat(featureLists(h)).isEmpty();
            assertThat(board.featureBoardsRefused()).isZero();
        }
    }

    @Test
    void featureBoardsSurviveSnapshotAndRestoreAndAreRepublishedOnce() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(BY_FEATURE_3)) {
            h.setProcessingTime(1_000);
            h.processElement(score("a", 5, T, "category:x", "brand:p"), 0);
            h.processElement(score("b", 7, T + 1, "category:x"), 0);
            h.processElement(score("c", 6, T + 2, "category:y", "brand:p"), 0);
            h.setProcessingTime(2_000);
            assertThat(featureLists(h)).hasSize(3);
            h.getOutput().clear();
            h.processElement(score("d", 8, T + 3, "category:x"), 0); // pending: timer at 3000
            snapshot = h.snapshot(1L, 2_500L);
        }

        try (var h = restored(BY_FEATURE_3, snapshot)) {
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            h.setProcessingTime(3_000);
            assertThat(lists(h)).containsExactly("v2 asOf+3 [d=8.0, b=7.0, c=6.0]");
            assertThat(featureLists(h)).containsExactlyInAnyOrder( // everything, once, in the next round
                    "category:x v2 asOf+3 [d=8.0, b=7.0, a=5.0]",
                    "category:y v2 asOf+3 [c=6.0]",
                    "brand:p v2 asOf+3 [c=6.0, a=5.0]");

            h.processElement(score("e", 9, T + 4, "category:y"), 0);
            h.setProcessingTime(4_000);
            assertThat(featureLists(h)).containsExactly("category:y v3 asOf+4 [e=9.0, c=6.0]");
            assertThat(lists(h)).containsExactly("v3 asOf+4 [e=9.0, d=8.0, b=7.0]");
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void withoutPendingTimerTheFirstScoreAfterARestoreRepublishesAndSmallerLimitsCutTheBoards() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(BY_FEATURE_3)) {
            h.setProcessingTime(1_000);
            h.processElement(score("a", 5, T, "category:x", "brand:p"), 0);
            h.processElement(score("b", 7, T + 1, "category:x", "brand:p"), 0);
            h.processElement(score("c", 6, T + 2, "category:x", "brand:p"), 0);
            h.setProcessingTime(2_000);
            assertThat(featureLists(h)).hasSize(2);
            snapshot = h.snapshot(1L, 2_000L);
        }

        try (var h = restored(BY_FEATURE_3, snapshot)) {
            assertThat(h.numProcessingTimeTimers()).isZero();
            h.setProcessingTime(5_000);
            h.processElement(score("a", 4, T + 9, "category:x", "brand:p"), 0); // changes nothing
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            h.setProcessingTime(6_000);
            assertThat(featureLists(h)).containsExactlyInAnyOrder(
                    "category:x v2 asOf+9 [b=7.0, c=6.0, a=5.0]",
                    "brand:p v2 asOf+9 [b=7.0, c=6.0, a=5.0]");
        }

        NextbestConfig smaller = NextbestConfig.builder().set("trending.board-size", "10").set("trending.top-n", "3")
                .set("trending.per-feature-size", "2").set("trending.max-features", "1")
                .set("trending.publish-interval", "1s").set("trending.feature-publish-interval", "0s").build();
        try (var h = restored(smaller, snapshot)) {
            h.setProcessingTime(5_000);
            h.processElement(score("a", 4, T + 9), 0);
            h.setProcessingTime(6_000);
            List<String> republished = featureLists(h);
            assertThat(republished).hasSize(1); // one of the two boards
            assertThat(republished.get(0)).endsWith(" v2 asOf+9 [b=7.0, c=6.0]");
        }
    }

    @Test
    void scoresAndFeatureListsTravelAsFlinkPojos() throws Exception {
        ItemScore score = roundTrip(ItemScore.class, score("a", 1.5, T, "category:x", "brand:p"));
        assertThat(score.itemId + " " + score.logScore + " " + (score.eventTime - T) + " " + List.of(score.features))
                .isEqualTo("a 1.5 0 [category:x, brand:p]");
        assertThat(roundTrip(ItemScore.class, new ItemScore()).features).isEmpty();

        FeatureTrending f = roundTrip(FeatureTrending.class,
                new FeatureTrending("brand:p", new String[] {"a", "b"}, new double[] {2, 1}, T + 5, 7));
        assertThat(f.feature + " v" + f.version + " asOf+" + (f.asOf - T) + " " + entries(f.items, f.logScores))
                .isEqualTo("brand:p v7 asOf+5 [a=2.0, b=1.0]");
    }

    private static <V> V roundTrip(Class<V> type, V value) throws Exception {
        TypeInformation<V> info = TypeInformation.of(type);
        assertThat(info).isInstanceOf(PojoTypeInfo.class); // no Kryo (the job disables generic types)
        TypeSerializer<V> serializer = info.createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    // ---- helpers ----

    static KeyedOneInputStreamOperatorTestHarness<Integer, ItemScore, TrendingSnapshot> harness(NextbestConfig c)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new TrendingBoard(c), s -> TrendingBoard.KEY, Types.INT);
    }

    static KeyedOneInputStreamOperatorTestHarness<Integer, ItemScore, TrendingSnapshot> restored(
            NextbestConfig c, OperatorSubtaskState snapshot) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<Integer, ItemScore, TrendingSnapshot>(
                new KeyedProcessOperator<>(new TrendingBoard(c)), s -> TrendingBoard.KEY, Types.INT);
        h.setup();
        h.initializeState(snapshot);
        h.open();
        return h;
    }

    /** The top n of a full sort of the items' scores, best first, ties by item id, as "item=score". */
    static List<String> fullSortTop(java.util.Collection<String> items, Map<String, Double> best, int n) {
        List<String> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.<String>comparingDouble(best::get).reversed().thenComparing(Comparator.naturalOrder()));
        List<String> top = new ArrayList<>();
        for (String item : sorted.subList(0, Math.min(n, sorted.size()))) {
            top.add(item + "=" + best.get(item));
        }
        return top;
    }

    static List<String> entries(String[] items, double[] scores) {
        assertThat(scores).hasSameSizeAs(items);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < items.length; i++) {
            out.add(items[i] + "=" + scores[i]);
        }
        return out;
    }

    static ItemScore score(String item, double logScore, long eventTime, String... features) {
        return new ItemScore(item, logScore, eventTime, features);
    }

    /** The feature lists published since the last call, as "{feature} v{version} asOf+{ms after T} [item=score, …]". */
    static List<String> featureLists(KeyedOneInputStreamOperatorTestHarness<Integer, ItemScore, TrendingSnapshot> h) {
        List<String> out = new ArrayList<>();
        for (FeatureTrending f : drainFeatureLists(h)) {
            out.add(f.feature + " v" + f.version + " asOf+" + (f.asOf - T) + " " + entries(f.items, f.logScores));
        }
        return out;
    }

    /** The feature lists published since the last call. */
    static List<FeatureTrending> drainFeatureLists(
            KeyedOneInputStreamOperatorTestHarness<Integer, ItemScore, TrendingSnapshot> h) {
        List<FeatureTrending> out = new ArrayList<>();
        var published = h.getSideOutput(TrendingBoard.BY_FEATURE); // null until the first one
        if (published != null) {
            published.forEach(r -> out.add(r.getValue()));
            published.clear();
        }
        return out;
    }

    /** The lists published since the last call, as "v{version} asOf+{ms after T} [item=score, …]". */
    static List<String> lists(KeyedOneInputStreamOperatorTestHarness<Integer, ItemScore, TrendingSnapshot> h) {
        List<String> out = new ArrayList<>();
        for (TrendingSnapshot s : h.extractOutputValues()) {
            assertThat(s.logScores).hasSameSizeAs(s.items);
            List<String> entries = new ArrayList<>();
            for (int i = 0; i < s.items.length; i++) {
                entries.add(s.items[i] + "=" + s.logScores[i]);
            }
            out.add("v" + s.version + " asOf+" + (s.asOf - T) + " " + entries);
        }
        h.getOutput().clear();
        return out;
    }
}
