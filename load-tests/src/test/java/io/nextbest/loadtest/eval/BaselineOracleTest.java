package io.nextbest.loadtest.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.generator.InputEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * The incremental baselines against naive recomputations from the raw event log on random streams
 * (every kind, equal times, small windows so that evictions happen). {@link ReferenceParityTest}
 * checks all five against the reference evaluator itself.
 */
class BaselineOracleTest {
    private static final String[] ACTIONS = {"view", "view", "view", "click", "add_to_cart", "wishlist", "order",
        "remove_from_cart"};

    private static List<InputEvent> randomStream(Random rnd, int n, int customers, int items, long maxGapMs) {
        List<InputEvent> out = new ArrayList<>(n);
        long t = rnd.nextInt(1_000_000);
        for (int i = 0; i < n; i++) {
            t += rnd.nextInt(3) == 0 ? 0 : (long) (rnd.nextDouble() * rnd.nextDouble() * maxGapMs);
            String c = "c" + rnd.nextInt(customers);
            String item = String.valueOf((int) (items * Math.pow(rnd.nextDouble(), 2))); // skewed popularity
            String action = ACTIONS[rnd.nextInt(ACTIONS.length)];
            out.add(action.equals("order") ? Events.order(c, item, t) : Events.interaction(c, item, action, t));
        }
        return out;
    }

    /** Score desc, popularity desc, integer id asc; top k, then the popular fill. */
    private static List<String> rank(Map<String, Long> scores, Map<String, Long> popularity, int k, Set<String> skip) {
        Comparator<String> order = Comparator.<String>comparingLong(j -> -scores.getOrDefault(j, 0L))
                .thenComparingLong(j -> -popularity.get(j)).thenComparingLong(Long::parseLong);
        List<String> out = new ArrayList<>(scores.keySet().stream()
                .filter(j -> scores.get(j) > 0 && !skip.contains(j)).sorted(order).limit(k).toList());
        Comparator<String> popular = Comparator.<String>comparingLong(j -> -popularity.get(j))
                .thenComparingLong(Long::parseLong);
        popularity.keySet().stream().filter(j -> !skip.contains(j) && !out.contains(j)).sorted(popular)
                .limit(k - out.size()).forEach(out::add);
        return out;
    }

    @RepeatedTest(5)
    void recentlyPopularAndCoOccurrenceEqualRecountsFromTheLog(RepetitionInfo info) {
        Random rnd = new Random(1000 + info.getCurrentRepetition());
        Duration window = Duration.ofMinutes(20);
        int windowSize = 4;
        Popularity p = new Popularity();
        RecentlyPopular recent = new RecentlyPopular(p, window);
        CoOccurrence co = new CoOccurrence(p, windowSize);
        List<InputEvent> log = new ArrayList<>();
        Map<String, Set<String>> seen = new HashMap<>();
        for (InputEvent e : randomStream(rnd, 800, 8, 25, 4 * 60_000)) {
            recent.advance(e.eventTimeMs(), null);
            if (seen.containsKey(e.customerKey())) {
                Map<String, Long> popularity = new HashMap<>();
                Map<String, Long> inWindow = new HashMap<>();
                for (InputEvent x : log) {
                    popularity.merge(x.itemId(), 1L, Long::sum);
                    if (x.eventTimeMs() > e.eventTimeMs() - window.toMillis()) {
                        inWindow.merge(x.itemId(), 1L, Long::sum);
                    }
                }
                // co-occurrence: replay every customer's window from the log, counting pairs at entries
                Map<String, List<String>> windows = new HashMap<>();
                Map<String, Long> pairs = new HashMap<>();
                for (InputEvent x : log) {
                    List<String> w = windows.computeIfAbsent(x.customerKey(), c -> new ArrayList<>());
                    if (w.remove(x.itemId())) {
                        w.add(x.itemId());
                        continue;
                    }
                    if (w.size() == windowSize) {
                        w.remove(0);
                    }
                    for (String j : w) {
                        pairs.merge(x.itemId() + ">" + j, 1L, Long::sum);
                        pairs.merge(j + ">" + x.itemId(), 1L, Long::sum);
                    }
                    w.add(x.itemId());
                }
                Map<String, Long> scores = new HashMap<>();
                for (String h : windows.getOrDefault(e.customerKey(), List.of())) {
                    pairs.forEach((pair, n) -> {
                        if (pair.startsWith(h + ">")) {
                            scores.merge(pair.substring(h.length() + 1), n, Long::sum);
                        }
                    });
                }
                for (Set<String> exclude : List.of(seen.get(e.customerKey()), Set.<String>of())) {
                    assertThat(recent.recommend(e.customerKey(), 6, exclude)).as("recently-popular before %s", e.eventId())
                            .isEqualTo(rank(inWindow, popularity, 6, exclude));
                    assertThat(co.recommend(e.customerKey(), 6, exclude)).as("co-occurrence before %s", e.eventId())
                            .isEqualTo(rank(scores, popularity, 6, exclude));
                }
            }
            p.learn(e.itemId());
            seen.computeIfAbsent(e.customerKey(), c -> new HashSet<>()).add(e.itemId());
            recent.learn(e);
            co.learn(e);
            log.add(e);
        }
    }
}
