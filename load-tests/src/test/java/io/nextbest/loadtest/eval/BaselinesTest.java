package io.nextbest.loadtest.eval;

import static io.nextbest.loadtest.eval.Events.interaction;
import static io.nextbest.loadtest.eval.Events.order;
import static io.nextbest.loadtest.eval.Events.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nextbest.generator.InputEvent;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each baseline on scripted input, with the exact lists worked out by hand. */
class BaselinesTest {
    private static final long H = 3_600_000;

    /** Feeds events as the evaluator does: advance, then the shared popularity, then the recommender. */
    private static void feed(Popularity p, Recommender r, InputEvent... events) {
        for (InputEvent e : events) {
            r.advance(e.eventTimeMs(), e.sessionKey());
            p.learn(e.itemId());
            r.learn(e);
        }
    }

    @Test
    void mostPopularCountsEveryKindAndBreaksTiesByNumericId() {
        Popularity p = new Popularity();
        MostPopular mp = new MostPopular(p);
        feed(p, mp, view("c1", "10", 1), view("c2", "9", 2), interaction("c1", "x", "remove_from_cart", 3),
                order("c3", "100", 4), view("c3", "10", 5));
        // 10: 2; then 9, 100 and x with 1: integers by value, other ids after them
        assertThat(mp.recommend("anyone", 10, Set.of())).containsExactly("10", "9", "100", "x");
        assertThat(mp.recommend("anyone", 2, Set.of("10"))).containsExactly("9", "100");
        assertThat(ItemOrder.compare("9", "10")).isNegative();
        assertThat(ItemOrder.compare("10", "a")).isNegative();
        assertThat(ItemOrder.compare("7", "007")).isPositive(); // one number, two spellings: string order
    }

    @Test
    void recentlyPopularCountsTheExactWindowEndingAtTheScoredEventAndFillsFromPopular() {
        Popularity p = new Popularity();
        RecentlyPopular rp = new RecentlyPopular(p, Duration.ofHours(3));
        feed(p, rp, view("c1", "1", 0), view("c2", "1", H), view("c1", "2", 2 * H), view("c2", "3", 2 * H),
                view("c3", "3", 2 * H + 1));
        rp.advance(3 * H, null); // (0, 3h]: the event at 0 has left
        assertThat(rp.recommend("c", 10, Set.of())).containsExactly("3", "1", "2"); // 3: 2; 1 and 2: 1, 1 more popular
        rp.advance(4 * H, null); // (1h, 4h]: 1's second event left too
        assertThat(rp.recommend("c", 10, Set.of())).containsExactly("3", "2", "1"); // 1 only as the fill
        assertThat(rp.recommend("c", 2, Set.of("3"))).containsExactly("2", "1");
        assertThatThrownBy(() -> new RecentlyPopular(p, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void coOccurrenceCountsEntriesCumulativelyOverTheWholeWindowOwnPairsIncluded() {
        Popularity p = new Popularity();
        CoOccurrence co = new CoOccurrence(p, 2);
        feed(p, co, view("c1", "1", 1), view("c1", "2", 2)); //          c1 [1 2]: c(1,2) = 1
        feed(p, co, view("c1", "3", 3)); //                                  1 leaves (c(1,2) stays), c1 [2 3]: c(2,3) = 1
        feed(p, co, view("c1", "3", 4)); //                                  3 again: no new pair
        feed(p, co, interaction("c2", "1", "remove_from_cart", 5), view("c2", "2", 6)); // removals learn: c(1,2) = 2
        assertThat(co.count("1", "2")).isEqualTo(2);
        assertThat(co.count("2", "3")).isEqualTo(1);
        assertThat(co.count("1", "3")).isZero();
        // c1 [2 3]: from 2: 1 (2), 3 (1); from 3: 2 (1) -> 1 2, 2 1, 3 1; ties by popularity (3: 2 events, 2: 2 events) then id
        assertThat(co.recommend("c1", 3, Set.of())).containsExactly("1", "2", "3");
        assertThat(co.recommend("c1", 3, Set.of("2", "3"))).containsExactly("1");
        assertThat(co.recommend("nobody", 2, Set.of())).containsExactly("1", "2"); // popular: 2 events each, by id
    }

    @Test
    void itemCosineScoresWindowedWeightsWithExactIntegerNorms() {
        Popularity p = new Popularity();
        ItemCosine cos = new ItemCosine(p, 2);
        feed(p, cos, view("a", "1", 1), interaction("a", "2", "add_to_cart", 2)); // r(a,1)=1, r(a,2)=3
        feed(p, cos, view("b", "1", 3), view("b", "3", 4)); //                       r(b,1)=1, r(b,3)=1
        feed(p, cos, view("c", "1", 5));
        // n(1) = 3 (a, b, c), n(2) = 9, n(3) = 1; d(1,2) = 3, d(1,3) = 1
        // c: [1] -> 2: 1·3/√27, 3: 1·1/√3: equal in exact arithmetic, compared as the doubles computed
        double s2 = 1 * (3.0 / Math.sqrt(27.0));
        double s3 = 1 * (1.0 / Math.sqrt(3.0));
        List<String> expected = s2 > s3 ? List.of("2", "3") : s2 < s3 ? List.of("3", "2") : List.of("2", "3");
        assertThat(cos.recommend("c", 2, Set.of("1"))).isEqualTo(expected);
        feed(p, cos, view("a", "4", 6)); // a's window [2 4]: 1 leaves, d(1,2) back to 0
        assertThat(cos.recommend("c", 2, Set.of("1"))).startsWith("3");
        assertThatThrownBy(() -> ItemCosine.weight("return")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void vsknnUsesTheDataSessionKeyOnEveryKindOfEventElseTheGap() {
        Popularity p = new Popularity();
        Vsknn v = new Vsknn(p, 10, 10, Duration.ofMinutes(30));
        InputEvent o = order("a", "2", 2);
        InputEvent keyedOrder = new InputEvent(o.topic(), o.key(), o.value(), o.eventId(), o.customerKey(), o.itemId(),
                o.action(), o.eventTimeMs(), "s1");
        InputEvent first = view("a", "1", 1);
        feed(p, v, new InputEvent(first.topic(), first.key(), first.value(), first.eventId(), first.customerKey(),
                first.itemId(), first.action(), 1, "s1"), keyedOrder);
        // b's session [1]: a's session {1, 2} is the neighbour; 2 and 1 are scored (remind), 1 excluded here
        InputEvent b1 = view("b", "1", 3);
        feed(p, v, new InputEvent(b1.topic(), b1.key(), b1.value(), b1.eventId(), b1.customerKey(), b1.itemId(),
                b1.action(), 3, "s2"));
        v.advance(4, "s2");
        assertThat(v.recommend("b", 1, Set.of("1"))).containsExactly("2");
        v.advance(4, "s3"); // another key: no current session, the popular items
        assertThat(v.recommend("b", 2, Set.of())).containsExactly("1", "2");
        // without keys: the gap decides
        Vsknn g = new Vsknn(p, 10, 10, Duration.ofMinutes(30));
        feed(p, g, view("x", "7", 0), view("x", "8", 60_000), view("y", "7", 120_000));
        g.advance(120_000 + 29 * 60_000, null);
        assertThat(g.recommend("y", 1, Set.of("7"))).containsExactly("8");
        g.advance(120_000 + 30 * 60_000, null); // 30 minutes later: a new session
        assertThat(g.recommend("y", 1, Set.of("7"))).containsExactly("1");
    }

    @Test
    void exactSumIsCorrectlyRoundedAndOrderFree() {
        ExactSum tenths = new ExactSum();
        double naive = 0;
        for (int i = 0; i < 10; i++) {
            tenths.add(0.1);
            naive += 0.1;
        }
        assertThat(naive).isNotEqualTo(1.0);
        assertThat(tenths.value()).isEqualTo(1.0); // math.fsum([0.1] * 10) == 1.0
        ExactSum cancel = new ExactSum();
        cancel.add(1e100);
        cancel.add(1.0);
        cancel.add(-1e100);
        cancel.add(1e-100);
        assertThat(cancel.value()).isEqualTo(1.0);
        // half-even: 1 + 2^-53 + 2^-106 rounds up (Python: fsum([1.0, 2**-53, 2**-106]) == 1.0000000000000002)
        ExactSum half = new ExactSum();
        half.add(1.0);
        half.add(Math.scalb(1.0, -53));
        half.add(Math.scalb(1.0, -106));
        assertThat(half.value()).isEqualTo(Math.nextUp(1.0));
        assertThat(new ExactSum().value()).isZero();
    }
}
