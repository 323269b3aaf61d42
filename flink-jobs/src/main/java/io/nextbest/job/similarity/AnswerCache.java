package io.nextbest.job.similarity;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The item stage's heap cache of neighbour candidates per item: least recently used out beyond
 * {@code capacity}, and each entry good for {@code maxAgeMs} of processing time. Derived data only
 * (rebuilt from state on a miss), so it is not checkpointed.
 */
final class AnswerCache {
    private record Entry(NeighbourRows.Candidates candidates, long at) {}

    private final long maxAgeMs;
    private final LinkedHashMap<String, Entry> entries;

    AnswerCache(int capacity, long maxAgeMs) {
        this.maxAgeMs = maxAgeMs;
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The candidates of {@code item}, or null if not cached or older than the maximum age. */
    NeighbourRows.Candidates get(String item, long now) {
        if (maxAgeMs == 0) {
            return null;
        }
        Entry e = entries.get(item);
        if (e == null) {
            return null;
        }
        if (now - e.at > maxAgeMs) {
            entries.remove(item);
            return null;
        }
        return e.candidates;
    }

    void put(String item, NeighbourRows.Candidates candidates, long now) {
        if (maxAgeMs > 0) {
            entries.put(item, new Entry(candidates, now));
        }
    }

    void invalidate(String item) {
        entries.remove(item);
    }
}
