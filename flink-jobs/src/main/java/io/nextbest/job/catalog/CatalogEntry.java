package io.nextbest.job.catalog;

import io.nextbest.schemas.messages.CatalogItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the job keeps of one catalog item: what ranking filters and scores on, without the title.
 * Feature and category strings are interned ({@link Interner}), so a million items share one copy
 * of each category, brand and tag. A Flink POJO.
 *
 * <p>Content features are strings with a kind prefix: {@code category:a}, {@code category:a/b}
 * (one per level of the path, root first), {@code brand:x}, {@code price:16-32} (the power-of-two
 * band of the price) and {@code tag:y}. Brand and tags are lower-cased.
 */
public class CatalogEntry {
    /** The full category path joined with '/', e.g. {@code electronics/smartphone}; null when the item has none. */
    public String category;
    /** Content features, see the class comment; no duplicates. */
    public String[] features;
    public double price;
    /** Gross margin 0..1, NaN when unknown. */
    public double margin;
    public boolean inStock;
    /** Epoch ms of the item's {@code updatedAt}. */
    public long updatedAt;
    /** A tombstone's mark: the item was deleted (no features, never suggested). */
    public boolean deleted;

    public CatalogEntry() {}

    /** What remains of a deleted item: the fact that it must not be suggested. */
    public static CatalogEntry deletion() {
        CatalogEntry e = new CatalogEntry();
        e.category = null;
        e.features = new String[0];
        e.margin = Double.NaN;
        e.deleted = true;
        return e;
    }

    /** Whether the item may be suggested at all: known, not deleted, in stock. */
    public boolean available() {
        return !deleted && inStock;
    }

    public static CatalogEntry of(CatalogItem item) {
        CatalogEntry e = new CatalogEntry();
        List<String> features = new ArrayList<>(item.categoryPath().size() + 2
                + (item.tags() == null ? 0 : item.tags().size()));
        StringBuilder path = new StringBuilder();
        for (String level : item.categoryPath()) {
            if (path.length() > 0) {
                path.append('/');
            }
            path.append(level);
            features.add(Interner.intern(CATEGORY + path));
        }
        e.category = path.length() == 0 ? null : Interner.intern(path.toString()); // no path: no category, not ""
        if (item.brand() != null) {
            add(features, BRAND + item.brand().toLowerCase(Locale.ROOT));
        }
        add(features, priceBand(item.price()));
        if (item.tags() != null) {
            for (String tag : item.tags()) {
                add(features, TAG + tag.toLowerCase(Locale.ROOT));
            }
        }
        e.features = features.toArray(new String[0]);
        e.price = item.price();
        e.margin = item.margin() == null ? Double.NaN : item.margin();
        e.inStock = item.inStock();
        e.updatedAt = item.updatedAt().toEpochMilli();
        return e;
    }

    public static final String CATEGORY = "category:";
    public static final String BRAND = "brand:";
    public static final String PRICE = "price:";
    public static final String TAG = "tag:";

    /** {@code price:lo-hi} with lo, hi consecutive powers of two around the price ({@code price:0-1} below 1). */
    public static String priceBand(double price) {
        if (price < 1) {
            return Interner.intern(PRICE + "0-1");
        }
        long lo = Long.highestOneBit((long) Math.min(price, 1L << 62));
        return Interner.intern(PRICE + lo + "-" + (lo * 2));
    }

    /** The feature's kind: the text before ':' ("category", "brand", "price", "tag"). */
    public static String kind(String feature) {
        int i = feature.indexOf(':');
        return i < 0 ? "" : feature.substring(0, i);
    }

    /** Interns the strings of an entry that came from a checkpoint (fresh copies, not shared). */
    public CatalogEntry interned() {
        category = Interner.intern(category);
        if (features == null) {
            features = new String[0];
        }
        for (int i = 0; i < features.length; i++) {
            features[i] = Interner.intern(features[i]);
        }
        return this;
    }

    private static void add(List<String> features, String f) {
        String s = Interner.intern(f);
        if (!features.contains(s)) {
            features.add(s);
        }
    }

    @Override
    public String toString() {
        return "CatalogEntry{" + category + ", " + String.join(",", features) + ", price=" + price + ", margin="
                + margin + ", inStock=" + inStock + "}";
    }
}
