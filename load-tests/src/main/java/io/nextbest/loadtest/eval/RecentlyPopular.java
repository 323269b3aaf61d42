package io.nextbest.loadtest.eval;

import io.nextbest.loadtest.InputEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The recently-popular baseline: items ranked by their interactions (as in {@link MostPopular})
 * within a sliding event-time window; ties by item id.
 *
 * <p>The window is a ring of {@code buckets} buckets of {@code window / buckets} each, aligned to
 * the epoch: an event at time t falls in bucket ⌊t / width⌋, and the counts cover the bucket of the
 * newest customer event learned (any interaction or transaction, counted or not) and the
 * {@code buckets − 1} before it, i.e. between {@code window − width} and {@code window} of event time. A bucket that leaves the window is subtracted once, so the cost per
 * event does not depend on the window's size. An event older than the window (out of order by more
 * than that) is ignored.
 */
public final class RecentlyPopular implements Recommender {
    private static final long NONE = Long.MIN_VALUE;

    private final Duration window;
    private final long width;
    private final int buckets;
    private final long[] bucketOfSlot;
    private final List<Map<String, Integer>> slots;
    private final Popularity counts = new Popularity();
    private long newest = NONE;

    /** 24 hours in 24 buckets of an hour. */
    public RecentlyPopular() {
        this(Duration.ofHours(24), 24);
    }

    public RecentlyPopular(Duration window, int buckets) {
        if (buckets < 1 || window.toMillis() < buckets || window.toMillis() % buckets != 0) {
            throw new IllegalArgumentException("window " + window + " must be a positive whole number of milliseconds"
                    + " divisible into " + buckets + " buckets");
        }
        this.window = window;
        this.buckets = buckets;
        this.width = window.toMillis() / buckets;
        this.bucketOfSlot = new long[buckets];
        java.util.Arrays.fill(bucketOfSlot, NONE);
        this.slots = new java.util.ArrayList<>(buckets);
        for (int i = 0; i < buckets; i++) {
            slots.add(new HashMap<>());
        }
    }

    @Override
    public String name() {
        return "recently-popular-" + format(window);
    }

    @Override
    public List<String> recommend(String customerKey, int k) {
        return counts.top(k);
    }

    @Override
    public void learn(InputEvent event) {
        if (event.action().equals(InputEvent.BROKEN) || event.action().equals(InputEvent.CATALOG)) {
            return; // no customer activity: the clock is the customers' events
        }
        long b = Math.floorDiv(event.eventTimeMs(), width);
        if (newest == NONE || b > newest) {
            advanceTo(b); // every customer event moves the window, counted or not
        }
        if (!event.scorable() || b <= newest - buckets) {
            return; // not an interaction that counts, or older than the window
        }
        int slot = (int) Math.floorMod(b, (long) buckets);
        bucketOfSlot[slot] = b;
        slots.get(slot).merge(event.itemId(), 1, Integer::sum);
        counts.add(event.itemId(), 1);
    }

    /** Makes {@code b} the newest bucket: buckets at or before b − buckets leave the window. */
    private void advanceTo(long b) {
        for (int s = 0; s < buckets; s++) {
            if (bucketOfSlot[s] != NONE && bucketOfSlot[s] <= b - buckets) {
                for (Map.Entry<String, Integer> e : slots.get(s).entrySet()) {
                    counts.add(e.getKey(), -e.getValue());
                }
                slots.get(s).clear();
                bucketOfSlot[s] = NONE;
            }
        }
        newest = b;
    }

    private static String format(Duration d) {
        if (d.equals(Duration.ofHours(d.toHours()))) {
            return d.toHours() + "h";
        }
        if (d.equals(Duration.ofMinutes(d.toMinutes()))) {
            return d.toMinutes() + "m";
        }
        return d.toMillis() + "ms";
    }
}
