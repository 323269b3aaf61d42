package io.nextbest.job.trending;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LeaderboardTest {
    private static final int OFFERS = 6_000;


    /**
     * The oracle: random offers, each item's score only growing (as forward-decayed sums do), many
     * ties; after every offer the board's top n equals the top n of a full sort of every item's
     * latest score (best first, ties by item id), and offer() says whether the board changed.
     */
    @ParameterizedTest(name = "capacity {0}, {1} items, seed {2}")
    @CsvSource({"10, 200, 1", "10, 11, 2", "25, 150, 3", "50, 120, 4", "1, 20, 5", "2, 3, 6", "300, 900, 7"})
    void topEqualsTheTopOfAFullSortOfLatestScores(int capacity, int items, long seed) {
        checkAgainstFullSort(capacity, i -> "item-" + i, items, seed);
    }

    /**
     * The same oracle where every item id has the same hash code ("Aa" and "BB" collide, and so do
     * their concatenations): one long probe run in the board's index, items leaving from its middle.
     */
    @ParameterizedTest(name = "capacity {0}, seed {1}")
    @CsvSource({"10, 11", "25, 12", "63, 13"})
    void collidingItemIdsKeepTheSameTopList(int capacity, long seed) {
        checkAgainstFullSort(capacity, LeaderboardTest::colliding, 64, seed);
    }

    private static String colliding(int i) {
        StringBuilder s = new StringBuilder();
        for (int bit = 0; bit < 6; bit++) {
            s.append((i >> bit & 1) == 0 ? "Aa" : "BB");
        }
        return s.toString();
    }

    private static void checkAgainstFullSort(int capacity, IntFunction<String> itemName, int items, long seed) {
        Random rnd = new Random(seed);
        Leaderboard board = new Leaderboard(capacity);
        Map<String, Double> latest = new HashMap<>();
        int changes = 0;
        List<Map.Entry<String, Double>> before = List.of();

        for (int n = 0; n < OFFERS; n++) {
            String item = itemName.apply(rnd.nextInt(items));
            Double current = latest.get(item);
            // whole steps make ties across items frequent; a zero step re-offers the same score
            double score = (current == null ? rnd.nextInt(20) : current) + rnd.nextInt(3);
            latest.merge(item, score, Math::max);
            List<Map.Entry<String, Double>> after = fullSortTop(latest, capacity);

            boolean changed = board.offer(item, score);

            assertThat(changed).as("offer %d (%s, %s) changed the board", n, item, score)
                    .isEqualTo(!before.equals(after));
            changes += changed ? 1 : 0;
            before = after;
            if (n % 50 == 0 || n > OFFERS - 100) {
                assertThat(board.top(capacity)).as("board after %d offers", n).isEqualTo(after);
                int k = 1 + rnd.nextInt(capacity + 5);
                assertThat(board.top(k)).isEqualTo(after.subList(0, Math.min(k, after.size())));
                assertThat(board.size()).isEqualTo(Math.min(capacity, latest.size()));
            }
        }
        assertThat(changes).isBetween(100, OFFERS - 100); // both paths taken
    }

    @Test
    void tiesBreakByItemIdAndAnItemPushedOutComesBackWhenItBeatsTheLowest() {
        Leaderboard board = new Leaderboard(2);

        assertThat(board.offer("b", 5)).isTrue();
        assertThat(board.offer("c", 5)).isTrue();
        assertThat(board.offer("a", 5)).isTrue();  // a ties with c and wins on id: c leaves
        assertThat(board.top(3)).extracting(Map.Entry::getKey).containsExactly("a", "b");
        assertThat(board.offer("d", 5)).isFalse(); // d loses the tie to b
        assertThat(board.offer("b", 5)).isFalse(); // no growth, no change
        assertThat(board.offer("c", 6)).isTrue();  // c is back, b leaves
        assertThat(board.top(2)).containsExactly(Map.entry("c", 6.0), Map.entry("a", 5.0));
        assertThat(board.offer("a", 7)).isTrue();
        assertThat(board.top(2)).containsExactly(Map.entry("a", 7.0), Map.entry("c", 6.0));
        assertThat(board.top(0)).isEmpty();
    }

    @Test
    void anItemOnTheBoardMovesInPlace() {
        Leaderboard board = new Leaderboard(3);
        board.offer("a", 1);
        board.offer("b", 2);
        board.offer("c", 3);
        for (int step = 1; step <= 10_000; step++) { // each item overtakes the others in turn
            String item = "abc".substring(step % 3, step % 3 + 1);
            assertThat(board.offer(item, 3 + step)).isTrue();
            assertThat(board.size()).isEqualTo(3);
        }
        assertThat(board.top(3)).containsExactly(
                Map.entry("b", 10_003.0), Map.entry("a", 10_002.0), Map.entry("c", 10_001.0));
        assertThat(board.offer("d", 10_001)).isFalse(); // ties with c, loses on id
        assertThat(board.offer("d", Double.NaN)).isFalse();
        assertThat(board.offer("a", Double.NaN)).isFalse();
        assertThat(board.offer("d", 10_001.5)).isTrue(); // c leaves
        assertThat(board.top(3)).extracting(Map.Entry::getKey).containsExactly("b", "a", "d");
    }

    /** Best first, ties by item id. */
    private static final Comparator<Map.Entry<String, Double>> FULL_SORT =
            Comparator.<Map.Entry<String, Double>>comparingDouble(Map.Entry::getValue).reversed()
                    .thenComparing(Map.Entry::getKey);

    private static List<Map.Entry<String, Double>> fullSortTop(Map<String, Double> latest, int n) {
        List<Map.Entry<String, Double>> all = new ArrayList<>();
        latest.forEach((k, v) -> all.add(Map.entry(k, v)));
        all.sort(FULL_SORT);
        return List.copyOf(all.subList(0, Math.min(n, all.size())));
    }
}
