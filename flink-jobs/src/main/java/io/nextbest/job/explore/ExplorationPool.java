package io.nextbest.job.explore;

import io.nextbest.schemas.messages.Reason;
import io.nextbest.schemas.messages.Signal;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The items that may be explored (in stock, not deleted, not warm), and the seeded pick of a few of
 * them for one list. Plain Java: the customer stage keeps one per instance on the heap.
 *
 * <p><b>Canonical order.</b> Different ranking instances, and a job restored from a checkpoint,
 * add the same items in different orders; the picks must not depend on it. Items are therefore
 * kept sorted by a 64-bit hash of the id (unsigned), ties (distinct ids with the same hash) broken
 * by {@link String#compareTo}: the same set always has the same order, whatever the history of
 * adds and removes. The order is split into {@value #BUCKET_BITS}-bit buckets by the hash's top
 * bits, each a sorted array, with a Fenwick tree over the bucket sizes to find the item at any rank
 * in O(log buckets): add and remove shift one small bucket, not the whole pool.
 *
 * <p><b>Picks.</b> {@link #pick} draws ranks without repetition (a sparse Fisher–Yates shuffle)
 * from a SplitMix64 generator seeded with a hash of the subject key and the UTC day of the event
 * time: the same customer, day and pool give the same picks; another day or customer almost
 * always others. Every item of the pool is equally likely. A change of the pool (one item more or
 * fewer) shifts ranks, so it can change picks: reproducible runs need the same pool at the time of
 * each request.
 *
 * <p>Not thread-safe; the predicate given to {@link #pick} must not change the pool.
 */
public final class ExplorationPool {

    /** At most this many probes per requested item in {@link #pick}. */
    public static final int PROBES_PER_PICK = 16;

    static final int BUCKET_BITS = 12;
    private static final long[] NO_HASHES = new long[0];
    private static final String[] NO_IDS = new String[0];
    private static final long DAY_MS = 86_400_000L;

    private final ToLongFunction<String> hash;
    private final int shift;
    private final long[][] hashes;
    private final String[][] ids;
    private final int[] counts;
    /** Fenwick tree over {@link #counts}, 1-based. */
    private final int[] tree;
    private final int topStep;
    private int size;

    public ExplorationPool() {
        this(ExplorationPool::hash64, BUCKET_BITS);
    }

    /** With another hash function and bucket count, for tests (collisions, tiny buckets). */
    ExplorationPool(ToLongFunction<String> hash, int bucketBits) {
        if (bucketBits < 0 || bucketBits > 20) {
            throw new IllegalArgumentException("bucketBits must be 0..20: " + bucketBits);
        }
        this.hash = hash;
        int buckets = 1 << bucketBits;
        this.shift = 64 - bucketBits;
        this.hashes = new long[buckets][];
        this.ids = new String[buckets][];
        Arrays.fill(hashes, NO_HASHES);
        Arrays.fill(ids, NO_IDS);
        this.counts = new int[buckets];
        this.tree = new int[buckets + 1];
        this.topStep = Integer.highestOneBit(buckets);
    }

    public int size() {
        return size;
    }

    public boolean contains(String itemId) {
        if (itemId == null) {
            return false;
        }
        long h = hash.applyAsLong(itemId);
        return find(bucket(h), h, itemId) >= 0;
    }

    /** Adds the item; false if it was there already. */
    public boolean add(String itemId) {
        Objects.requireNonNull(itemId, "itemId");
        long h = hash.applyAsLong(itemId);
        int b = bucket(h);
        int at = find(b, h, itemId);
        if (at >= 0) {
            return false;
        }
        at = -at - 1;
        int n = counts[b];
        long[] hs = hashes[b];
        String[] is = ids[b];
        if (n == hs.length) {
            int capacity = Math.max(4, n + (n >> 1));
            hashes[b] = Arrays.copyOf(hs, capacity);
            ids[b] = Arrays.copyOf(is, capacity);
        }
        // copying within the (possibly new) arrays
        System.arraycopy(hashes[b], at, hashes[b], at + 1, n - at);
        System.arraycopy(ids[b], at, ids[b], at + 1, n - at);
        hashes[b][at] = h;
        ids[b][at] = itemId;
        counts[b] = n + 1;
        fenwickAdd(b, 1);
        size++;
        return true;
    }

    /** Removes the item; false if it was not there. */
    public boolean remove(String itemId) {
        if (itemId == null) {
            return false;
        }
        long h = hash.applyAsLong(itemId);
        int b = bucket(h);
        int at = find(b, h, itemId);
        if (at < 0) {
            return false;
        }
        int n = counts[b] - 1;
        System.arraycopy(hashes[b], at + 1, hashes[b], at, n - at);
        System.arraycopy(ids[b], at + 1, ids[b], at, n - at);
        ids[b][n] = null;
        counts[b] = n;
        if (n == 0) {
            hashes[b] = NO_HASHES;
            ids[b] = NO_IDS;
        } else if (n < hashes[b].length / 4 && hashes[b].length > 8) {
            hashes[b] = Arrays.copyOf(hashes[b], n * 2);
            ids[b] = Arrays.copyOf(ids[b], n * 2);
        }
        fenwickAdd(b, -1);
        size--;
        return true;
    }

    /**
     * Up to {@code count} distinct items of the pool that pass {@code acceptable}, chosen
     * pseudo-randomly from a seed of the subject key and the UTC day of {@code eventTimeMs}, in the
     * order drawn. Bounded work: at most {@code count × }{@value #PROBES_PER_PICK} probes (an item
     * drawn and tested; each item at most once), so fewer come back when the pool is small or the
     * predicate rejects most of what is drawn. A pool of at most that many items is tried whole.
     */
    public List<String> pick(String subjectKey, long eventTimeMs, int count, Predicate<String> acceptable) {
        Objects.requireNonNull(subjectKey, "subjectKey");
        if (count <= 0 || size == 0) {
            return List.of();
        }
        long probes = Math.min(size, (long) count * PROBES_PER_PICK);
        long state = seed(subjectKey, eventTimeMs);
        // sparse Fisher–Yates over ranks 0..size-1: position → rank swapped there
        Map<Integer, Integer> swapped = new HashMap<>();
        List<String> picks = new ArrayList<>(Math.min(count, (int) probes));
        for (int i = 0; i < probes && picks.size() < count; i++) {
            state += GOLDEN;
            int j = i + boundedInt(mix64(state), size - i);
            Integer atJ = swapped.get(j);
            Integer atI = swapped.get(i);
            int rank = atJ == null ? j : atJ;
            if (j != i) {
                swapped.put(j, atI == null ? i : atI);
            }
            String item = itemAt(rank);
            if (acceptable.test(item)) {
                picks.add(item);
            }
        }
        return picks;
    }

    /**
     * Exploration slots of a list: {@code share × listSize} rounded to the nearest whole slot
     * (half up, on the decimal value of {@code share}, so 0.35 × 10 is 4 and not 3), and at least
     * one when {@code share > 0} and the list has two or more items.
     */
    public static int slots(double share, int listSize) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be 0..1: " + share);
        }
        if (listSize < 0) {
            throw new IllegalArgumentException("listSize must be at least 0: " + listSize);
        }
        if (share == 0 || listSize == 0) {
            return 0;
        }
        int slots = BigDecimal.valueOf(share).multiply(BigDecimal.valueOf(listSize))
                .setScale(0, RoundingMode.HALF_UP).intValueExact();
        return listSize >= 2 ? Math.max(1, slots) : slots;
    }

    /**
     * The reason of an explored item. The ranking side knows only that the item is not warm yet, so
     * the text names the threshold, not the count.
     */
    public static String reasonText(int maxImpressions) {
        return "explore: shown to few shoppers yet (under " + maxImpressions + " impressions)";
    }

    /** {@link #reasonText} as a reason of signal {@link Signal#EXPLORE}, without a value. */
    public static Reason reason(int maxImpressions) {
        return new Reason(Signal.EXPLORE, reasonText(maxImpressions), null, null);
    }

    /** The item at {@code rank} (0-based) in the canonical order. */
    String itemAt(int rank) {
        if (rank < 0 || rank >= size) {
            throw new IndexOutOfBoundsException("rank " + rank + " of " + size);
        }
        // Fenwick descent: the last bucket whose preceding items number at most rank
        int b = 0;
        int rest = rank;
        for (int step = topStep; step > 0; step >>= 1) {
            int next = b + step;
            if (next < tree.length && tree[next] <= rest) {
                b = next;
                rest -= tree[next];
            }
        }
        return ids[b][rest];
    }

    /** All items in the canonical order, for tests. */
    List<String> inOrder() {
        List<String> all = new ArrayList<>(size);
        for (int b = 0; b < counts.length; b++) {
            all.addAll(Arrays.asList(ids[b]).subList(0, counts[b]));
        }
        return all;
    }

    private int bucket(long h) {
        return shift == 64 ? 0 : (int) (h >>> shift);
    }

    /** Index of the item in its bucket, else −(insertion point) − 1. */
    private int find(int b, long h, String itemId) {
        long[] hs = hashes[b];
        String[] is = ids[b];
        int lo = 0;
        int hi = counts[b] - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Long.compareUnsigned(hs[mid], h);
            if (c == 0) {
                c = is[mid].compareTo(itemId);
            }
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -lo - 1;
    }

    private void fenwickAdd(int bucket, int delta) {
        for (int i = bucket + 1; i < tree.length; i += i & -i) {
            tree[i] += delta;
        }
    }

    // --- hashing and the generator: fixed here, so picks are the same on every JVM and version ---

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    static long seed(String subjectKey, long eventTimeMs) {
        long day = Math.floorDiv(eventTimeMs, DAY_MS);
        return mix64(hash64(subjectKey) ^ mix64(day * GOLDEN + 0x632BE59BD9B4E019L));
    }

    /** FNV-1a over the UTF-16 chars, then the MurmurHash3 finaliser (so the top bits are well mixed). */
    static long hash64(String s) {
        long h = 0xCBF29CE484222325L;
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001B3L;
        }
        return fmix64(h);
    }

    private static long fmix64(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ (h >>> 33);
    }

    /** SplitMix64's output function. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** 0..bound-1 from the top 32 bits (multiply-shift; bias below bound / 2^32). */
    private static int boundedInt(long random, int bound) {
        return (int) (((random >>> 32) * bound) >>> 32);
    }
}
