package io.nextbest.generator;

import io.nextbest.schemas.messages.CatalogItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The shop's assortment of a workload, derived from its seed: a category tree ({@code depth} levels,
 * {@code fan-out} children each), brands, and per item its leaf category, brand, list price, margin,
 * tags and stock, plus a Zipf popularity over shuffled ranks. Only primitive arrays per item (a few
 * dozen bytes each); immutable and shared by all generator threads ({@link #of}).
 */
public final class SyntheticCatalog {
    public static final String CURRENCY = "EUR";

    private static final String[] ROOTS = {
        "electronics", "fashion", "home", "garden", "sports", "toys", "beauty", "books",
        "grocery", "automotive", "health", "pets", "office", "music", "baby", "jewelry"};
    private static final String[] TAGS = {
        "new", "sale", "bestseller", "eco", "premium", "bundle", "gift-idea", "limited",
        "refurbished", "exclusive", "vegan", "handmade", "clearance", "travel", "outdoor", "kids"};
    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ru", "ne", "to", "sa", "vi", "da", "po", "ze", "fi"};

    private static final long PURPOSE_ITEMS = 1;
    private static final long PURPOSE_LEAF_PRICE = 2;
    private static final long PURPOSE_RANKS = 3;

    private static final Map<List<Object>, SyntheticCatalog> CACHE = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<List<Object>, SyntheticCatalog> eldest) {
            return size() > 4;
        }
    };

    private final int items;
    private final int depth;
    private final int fanOut;
    private final int brands;
    private final int idWidth;
    private final int[] leafOf;
    private final int[] brandOf;
    private final double[] price;
    /** Gross margin in hundredths. */
    private final byte[] marginPercent;
    private final short[] tagMask;
    private final boolean[] inStock;
    /** cumulative[r]: probability that an item of rank ≤ r is picked. */
    private final double[] cumulative;
    private final int[] itemOfRank;
    private final int[] rankOfItem;

    private SyntheticCatalog(Workload w) {
        this.items = w.items();
        this.depth = w.categoryDepth();
        this.fanOut = w.categoryFanOut();
        this.brands = w.brands();
        this.idWidth = Math.max(6, Integer.toString(items).length());
        int leaves = 1;
        for (int level = 0; level < depth; level++) {
            leaves *= fanOut;
        }
        long seed = w.seed();

        leafOf = new int[items];
        brandOf = new int[items];
        price = new double[items];
        marginPercent = new byte[items];
        tagMask = new short[items];
        inStock = new boolean[items];
        SplittableRandom r = new SplittableRandom(Seeds.derive(seed, PURPOSE_ITEMS, items));
        for (int i = 0; i < items; i++) {
            int leaf = r.nextInt(leaves);
            leafOf[i] = leaf;
            brandOf[i] = r.nextInt(brands);
            // Price level per leaf category, log-uniform 5..400; items scatter log-normally around it. StrictMath
            // and a Box-Muller of our own: the same prices on every JVM.
            double level = StrictMath.exp(StrictMath.log(5)
                    + Seeds.unit(Seeds.derive(seed, PURPOSE_LEAF_PRICE, leaf)) * StrictMath.log(80));
            double gaussian = StrictMath.sqrt(-2 * StrictMath.log(1 - r.nextDouble()))
                    * StrictMath.cos(2 * StrictMath.PI * r.nextDouble());
            double p = level * StrictMath.exp(0.35 * gaussian);
            price[i] = Math.max(0.99, Math.floor(p) + 0.99);
            marginPercent[i] = (byte) (5 + r.nextInt(51)); // 5..55 %
            double u = r.nextDouble();
            int tagCount = u < 0.4 ? 0 : u < 0.7 ? 1 : u < 0.9 ? 2 : 3;
            int mask = 0;
            while (Integer.bitCount(mask) < tagCount) {
                mask |= 1 << r.nextInt(TAGS.length);
            }
            tagMask[i] = (short) mask;
            inStock[i] = r.nextDouble() < 0.97;
        }

        itemOfRank = new int[items];
        for (int i = 0; i < items; i++) {
            itemOfRank[i] = i;
        }
        SplittableRandom shuffle = new SplittableRandom(Seeds.derive(seed, PURPOSE_RANKS, items));
        for (int i = items - 1; i > 0; i--) {
            int j = shuffle.nextInt(i + 1);
            int t = itemOfRank[i];
            itemOfRank[i] = itemOfRank[j];
            itemOfRank[j] = t;
        }
        rankOfItem = new int[items];
        for (int rank = 0; rank < items; rank++) {
            rankOfItem[itemOfRank[rank]] = rank;
        }
        cumulative = zipfCumulative(items, w.zipfExponent());
    }

    /** The catalog of a workload; built once and shared (it depends only on the shop keys of the workload). */
    public static SyntheticCatalog of(Workload w) {
        List<Object> key = List.of(w.seed(), w.items(), w.categoryDepth(), w.categoryFanOut(), w.brands(), w.zipfExponent());
        synchronized (CACHE) {
            return CACHE.computeIfAbsent(key, k -> new SyntheticCatalog(w));
        }
    }

    /** Cumulative Zipf probabilities over ranks 0..n-1: weight of rank r is 1/(r+1)^s. */
    static double[] zipfCumulative(int n, double s) {
        double[] c = new double[n];
        double sum = 0;
        for (int r = 0; r < n; r++) {
            sum += s == 0 ? 1 : StrictMath.pow(r + 1, -s);
            c[r] = sum;
        }
        for (int r = 0; r < n; r++) {
            c[r] /= sum;
        }
        c[n - 1] = 1.0;
        return c;
    }

    public int size() {
        return items;
    }

    /** An item by popularity (Zipf over ranks), as item index. */
    public int sample(SplittableRandom r) {
        double u = r.nextDouble();
        int lo = 0;
        int hi = items - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] <= u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return itemOfRank[lo];
    }

    /** Popularity rank of an item, 0 = most popular. */
    public int rank(int item) {
        return rankOfItem[item];
    }

    /** The item index of an id {@code i000042} (and -1 for anything else). */
    public int indexOf(String itemId) {
        if (itemId == null || itemId.length() < 2 || itemId.charAt(0) != 'i') {
            return -1;
        }
        try {
            int n = Integer.parseInt(itemId, 1, itemId.length(), 10) - 1;
            return n >= 0 && n < items && itemId.equals(itemId(n)) ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public String itemId(int item) {
        return Ids.padded('i', item + 1L, idWidth);
    }

    /** List price in {@link #CURRENCY}, as in the initial catalog feed. */
    public double price(int item) {
        return price[item];
    }

    public String brand(int item) {
        return brandName(brandOf[item]);
    }

    /** Root first, {@code depth} elements: {@code ["home", "home-3", "home-3-1"]}. */
    public List<String> categoryPath(int item) {
        int leaf = leafOf[item];
        int[] digits = new int[depth];
        for (int level = depth - 1; level >= 0; level--) {
            digits[level] = leaf % fanOut;
            leaf /= fanOut;
        }
        List<String> path = new ArrayList<>(depth);
        String name = digits[0] < ROOTS.length ? ROOTS[digits[0]] : "dept" + (digits[0] + 1);
        path.add(name);
        for (int level = 1; level < depth; level++) {
            name = name + "-" + (digits[level] + 1);
            path.add(name);
        }
        return path;
    }

    public List<String> tags(int item) {
        int mask = tagMask[item];
        List<String> out = new ArrayList<>(Integer.bitCount(mask));
        for (int t = 0; t < TAGS.length; t++) {
            if ((mask & (1 << t)) != 0) {
                out.add(TAGS[t]);
            }
        }
        return out;
    }

    /** The item as in the initial catalog feed. */
    public CatalogItem item(int item, long updatedAtMs) {
        return updated(item, price[item], inStock[item], updatedAtMs);
    }

    /** The full item with a new price and stock (a catalog update). */
    public CatalogItem updated(int item, double newPrice, boolean newInStock, long updatedAtMs) {
        List<String> path = categoryPath(item);
        String brand = brand(item);
        return new CatalogItem(
                itemId(item),
                brand + " " + path.get(path.size() - 1) + " " + (item + 1),
                path,
                brand,
                newPrice,
                CURRENCY,
                tags(item),
                newInStock,
                marginPercent[item] / 100.0,
                Instant.ofEpochMilli(updatedAtMs));
    }

    /** A search query that leads to this item: one of its categories, its brand, or both (picked by {@code choice}). */
    public String query(int item, int choice) {
        List<String> path = categoryPath(item);
        int c = Math.floorMod(choice, path.size() * 3);
        String category = path.get(c % path.size());
        String brand = brand(item).toLowerCase(java.util.Locale.ROOT);
        return switch (c / path.size()) {
            case 0 -> category;
            case 1 -> brand;
            default -> brand + " " + category;
        };
    }

    /** A pronounceable, distinct name per brand index: Kalomi, Rune, … */
    static String brandName(int brand) {
        StringBuilder sb = new StringBuilder();
        int b = brand;
        do {
            sb.append(SYLLABLES[b % SYLLABLES.length]);
            b /= SYLLABLES.length;
        } while (b > 0);
        if (sb.length() < 4) {
            sb.append("ro"); // every name has at least two syllables; a distinct suffix keeps names distinct
        }
        sb.setCharAt(0, Character.toUpperCase(sb.charAt(0)));
        return sb.toString();
    }
}
