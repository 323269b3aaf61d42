package io.nextbest.loadtest.eval;

import io.nextbest.generator.InputEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;

/**
 * Session kNN with position decay (V-SKNN, Ludewig and Jannach 2018), the strongest simple method of
 * the session-based literature, as the reference evaluator ports it from session-rec's
 * {@code VMContextKNN} with its code defaults (similarity {@code vec}, position weights {@code div},
 * score weights {@code div}, recent sampling, remind on, no idf).
 *
 * <p>Sessions: a maximal run of a customer's events with the same session key of the data
 * ({@link InputEvent#sessionKey()}, REES46 {@code user_session}; a return to an older key starts a
 * new session), else a run with gaps below {@code gap}. Every kind of event belongs to it, in stream
 * order, repeats included. The scored event's customer has a current session s when that event
 * continues his latest one ({@link #advance}: same key, or less than {@code gap} later); else the
 * list is the most popular items.
 *
 * <p>A list for s = (x₁ … x_L) with D distinct items, pos(x) = the 1-based position of x's last
 * occurrence: the {@code sample} most recent past sessions (of anyone, s excluded; recency = stream
 * position of their last event) that share an item with s are the candidates; sim(n) = Σ over the
 * shared items of pos(x) / (L·D); the {@code k} candidates with the largest sim (ties: the more
 * recent) are the neighbours; each weighs sim(n) / (L − max shared pos + 1). score(j) = Σ over the
 * neighbours holding j of that weight (each term one division of exact integers, summed with
 * {@link ExactSum}), s's own items included. Ranked by {@link Ranking}, filled from the most popular.
 *
 * <p>Exact with bounded memory: per item only its {@code sample + 1} most recent sessions are kept
 * (+1 because the customer's own session is skipped), which holds every session among the sample
 * most recent candidates.
 */
public final class Vsknn implements Recommender {
    private static final class Session {
        final int id;
        final String key;
        long lastMs;
        final List<String> items = new ArrayList<>();

        Session(int id, String key) {
            this.id = id;
            this.key = key;
        }
    }

    private final Popularity popularity;
    private final int neighbourCount;
    private final int sample;
    private final long gapMs;
    private long nowMs;
    private String nextKey;
    private final Map<String, Session> open = new HashMap<>();
    /** Per session id: its distinct items. */
    private final List<Set<String>> sessionItems = new ArrayList<>();
    /** Per session id: the stream number of its last learned event (unique, so a recency order). */
    private long[] stamp = new long[1024];
    /** Per stream number: the session it ended (valid for the stamps in use). */
    private int[] sessionOfStamp = new int[1024];
    /** Per item: the stamps of its most recent sessions, at most sample + 1. */
    private final Map<String, TreeSet<Long>> byItem = new HashMap<>();
    private long learned;

    /** k = 100 neighbours out of the 500 most recent sessions; without session keys, a 30-minute gap. */
    public Vsknn(Popularity popularity) {
        this(popularity, 100, 500, Duration.ofMinutes(30));
    }

    public Vsknn(Popularity popularity, int k, int sample, Duration gap) {
        if (k < 1 || sample < 1 || gap.isNegative() || gap.isZero()) {
            throw new IllegalArgumentException("need k >= 1, sample >= 1 and a positive gap");
        }
        this.popularity = popularity;
        this.neighbourCount = k;
        this.sample = sample;
        this.gapMs = gap.toMillis();
    }

    @Override
    public String name() {
        return "vsknn";
    }

    @Override
    public void advance(long nowMs, String sessionKey) {
        this.nowMs = nowMs;
        this.nextKey = sessionKey;
    }

    /** The customer's open session if the event being scored continues it, else null. */
    private Session current(String customer) {
        Session s = open.get(customer);
        if (s == null) {
            return null;
        }
        if (s.key != null) {
            return s.key.equals(nextKey) ? s : null;
        }
        return nowMs - s.lastMs < gapMs ? s : null;
    }

    @Override
    public void learn(InputEvent event) {
        String item = event.itemId();
        String key = event.sessionKey();
        Session s = open.get(event.customerKey());
        boolean fresh = s == null || (key != null || s.key != null
                ? !Objects.equals(key, s.key)
                : event.eventTimeMs() - s.lastMs >= gapMs);
        if (fresh) {
            s = new Session(sessionItems.size(), key);
            open.put(event.customerKey(), s);
            sessionItems.add(new HashSet<>());
            if (s.id == stamp.length) {
                stamp = java.util.Arrays.copyOf(stamp, s.id * 2);
            }
        }
        s.lastMs = event.eventTimeMs();
        s.items.add(item);
        Set<String> items = sessionItems.get(s.id);
        items.add(item);
        long before = fresh ? 0 : stamp[s.id];
        long now = ++learned;
        stamp[s.id] = now;
        if (now >= sessionOfStamp.length) {
            sessionOfStamp = java.util.Arrays.copyOf(sessionOfStamp, sessionOfStamp.length * 2);
        }
        sessionOfStamp[(int) now] = s.id;
        for (String x : items) { // s is now the most recent session of each of its items
            TreeSet<Long> recent = byItem.computeIfAbsent(x, y -> new TreeSet<>());
            recent.remove(before); // absent when s is new to x or was pushed out of x's list
            recent.add(now);
            if (recent.size() > sample + 1) {
                recent.pollFirst();
            }
        }
    }

    /** One item's sessions, newest first, in the merge of {@link #neighbours}. */
    private static final class Cursor {
        final Iterator<Long> stamps;
        final int position;
        long head;

        Cursor(Iterator<Long> stamps, int position) {
            this.stamps = stamps;
            this.position = position;
            this.head = stamps.next();
        }
    }

    /** A neighbour: its session, Σ of the shared positions, and its decay step. */
    private record Neighbour(int session, long positions, int step) {}

    private List<Neighbour> neighbours(Session s) {
        Map<String, Integer> last = new LinkedHashMap<>();
        for (int p = 0; p < s.items.size(); p++) {
            last.put(s.items.get(p), p + 1);
        }
        PriorityQueue<Cursor> merge = new PriorityQueue<>((a, b) -> Long.compare(b.head, a.head));
        for (Map.Entry<String, Integer> e : last.entrySet()) {
            TreeSet<Long> recent = byItem.get(e.getKey());
            if (recent != null && !recent.isEmpty()) {
                merge.add(new Cursor(recent.descendingIterator(), e.getValue()));
            }
        }
        Map<Integer, long[]> found = new LinkedHashMap<>(); // session → {Σ positions, largest position}
        while (!merge.isEmpty()) {
            Cursor c = merge.poll();
            int sid = sessionOfStamp[(int) c.head];
            if (sid != s.id) {
                long[] n = found.get(sid);
                if (n == null) {
                    if (found.size() == sample) {
                        break; // every entry of the sample's sessions came before: stamps are unique
                    }
                    found.put(sid, new long[] {c.position, c.position});
                } else {
                    n[0] += c.position;
                    n[1] = Math.max(n[1], c.position);
                }
            }
            if (c.stamps.hasNext()) {
                c.head = c.stamps.next();
                merge.add(c);
            }
        }
        List<Map.Entry<Integer, long[]>> ranked = new ArrayList<>(found.entrySet());
        ranked.sort((a, b) -> {
            int c = Long.compare(b.getValue()[0], a.getValue()[0]);
            return c != 0 ? c : Long.compare(stamp[b.getKey()], stamp[a.getKey()]);
        });
        int length = s.items.size();
        List<Neighbour> out = new ArrayList<>(Math.min(neighbourCount, ranked.size()));
        for (int i = 0; i < ranked.size() && i < neighbourCount; i++) {
            long[] n = ranked.get(i).getValue();
            out.add(new Neighbour(ranked.get(i).getKey(), n[0], (int) (length - n[1] + 1)));
        }
        return out;
    }

    @Override
    public List<String> recommend(String customerKey, int k, Set<String> exclude) {
        Session s = current(customerKey);
        if (s == null) {
            return popularity.top(k, exclude);
        }
        long denominator = (long) s.items.size() * sessionItems.get(s.id).size();
        Map<String, ExactSum> terms = new HashMap<>();
        for (Neighbour n : neighbours(s)) {
            double term = (double) n.positions() / (double) (denominator * n.step());
            for (String j : sessionItems.get(n.session())) {
                terms.computeIfAbsent(j, x -> new ExactSum()).add(term);
            }
        }
        Map<String, Double> scores = new HashMap<>(terms.size() * 2);
        terms.forEach((j, sum) -> scores.put(j, sum.value()));
        return Ranking.rank(scores, 0.0, k, exclude, popularity);
    }
}
