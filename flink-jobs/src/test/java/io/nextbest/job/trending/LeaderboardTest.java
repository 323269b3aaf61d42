package io.nextbest.job.trending;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
    @CsvSource({"10, 200, 1", "10, 11, 2", "25, 150, 3", "50, 120, 4", "1, 20, 5"})
    void topEqualsTheTopOfAFullSortOfLatestScores(int capacity, int items, long seed) {
        Random rnd = new Random(seed);
        Leaderboard board = new Leaderboard(capacity);
        Map<String, Double> latest = new HashMap<>();
        int changes = 0;
        List<Map.Entry<String, Double>> before = List.of();

        for (int n = 0; n < OFFERS; n++) {
            String item = "item-" + rnd.nextInt(items);
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
