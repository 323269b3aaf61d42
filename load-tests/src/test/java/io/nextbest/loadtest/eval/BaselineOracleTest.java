package io.nextbest.loadtest.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.loadtest.InputEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/** The incremental baselines against naive recomputations on random streams. */
class BaselineOracleTest {
    private static final String[] ACTIONS = {"view", "view", "view", "click", "add_to_cart", "wishlist", "order",
        "remove_from_cart"};

    private static List<InputEvent> randomStream(Random rnd, int n, int customers, int items, long maxGapMs) {
        List<InputEvent> out = new ArrayList<>(n);
        long t = rnd.nextInt(1_000_000);
        for (int i = 0; i < n; i++) {
            t += (long) (rnd.nextDouble() * rnd.nextDouble() * maxGapMs);
            String c = "c" + rnd.nextInt(customers);
            // skewed popularity: low item numbers are more frequent
            String item = "i" + (int) (items * Math.pow(rnd.nextDouble(), 2));
            String action = ACTIONS[rnd.nextInt(ACTIONS.length)];
            out.add(action.equals("order") ? Events.order(c, item, t) : Events.interaction(c, item, action, t));
        }
        return out;
    }

    /** Count desc, item id asc; top k. */
    private static List<String> rank(Map<String, Long> scores, int k, Set<String> skip) {
        List<String> items = new ArrayList<>();
        scores.entrySet().stream()
                .filter(e -> e.getValue() > 0 && !skip.contains(e.getKey()))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(k)
                .forEach(e -> items.add(e.getKey()));
        return items;
    }

    @RepeatedTest(5)
    void recentlyPopularEqualsARecountOverTheWindow(RepetitionInfo info) {
        Random rnd = new Random(1000 + info.getCurrentRepetition());
        Duration window = Duration.ofMinutes(60);
        int buckets = 6;
        long width = window.toMillis() / buckets;
        RecentlyPopular p = new RecentlyPopular(window, buckets);
        List<InputEvent> learned = new ArrayList<>();
        for (InputEvent e : randomStream(rnd, 2_000, 20, 40, 4 * 60_000)) {
            p.learn(e);
            learned.add(e);
            long newest = Math.floorDiv(e.eventTimeMs(), width);
            Map<String, Long> counts = new HashMap<>();
            for (InputEvent x : learned) {
                if (x.scorable() && Math.floorDiv(x.eventTimeMs(), width) > newest - buckets) {
                    counts.merge(x.itemId(), 1L, Long::sum);
                }
            }
            assertThat(p.recommend("any", 10)).as("after %s", e.eventId()).isEqualTo(rank(counts, 10, Set.of()));
        }
    }

    @RepeatedTest(5)
    void coOccurrenceEqualsARecomputationFromTheWindows(RepetitionInfo info) {
        Random rnd = new Random(2000 + info.getCurrentRepetition());
        int recent = 4;
        int query = 2;
        CoOccurrence co = new CoOccurrence(recent, query, 0);
        Map<String, List<String>> windows = new LinkedHashMap<>();
        Map<String, Long> popularity = new HashMap<>();
        List<InputEvent> stream = randomStream(rnd, 600, 8, 15, 1000);
        for (int n = 0; n < stream.size(); n++) {
            InputEvent e = stream.get(n);
            co.learn(e);
            if (e.scorable()) {
                List<String> w = windows.computeIfAbsent(e.customerKey(), c -> new ArrayList<>());
                w.remove(e.itemId());
                w.add(e.itemId());
                if (w.size() > recent) {
                    w.remove(0);
                }
                popularity.merge(e.itemId(), 1L, Long::sum);
            }
            if (n % 7 != 0) {
                continue;
            }
            // batch: co(i, j) = customers whose window holds both
            Map<String, Map<String, Long>> batch = new HashMap<>();
            for (List<String> w : windows.values()) {
                for (String i : w) {
                    for (String j : w) {
                        if (!i.equals(j)) {
                            batch.computeIfAbsent(i, x -> new HashMap<>()).merge(j, 1L, Long::sum);
                        }
                    }
                }
            }
            for (int i = 0; i < 15; i++) {
                for (int j = 0; j < 15; j++) {
                    long expected = i == j ? 0 : batch.getOrDefault("i" + i, Map.of()).getOrDefault("i" + j, 0L);
                    assertThat((long) co.count("i" + i, "i" + j)).as("co(i%d, i%d) after %d events", i, j, n + 1)
                            .isEqualTo(expected);
                }
            }
            for (int c = 0; c < 9; c++) { // c8 is never in the stream: popular only
                String customer = "c" + c;
                List<String> w = windows.getOrDefault(customer, List.of());
                Set<String> own = new HashSet<>(w);
                Map<String, Long> scores = new HashMap<>();
                for (int q = w.size() - 1; q >= Math.max(0, w.size() - query); q--) {
                    for (Map.Entry<String, Long> nb : batch.getOrDefault(w.get(q), Map.of()).entrySet()) {
                        scores.merge(nb.getKey(), nb.getValue() - (own.contains(nb.getKey()) ? 1 : 0), Long::sum);
                    }
                }
                int k = 6;
                List<String> expected = rank(scores, k, Set.of());
                expected.addAll(rank(popularity, k - expected.size(), new HashSet<>(expected)));
                assertThat(co.recommend(customer, k)).as("%s after %d events", customer, n + 1).isEqualTo(expected);
            }
        }
    }

}
