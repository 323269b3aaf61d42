package io.nextbest.job.rules;

import io.nextbest.job.catalog.CatalogEntry;
import io.nextbest.schemas.messages.Reason;
import io.nextbest.schemas.messages.RuleKind;
import io.nextbest.schemas.messages.Signal;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Set;

/** A boost: multiplies the score of the items it applies to by a {@link #factor}. */
public abstract sealed class BoostRule extends ParsedRule permits BoostRule.Margin, BoostRule.Promote {
    private static final long serialVersionUID = 1L;

    /** Reason texts are cut to this length. */
    static final int MAX_TEXT = 200;

    BoostRule(Envelope e) {
        super(e);
    }

    @Override
    public final RuleKind kind() {
        return RuleKind.BOOST;
    }

    /** The factor for this item, exactly 1.0 when the rule does not touch it; {@code item} may be null. */
    abstract double factor(String itemId, CatalogEntry item);

    /** The reason for a factor {@link #factor} returned (not 1.0) for this item. */
    abstract Reason reason(CatalogEntry item, double factor);

    /** {@code {"type":"margin","weight":0.5}}: factor 1 + weight × margin; 1 when the margin is unknown. */
    public static final class Margin extends BoostRule {
        private static final long serialVersionUID = 1L;

        private final double weight;

        Margin(Envelope e, double weight) {
            super(e);
            this.weight = weight;
        }

        public double weight() {
            return weight;
        }

        @Override
        public String type() {
            return "margin";
        }

        @Override
        double factor(String itemId, CatalogEntry item) {
            if (item == null || Double.isNaN(item.margin)) {
                return 1.0;
            }
            return 1.0 + weight * item.margin;
        }

        @Override
        Reason reason(CatalogEntry item, double factor) {
            // built by hand, like the other reasons: String.format is slow on the hot path
            String text = "margin " + twoDecimals(item.margin) + " (rule " + ruleId() + ", ×" + twoDecimals(factor) + ")";
            return new Reason(Signal.RULE, clip(text), factor, null);
        }
    }

    /**
     * {@code {"type":"promote","items":[...],"categories":[...],"factor":1.5}}: the factor for the listed
     * items and for items at or under the listed category paths.
     */
    public static final class Promote extends BoostRule {
        private static final long serialVersionUID = 1L;

        private final Set<String> items;
        private final CategoryPrefixes categories;
        private final double factor;
        /** The reason is the same for every item, so made once (and again after deserialization). */
        private final String text;
        private transient Reason reason;

        Promote(Envelope e, List<String> items, List<String> categories, double factor) {
            super(e);
            this.items = items == null ? Set.of() : Set.copyOf(items);
            this.categories = categories == null ? null : new CategoryPrefixes(categories);
            this.factor = factor;
            String text = "promoted by rule " + ruleId() + (e.validTo() == null ? "" : " until " + e.validTo())
                    + " (×" + twoDecimals(factor) + ")";
            this.text = clip(text);
        }

        /** The promoted item ids (empty if none). */
        public Set<String> items() {
            return items;
        }

        /** The promoted category paths, or null. */
        public List<String> categories() {
            return categories == null ? null : categories.asList();
        }

        public double factor() {
            return factor;
        }

        @Override
        public String type() {
            return "promote";
        }

        @Override
        double factor(String itemId, CatalogEntry item) {
            boolean hit = items.contains(itemId) || (categories != null && item != null && categories.matches(item.category));
            return hit ? factor : 1.0;
        }

        @Override
        Reason reason(CatalogEntry item, double factor) {
            Reason r = reason;
            if (r == null) { // a race only makes an equal Reason twice
                r = new Reason(Signal.RULE, text, this.factor, null);
                reason = r;
            }
            return r;
        }
    }

    /** {@code x} with two decimals, rounded half-up on its decimal form, as {@code %.2f} shows it. */
    static String twoDecimals(double x) {
        return BigDecimal.valueOf(x).setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    static String clip(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
    }
}
