package io.nextbest.loadtest.eval;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The global interaction counts that every baseline shares: events of every kind on an item
 * (remove_from_cart included), learned by the {@link PrequentialEvaluator} before the baselines
 * learn. Kept in ranked order (count descending, then {@link ItemOrder}), so that a top k walks only
 * k + the excluded items it meets, and a count changes in O(log n). It is the reference's
 * {@code Popularity}: the most-popular list, the second key of every tie-break and the fill of short
 * lists.
 */
public final class Popularity {
    private static final class Entry {
        final String item;
        long count;

        Entry(String item) {
            this.item = item;
        }
    }

    private final Map<String, Entry> entries = new HashMap<>();
    private final TreeSet<Entry> ranked = new TreeSet<>((a, b) -> {
        int c = Long.compare(b.count, a.count);
        return c != 0 ? c : ItemOrder.compare(a.item, b.item);
    });

    /** One more event on {@code item}. */
    public void learn(String item) {
        Entry e = entries.get(item);
        if (e == null) {
            e = new Entry(item);
            entries.put(item, e);
        } else {
            ranked.remove(e);
        }
        e.count++;
        ranked.add(e);
    }

    /** Events on an item so far, 0 if none. */
    public long count(String item) {
        Entry e = entries.get(item);
        return e == null ? 0 : e.count;
    }

    /** Distinct items with an event. */
    public int size() {
        return entries.size();
    }

    /** The {@code k} most popular items not in {@code exclude} nor in {@code taken}, best first. */
    public List<String> top(int k, Set<String> exclude, Collection<String> taken) {
        List<String> out = new ArrayList<>(Math.max(0, Math.min(k, entries.size())));
        for (Iterator<Entry> it = ranked.iterator(); it.hasNext() && out.size() < k; ) {
            String item = it.next().item;
            if (!exclude.contains(item) && !taken.contains(item)) {
                out.add(item);
            }
        }
        return out;
    }

    /** The {@code k} most popular items not in {@code exclude}. */
    public List<String> top(int k, Set<String> exclude) {
        return top(k, exclude, Set.of());
    }
}
