package io.nextbest.job.rules;

import io.nextbest.job.catalog.CatalogEntry;
import io.nextbest.job.messages.RankingRequest;
import io.nextbest.schemas.messages.Reason;
import java.util.ArrayList;
import java.util.List;

/**
 * The filters and boosts of a {@link RuleBook} that apply to one request, with what the filters need
 * worked out once (e.g. the items bought within each bought-within rule's days). Per item, only the
 * item tests remain: set look-ups, price comparisons, category prefix checks.
 */
public final class RequestRules {
    private final RankingRequest request;
    private final long eventTime;
    private final String[] segments;
    private final String[] purchased;
    private final long[] purchasedAt;

    private final FilterRule[] filters;
    private final Object[] prepared;
    private final BoostRule[] boosts;

    RequestRules(RankingRequest request, FilterRule[] allFilters, BoostRule[] allBoosts) {
        this.request = request;
        this.eventTime = request.eventTime;
        this.segments = request.segments;
        this.purchased = request.purchased;
        this.purchasedAt = request.purchasedAt;
        List<FilterRule> f = new ArrayList<>(allFilters.length);
        for (FilterRule r : allFilters) {
            if (r.appliesTo(request)) {
                f.add(r);
            }
        }
        this.filters = f.toArray(new FilterRule[0]);
        this.prepared = new Object[filters.length];
        for (int i = 0; i < filters.length; i++) {
            prepared[i] = filters[i].prepare(request);
        }
        List<BoostRule> b = new ArrayList<>(allBoosts.length);
        for (BoostRule r : allBoosts) {
            if (r.appliesTo(request)) {
                b.add(r);
            }
        }
        this.boosts = b.toArray(new BoostRule[0]);
    }

    /** Whether this view was made for this request as it is now (same object, same fields read). */
    boolean isFor(RankingRequest r) {
        return r == request && r.eventTime == eventTime && r.segments == segments && r.purchased == purchased
                && r.purchasedAt == purchasedAt;
    }

    /** The id of the first (by ruleId) filter rule that makes the item ineligible, or null. */
    public String excludedBy(String itemId, CatalogEntry item) {
        for (int i = 0; i < filters.length; i++) {
            if (filters[i].excludes(itemId, item, prepared[i])) {
                return filters[i].ruleId();
            }
        }
        return null;
    }

    /** The product of the boosts that apply to the item (1.0 when none) and one reason per boost, by ruleId. */
    public Boost boost(String itemId, CatalogEntry item) {
        double product = 1.0;
        Reason first = null;
        List<Reason> all = null;
        for (BoostRule b : boosts) {
            double f = b.factor(itemId, item);
            if (f == 1.0) {
                continue;
            }
            product *= f;
            Reason reason = b.reason(item, f);
            if (first == null) {
                first = reason;
            } else {
                if (all == null) {
                    all = new ArrayList<>(4);
                    all.add(first);
                }
                all.add(reason);
            }
        }
        if (first == null) {
            return Boost.NONE;
        }
        return new Boost(product, all == null ? List.of(first) : all);
    }

    /** The product of the boosts that apply to the item (1.0 when none), without reasons. */
    public double factor(String itemId, CatalogEntry item) {
        double product = 1.0;
        for (BoostRule b : boosts) {
            product *= b.factor(itemId, item);
        }
        return product;
    }

    /** Whether no filter and no boost applies to this request. */
    public boolean isEmpty() {
        return filters.length == 0 && boosts.length == 0;
    }
}
