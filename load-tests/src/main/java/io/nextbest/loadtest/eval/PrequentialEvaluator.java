package io.nextbest.loadtest.eval;

import io.nextbest.loadtest.InputEvent;
import io.nextbest.schemas.Topics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prequential (test-then-train) accuracy of the engine and of baselines, side by side, as in the
 * design's evaluation protocol.
 *
 * <p>Feed every event in event-time order to {@link #observe}, with the engine's latest list for
 * that customer emitted before the event. When the event is {@linkplain InputEvent#scorable()
 * scorable} (an interaction or order on an item; not a removal, return, cancellation or search) and
 * the customer had an earlier interaction or transaction, each recommender's list is scored against
 * the event's item <em>before</em> anyone learns from the event: a hit at k when the item is among
 * the first k, reciprocal rank 1/rank when it is. Then every baseline learns from the event
 * (remove_from_cart included: learned, never scored).
 *
 * <p>Fairness: the engine leaves the customer's basket and recently bought items out of its lists.
 * Baselines' lists get the same {@link Exclusion} (the engine's own customer logic, run on the same
 * events): each baseline is asked for 20 + |excluded| items, the excluded ones are removed and the
 * first 20 kept. The engine's list is scored as emitted.
 *
 * <p>Cold items: an item is <em>cold</em> at a scored event when fewer than {@code coldThreshold}
 * events on it came before that event in the stream — every interaction of any type (view, click,
 * add_to_cart, remove_from_cart, wishlist, …) and every order, from all customers, not counting the
 * scored event itself. Each recommender's cold share is the share of the entries of its scored top-20
 * lists that were cold (see {@link RecommenderMetrics#coldShare()}).
 *
 * <p>Catalog records ({@code catalog} topic) are passed on to the baselines, which ignore them, and
 * are counted apart ({@link EvaluationResult#catalogRecords()}): they are neither scored, nor counted
 * as events, nor as interactions of their item.
 *
 * <p>Memory grows with the stream: the items each customer interacted with (for the novel variant),
 * the distinct items seen and suggested with their event counts, and 8 bytes + 1 bit per recommender
 * per scored event (for the figures over time). Fine for replays of millions of events.
 */
public final class PrequentialEvaluator {
    /** Name of the engine's column. */
    public static final String ENGINE = "engine";
    /** The longest list scored. */
    public static final int LIST_SIZE = 20;
    /** Default number of event-time buckets of the figures over time. */
    public static final int DEFAULT_TIME_BUCKETS = 20;
    /** Default cold threshold: an item with fewer than this many earlier events is cold. */
    public static final int DEFAULT_COLD_THRESHOLD = 5;

    private final boolean scoreEngine;
    private final List<Recommender> baselines;
    private final Exclusion exclusion;
    private final int timeBuckets;
    private final int coldThreshold;
    private final List<String> names = new ArrayList<>();
    /** [recommender][variant]. */
    private final Tally[][] tallies;

    private final Map<String, Set<String>> history = new HashMap<>();
    private final Set<String> customers = new HashSet<>();
    private final Set<String> items = new HashSet<>();
    /** Per item, the interactions and orders on it so far (for the cold share). */
    private final Map<String, Integer> itemEvents = new HashMap<>();
    private long observed;
    private long catalogRecords;
    private long scored;
    private long novel;
    private long firstMs;
    private long lastMs = Long.MIN_VALUE;

    private long[] scoredTimes = new long[1024];
    private final BitSet[] hit20;

    /**
     * With the engine's default exclusion, {@value #DEFAULT_TIME_BUCKETS} time buckets and a cold
     * threshold of {@value #DEFAULT_COLD_THRESHOLD}.
     */
    public PrequentialEvaluator(boolean scoreEngine, List<Recommender> baselines) {
        this(scoreEngine, baselines, Exclusion.engineDefaults(), DEFAULT_TIME_BUCKETS);
    }

    /** With a cold threshold of {@value #DEFAULT_COLD_THRESHOLD}. */
    public PrequentialEvaluator(boolean scoreEngine, List<Recommender> baselines, Exclusion exclusion, int timeBuckets) {
        this(scoreEngine, baselines, exclusion, timeBuckets, DEFAULT_COLD_THRESHOLD);
    }

    /**
     * @param scoreEngine whether the engine's lists (the second argument of {@link #observe}) are
     *     scored; false to evaluate baselines alone
     * @param baselines evaluated in this order; their names must differ from each other and from
     *     {@value #ENGINE}
     * @param exclusion applied to the baselines' lists (use a fresh one per evaluator: it learns)
     * @param timeBuckets how many event-time slices the figures over time have
     * @param coldThreshold a suggested item with fewer earlier interactions and orders than this is
     *     cold (0: none is)
     */
    public PrequentialEvaluator(boolean scoreEngine, List<Recommender> baselines, Exclusion exclusion, int timeBuckets,
            int coldThreshold) {
        if (timeBuckets < 1) {
            throw new IllegalArgumentException("timeBuckets must be >= 1");
        }
        if (coldThreshold < 0) {
            throw new IllegalArgumentException("coldThreshold must be >= 0");
        }
        this.coldThreshold = coldThreshold;
        this.scoreEngine = scoreEngine;
        this.baselines = List.copyOf(baselines);
        this.exclusion = exclusion;
        this.timeBuckets = timeBuckets;
        if (scoreEngine) {
            names.add(ENGINE);
        }
        for (Recommender r : baselines) {
            if (names.contains(r.name())) {
                throw new IllegalArgumentException("two recommenders are named '" + r.name() + "'");
            }
            names.add(r.name());
        }
        tallies = new Tally[names.size()][Variant.values().length];
        hit20 = new BitSet[names.size()];
        for (int r = 0; r < names.size(); r++) {
            for (Variant v : Variant.values()) {
                tallies[r][v.ordinal()] = new Tally();
            }
            hit20[r] = new BitSet();
        }
    }

    /** Most popular, recently popular (24 h) and co-occurrence, with their defaults. */
    public static List<Recommender> standardBaselines() {
        return List.of(new MostPopular(), new RecentlyPopular(), new CoOccurrence());
    }

    /**
     * Scores, then learns from, the next event.
     *
     * @param e the next event; its event time must not be before the previous event's
     * @param engineList the engine's latest list for {@code e}'s customer emitted before {@code e},
     *     best first; null when there was none (ignored unless the engine is scored)
     */
    public void observe(InputEvent e, List<String> engineList) {
        if (e.action().equals(InputEvent.CATALOG)) {
            catalogRecords++;
        } else {
            observed++;
        }
        if (e.action().equals(InputEvent.BROKEN)) {
            return; // the job dead-letters it; nobody learns from it
        }
        if (e.eventTimeMs() < lastMs) {
            throw new IllegalArgumentException("event " + e.eventId() + " at " + e.eventTimeMs()
                    + " ms is before the previous event (" + lastMs + " ms): feed events in event-time order");
        }
        if (lastMs == Long.MIN_VALUE) {
            firstMs = e.eventTimeMs();
        }
        lastMs = e.eventTimeMs();

        String customer = e.customerKey();
        boolean activity = customer != null
                && (e.topic().equals(Topics.INTERACTIONS.name()) || e.topic().equals(Topics.TRANSACTIONS.name()));
        Set<String> seen = activity ? history.get(customer) : null;
        if (e.scorable() && seen != null) {
            score(e, engineList, !seen.contains(e.itemId()));
        }

        for (Recommender b : baselines) {
            b.learn(e);
        }
        exclusion.learn(e);
        if (activity) {
            customers.add(customer);
            Set<String> mine = history.computeIfAbsent(customer, c -> new HashSet<>());
            if (e.itemId() != null) {
                mine.add(e.itemId());
                items.add(e.itemId());
            }
        }
        if (countsForColdness(e)) {
            itemEvents.merge(e.itemId(), 1, Integer::sum);
        }
    }

    /** Every interaction on an item (any type) and every order: what makes an item less cold. */
    private static boolean countsForColdness(InputEvent e) {
        return e.itemId() != null && e.customerKey() != null
                && (e.topic().equals(Topics.INTERACTIONS.name()) || e.action().equals("order"));
    }

    /** How many entries of a list are cold now (before the event being scored is learned). */
    private int cold(List<String> list) {
        int n = 0;
        for (String item : list) {
            if (itemEvents.getOrDefault(item, 0) < coldThreshold) {
                n++;
            }
        }
        return n;
    }

    private void score(InputEvent e, List<String> engineList, boolean isNovel) {
        int index = (int) scored;
        if (index == scoredTimes.length) {
            scoredTimes = Arrays.copyOf(scoredTimes, index * 2);
        }
        scoredTimes[index] = e.eventTimeMs();
        scored++;
        if (isNovel) {
            novel++;
        }
        Set<String> excluded = exclusion.excluded(e.customerKey());
        int r = 0;
        if (scoreEngine) {
            tally(r++, index, engineList == null ? List.of() : top(engineList, Set.of()), e.itemId(), isNovel);
        }
        for (Recommender b : baselines) {
            List<String> list = b.recommend(e.customerKey(), LIST_SIZE + excluded.size());
            tally(r++, index, top(list, excluded), e.itemId(), isNovel);
        }
    }

    /** The first 20 items of a list that are not excluded. */
    private static List<String> top(List<String> list, Set<String> excluded) {
        if (excluded.isEmpty()) {
            return list.size() <= LIST_SIZE ? list : list.subList(0, LIST_SIZE);
        }
        List<String> out = new ArrayList<>(LIST_SIZE);
        for (String item : list) {
            if (out.size() == LIST_SIZE) {
                break;
            }
            if (!excluded.contains(item)) {
                out.add(item);
            }
        }
        return out;
    }

    private void tally(int r, int index, List<String> list, String item, boolean isNovel) {
        int rank = list.indexOf(item) + 1; // 0: not in the list
        int cold = cold(list);
        tallies[r][Variant.ALL.ordinal()].add(rank, list, cold);
        if (isNovel) {
            tallies[r][Variant.NOVEL.ordinal()].add(rank, list, cold);
        }
        if (rank > 0) {
            hit20[r].set(index);
        }
    }

    /** The figures so far. */
    public EvaluationResult result() {
        List<RecommenderMetrics> metrics = new ArrayList<>();
        for (int r = 0; r < names.size(); r++) {
            for (Variant v : Variant.values()) {
                metrics.add(tallies[r][v.ordinal()].metrics(names.get(r), v, items));
            }
        }
        return new EvaluationResult(
                List.copyOf(names),
                List.copyOf(metrics),
                exclusion.description(),
                coldThreshold,
                observed,
                catalogRecords,
                scored,
                novel,
                customers.size(),
                items.size(),
                lastMs == Long.MIN_VALUE ? 0 : firstMs,
                lastMs == Long.MIN_VALUE ? 0 : lastMs,
                overTime());
    }

    /**
     * {@link #timeBuckets} slices of [first, last] event time: bucket i is [first + ⌈i·span/n⌉,
     * first + ⌈(i+1)·span/n⌉) with span = last − first + 1 ms.
     */
    private List<EvaluationResult.TimeBucket> overTime() {
        if (lastMs == Long.MIN_VALUE) {
            return List.of();
        }
        long span = lastMs - firstMs + 1;
        long[] count = new long[timeBuckets];
        long[][] hits = new long[names.size()][timeBuckets];
        for (int i = 0; i < scored; i++) {
            int b = (int) Math.min(timeBuckets - 1, multiplyDiv(scoredTimes[i] - firstMs, timeBuckets, span));
            count[b]++;
            for (int r = 0; r < names.size(); r++) {
                if (hit20[r].get(i)) {
                    hits[r][b]++;
                }
            }
        }
        List<EvaluationResult.TimeBucket> out = new ArrayList<>(timeBuckets);
        for (int b = 0; b < timeBuckets; b++) {
            Map<String, Double> rates = new LinkedHashMap<>();
            for (int r = 0; r < names.size(); r++) {
                rates.put(names.get(r), count[b] == 0 ? Double.NaN : (double) hits[r][b] / count[b]);
            }
            out.add(new EvaluationResult.TimeBucket(firstMs + ceilMultiplyDiv(b, span, timeBuckets),
                    firstMs + ceilMultiplyDiv(b + 1, span, timeBuckets), count[b], Collections.unmodifiableMap(rates)));
        }
        return List.copyOf(out);
    }

    /** ⌊a·b/c⌋ without overflow for event-time spans. */
    private static long multiplyDiv(long a, long b, long c) {
        return java.math.BigInteger.valueOf(a).multiply(java.math.BigInteger.valueOf(b))
                .divide(java.math.BigInteger.valueOf(c)).longValueExact();
    }

    /** ⌈a·b/c⌉ for a, b, c ≥ 0. */
    private static long ceilMultiplyDiv(long a, long b, long c) {
        java.math.BigInteger[] qr = java.math.BigInteger.valueOf(a).multiply(java.math.BigInteger.valueOf(b))
                .divideAndRemainder(java.math.BigInteger.valueOf(c));
        return qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
    }

    /** The running figures of one recommender and variant. */
    private static final class Tally {
        long scored;
        long hits10;
        long hits20;
        double rr10;
        double rr20;
        long withList;
        long listed;
        long coldListed;
        final Set<String> suggested = new HashSet<>();

        void add(int rank, List<String> list, int cold) {
            scored++;
            if (!list.isEmpty()) {
                withList++;
                suggested.addAll(list);
            }
            listed += list.size();
            coldListed += cold;
            if (rank >= 1 && rank <= 10) {
                hits10++;
                rr10 += 1.0 / rank;
            }
            if (rank >= 1 && rank <= LIST_SIZE) {
                hits20++;
                rr20 += 1.0 / rank;
            }
        }

        RecommenderMetrics metrics(String name, Variant v, Set<String> itemsSeen) {
            int covered = 0;
            for (String item : suggested) {
                if (itemsSeen.contains(item)) {
                    covered++;
                }
            }
            return new RecommenderMetrics(name, v, scored, hits10, hits20, rate(hits10, scored), rate(hits20, scored),
                    scored == 0 ? 0 : rr10 / scored, scored == 0 ? 0 : rr20 / scored, withList, rate(withList, scored),
                    covered, rate(covered, itemsSeen.size()), listed, coldListed, rate(coldListed, listed));
        }

        private static double rate(long n, long d) {
            return d == 0 ? 0 : (double) n / d;
        }
    }
}
