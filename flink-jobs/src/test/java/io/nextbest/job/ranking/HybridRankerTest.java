package io.nextbest.job.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.job.catalog.CatalogEntry;
import io.nextbest.job.messages.CatalogUpdate;
import io.nextbest.job.messages.FeatureTrending;
import io.nextbest.job.messages.RankingRequest;
import io.nextbest.job.messages.ReplicaUpdate;
import io.nextbest.job.messages.TrendingSnapshot;
import io.nextbest.schemas.messages.CatalogItem;
import io.nextbest.schemas.messages.Reason;
import io.nextbest.schemas.messages.Signal;
import io.nextbest.schemas.messages.SuggestedItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class HybridRankerTest {
    static final long T = Instant.parse("2026-11-23T12:00:00Z").toEpochMilli();
    static final Reason EXPLORE = new Reason(Signal.EXPLORE, "explore: test", null, null);

    final Replicas replicas = new Replicas();

    static HybridRanker ranker(double wc, double wn, double wt, int maxPerCategory, double explore, boolean require) {
        return new HybridRanker(new HybridRanker.Params(wc, wn, wt, maxPerCategory, 1, 3, explore, require, 3_600_000L, false));
    }

    void item(String id, String brand, double price, boolean inStock, String... path) {
        replicas.apply(ReplicaUpdate.of(new CatalogUpdate(id, CatalogEntry.of(new CatalogItem(id, "t " + id, List.of(path),
                brand, price, "EUR", null, inStock, 0.25, Instant.ofEpochMilli(T - 1000))))));
    }

    void deleted(String id) {
        replicas.apply(ReplicaUpdate.of(new CatalogUpdate(id, null)));
    }

    void trending(String[] items, double[] logScores) {
        replicas.apply(ReplicaUpdate.of(new TrendingSnapshot(items, logScores, T, 1)));
    }

    void featureTrending(String feature, String[] items, double[] logScores) {
        replicas.apply(ReplicaUpdate.of(new FeatureTrending(feature, items, logScores, T, 1)));
    }

    /** Explored items are the first of {@code pool} that pass, in that order; the asked predicates are kept. */
    List<Predicate<String>> explorer(String... pool) {
        List<Predicate<String>> asked = new ArrayList<>();
        replicas.explorer((request, count, ok) -> {
            asked.add(ok);
            return List.of(pool).stream().filter(ok).limit(count).toList();
        });
        return asked;
    }

    static RankingRequest request(String... exclude) {
        RankingRequest r = new RankingRequest();
        r.customerId = "C-1";
        r.sequence = 1;
        r.placement = "home";
        r.eventTime = T;
        r.exclude = exclude;
        return r;
    }

    static void profile(RankingRequest r, Object... featureWeight) {
        int n = featureWeight.length / 2;
        r.profileFeatures = new String[n];
        r.profileWeights = new double[n];
        double sq = 0;
        for (int i = 0; i < n; i++) {
            r.profileFeatures[i] = (String) featureWeight[2 * i];
            r.profileWeights[i] = ((Number) featureWeight[2 * i + 1]).doubleValue();
            sq += r.profileWeights[i] * r.profileWeights[i];
        }
        r.profileNorm = Math.sqrt(sq);
    }

    AnchorNeighbours part(String anchor, double weight, Object... itemSimilarity) {
        int n = itemSimilarity.length / 2;
        ItemReplica[] items = new ItemReplica[n];
        double[] sims = new double[n];
        for (int i = 0; i < n; i++) {
            items[i] = replicas.item((String) itemSimilarity[2 * i], true);
            sims[i] = ((Number) itemSimilarity[2 * i + 1]).doubleValue();
        }
        return new AnchorNeighbours(anchor, weight, items, sims);
    }

    HybridRanker.Ranked rank(HybridRanker ranker, RankingRequest r, List<AnchorNeighbours> parts, int size) {
        return ranker.rank(r, parts, replicas, EXPLORE, size);
    }

    @Test
    void theScoreIsTheWeightedSumOfScaledCollaborativeContentAndTrendingAndEachSignalGivesItsReason() {
        item("k", "acme", 12, true, "home", "kitchen");
        item("m", "other", 300, true, "garden");
        RankingRequest r = request();
        profile(r, "brand:acme", 2.0, "category:home", 1.0);
        // k: collaborative 2·0.5 = 1 (the best: scaled to 1); m: 2·0.25 = 0.5 → 0.5
        List<AnchorNeighbours> parts = List.of(part("a", 2.0, "k", 0.5, "m", 0.25));
        // trending: m on top (log 10), k at log 9 → k's trending share is 2^(9−10) = 0.5
        trending(new String[] {"m", "k"}, new double[] {10, 9});

        List<SuggestedItem> items = rank(ranker(1, 0.5, 0.1, 0, 0, false), r, parts, 10).items();

        // k's features: category:home, category:home/kitchen, brand:acme, price:8-16 → cos = (1 + 2)/(√5 · √4)
        double cosK = 3 / (Math.sqrt(5) * 2);
        assertThat(items).extracting(SuggestedItem::itemId).containsExactly("k", "m");
        assertThat(items.get(0).score()).isCloseTo(1 + 0.5 * cosK + 0.1 * 0.5, within(1e-12));
        assertThat(items.get(1).score()).isCloseTo(0.5 + 0 + 0.1 * 1, within(1e-12));
        List<Reason> k = items.get(0).reasons();
        assertThat(k).extracting(Reason::signal).containsExactly(Signal.COLLABORATIVE, Signal.CONTENT, Signal.TRENDING);
        assertThat(k.get(0).text()).isEqualTo("viewed together with a (similarity 0.50)");
        assertThat(k.get(1).text()).isEqualTo("matches brand:acme, category:home (content 0.67)");
        assertThat(k.get(1).value()).isCloseTo(cosK, within(1e-12));
        assertThat(k.get(2).text()).startsWith("trending #2, decayed weight ").endsWith(" (half-life 1h)");
        assertThat(items.get(1).reasons()).extracting(Reason::signal)
                .containsExactly(Signal.COLLABORATIVE, Signal.TRENDING); // no feature of m is in the profile
    }

    @Test
    void theClickThroughSignalReordersCandidatesByTheirClicksPerImpressionOnThePlacement() {
        item("k", "acme", 12, true, "home", "kitchen");
        item("m", "other", 300, true, "garden");
        // equal collaborative evidence; m is clicked more on "home", k more elsewhere
        List<AnchorNeighbours> parts = List.of(part("a", 1.0, "k", 0.5, "m", 0.5));
        replicas.apply(ReplicaUpdate.of(new io.nextbest.job.messages.ClickThrough("k", new String[] {"home", "pdp"},
                new long[] {100, 100}, new long[] {5, 90})));
        replicas.apply(ReplicaUpdate.of(new io.nextbest.job.messages.ClickThrough("m", new String[] {"home"},
                new long[] {300}, new long[] {60})));
        HybridRanker ctr = new HybridRanker(new HybridRanker.Params(1, 0, 0, 0, 1, 3, 0, false, 3_600_000L, false, 0,
                0, 0.5, 100));

        List<SuggestedItem> items = rank(ctr, request(), parts, 10).items();

        // smoothed: m 60 / (300 + 100) = 0.15 (the best: 1), k 5 / (100 + 100) = 0.025 → 1/6
        assertThat(items).extracting(SuggestedItem::itemId).containsExactly("m", "k");
        assertThat(items.get(0).score()).isCloseTo(1 + 0.5, within(1e-12));
        assertThat(items.get(1).score()).isCloseTo(1 + 0.5 / 6, within(1e-12));
        assertThat(items.get(0).reasons()).extracting(Reason::signal)
                .containsExactly(Signal.COLLABORATIVE, Signal.CLICK_THROUGH);
        assertThat(items.get(0).reasons().get(1).text()).isEqualTo("clicked by 20.00 % of 300 shown it on home");
        assertThat(items.get(0).reasons().get(1).value()).isEqualTo(0.2);
        // on pdp, k is the one clicked
        RankingRequest pdp = request();
        pdp.placement = "pdp";
        assertThat(rank(ctr, pdp, parts, 10).items()).extracting(SuggestedItem::itemId).containsExactly("k", "m");
        // off (weight 0): the counts change nothing, the tie goes by id
        assertThat(rank(ranker(1, 0, 0, 0, 0, false), request(), parts, 10).items())
                .extracting(SuggestedItem::itemId).containsExactly("k", "m");
    }

    @Test
    void aSignalThatGaveLessThanTheMinimumShareOfTheScoreIsNoReason() {
        item("k", "acme", 12, true, "home", "kitchen");
        item("m", "other", 300, true, "garden");
        RankingRequest r = request();
        profile(r, "brand:acme", 2.0, "category:home", 1.0);
        List<AnchorNeighbours> parts = List.of(part("a", 2.0, "k", 0.5, "m", 0.25));
        trending(new String[] {"m", "k"}, new double[] {10, 9});
        HybridRanker material = new HybridRanker(new HybridRanker.Params(1, 0.5, 0.1, 0, 1, 3, 0, false, 3_600_000L,
                false, 0.05));

        List<SuggestedItem> items = rank(material, r, parts, 10).items();

        // k: collaborative 1, content 0.5·0.67 = 0.34, trending 0.1·0.5 = 0.05: 3.6% of the score, no reason
        assertThat(items.get(0).reasons()).extracting(Reason::signal)
                .containsExactly(Signal.COLLABORATIVE, Signal.CONTENT);
        // m: collaborative 0.5, trending 0.1: 17%, a reason
        assertThat(items.get(1).reasons()).extracting(Reason::signal)
                .containsExactly(Signal.COLLABORATIVE, Signal.TRENDING);
        // the scores are those of every signal all the same
        assertThat(items.get(0).score()).isCloseTo(1 + 0.5 * 3 / (Math.sqrt(5) * 2) + 0.1 * 0.5, within(1e-12));
    }

    @Test
    void contentCandidatesComeFromTheTrendingListsOfTheProfilesStrongestCategoryAndBrandFeatures() {
        item("new1", "acme", 5, true, "toys");
        item("new2", "zeta", 5, true, "toys");
        item("elsewhere", "acme", 5, true, "books");
        RankingRequest r = request();
        // price and tag features are not used for candidates; the first three category/brand ones are
        profile(r, "price:4-8", 5.0, "category:toys", 3.0, "brand:acme", 2.0, "category:books", 1.0, "brand:zeta", 0.5);
        featureTrending("category:toys", new String[] {"new2", "new1"}, new double[] {4, 3});
        featureTrending("brand:zeta", new String[] {"zeta-only"}, new double[] {9});
        featureTrending("category:books", new String[] {"elsewhere"}, new double[] {2});

        var ranked = rank(ranker(1, 0.5, 0.1, 0, 0, false), r, List.of(), 10);

        // nobody co-viewed them: they come from trending in category:toys and category:books (brand:zeta is 4th)
        assertThat(ranked.items()).extracting(SuggestedItem::itemId).containsExactlyInAnyOrder("new1", "new2", "elsewhere");
        assertThat(ranked.strategy()).isEqualTo("hybrid");
        SuggestedItem new1 = ranked.items().stream().filter(i -> i.itemId().equals("new1")).findFirst().orElseThrow();
        // new1: category:toys, brand:acme, price:4-8 → (3 + 2 + 5) / (‖p‖ · √3)
        double norm = Math.sqrt(25 + 9 + 4 + 1 + 0.25);
        assertThat(new1.reasons().get(0).value()).isCloseTo(10 / (norm * Math.sqrt(3)), within(1e-12));
        assertThat(new1.reasons().get(1).text()).startsWith("trending in category:toys, decayed weight ");
    }

    @Test
    void outOfStockDeletedExcludedAndUnknownItemsAreLeftOutAsConfigured() {
        item("in", "b", 1, true, "c");
        item("out", "b", 1, false, "c");
        deleted("gone");
        List<AnchorNeighbours> parts = List.of(part("a", 1, "out", 0.9, "gone", 0.8, "unknown", 0.7, "in", 0.6, "basket", 0.5));
        RankingRequest r = request("basket");

        assertThat(rank(ranker(1, 0, 0, 0, 0, false), r, parts, 10).items())
                .extracting(SuggestedItem::itemId).containsExactly("unknown", "in");
        assertThat(rank(ranker(1, 0, 0, 0, 0, true), r, parts, 10).items())
                .extracting(SuggestedItem::itemId).containsExactly("in");
    }

    @Test
    void atMostNItemsOfOneCategoryWhileOthersLastThenTheRestRatherThanAShortListAndNoCategoryIsNotLimited() {
        item("a1", "b", 1, true, "a");
        item("a2", "b", 1, true, "a");
        item("a3", "b", 1, true, "a");
        item("b1", "b", 1, true, "b");
        List<AnchorNeighbours> parts = List.of(part("x", 1, "a1", 0.9, "a2", 0.8, "a3", 0.7, "u1", 0.65, "u2", 0.62,
                "b1", 0.6));

        HybridRanker.Ranked ranked = rank(ranker(1, 0, 0, 2, 0, false), request(), parts, 10);
        // a3 is over the limit: it goes after every item within it, not out of the list
        assertThat(ranked.items()).extracting(SuggestedItem::itemId).containsExactly("a1", "a2", "u1", "u2", "b1", "a3");
        assertThat(ranked.items()).extracting(SuggestedItem::rank).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(ranked.relaxed()).isEqualTo(1);
        // a list the diverse items fill keeps the limit
        ranked = rank(ranker(1, 0, 0, 2, 0, false), request(), parts, 5);
        assertThat(ranked.items()).extracting(SuggestedItem::itemId).containsExactly("a1", "a2", "u1", "u2", "b1");
        assertThat(ranked.relaxed()).isZero();
    }

    /**
     * ranking.category-overflow softens the limit: a capped-out candidate takes the next slot once its score times
     * the overflow beats the best candidate within the limit (scores here are proportional to the cosines).
     */
    @Test
    void aSoftLimitLetsACappedOutCandidateInOnceItsWeighedScoreBeatsTheRest() {
        item("a1", "b", 1, true, "a");
        item("a2", "b", 1, true, "a");
        item("a3", "b", 1, true, "a");
        item("b1", "b", 1, true, "b");
        List<AnchorNeighbours> parts = List.of(part("x", 1, "a1", 0.9, "a2", 0.8, "a3", 0.7, "u1", 0.65, "u2", 0.62,
                "b1", 0.6));
        for (double[] overflowAndPlace : new double[][] {{0, 6}, {0.8, 6}, {0.9, 4}, {0.95, 3}, {1, 3}}) {
            HybridRanker soft = new HybridRanker(new HybridRanker.Params(1, 0, 0, 2, 1, 3, 0, false, 3_600_000L, false,
                    0, overflowAndPlace[0]));
            HybridRanker.Ranked ranked = rank(soft, request(), parts, 10);
            // 0.7 × 0.9 = 0.63 beats u2 (0.62), not u1 (0.65); × 0.95 = 0.665 beats u1; × 0.8 = 0.56 beats nobody
            assertThat(ranked.items()).extracting(SuggestedItem::itemId).as("overflow %s", overflowAndPlace[0])
                    .hasSize(6).element((int) overflowAndPlace[1] - 1).isEqualTo("a3");
            assertThat(ranked.items()).extracting(SuggestedItem::itemId).filteredOn(id -> !id.equals("a3"))
                    .containsExactly("a1", "a2", "u1", "u2", "b1");
            assertThat(ranked.relaxed()).isEqualTo(1);
        }
    }

    @Test
    void anEmptyCategoryPathIsNoCategoryAndNoCategoryIsNeverLimited() {
        item("n1", "b", 1, true); // no path: no category, not ""
        item("n2", "b", 1, true);
        for (String id : List.of("n3", "n4")) {
            CatalogEntry old = CatalogEntry.of(new CatalogItem(id, "t " + id, List.of("x"), "b", 1, "EUR", null, true,
                    0.25, Instant.ofEpochMilli(T - 1000)));
            old.category = ""; // as an entry made before this fix could hold it
            replicas.apply(ReplicaUpdate.of(new CatalogUpdate(id, old)));
        }
        assertThat(replicas.catalog("n1").category).isNull();
        assertThat(replicas.catalog("n1").features).noneMatch(f -> f.startsWith(CatalogEntry.CATEGORY));

        HybridRanker.Ranked ranked = rank(ranker(1, 0, 0, 1, 0, false), request(),
                List.of(part("x", 1, "n1", 0.9, "n2", 0.8, "n3", 0.7, "n4", 0.6)), 4);
        assertThat(ranked.items()).extracting(SuggestedItem::itemId).containsExactly("n1", "n2", "n3", "n4");
        assertThat(ranked.relaxed()).isZero();
    }

    /** n items of one category, scored (collaborative) best first in id order: i01 0.99, i02 0.98, … */
    List<AnchorNeighbours> oneCategory(int n) {
        Object[] sims = new Object[2 * n];
        for (int i = 1; i <= n; i++) {
            String id = String.format("i%02d", i);
            item(id, "b", 1, true, "shoes");
            sims[2 * (i - 1)] = id;
            sims[2 * i - 1] = 1 - i / 100.0;
        }
        return List.of(part("x", 1, sims));
    }

    static List<String> ids(String prefix, int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            ids.add(String.format("%s%02d", prefix, i));
        }
        return ids;
    }

    @Test
    void aOneCategoryCatalogWithMoreCandidatesThanTheListSizeGivesAFullList() {
        List<AnchorNeighbours> parts = oneCategory(25);
        item("e1", "b", 1, true, "shoes");
        item("e2", "b", 1, true, "shoes");
        explorer("e1", "e2", "i03");

        // no exploration: the 20 best, 15 of them past the limit of 5
        HybridRanker.Ranked ranked = rank(ranker(1, 0, 0, 5, 0, false), request(), parts, 20);
        assertThat(ranked.items()).extracting(SuggestedItem::itemId).containsExactlyElementsOf(ids("i", 1, 20));
        assertThat(ranked.relaxed()).isEqualTo(15);
        assertThat(ranked.items()).allSatisfy(i -> assertThat(i.reasons().get(0).signal()).isEqualTo(Signal.COLLABORATIVE));

        // the default share, 0.1 of 20: 18 ranked, then 2 exploration slots, marked by their first reason
        ranked = rank(ranker(1, 0, 0, 5, 0.1, false), request(), parts, 20);
        List<String> expected = new ArrayList<>(ids("i", 1, 18));
        expected.addAll(List.of("e1", "e2"));
        assertThat(ranked.items()).extracting(SuggestedItem::itemId).containsExactlyElementsOf(expected);
        assertThat(ranked.items()).extracting(SuggestedItem::rank).containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(1, 20).boxed().toList());
        assertThat(ranked.items().subList(18, 20)).allSatisfy(i -> assertThat(i.reasons()).containsExactly(EXPLORE));
        assertThat(ranked.items().subList(0, 18)).noneSatisfy(i ->
                assertThat(i.reasons().get(0).signal()).isEqualTo(Signal.EXPLORE));
        assertThat(ranked.relaxed()).isEqualTo(13);

        // an empty exploration pool: its slots go to the next best, past the limit too
        explorer();
        ranked = rank(ranker(1, 0, 0, 5, 0.1, false), request(), parts, 20);
        assertThat(ranked.items()).extracting(SuggestedItem::itemId).containsExactlyElementsOf(ids("i", 1, 20));
        assertThat(ranked.relaxed()).isEqualTo(15);

        // fewer eligible items than slots: all of them, then exploration fills (with fill) or nothing
        List<AnchorNeighbours> few = List.of(part("x", 1, "i01", 0.9, "i02", 0.8, "i03", 0.7, "i04", 0.6, "i05", 0.5,
                "i06", 0.4, "i07", 0.3));
        assertThat(rank(ranker(1, 0, 0, 5, 0, false), request("i02"), few, 20).items())
                .extracting(SuggestedItem::itemId).containsExactly("i01", "i03", "i04", "i05", "i06", "i07");
    }

    @Test
    void inAnExperimentEachCustomerGetsTheListOfItsArm() throws Exception {
        List<AnchorNeighbours> parts = oneCategory(12); // collaborative candidates i01..i12
        item("t1", "b", 1, true, "toys");
        item("t2", "b", 1, true, "toys");
        trending(new String[] {"t1", "t2"}, new double[] {2, 1});
        explorer();
        io.nextbest.job.rules.ExperimentRule experiment = (io.nextbest.job.rules.ExperimentRule)
                io.nextbest.job.rules.RuleParser.parse(io.nextbest.schemas.Topics.RULES.codec().decode((
                "{\"ruleId\":\"exp-1\",\"kind\":\"experiment\",\"enabled\":true,"
                + "\"validFrom\":\"2026-11-01T00:00:00Z\",\"validTo\":\"2026-12-31T00:00:00Z\",\"definition\":"
                + "{\"placements\":[\"home\"],\"control\":{\"share\":0.34},\"variants\":["
                + "{\"name\":\"trend\",\"weight\":1,\"strategy\":\"trending-only\"},"
                + "{\"name\":\"blank\",\"weight\":1,\"strategy\":\"none\"}]},"
                + "\"updatedAt\":\"2026-11-01T00:00:00Z\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        replicas.rules(io.nextbest.job.rules.RuleBook.of(List.of(experiment)));
        ListMaker lists = new ListMaker(io.nextbest.job.config.NextbestConfig.builder()
                .set("ranking.list-size", "5").set("exploration.share", "0").build());
        java.util.Map<String, Integer> seen = new java.util.TreeMap<>();
        for (int c = 0; c < 200; c++) {
            RankingRequest r = request();
            r.customerId = "C-" + c;
            profile(r);
            var list = lists.list(r, parts, replicas, T);
            String arm = experiment.assign(r.customerId).name();
            seen.merge(arm, 1, Integer::sum);
            assertThat(list.experimentId()).isEqualTo("exp-1");
            assertThat(list.variant()).isEqualTo(arm);
            switch (arm) {
                case "control" -> { // the job's own ranking: the collaborative candidates lead
                    assertThat(list.items().get(0).itemId()).isEqualTo("i01");
                    assertThat(list.items().get(0).reasons().get(0).signal()).isEqualTo(Signal.COLLABORATIVE);
                }
                case "trend" -> { // no collaborative or content score: the trending items lead, nothing "viewed together"
                    assertThat(list.strategy()).isEqualTo("trending");
                    assertThat(list.items()).extracting(SuggestedItem::itemId).startsWith("t1", "t2");
                    assertThat(list.items()).allSatisfy(i -> assertThat(i.reasons()).noneSatisfy(reason ->
                            assertThat(reason.signal()).isIn(Signal.COLLABORATIVE, Signal.CONTENT)));
                }
                default -> {
                    assertThat(list.items()).isEmpty();
                    assertThat(list.strategy()).isEqualTo("none");
                }
            }
        }
        assertThat(seen.keySet()).containsExactly("blank", "control", "trend");

        // another placement is outside the experiment
        RankingRequest basket = request();
        basket.placement = "basket";
        profile(basket);
        var outside = lists.list(basket, parts, replicas, T);
        assertThat(outside.variant()).isEqualTo("default");
        assertThat(outside.experimentId()).isNull();
    }

    @Test
    void theListMakerTellsHowManyItemsOfItsLastListWentPastTheLimit() {
        List<AnchorNeighbours> parts = oneCategory(25);
        item("e1", "b", 1, true, "shoes");
        item("e2", "b", 1, true, "shoes");
        explorer("e1", "e2");
        ListMaker lists = new ListMaker(io.nextbest.job.config.NextbestConfig.builder()
                .set("ranking.list-size", "20").set("ranking.max-per-category", "5").build());
        RankingRequest r = request();
        profile(r); // no content
        var list = lists.list(r, parts, replicas, T);
        assertThat(list.items()).hasSize(20);
        assertThat(list.items().subList(0, 18)).extracting(SuggestedItem::itemId).containsExactlyElementsOf(ids("i", 1, 18));
        assertThat(list.items().subList(18, 20)).extracting(SuggestedItem::itemId).containsExactly("e1", "e2");
        assertThat(list.items().subList(18, 20)).allSatisfy(i ->
                assertThat(i.reasons().get(0).signal()).isEqualTo(Signal.EXPLORE));
        assertThat(lists.relaxedInLastList()).isEqualTo(13);
    }

    @Test
    void anExploredItemThatWasCappedOutIsNotListedTwice() {
        List<AnchorNeighbours> parts = oneCategory(8);
        explorer("i07"); // past the limit, deferred, then explored
        // 10 slots, share 0.2: 8 ranked slots (5 within the limit + 3 deferred), 2 exploration slots (one found)
        HybridRanker.Ranked ranked = rank(ranker(1, 0, 0, 5, 0.2, false), request(), parts, 10);
        assertThat(ranked.items()).extracting(SuggestedItem::itemId)
                .containsExactly("i01", "i02", "i03", "i04", "i05", "i06", "i07", "i08");
        assertThat(ranked.items().get(6).reasons().get(0).signal()).isEqualTo(Signal.COLLABORATIVE);

        // 8 slots, share 0.25: 6 ranked slots (i06 relaxed in), 2 exploration slots (i07 explored), the last one
        // to the next deferred: i08, not i07 again
        ranked = rank(ranker(1, 0, 0, 5, 0.25, false), request(), parts, 8);
        assertThat(ranked.items()).extracting(SuggestedItem::itemId)
                .containsExactly("i01", "i02", "i03", "i04", "i05", "i06", "i07", "i08");
        assertThat(ranked.items().get(6).reasons()).containsExactly(EXPLORE);
        assertThat(ranked.relaxed()).isEqualTo(2);
    }

    /**
     * The oracle of the category limit: walking down the ranked candidates, a candidate within its category's
     * limit takes the next ranked slot, one past it waits; when the candidates run out before the slots, the
     * waiting ones follow in their order.
     */
    static List<String> capped(List<String> best, java.util.Map<String, String> category, int limit, int slots) {
        List<String> out = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        java.util.Map<String, Integer> n = new java.util.HashMap<>();
        for (String id : best) {
            if (out.size() == slots) {
                return out;
            }
            if (n.merge(category.get(id), 1, Integer::sum) <= limit) {
                out.add(id);
            } else {
                waiting.add(id);
            }
        }
        for (String id : waiting) {
            if (out.size() < slots) {
                out.add(id);
            }
        }
        return out;
    }

    @Test
    void aMixedCatalogKeepsTheLimitWhileDiverseCandidatesLastAsTheOracleSays() {
        java.util.Random random = new java.util.Random(16);
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(40);
            int categories = 1 + random.nextInt(5);
            int limit = 1 + random.nextInt(6);
            int size = 1 + random.nextInt(25);
            java.util.Map<String, String> category = new java.util.HashMap<>();
            List<String> best = new ArrayList<>();
            Object[] sims = new Object[2 * n];
            for (int i = 0; i < n; i++) {
                String id = "r" + round + "-" + i;
                String c = "c" + random.nextInt(categories);
                item(id, "b", 1, true, c);
                category.put(id, c);
                best.add(id); // similarities fall with i: i is the rank
                sims[2 * i] = id;
                sims[2 * i + 1] = 1 - i / 64.0;
            }
            HybridRanker.Ranked ranked = rank(ranker(1, 0, 0, limit, 0, false), request(), List.of(part("x", 1, sims)),
                    size);
            List<String> got = ranked.items().stream().map(SuggestedItem::itemId).toList();
            String what = "round " + round + ": " + n + " items, " + categories + " categories, limit " + limit
                    + ", size " + size;

            assertThat(got).as(what).containsExactlyElementsOf(capped(best, category, limit, size));
            assertThat(got).as(what).hasSize(Math.min(size, n));
            // past the limit only when no candidate of a category under it is left out
            java.util.Map<String, Long> per = got.stream().collect(java.util.stream.Collectors.groupingBy(
                    category::get, java.util.stream.Collectors.counting()));
            long over = per.values().stream().mapToLong(k -> Math.max(0, k - limit)).sum();
            assertThat(ranked.relaxed()).as(what).isEqualTo((int) over);
            if (over > 0) {
                assertThat(best).as(what).allSatisfy(id -> assertThat(got.contains(id)
                        || per.getOrDefault(category.get(id), 0L) >= limit).isTrue());
            }
        }
    }

    @Test
    void theLastSlotsGoToExplorationAndAShortPoolLeavesThemToTheNextBest() {
        for (String id : List.of("p1", "p2", "p3", "p4", "p5", "p6")) {
            item(id, "b", 1, true, "c" + id);
        }
        item("e1", "b", 1, true, "x");
        item("e2", "b", 1, true, "y");
        List<AnchorNeighbours> parts = List.of(part("a", 1, "p1", 0.9, "p2", 0.8, "p3", 0.7, "p4", 0.6, "p5", 0.5, "p6", 0.4));
        List<Predicate<String>> asked = explorer("p1", "e1", "e2");
        // share 0.4 of 5 slots = 2 exploration slots
        List<SuggestedItem> items = rank(ranker(1, 0, 0, 0, 0.4, false), request(), parts, 5).items();
        assertThat(items).extracting(SuggestedItem::itemId).containsExactly("p1", "p2", "p3", "e1", "e2");
        assertThat(items.get(3).reasons()).containsExactly(EXPLORE);
        assertThat(asked.get(0).test("p2")).as("an item already in the list").isFalse();

        deleted("e2"); // not eligible any more: one exploration slot stays for the next best
        items = rank(ranker(1, 0, 0, 0, 0.4, false), request(), parts, 5).items();
        assertThat(items).extracting(SuggestedItem::itemId).containsExactly("p1", "p2", "p3", "e1", "p4");
    }

    @Test
    void withFillingSlotsTheSignalsLeaveEmptyGoToExplorationSoAListIsFull() {
        for (String id : List.of("t1", "x1", "x2", "x3", "x4")) {
            item(id, "b", 1, true, "c");
        }
        trending(new String[] {"t1"}, new double[] {5});
        explorer("t1", "x1", "x2", "x3", "x4");
        HybridRanker filling = new HybridRanker(new HybridRanker.Params(1, 0, 0.1, 0, 1, 3, 0, false, 3_600_000L, true));
        // a new customer right after a start: one trending item, then exploration up to the list size
        List<SuggestedItem> items = rank(filling, request(), List.of(), 4).items();
        assertThat(items).extracting(SuggestedItem::itemId).containsExactly("t1", "x1", "x2", "x3");
        assertThat(items).extracting(SuggestedItem::rank).containsExactly(1, 2, 3, 4);
        assertThat(items.subList(1, 4)).allSatisfy(i -> assertThat(i.reasons()).extracting(Reason::signal)
                .containsExactly(Signal.EXPLORE));
        // the pool runs short: the list is as full as the catalog allows; without filling, trending alone
        assertThat(rank(filling, request("x1", "x2"), List.of(), 10).items())
                .extracting(SuggestedItem::itemId).containsExactly("t1", "x3", "x4");
        assertThat(rank(ranker(1, 0, 0.1, 0, 0, false), request(), List.of(), 4).items())
                .extracting(SuggestedItem::itemId).containsExactly("t1");
    }
}
