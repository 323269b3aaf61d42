package io.nextbest.job.rules;

import io.nextbest.job.catalog.CatalogEntry;
import io.nextbest.job.messages.RankingRequest;
import io.nextbest.schemas.messages.RuleKind;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An eligibility filter: an item it {@link #excludes} is not suggested. Rules that need catalog data
 * (price, category) leave items without a catalog entry alone.
 */
public abstract sealed class FilterRule extends ParsedRule
        permits FilterRule.BoughtWithin, FilterRule.PriceRange, FilterRule.Category, FilterRule.DoNotRecommend {
    private static final long serialVersionUID = 1L;

    FilterRule(Envelope e) {
        super(e);
    }

    @Override
    public final RuleKind kind() {
        return RuleKind.FILTER;
    }

    /** Work done once per request (not per item) that {@link #excludes} then reads; null if none. */
    Object prepare(RankingRequest request) {
        return null;
    }

    /** Whether the item is ineligible; {@code item} may be null, {@code prepared} is {@link #prepare}'s result. */
    abstract boolean excludes(String itemId, CatalogEntry item, Object prepared);

    /** {@code {"type":"bought-within","days":30}}: not an item bought within that many days before the event. */
    public static final class BoughtWithin extends FilterRule {
        private static final long serialVersionUID = 1L;
        static final long DAY_MS = 24L * 60 * 60 * 1000;

        private final int days;

        BoughtWithin(Envelope e, int days) {
            super(e);
            this.days = days;
        }

        public int days() {
            return days;
        }

        @Override
        public String type() {
            return "bought-within";
        }

        /**
         * The items last bought at or after {@code eventTime - days}. A purchase stamped after the event
         * (the event arrived late) counts too: the customer has the item.
         */
        @Override
        Set<String> prepare(RankingRequest request) {
            String[] items = request.purchased;
            long[] at = request.purchasedAt;
            if (items == null || at == null || items.length == 0) {
                return Set.of();
            }
            long since = request.eventTime - days * DAY_MS;
            Set<String> out = new HashSet<>();
            for (int i = 0; i < Math.min(items.length, at.length); i++) {
                if (at[i] >= since) {
                    out.add(items[i]);
                }
            }
            return out;
        }

        @Override
        @SuppressWarnings("unchecked")
        boolean excludes(String itemId, CatalogEntry item, Object prepared) {
            return ((Set<String>) prepared).contains(itemId);
        }
    }

    /** {@code {"type":"price-range","min":5,"max":500}}: not an item priced outside [min, max]. */
    public static final class PriceRange extends FilterRule {
        private static final long serialVersionUID = 1L;

        private final double min;
        private final double max;

        /** Absent bounds as -∞ / +∞. */
        PriceRange(Envelope e, double min, double max) {
            super(e);
            this.min = min;
            this.max = max;
        }

        /** The lower bound (inclusive), -∞ when absent. */
        public double min() {
            return min;
        }

        /** The upper bound (inclusive), +∞ when absent. */
        public double max() {
            return max;
        }

        @Override
        public String type() {
            return "price-range";
        }

        @Override
        boolean excludes(String itemId, CatalogEntry item, Object prepared) {
            return item != null && (item.price < min || item.price > max);
        }
    }

    /**
     * {@code {"type":"category","allow":["electronics"],"deny":["electronics/refurbished"]}}: with
     * {@code allow}, only items at or under one of those category paths; never one at or under a
     * {@code deny} path (deny wins).
     */
    public static final class Category extends FilterRule {
        private static final long serialVersionUID = 1L;

        private final CategoryPrefixes allow;
        private final CategoryPrefixes deny;

        Category(Envelope e, List<String> allow, List<String> deny) {
            super(e);
            this.allow = allow == null ? null : new CategoryPrefixes(allow);
            this.deny = deny == null ? null : new CategoryPrefixes(deny);
        }

        /** The allowed category paths, or null (all). */
        public List<String> allow() {
            return allow == null ? null : allow.asList();
        }

        /** The denied category paths, or null (none). */
        public List<String> deny() {
            return deny == null ? null : deny.asList();
        }

        @Override
        public String type() {
            return "category";
        }

        @Override
        boolean excludes(String itemId, CatalogEntry item, Object prepared) {
            if (item == null) {
                return false;
            }
            return (deny != null && deny.matches(item.category)) || (allow != null && !allow.matches(item.category));
        }
    }

    /** {@code {"type":"do-not-recommend","items":["i1","i2"]}}: never these items. */
    public static final class DoNotRecommend extends FilterRule {
        private static final long serialVersionUID = 1L;

        private final Set<String> items;

        DoNotRecommend(Envelope e, List<String> items) {
            super(e);
            this.items = Set.copyOf(items);
        }

        public Set<String> items() {
            return items;
        }

        @Override
        public String type() {
            return "do-not-recommend";
        }

        @Override
        boolean excludes(String itemId, CatalogEntry item, Object prepared) {
            return items.contains(itemId);
        }
    }
}
