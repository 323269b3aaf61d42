package io.nextbest.loadtest.eval;

import static io.nextbest.loadtest.eval.Events.broken;
import static io.nextbest.loadtest.eval.Events.catalog;
import static io.nextbest.loadtest.eval.Events.interaction;
import static io.nextbest.loadtest.eval.Events.order;
import static io.nextbest.loadtest.eval.Events.returned;
import static io.nextbest.loadtest.eval.Events.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.generator.InputEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A scripted stream whose figures are worked out by hand in the comments. */
class PrequentialEvaluatorTest {

    /** Always the same list; records what it was asked and taught. */
    static final class Fixed implements Recommender {
        final List<String> list;
        final List<java.util.Set<String>> asked = new ArrayList<>();
        final List<String> learned = new ArrayList<>();

        Fixed(String... items) {
            list = List.of(items);
        }

        @Override
        public String name() {
            return "fixed";
        }

        @Override
        public List<String> recommend(String customerKey, int k, java.util.Set<String> exclude) {
            asked.add(java.util.Set.copyOf(exclude));
            return list.stream().filter(i -> !exclude.contains(i)).limit(k).toList();
        }

        @Override
        public void learn(InputEvent event) {
            learned.add(event.action() + ":" + event.itemId());
        }
    }

    @Test
    void scoresEngineAndBaselinesBeforeLearningWithTheEnginesExclusionForBaselines() {
        Fixed fixed = new Fixed("C", "A", "B", "D");
        PrequentialEvaluator ev = new PrequentialEvaluator(true, List.of(fixed), Exclusion.engineDefaults(), 3);

        // engine list for e4: A at rank 15 of 25 (only the first 20 count)
        List<String> rank15 = new ArrayList<>();
        IntStream.rangeClosed(1, 14).forEach(i -> rank15.add("f" + i));
        rank15.add("A");
        IntStream.rangeClosed(15, 24).forEach(i -> rank15.add("f" + i));

        ev.observe(view("c1", "A", 1), List.of("A")); //         e1: c1's first event: not scored
        ev.observe(view("c1", "B", 2), List.of("X", "B", "Y")); // e2 novel. engine rank 2; fixed [C,A,B,D] rank 3
        ev.observe(interaction("c1", "C", "add_to_cart", 3), null); // e3 novel. engine: no list; fixed rank 1
        ev.observe(view("c1", "A", 4), rank15); //              e4 seen. engine rank 15; fixed: C in basket -> [A,B,D] rank 1
        ev.observe(catalog("E", 5), null); //                    not a customer event: learned only
        ev.observe(view("c2", "A", 5), List.of("A")); //         e5: c2's first event: not scored
        ev.observe(interaction("c1", "C", "remove_from_cart", 6), List.of("C")); // e6: learned, never scored
        ev.observe(broken(0), List.of("C")); //                  dead-lettered by the job: ignored (even its time)
        ev.observe(order("c2", "D", 7), List.of("D")); //        e7 novel. engine rank 1; fixed rank 4
        ev.observe(view("c1", "C", 8), List.of()); //            e8 seen (carted before). engine: empty; fixed: basket empty again, rank 1
        ev.observe(view("c2", "D", 9), List.of("D", "A")); //    e9 seen. engine rank 1 (scored as emitted); fixed: D bought -> [C,A,B], miss

        EvaluationResult r = ev.result();
        assertThat(r.recommenders()).containsExactly("engine", "fixed");
        assertThat(r.eventsObserved()).isEqualTo(10); // the broken record counts, the catalog record not
        assertThat(r.catalogRecords()).isEqualTo(1);
        assertThat(r.coldThreshold()).isEqualTo(PrequentialEvaluator.DEFAULT_COLD_THRESHOLD);
        assertThat(r.scoredEvents()).isEqualTo(6);
        assertThat(r.novelEvents()).isEqualTo(3);
        assertThat(r.customers()).isEqualTo(2);
        assertThat(r.items()).isEqualTo(4); // A B C D; E only in the catalog
        assertThat(r.firstEventMs()).isEqualTo(1);
        assertThat(r.lastEventMs()).isEqualTo(9);
        assertThat(r.exclusion()).isEqualTo("basket (50 lines) + recently bought (last 50 items)");

        // engine, all: ranks 2, -, 15, 1, -, 1
        RecommenderMetrics engine = r.metrics("engine", Variant.ALL);
        assertThat(engine.scored()).isEqualTo(6);
        assertThat(engine.hits10()).isEqualTo(3);
        assertThat(engine.hits20()).isEqualTo(4);
        assertThat(engine.hr10()).isEqualTo(3 / 6.0);
        assertThat(engine.hr20()).isEqualTo(4 / 6.0);
        assertThat(engine.mrr10()).isCloseTo((1 / 2.0 + 1 + 1) / 6, within(1e-12));
        assertThat(engine.mrr20()).isCloseTo((1 / 2.0 + 1 / 15.0 + 1 + 1) / 6, within(1e-12));
        assertThat(engine.withList()).isEqualTo(4);
        assertThat(engine.listShare()).isEqualTo(4 / 6.0);
        assertThat(engine.suggested()).isEqualTo(3); // B, A, D (X, Y, f1..f19 never seen)
        assertThat(engine.coverage()).isEqualTo(3 / 4.0);

        // engine, novel (e2, e3, e7): ranks 2, -, 1
        RecommenderMetrics engineNovel = r.metrics("engine", Variant.NOVEL);
        assertThat(engineNovel.scored()).isEqualTo(3);
        assertThat(engineNovel.hits10()).isEqualTo(2);
        assertThat(engineNovel.hits20()).isEqualTo(2);
        assertThat(engineNovel.mrr10()).isCloseTo((1 / 2.0 + 1) / 3, within(1e-12));
        assertThat(engineNovel.mrr20()).isCloseTo((1 / 2.0 + 1) / 3, within(1e-12));
        assertThat(engineNovel.withList()).isEqualTo(2);
        assertThat(engineNovel.coverage()).isEqualTo(2 / 4.0); // B, D

        // fixed under the engine's rule, all: ranks 3, 1, 1, 4, 1, -
        RecommenderMetrics f = r.metrics("fixed", ListMode.ENGINE_RULE, Variant.ALL);
        assertThat(f.hits10()).isEqualTo(5);
        assertThat(f.hits20()).isEqualTo(5);
        assertThat(f.hr20()).isEqualTo(5 / 6.0);
        assertThat(f.mrr10()).isCloseTo((1 / 3.0 + 1 + 1 + 1 / 4.0 + 1) / 6, within(1e-12));
        assertThat(f.mrr20()).isCloseTo(43 / 72.0, within(1e-12));
        assertThat(f.listShare()).isEqualTo(1.0);
        assertThat(f.coverage()).isEqualTo(1.0);
        // fixed, novel: ranks 3, 1, 4
        RecommenderMetrics fNovel = r.metrics("fixed", ListMode.ENGINE_RULE, Variant.NOVEL);
        assertThat(fNovel.scored()).isEqualTo(3);
        assertThat(fNovel.hits10()).isEqualTo(3);
        assertThat(fNovel.mrr20()).isCloseTo(19 / 36.0, within(1e-12));

        // asked three times per scored event: seen items, nothing, the engine's rule
        // (C in c1's basket at e4, D bought by c2 at e9)
        assertThat(fixed.asked).hasSize(18);
        assertThat(fixed.asked.subList(6, 9)).containsExactly(java.util.Set.of("A", "B", "C"), java.util.Set.of(),
                java.util.Set.of("C"));
        assertThat(fixed.asked.get(17)).isEqualTo(java.util.Set.of("D"));
        // with seen items excluded, e4 (A seen) and e8, e9 (seen) cannot hit: ranks 3 (e2), 1 (e3), 4 (e7)
        RecommenderMetrics fSeen = r.metrics("fixed", ListMode.SEEN_EXCLUDED, Variant.ALL);
        assertThat(fSeen.hits20()).isEqualTo(3);
        // with nothing excluded: ranks 3, 1, 2, 4, 1, 4
        assertThat(r.metrics("fixed", ListMode.SEEN_INCLUDED, Variant.ALL).hits20()).isEqualTo(6);
        // learned every interaction and order, in order, after scoring; not the catalog nor the broken record
        assertThat(fixed.learned).containsExactly("view:A", "view:B", "add_to_cart:C", "view:A", "view:A",
                "remove_from_cart:C", "order:D", "view:C", "view:D");

        // 3 buckets over [1, 9]: [1,4) e2 e3 | [4,7) e4 | [7,10) e7 e8 e9
        assertThat(r.overTime()).extracting(EvaluationResult.TimeBucket::fromMs, EvaluationResult.TimeBucket::toMs,
                        EvaluationResult.TimeBucket::scored)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 4L, 2L),
                        org.assertj.core.groups.Tuple.tuple(4L, 7L, 1L), org.assertj.core.groups.Tuple.tuple(7L, 10L, 3L));
        assertThat(r.overTime()).extracting(b -> b.hitRate20().get("engine")).containsExactly(0.5, 1.0, 2 / 3.0);
        assertThat(r.overTime()).extracting(b -> b.hitRate20().get("fixed (engine rule)")).containsExactly(1.0, 1.0, 2 / 3.0);
    }

    /**
     * Cold share with a threshold of 3: an item is cold at a scored event when fewer than 3
     * interactions (any type) and orders on it came before. Counts before each scored event and the
     * cold entries are worked out in the comments.
     */
    @Test
    void coldShareIsTheShareOfListEntriesWhoseItemHadFewerEarlierInteractionsThanTheThreshold() {
        // a stream and the engine's list before each event
        List<InputEvent> stream = List.of(
                view("c1", "A", 1), //                                  A=1 (c1's first event: not scored)
                interaction("c2", "A", "add_to_cart", 2), //            A=2 (c2's first event)
                interaction("c2", "A", "remove_from_cart", 3), //       A=3: removals count, never scored
                catalog("B", 4), //                                     catalog records do not count
                view("c1", "B", 5), //    s1 novel. before: A3 B0    | engine [A,B]: B cold 1/2 | fixed [A,B,C]: B,C 2/3
                order("c2", "B", 6), //   s2 novel. before: A3 B1    | engine [B,C,A]: B,C 2/3  | fixed 2/3
                returned("c1", "C", 6), //                              returns do not count: C stays 0
                broken(6), //                                           broken records do not count
                view("c1", "B", 7), //    s3 seen.  before: A3 B2 C0 | engine [C]: 1/1         | fixed: B,C 2/3
                view("c2", "C", 8)); //   s4 novel. before: A3 B3 C0 | engine [B,A]: 0/2       | fixed: C 1/3
        List<List<String>> engine = new ArrayList<>();
        engine.add(null);
        engine.add(null);
        engine.add(null);
        engine.add(null);
        engine.add(List.of("A", "B"));
        engine.add(List.of("B", "C", "A"));
        engine.add(null);
        engine.add(null);
        engine.add(List.of("C"));
        engine.add(List.of("B", "A"));

        EvaluationResult r = evaluate(stream, engine, 3);
        assertThat(r.coldThreshold()).isEqualTo(3);
        assertThat(r.scoredEvents()).isEqualTo(4);
        assertThat(r.novelEvents()).isEqualTo(3);
        assertThat(r.eventsObserved()).isEqualTo(9);
        assertThat(r.catalogRecords()).isEqualTo(1);

        // engine, all: entries 2 + 3 + 1 + 2 = 8, cold 1 + 2 + 1 + 0 = 4
        RecommenderMetrics e = r.metrics("engine", Variant.ALL);
        assertThat(e.listed()).isEqualTo(8);
        assertThat(e.coldListed()).isEqualTo(4);
        assertThat(e.coldShare()).isEqualTo(0.5);
        // engine, novel (s1, s2, s4): entries 2 + 3 + 2 = 7, cold 1 + 2 + 0 = 3
        RecommenderMetrics en = r.metrics("engine", Variant.NOVEL);
        assertThat(en.listed()).isEqualTo(7);
        assertThat(en.coldListed()).isEqualTo(3);
        assertThat(en.coldShare()).isEqualTo(3 / 7.0);
        // fixed, nothing excluded, all: 4 lists of 3, cold 2 + 2 + 2 + 1 = 7
        RecommenderMetrics f = r.metrics("fixed", ListMode.SEEN_INCLUDED, Variant.ALL);
        assertThat(f.listed()).isEqualTo(12);
        assertThat(f.coldListed()).isEqualTo(7);
        assertThat(f.coldShare()).isEqualTo(7 / 12.0);
        // fixed, novel: cold 2 + 2 + 1 of 9
        RecommenderMetrics fn = r.metrics("fixed", ListMode.SEEN_INCLUDED, Variant.NOVEL);
        assertThat(fn.listed()).isEqualTo(9);
        assertThat(fn.coldListed()).isEqualTo(5);
        assertThat(fn.coldShare()).isEqualTo(5 / 9.0);

        // with the default threshold (5) every entry is cold (no item has more than 3 events); with 0, none
        EvaluationResult byDefault = evaluate(stream, engine, PrequentialEvaluator.DEFAULT_COLD_THRESHOLD);
        assertThat(byDefault.metrics()).allSatisfy(m -> assertThat(m.coldListed()).isEqualTo(m.listed()));
        assertThat(byDefault.metrics("engine", Variant.ALL).coldShare()).isEqualTo(1.0);
        EvaluationResult none = evaluate(stream, engine, 0);
        assertThat(none.metrics()).allSatisfy(m -> assertThat(m.coldShare()).isZero());
        // the boundary: at s4, A and B had exactly 3 events; cold with a threshold of 4, not with 3
        assertThat(evaluate(stream, engine, 4).metrics("engine", Variant.NOVEL).coldListed()).isEqualTo(7);
    }

    private static EvaluationResult evaluate(List<InputEvent> stream, List<List<String>> engineLists, int coldThreshold) {
        PrequentialEvaluator ev = new PrequentialEvaluator(true, List.of(new Fixed("A", "B", "C")), Exclusion.none(), 1,
                coldThreshold);
        for (int i = 0; i < stream.size(); i++) {
            ev.observe(stream.get(i), engineLists.get(i));
        }
        return ev.result();
    }

    @Test
    void nothingListedGivesAColdShareOfZero() {
        PrequentialEvaluator ev = new PrequentialEvaluator(true, List.of(new Fixed()), Exclusion.none(), 1, 5);
        ev.observe(view("c", "A", 1), null);
        ev.observe(view("c", "B", 2), List.of());
        RecommenderMetrics m = ev.result().metrics("engine", Variant.ALL);
        assertThat(m.scored()).isEqualTo(1);
        assertThat(m.listed()).isZero();
        assertThat(m.coldShare()).isZero();
        assertThatThrownBy(() -> new PrequentialEvaluator(true, List.of(), Exclusion.none(), 1, -1))
                .hasMessageContaining("coldThreshold must be >= 0");
    }

    @Test
    void withoutTheEngineOnlyBaselinesAreScoredAndEmptyBucketsAreNaN() {
        Fixed fixed = new Fixed("A");
        PrequentialEvaluator ev = new PrequentialEvaluator(false, List.of(fixed), Exclusion.none(), 4);
        ev.observe(view("c", "A", 0), List.of("ignored"));
        ev.observe(view("c", "A", 1), null);
        ev.observe(view("c", "B", 99), null);
        EvaluationResult r = ev.result();
        assertThat(r.recommenders()).containsExactly("fixed");
        assertThat(r.exclusion()).isEqualTo("none");
        assertThat(r.metrics("fixed", ListMode.SEEN_INCLUDED, Variant.ALL).hits20()).isEqualTo(1);
        assertThat(r.metrics("fixed", ListMode.SEEN_EXCLUDED, Variant.ALL).hits20()).isZero(); // A was seen
        assertThat(r.metrics("fixed", Variant.NOVEL).scored()).isEqualTo(1);
        assertThat(r.metrics("fixed", Variant.NOVEL).hits20()).isZero();
        // span 100 ms in 4 buckets of 25: [0,25) has e2, [75,100) has e3
        assertThat(r.overTime()).extracting(EvaluationResult.TimeBucket::scored).containsExactly(1L, 0L, 0L, 1L);
        assertThat(r.overTime().get(1).hitRate20().get("fixed (seen included)")).isNaN();
        assertThatThrownBy(() -> r.metrics("engine", Variant.ALL)).hasMessageContaining("no metrics for 'engine'");
    }

    @Test
    void nothingObservedGivesZeros() {
        EvaluationResult r = new PrequentialEvaluator(true, PrequentialEvaluator.standardBaselines()).result();
        assertThat(r.recommenders()).containsExactly("engine", "most-popular", "recently-popular", "co-occurrence",
                "item-cosine", "vsknn");
        assertThat(r.metrics()).hasSize(2 + 5 * 2 * 2).allSatisfy(m -> {
            assertThat(m.scored()).isZero();
            assertThat(m.hr20()).isZero();
            assertThat(m.coverage()).isZero();
            assertThat(m.coldShare()).isZero();
        });
        assertThat(r.overTime()).isEmpty();
    }

    @Test
    void eventsMustComeInEventTimeOrder() {
        PrequentialEvaluator ev = new PrequentialEvaluator(false, List.of());
        ev.observe(view("c", "A", 10), null);
        ev.observe(view("c", "B", 10), null);
        assertThatThrownBy(() -> ev.observe(view("c", "C", 9), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("before the previous event");
    }

    @Test
    void recommendersNeedDistinctNames() {
        assertThatThrownBy(() -> new PrequentialEvaluator(true, List.of(new Fixed("A"), new Fixed("B"))))
                .hasMessageContaining("two recommenders are named 'fixed'");
    }
}
