package io.nextbest.loadtest.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Counts per item kept in ranked order (count descending, then item id ascending), so that the top
 * k cost O(k) and a change of one count O(log n). Shared by the popularity baselines.
 */
final class Popularity {
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
        return c != 0 ? c : a.item.compareTo(b.item);
    });

    /** Adds {@code delta} (may be negative) to an item's count; an item whose count reaches 0 is dropped. */
    void add(String item, long delta) {
        Entry e = entries.get(item);
        if (e == null) {
            if (delta <= 0) {
                return;
            }
            e = new Entry(item);
            entries.put(item, e);
        } else {
            ranked.remove(e);
        }
        e.count += delta;
        if (e.count > 0) {
            ranked.add(e);
        } else {
            entries.remove(item);
        }
    }

    long count(String item) {
        Entry e = entries.get(item);
        return e == null ? 0 : e.count;
    }

    int size() {
        return entries.size();
    }

    /** The top {@code k} items, best first. */
    List<String> top(int k) {
        return top(k, Set.of());
    }

    /** The top {@code k} items not in {@code skip}, best first. */
    List<String> top(int k, Set<String> skip) {
        List<String> out = new ArrayList<>(Math.min(k, entries.size()));
        for (Iterator<Entry> it = ranked.iterator(); it.hasNext() && out.size() < k; ) {
            String item = it.next().item;
            if (!skip.contains(item)) {
                out.add(item);
            }
        }
        return out;
    }
}
