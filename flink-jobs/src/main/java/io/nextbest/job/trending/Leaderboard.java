package io.nextbest.job.trending;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The items with the highest scores, at most {@code capacity} of them. Scores only grow (forward
 * decay never lowers a sum), so an item pushed out re-enters as soon as its score beats the
 * lowest one kept: the board holds exactly the top {@code capacity} of all scores it was shown,
 * which the tests check against a full sort.
 *
 * <p>Built for many small boards (one per content feature) on one thread: a binary min-heap in
 * two arrays (the lowest kept at the root) and an open-addressing index from item to heap slot, so
 * an item already on the board is updated in place. An offer costs O(1) when its score is below
 * the lowest kept (the usual case for a full board) and O(log capacity) otherwise; nothing stale
 * is left behind. Memory grows with the items held, about 30 bytes each besides the item ids.
 */
public final class Leaderboard {
    /** Ties break by item id so that the order is deterministic. */
    static final Comparator<Map.Entry<String, Double>> BEST_FIRST =
            Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey());

    private static final int INITIAL = 4;

    private final int capacity;
    private int size;
    /** The heap, lowest (worst) at 0. */
    private String[] items;
    private double[] scores;
    /** The index slot of each heap entry. */
    private int[] slotOf;
    /** Linear probing from item to heap position + 1 (0: free); a power of two, at least 1.5 × items.length. */
    private int[] index;
    private int shift;

    public Leaderboard(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
        allocate(Math.min(capacity, INITIAL));
    }

    /** Records a new score for an item; returns true if the board changed. */
    public boolean offer(String itemId, double score) {
        if (Double.isNaN(score) || (size == capacity && score < scores[0])) {
            return false; // below the lowest kept: not on the board and not entering it
        }
        int slot = find(itemId);
        if (slot >= 0) {
            int i = index[slot] - 1;
            if (score <= scores[i]) {
                return false;
            }
            scores[i] = score; // in place; a higher score moves away from the root
            siftDown(i);
            return true;
        }
        if (size == capacity) {
            if (!worse(items[0], scores[0], itemId, score)) {
                return false; // not better than the lowest kept
            }
            removeSlot(slotOf[0]);
            items[0] = itemId;
            scores[0] = score;
            slotOf[0] = insertSlot(itemId, 0);
            siftDown(0);
            return true;
        }
        if (size == items.length) {
            grow();
        }
        items[size] = itemId;
        scores[size] = score;
        slotOf[size] = insertSlot(itemId, size);
        siftUp(size++);
        return true;
    }

    /** The best {@code n}, best first. */
    public List<Map.Entry<String, Double>> top(int n) {
        List<Map.Entry<String, Double>> all = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            all.add(Map.entry(items[i], scores[i]));
        }
        all.sort(BEST_FIRST);
        return all.subList(0, Math.min(n, all.size()));
    }

    public int size() {
        return size;
    }

    // ---- heap ----

    /** Whether (a, sa) ranks below (b, sb): a lower score, or the same score and a greater id. */
    private static boolean worse(String a, double sa, String b, double sb) {
        int c = Double.compare(sa, sb); // as BEST_FIRST compares
        return c < 0 || (c == 0 && a.compareTo(b) > 0);
    }

    private boolean worse(int i, int j) {
        return worse(items[i], scores[i], items[j], scores[j]);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!worse(i, parent)) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                return;
            }
            if (child + 1 < size && worse(child + 1, child)) {
                child++;
            }
            if (!worse(child, i)) {
                return;
            }
            swap(i, child);
            i = child;
        }
    }

    private void swap(int i, int j) {
        String item = items[i];
        items[i] = items[j];
        items[j] = item;
        double score = scores[i];
        scores[i] = scores[j];
        scores[j] = score;
        int slot = slotOf[i];
        slotOf[i] = slotOf[j];
        slotOf[j] = slot;
        index[slotOf[i]] = i + 1;
        index[slotOf[j]] = j + 1;
    }

    // ---- index ----

    private int home(String item) {
        return (item.hashCode() * 0x9E3779B9) >>> shift; // Fibonacci hashing: the high bits
    }

    /** The slot holding the item, or -1. */
    private int find(String item) {
        int mask = index.length - 1;
        for (int s = home(item); index[s] != 0; s = (s + 1) & mask) {
            if (items[index[s] - 1].equals(item)) {
                return s;
            }
        }
        return -1;
    }

    private int insertSlot(String item, int heapPosition) {
        int mask = index.length - 1;
        int s = home(item);
        while (index[s] != 0) {
            s = (s + 1) & mask;
        }
        index[s] = heapPosition + 1;
        return s;
    }

    /** Frees a slot and shifts later entries of its probe run back (no tombstones). */
    private void removeSlot(int hole) {
        int mask = index.length - 1;
        for (int s = (hole + 1) & mask; index[s] != 0; s = (s + 1) & mask) {
            int h = home(items[index[s] - 1]);
            // the entry at s may fill the hole unless its home lies cyclically in (hole, s]
            boolean stays = hole <= s ? (hole < h && h <= s) : (hole < h || h <= s);
            if (!stays) {
                index[hole] = index[s];
                slotOf[index[s] - 1] = hole;
                hole = s;
            }
        }
        index[hole] = 0;
    }

    private void grow() {
        int length = (int) Math.min(capacity, 2L * items.length);
        String[] oldItems = items;
        double[] oldScores = scores;
        allocate(length);
        System.arraycopy(oldItems, 0, items, 0, size);
        System.arraycopy(oldScores, 0, scores, 0, size);
        for (int i = 0; i < size; i++) {
            slotOf[i] = insertSlot(items[i], i);
        }
    }

    private void allocate(int length) {
        items = new String[length];
        scores = new double[length];
        slotOf = new int[length];
        int table = Integer.highestOneBit(Math.max(2, length + (length >> 1)) - 1) << 1;
        index = new int[table];
        shift = 32 - Integer.numberOfTrailingZeros(table);
    }

    @Override
    public String toString() {
        return "Leaderboard" + Arrays.toString(top(size).toArray());
    }
}
