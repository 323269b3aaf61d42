package io.nextbest.loadtest.eval;

import static io.nextbest.loadtest.eval.Events.interaction;
import static io.nextbest.loadtest.eval.Events.order;
import static io.nextbest.loadtest.eval.Events.returned;
import static io.nextbest.loadtest.eval.Events.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each baseline on scripted input, with the exact lists worked out by hand. */
class BaselinesTest {
    private static final long H = 3_600_000;

    @Test
    void mostPopularCountsInteractionsAndBreaksTiesByItemId() {
        MostPopular p = new MostPopular();
        assertThat(p.recommend("anyone", 5)).isEmpty();
        p.learn(view("c1", "B", 1));
        p.learn(view("c2", "B", 2));
        p.learn(view("c1", "C", 3));
        p.learn(order("c3", "A", 4));
        p.learn(interaction("c1", "C", "remove_from_cart", 5)); // not an interaction that counts
        p.learn(returned("c3", "A", 6)); //                          neither is a return
        p.learn(interaction("c1", "D", "wishlist", 7));
        p.learn(interaction("c1", "D", "click", 8));
        p.learn(interaction("c1", "D", "add_to_cart", 9));
        // D 3, B 2, A 1, C 1
        assertThat(p.recommend("c1", 3)).containsExactly("D", "B", "A");
        assertThat(p.recommend("someone else", 10)).containsExactly("D", "B", "A", "C");
        assertThat(p.count("C")).isEqualTo(1);
        assertThat(p.top(2, java.util.Set.of("D"))).containsExactly("B", "A");
    }

    @Test
    void recentlyPopularCountsTheBucketsOfItsWindow() {
        RecentlyPopular p = new RecentlyPopular(Duration.ofHours(3), 3); // buckets of an hour
        assertThat(p.name()).isEqualTo("recently-popular-3h");
        p.learn(view("c1", "A", 30 * 60_000)); //           bucket 0
        p.learn(view("c2", "A", 40 * 60_000)); //           bucket 0
        p.learn(view("c1", "B", H + 10 * 60_000)); //       bucket 1
        p.learn(view("c1", "C", 2 * H + 20 * 60_000)); //   bucket 2
        p.learn(view("c2", "B", 2 * H + 30 * 60_000)); //   bucket 2
        p.learn(interaction("c2", "C", "remove_from_cart", 2 * H + 31 * 60_000)); // not counted
        assertThat(p.recommend("c1", 5)).containsExactly("A", "B", "C"); // A 2, B 2, C 1
        p.learn(view("c3", "C", 3 * H + 5 * 60_000)); //    bucket 3: bucket 0 (A, A) leaves
        assertThat(p.recommend("c1", 5)).containsExactly("B", "C"); // B 2, C 2
        p.learn(view("c3", "D", 5 * H)); //                 bucket 5: buckets 1 and 2 leave
        assertThat(p.recommend("c1", 5)).containsExactly("C", "D");
        p.learn(view("c3", "B", H)); //                     late, older than the window: ignored
        assertThat(p.recommend("c1", 5)).containsExactly("C", "D");
        p.learn(view("c3", "B", 4 * H + 10 * 60_000)); //   late but inside the window (bucket 4): counted
        assertThat(p.recommend("c1", 2)).containsExactly("B", "C");
        p.learn(view("c3", "E", 100 * H)); //               a long gap empties the window
        assertThat(p.recommend("c1", 5)).containsExactly("E");
        p.learn(interaction("c3", "E", "remove_from_cart", 103 * H)); // not counted, but moves the window on
        assertThat(p.recommend("c1", 5)).isEmpty();
        assertThat(new RecentlyPopular().name()).isEqualTo("recently-popular-24h");
        assertThatThrownBy(() -> new RecentlyPopular(Duration.ofMillis(10), 3)).hasMessageContaining("divisible");
    }

    @Test
    void coOccurrenceSumsOtherCustomersCountsOverTheNewestItemsAndFillsFromPopular() {
        CoOccurrence co = new CoOccurrence(3, 2, 0);
        assertThat(co.recommend("nobody", 3)).isEmpty();
        co.learn(view("c1", "A", 1));
        co.learn(view("c1", "B", 2));
        co.learn(view("c1", "C", 3)); // c1 [A B C]: AB AC BC = 1
        co.learn(view("c2", "A", 4));
        co.learn(view("c2", "B", 5)); // c2 [A B]: AB = 2
        co.learn(view("c3", "B", 6));
        co.learn(view("c3", "D", 7)); // c3 [B D]: BD = 1
        co.learn(interaction("c3", "A", "remove_from_cart", 8)); // ignored
        assertThat(co.count("A", "B")).isEqualTo(2);
        assertThat(co.count("B", "A")).isEqualTo(2);
        assertThat(co.count("A", "D")).isZero();

        // c2: query B, A; own {A, B}. From B: A 2-1, C 1, D 1. From A: B 2-1, C 1. -> C 2, A 1, B 1, D 1
        assertThat(co.recommend("c2", 3)).containsExactly("C", "A", "B");
        // c3: query D, B; own {B, D}. From D: B 1-1. From B: A 2, C 1, D 1-1. -> A 2, C 1; then popular B 3, A, C, D 1
        assertThat(co.recommend("c3", 4)).containsExactly("A", "C", "B", "D");
        // a customer never seen gets the popular items
        assertThat(co.recommend("c9", 2)).containsExactly("B", "A");

        co.learn(view("c1", "D", 9)); // c1 [B C D]: A leaves (AB 1, AC 0), D enters (BD 2, CD 1)
        assertThat(co.count("A", "B")).isEqualTo(1);
        assertThat(co.count("A", "C")).isZero();
        assertThat(co.count("B", "D")).isEqualTo(2);
        assertThat(co.count("C", "D")).isEqualTo(1);
        // c2: query B, A; own {A, B}. From B: A 1-1, C 1, D 2. From A: B 1-1.
        assertThat(co.recommend("c2", 2)).containsExactly("D", "C");

        co.learn(view("c1", "B", 10)); // B again: moves to the newest place, counts unchanged -> c1 [C D B]
        assertThat(co.count("B", "D")).isEqualTo(2);
        // c1: query B, D; own {B, C, D}. From B: A 1, C 1-1, D 2-1. From D: B 2-1, C 1-1. -> A 1, B 1, D 1
        assertThat(co.recommend("c1", 2)).containsExactly("A", "B");
    }

    @Test
    void coOccurrenceKeepsABoundedNumberOfNeighbours() {
        CoOccurrence co = new CoOccurrence(5, 1, 2);
        co.learn(view("c1", "A", 1));
        co.learn(view("c1", "B", 2));
        co.learn(view("c1", "C", 3)); // A: {B 1, C 1} (full)
        co.learn(view("c2", "A", 4));
        co.learn(view("c2", "B", 5)); // A: {B 2, C 1}
        co.learn(view("c3", "A", 6));
        co.learn(view("c3", "D", 7)); // A full: D replaces the oldest count-1 neighbour, C
        assertThat(List.of(co.count("A", "B"), co.count("A", "C"), co.count("A", "D"))).containsExactly(2, 0, 1);
        assertThat(co.count("C", "A")).isEqualTo(1); // C's own neighbours are C's business
        co.learn(view("c4", "D", 8));
        co.learn(view("c4", "A", 9)); // A: {B 2, D 2}
        co.learn(view("c5", "A", 10));
        co.learn(view("c5", "F", 11)); // A full without a count-1 neighbour: A-F is not tracked on A's side
        assertThat(List.of(co.count("A", "B"), co.count("A", "D"), co.count("A", "F"), co.count("F", "A")))
                .containsExactly(2, 2, 0, 1);
    }

    @Test
    void coOccurrenceValidatesItsParameters() {
        assertThatThrownBy(() -> new CoOccurrence(1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CoOccurrence(5, 6, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CoOccurrence(5, 2, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
