package io.nextbest.loadtest.eval;

import io.nextbest.generator.InputEvent;
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
 * Prequential (test-then-train) accuracy of the engine and of baselines, side by side, with the
 * protocol of the reference evaluator ({@code shared/tools/prequential_ref.py}).
 *
 * <p>Feed every event in event-time order to {@link #observe}. For each customer event the
 * baselines first {@linkplain Recommender#advance advance} to its time and session. When the event
 * is {@linkplain InputEvent#scorable() scorable} (an interaction or order on an item; not a removal,
 * return, cancellation or search) and the customer had an earlier event, every list is scored
 * against the event's item <em>before</em> anyone learns from it: a hit at k when the item is among
 * the first k, reciprocal rank 1/rank when it is. Then the shared {@link Popularity} counts the event,
 * the customer's seen items take its item, and every baseline learns (every interaction kind,
 * remove_from_cart included, and orders: learned, the removal never scored).
 *
 * <p>List modes ({@link ListMode}), all in the same pass: each baseline ranks its top 20 once with
 * the customer's seen items excluded (every item of an earlier event) and once with nothing
 * excluded, as the reference's two runs do; and, when an active engine rule is given
 * ({@link Exclusion#like}), once more with the engine's basket + recently bought exclusion, to
 * compare with the engine's lists as served. The engine's lists are scored as given, one per mode
 * the evaluator was built with ({@link #observeEngineModes}).
 *
 * <p>Variants: {@link Variant#ALL} every scored event, {@link Variant#NOVEL} those whose item the
 * customer never touched before.
 *
 * <p>Cold items: an item is <em>cold</em> at a scored event when fewer than {@code coldThreshold}
 * events on it came before that event in the stream — every interaction of any type (view, click,
 * add_to_cart, remove_from_cart, wishlist, …) and every order, from all customers, not counting the
 * scored event itself. Each list's cold share is the share of the entries of its scored top-20
 * lists that were cold (see {@link RecommenderMetrics#coldShare()}).
 *
 * <p>Catalog records ({@code catalog} topic) are counted apart ({@link EvaluationResult#catalogRecords()}):
 * they are neither scored, nor learned, nor counted as events or interactions of their item.
 *
 * <p>Memory grows with the stream: the items each customer interacted with (for the exclusion and
 * the novel variant), the distinct items seen and suggested with their event counts, and 8 bytes + 1
 * bit per list column per scored event (for the figures over time).
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

    /** Events before this event time are learned from, not scored ({@link #scoreFrom}). */
    private long scoreFromMs = Long.MIN_VALUE;

    /** One scored list per event: a recommender (null for the engine) in a mode. */
    private record Column(String name, Recommender recommender, ListMode mode) {}

    private final List<ListMode> engineModes;
    private final Baselines baselines;
    private final Exclusion exclusion;
    private final int timeBuckets;
    private final int coldThreshold;
    private final List<String> names = new ArrayList<>();
    private final List<Column> columns = new ArrayList<>();
    /** [column][variant]. */
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

    /** No engine rule, {@value #DEFAULT_TIME_BUCKETS} time buckets, cold threshold {@value #DEFAULT_COLD_THRESHOLD}. */
    public PrequentialEvaluator(boolean scoreEngine, List<Recommender> baselines) {
        this(scoreEngine, Baselines.of(baselines));
    }

    /** No engine rule, {@value #DEFAULT_TIME_BUCKETS} time buckets, cold threshold {@value #DEFAULT_COLD_THRESHOLD}. */
    public PrequentialEvaluator(boolean scoreEngine, Baselines baselines) {
        this(scoreEngine, baselines, Exclusion.none(), DEFAULT_TIME_BUCKETS, DEFAULT_COLD_THRESHOLD);
    }

    /** With a cold threshold of {@value #DEFAULT_COLD_THRESHOLD}. */
    public PrequentialEvaluator(boolean scoreEngine, List<Recommender> baselines, Exclusion exclusion, int timeBuckets) {
        this(scoreEngine, Baselines.of(baselines), exclusion, timeBuckets, DEFAULT_COLD_THRESHOLD);
    }

    /** Baselines that share no popularity (test doubles). */
    public PrequentialEvaluator(boolean scoreEngine, List<Recommender> baselines, Exclusion exclusion, int timeBuckets,
            int coldThreshold) {
        this(scoreEngine, Baselines.of(baselines), exclusion, timeBuckets, coldThreshold);
    }

    /**
     * @param scoreEngine whether the engine's lists as served (the second argument of
     *     {@link #observe(InputEvent, List)}, mode {@link ListMode#ENGINE_RULE}) are scored; false to
     *     evaluate baselines alone
     */
    public PrequentialEvaluator(boolean scoreEngine, Baselines baselines, Exclusion exclusion, int timeBuckets,
            int coldThreshold) {
        this(scoreEngine ? List.of(ListMode.ENGINE_RULE) : List.of(), baselines, exclusion, timeBuckets, coldThreshold);
    }

    /**
     * @param engineModes the engine lists given with each event ({@link #observeEngineModes}),
     *     none to evaluate baselines alone
     * @param baselines evaluated in this order; their names must differ from each other and from
     *     {@value #ENGINE}
     * @param exclusion the engine's rule; when {@linkplain Exclusion#isActive() active} the baselines
     *     are also scored under it (use a fresh one per evaluator: it learns)
     * @param timeBuckets how many event-time slices the figures over time have
     * @param coldThreshold a suggested item with fewer earlier interactions and orders than this is
     *     cold (0: none is)
     */
    public PrequentialEvaluator(List<ListMode> engineModes, Baselines baselines, Exclusion exclusion, int timeBuckets,
            int coldThreshold) {
        if (timeBuckets < 1) {
            throw new IllegalArgumentException("timeBuckets must be >= 1");
        }
        if (coldThreshold < 0) {
            throw new IllegalArgumentException("coldThreshold must be >= 0");
        }
        if (new HashSet<>(engineModes).size() != engineModes.size()) {
            throw new IllegalArgumentException("engine modes repeat: " + engineModes);
        }
        this.coldThreshold = coldThreshold;
        this.engineModes = List.copyOf(engineModes);
        this.baselines = baselines;
        this.exclusion = exclusion;
        this.timeBuckets = timeBuckets;
        if (!engineModes.isEmpty()) {
            names.add(ENGINE);
            for (ListMode m : ListMode.values()) {
                if (engineModes.contains(m)) {
                    columns.add(new Column(ENGINE, null, m));
                }
            }
        }
        for (Recommender r : baselines.recommenders()) {
            if (names.contains(r.name())) {
                throw new IllegalArgumentException("two recommenders are named '" + r.name() + "'");
            }
            names.add(r.name());
            columns.add(new Column(r.name(), r, ListMode.SEEN_EXCLUDED));
            columns.add(new Column(r.name(), r, ListMode.SEEN_INCLUDED));
            if (exclusion.isActive()) {
                columns.add(new Column(r.name(), r, ListMode.ENGINE_RULE));
            }
        }
        tallies = new Tally[columns.size()][Variant.values().length];
        hit20 = new BitSet[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            for (Variant v : Variant.values()) {
                tallies[c][v.ordinal()] = new Tally();
            }
            hit20[c] = new BitSet();
        }
    }

    /** The reference's five baselines with their defaults ({@link Baselines#standard()}). */
    public static Baselines standardBaselines() {
        return Baselines.standard();
    }

    /**
     * Scores the next event against the engine's list as served and the baselines' lists, then
     * learns from it.
     *
     * @param e the next event; its event time must not be before the previous event's
     * @param engineList the engine's latest list for {@code e}'s customer emitted before {@code e},
     *     best first; null when there was none (ignored unless the engine is scored)
     */
    public void observe(InputEvent e, List<String> engineList) {
        if (engineModes.size() > 1) {
            throw new IllegalStateException("the engine has lists in " + engineModes.size() + " modes: use observeEngineModes");
        }
        observeEngineModes(e, engineModes.isEmpty() || engineList == null ? Map.of() : Map.of(engineModes.get(0), engineList));
    }

    /**
     * Scores the next event against these engine lists (one per engine mode, best first; a missing
     * one scores as an empty list) and the baselines' lists, then learns from it. This is the call
     * for a replay that computes the engine's lists itself.
     *
     * @param e the next event; its event time must not be before the previous event's
     */
    /**
     * Scores only events at or after this event time; everyone still learns from the earlier ones. For
     * settings chosen on the first part of a data set and reported on the rest.
     */
    public void scoreFrom(long eventTimeMs) {
        this.scoreFromMs = eventTimeMs;
    }

    public void observeEngineModes(InputEvent e, Map<ListMode, List<String>> engineLists) {
        if (e.action().equals(InputEvent.CATALOG)) {
            catalogRecords++;
            return;
        }
        observed++;
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
        boolean learned = learned(e);
        if (learned || (activity && e.scorable())) {
            for (Recommender b : baselines.recommenders()) {
                b.advance(e.eventTimeMs(), e.sessionKey());
            }
        }
        Set<String> seen = activity ? history.get(customer) : null;
        if (e.scorable() && seen != null && e.eventTimeMs() >= scoreFromMs) {
            score(e, engineLists, seen);
        }

        if (learned) {
            baselines.popularity().learn(e.itemId());
        }
        if (activity) {
            customers.add(customer);
            Set<String> mine = history.computeIfAbsent(customer, c -> new HashSet<>());
            if (e.itemId() != null) {
                mine.add(e.itemId());
                items.add(e.itemId());
            }
        }
        if (learned) {
            for (Recommender b : baselines.recommenders()) {
                b.learn(e);
            }
            itemEvents.merge(e.itemId(), 1, Integer::sum);
        }
        exclusion.learn(e);
    }

    /**
     * Every interaction on an item (any type) and every order: what the baselines and the shared
     * popularity learn, and what makes an item less cold. Returns and cancellations are not.
     */
    private static boolean learned(InputEvent e) {
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

    private void score(InputEvent e, Map<ListMode, List<String>> engineLists, Set<String> seen) {
        int index = (int) scored;
        if (index == scoredTimes.length) {
            scoredTimes = Arrays.copyOf(scoredTimes, index * 2);
        }
        scoredTimes[index] = e.eventTimeMs();
        scored++;
        boolean isNovel = !seen.contains(e.itemId());
        if (isNovel) {
            novel++;
        }
        Set<String> rule = null;
        for (int c = 0; c < columns.size(); c++) {
            Column col = columns.get(c);
            List<String> list;
            if (col.recommender() == null) {
                List<String> l = engineLists.get(col.mode());
                list = l == null ? List.of() : l.size() <= LIST_SIZE ? l : l.subList(0, LIST_SIZE);
            } else {
                Set<String> exclude = switch (col.mode()) {
                    case SEEN_EXCLUDED -> seen;
                    case SEEN_INCLUDED -> Set.of();
                    case ENGINE_RULE -> rule != null ? rule : (rule = exclusion.excluded(e.customerKey()));
                };
                list = col.recommender().recommend(e.customerKey(), LIST_SIZE, exclude);
            }
            tally(c, index, list, e.itemId(), isNovel);
        }
    }

    private void tally(int c, int index, List<String> list, String item, boolean isNovel) {
        int rank = list.indexOf(item) + 1; // 0: not in the list
        int cold = cold(list);
        tallies[c][Variant.ALL.ordinal()].add(rank, list, cold);
        if (isNovel) {
            tallies[c][Variant.NOVEL.ordinal()].add(rank, list, cold);
        }
        if (rank > 0) {
            hit20[c].set(index);
        }
    }

    /** The figures so far. */
    public EvaluationResult result() {
        List<RecommenderMetrics> metrics = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            for (Variant v : Variant.values()) {
                metrics.add(tallies[c][v.ordinal()].metrics(columns.get(c).name(), columns.get(c).mode(), v, items));
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
        long[][] hits = new long[columns.size()][timeBuckets];
        for (int i = 0; i < scored; i++) {
            int b = (int) Math.min(timeBuckets - 1, multiplyDiv(scoredTimes[i] - firstMs, timeBuckets, span));
            count[b]++;
            for (int r = 0; r < columns.size(); r++) {
                if (hit20[r].get(i)) {
                    hits[r][b]++;
                }
            }
        }
        List<EvaluationResult.TimeBucket> out = new ArrayList<>(timeBuckets);
        for (int b = 0; b < timeBuckets; b++) {
            Map<String, Double> rates = new LinkedHashMap<>();
            for (int r = 0; r < columns.size(); r++) {
                rates.put(RecommenderMetrics.column(columns.get(r).name(), columns.get(r).mode()), count[b] == 0 ? Double.NaN : (double) hits[r][b] / count[b]);
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

        RecommenderMetrics metrics(String name, ListMode mode, Variant v, Set<String> itemsSeen) {
            int covered = 0;
            for (String item : suggested) {
                if (itemsSeen.contains(item)) {
                    covered++;
                }
            }
            return new RecommenderMetrics(name, mode, v, scored, hits10, hits20, rate(hits10, scored), rate(hits20, scored),
                    scored == 0 ? 0 : rr10 / scored, scored == 0 ? 0 : rr20 / scored, withList, rate(withList, scored),
                    covered, rate(covered, itemsSeen.size()), listed, coldListed, rate(coldListed, listed));
        }

        private static double rate(long n, long d) {
            return d == 0 ? 0 : (double) n / d;
        }
    }
}
