package io.nextbest.job.trending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.job.catalog.CatalogEntry;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.messages.CatalogUpdate;
import io.nextbest.job.messages.ItemScore;
import io.nextbest.job.messages.TrendingDelta;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // the harnesses' close() declares Exception
class TrendingCounterTest {

    static final long H = 3_600_000L; // the default half-life
    static final long T = Instant.parse("2026-11-23T15:00:00Z").toEpochMilli();

    @Test
    void eachItemKeepsItsOwnLogScoreOfDecayedWeights() throws Exception {
        try (var h = harness(NextbestConfig.defaults())) {
            h.processElement1(signal("a", 1.0, T), 0);
            h.processElement1(signal("b", 3.0, T + H), 0);
            h.processElement1(signal("a", 2.0, T + 2 * H), 0);
            h.processElement1(signal("a", 5.0, T + H / 2), 0); // late: counted at its own time

            List<ItemScore> out = h.extractOutputValues();
            assertThat(out).extracting(s -> s.itemId + "@" + (s.eventTime - T))
                    .containsExactly("a@0", "b@" + H, "a@" + 2 * H, "a@" + H / 2);
            // log2 Σ w·2^(t/h), written relative to T to keep the check exact
            assertThat(out.get(0).logScore).isCloseTo(log2(1) + (double) T / H, within(1e-9));
            assertThat(out.get(1).logScore).isCloseTo(log2(3) + (double) T / H + 1, within(1e-9));
            assertThat(out.get(2).logScore).isCloseTo(log2(1 + 2 * 4) + (double) T / H, within(1e-9));
            assertThat(out.get(3).logScore).isCloseTo(log2(1 + 2 * 4 + 5 * Math.sqrt(2)) + (double) T / H, within(1e-9));
            // as a value: a's weights decayed to T + 2h
            assertThat(new ForwardDecay(H).valueAt(out.get(3).logScore, T + 2 * H))
                    .isCloseTo(1.0 / 4 + 2 + 5 * Math.pow(2, -1.5), within(1e-9));

            assertThat(h.numKeyedStateEntries()).isEqualTo(2); // one score per item
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void anItemIdleForSixtyHalfLivesIsForgotten() throws Exception {
        try (var h = harness(NextbestConfig.builder().set("trending.half-life", "10m").build())) {
            long half = 600_000L;
            h.setStateTtlProcessingTime(0);
            h.processElement1(signal("a", 4.0, T, half), 0);
            h.setStateTtlProcessingTime(60 * half - 1);
            h.processElement1(signal("a", 4.0, T, half), 0); // still there: the sum doubles
            h.setStateTtlProcessingTime(60 * half - 1 + 60 * half);
            h.processElement1(signal("a", 4.0, T, half), 0); // expired: starts afresh

            assertThat(h.extractOutputValues()).extracting(s -> Math.round((s.logScore - (double) T / half) * 1e6) / 1e6)
                    .containsExactly(2.0, 3.0, 2.0);
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        }
    }

    @Test
    void signalsCarryTheCategoryAndBrandFeaturesOfTheItemsCatalogEntry() throws Exception {
        try (var h = harness(NextbestConfig.defaults())) {
            h.processElement1(signal("a", 1.0, T), 0); // before its catalog entry
            h.processElement2(update("a", "category:shoes", "category:shoes/running", "brand:acme", "price:64-128",
                    "tag:trail"), 0);
            h.processElement2(update("b", "category:bags", "price:16-32"), 0);
            h.processElement2(update("c", "price:0-1", "tag:sale"), 0); // nothing that trends by feature
            // a catalog update emits only for an item that already has a score: a's, for the boards of its features
            assertThat(h.extractOutputValues()).hasSize(2);

            h.processElement1(signal("a", 1.0, T), 0);
            h.processElement1(signal("b", 1.0, T), 0);
            h.processElement1(signal("c", 1.0, T), 0);

            assertThat(h.extractOutputValues()).extracting(s -> s.itemId + " " + List.of(s.features)).containsExactly(
                    "a []",
                    "a [category:shoes, category:shoes/running, brand:acme]",
                    "a [category:shoes, category:shoes/running, brand:acme]",
                    "b [category:bags]",
                    "c []");
            assertThat(h.extractOutputValues().get(1).logScore).isCloseTo((double) T / H, within(1e-9)); // unchanged
            assertThat(h.extractOutputValues().get(2).logScore).isCloseTo(1 + (double) T / H, within(1e-9));
            // a score per item, features for a and b only
            assertThat(h.numKeyedStateEntries()).isEqualTo(3 + 2);
            assertThat(h.numProcessingTimeTimers() + h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aNewCatalogEntryReplacesTheFeaturesAndADeletionClearsThem() throws Exception {
        try (var h = harness(NextbestConfig.defaults())) {
            h.processElement2(update("a", "category:shoes", "brand:acme"), 0);
            h.processElement1(signal("a", 1.0, T), 0);
            h.processElement2(update("a", "category:boots", "brand:acme", "tag:new"), 0);
            h.processElement1(signal("a", 1.0, T), 0);
            assertThat(h.numKeyedStateEntries()).isEqualTo(2);

            h.processElement2(new CatalogUpdate("a", null), 0); // tombstone
            assertThat(h.numKeyedStateEntries()).isEqualTo(1); // the score stays, the features go
            h.processElement1(signal("a", 1.0, T), 0);
            h.processElement2(update("a", "category:boots"), 0); // back in the catalog
            h.processElement2(update("a", "price:1-2"), 0);      // an entry without trending features clears too
            h.processElement1(signal("a", 1.0, T), 0);

            // the scored item's new features are announced at once (2nd and 5th), with its score as it is
            assertThat(h.extractOutputValues()).extracting(s -> List.of(s.features)).containsExactly(
                    List.of("category:shoes", "brand:acme"),
                    List.of("category:boots", "brand:acme"),
                    List.of("category:boots", "brand:acme"),
                    List.of(),
                    List.of("category:boots"),
                    List.of());
            assertThat(h.extractOutputValues()).extracting(s -> Math.round(s.logScore - (double) T / H))
                    .containsExactly(0L, 0L, 1L, 2L, 2L, 2L); // log2 of 1, 1, 2, 3, 3, 4 rounded: the score is untouched
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        }
    }

    @Test
    void featuresOutliveTheScoresTimeToLive() throws Exception {
        try (var h = harness(NextbestConfig.builder().set("trending.half-life", "10m").build())) {
            long half = 600_000L;
            h.setStateTtlProcessingTime(0);
            h.processElement2(update("a", "category:shoes"), 0);
            h.processElement1(signal("a", 4.0, T, half), 0);
            h.setStateTtlProcessingTime(1000 * 60 * half); // the score expired long ago; the catalog entry did not
            h.processElement1(signal("a", 4.0, T, half), 0);

            assertThat(h.extractOutputValues()).extracting(s -> List.of(s.features) + " "
                    + Math.round((s.logScore - (double) T / half) * 1e6) / 1e6)
                    .containsExactly("[category:shoes] 2.0", "[category:shoes] 2.0"); // the second starts afresh
        }
    }

    @Test
    void onlyCategoryAndBrandFeaturesTrend() {
        assertThat(TrendingCounter.trendingFeatures(new String[] {"tag:brandnew", "category:a", "price:1-2",
                "brand:x", "category:a/b", "categoryx"})).containsExactly("category:a", "brand:x", "category:a/b");
        assertThat(TrendingCounter.trendingFeatures(new String[] {"tag:a"})).isEmpty();
        assertThat(TrendingCounter.trendingFeatures(null)).isEmpty();
        // interned: one copy per feature however many items carry it
        assertThat(TrendingCounter.trendingFeatures(new String[] {new String("brand:zz")})[0])
                .isSameAs(TrendingCounter.trendingFeatures(new String[] {new String("brand:zz")})[0]);
    }

    static CatalogUpdate update(String item, String... features) {
        CatalogEntry e = new CatalogEntry();
        e.category = "";
        e.features = features;
        e.price = 20;
        e.margin = Double.NaN;
        e.inStock = true;
        e.updatedAt = T;
        return new CatalogUpdate(item, e);
    }

    static KeyedTwoInputStreamOperatorTestHarness<String, TrendingDelta, CatalogUpdate, ItemScore> harness(
            NextbestConfig c) throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
                new TrendingCounter(c), s -> s.itemId, u -> u.itemId, Types.STRING);
    }

    static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /** One event's weight as a combiner sends it (a sum of one term). */
    private static TrendingDelta signal(String item, double w, long t) {
        return signal(item, w, t, H);
    }

    private static TrendingDelta signal(String item, double w, long t, long halfLife) {
        return new TrendingDelta(item, new ForwardDecay(halfLife).term(w, t), t);
    }
}
