package io.nextbest.loadtest.eval;

import io.nextbest.generator.InputEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The recently-popular baseline: items ranked by their events (every kind) whose time lies in
 * {@code (t − window, t]}, t being the time of the event being scored ({@link #advance}); ties by
 * global popularity, then {@link ItemOrder}. Only items with a recent event are ranked; a shorter
 * list is filled from the most popular items.
 *
 * <p>The window is exact, not bucketed: learned events wait in a queue in stream order and leave it
 * when the clock passes their time + window, so the cost per event does not depend on the window's
 * size. The clock only moves forward (events come in time order).
 */
public final class RecentlyPopular implements Recommender {
    private static final class Entry {
        final String item;
        long recent;
        long global;

        Entry(String item) {
            this.item = item;
        }
    }

    private record Learned(long timeMs, String item) {}

    private final Popularity popularity;
    private final long windowMs;
    private final ArrayDeque<Learned> queue = new ArrayDeque<>();
    private final Map<String, Entry> entries = new HashMap<>();
    private final TreeSet<Entry> ranked = new TreeSet<>((a, b) -> {
        int c = Long.compare(b.recent, a.recent);
        if (c != 0) {
            return c;
        }
        c = Long.compare(b.global, a.global);
        return c != 0 ? c : ItemOrder.compare(a.item, b.item);
    });

    /** A window of 24 hours. */
    public RecentlyPopular(Popularity popularity) {
        this(popularity, Duration.ofHours(24));
    }

    public RecentlyPopular(Popularity popularity, Duration window) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, got " + window);
        }
        this.popularity = popularity;
        this.windowMs = window.toMillis();
    }

    @Override
    public String name() {
        return "recently-popular";
    }

    @Override
    public void advance(long nowMs, String sessionKey) {
        long horizon = nowMs - windowMs;
        while (!queue.isEmpty() && queue.peekFirst().timeMs() <= horizon) {
            String item = queue.pollFirst().item();
            Entry e = entries.get(item);
            ranked.remove(e);
            e.recent--;
            if (e.recent > 0) {
                ranked.add(e);
            } else {
                entries.remove(item);
            }
        }
    }

    @Override
    public List<String> recommend(String customerKey, int k, Set<String> exclude) {
        List<String> out = new ArrayList<>(k);
        for (Iterator<Entry> it = ranked.iterator(); it.hasNext() && out.size() < k; ) {
            String item = it.next().item;
            if (!exclude.contains(item)) {
                out.add(item);
            }
        }
        if (out.size() < k) {
            out.addAll(popularity.top(k - out.size(), exclude, new HashSet<>(out)));
        }
        return out;
    }

    @Override
    public void learn(InputEvent event) {
        String item = event.itemId();
        queue.addLast(new Learned(event.eventTimeMs(), item));
        Entry e = entries.get(item);
        if (e == null) {
            e = new Entry(item);
            entries.put(item, e);
        } else {
            ranked.remove(e);
        }
        e.recent++;
        e.global = popularity.count(item); // the shared count already includes this event
        ranked.add(e);
    }
}
