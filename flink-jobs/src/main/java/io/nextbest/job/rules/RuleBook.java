package io.nextbest.job.rules;

import io.nextbest.job.catalog.CatalogEntry;
import io.nextbest.job.messages.RankingRequest;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * The rules in force, by kind and sorted by ruleId, ready for ranking. Immutable: a change of rules makes a
 * new book ({@link #with}, {@link #without}). Disabled rules are kept (they count in {@link #size}) but never
 * evaluated; contact rules are kept and ignored.
 *
 * <p>Which rules apply to a request (window, segments) is worked out once per request, not per item: the
 * book remembers the view of the last request it was asked about ({@link #forRequest}), so the calls for
 * the 50–200 candidates of one list share it. Callers that hold the view themselves skip even that check.
 */
public final class RuleBook implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final RuleBook EMPTY = new RuleBook(new ParsedRule[0]);

    private static final Comparator<ParsedRule> BY_ID = Comparator.comparing(ParsedRule::ruleId);

    /** All rules, sorted by ruleId. */
    private final ParsedRule[] rules;
    /** The enabled rules of each kind, sorted by ruleId. */
    private final FilterRule[] filters;
    private final BoostRule[] boosts;
    private final PlacementRule[] placements;
    private final ExperimentRule[] experiments;

    /** The view of the request asked about last; a cache, not state (a race only costs a recomputation). */
    private transient volatile RequestRules last;

    private RuleBook(ParsedRule[] sortedById) {
        this.rules = sortedById;
        List<FilterRule> f = new ArrayList<>();
        List<BoostRule> b = new ArrayList<>();
        List<PlacementRule> p = new ArrayList<>();
        List<ExperimentRule> x = new ArrayList<>();
        for (ParsedRule r : sortedById) {
            if (!r.enabled()) {
                continue;
            }
            if (r instanceof FilterRule filter) {
                f.add(filter);
            } else if (r instanceof BoostRule boost) {
                b.add(boost);
            } else if (r instanceof PlacementRule placement) {
                p.add(placement);
            } else if (r instanceof ExperimentRule experiment) {
                x.add(experiment);
            }
        }
        this.experiments = x.toArray(new ExperimentRule[0]);
        this.filters = f.toArray(new FilterRule[0]);
        this.boosts = b.toArray(new BoostRule[0]);
        this.placements = p.toArray(new PlacementRule[0]);
    }

    /** A book of these rules; of two with the same ruleId, the later in iteration order is kept. */
    public static RuleBook of(Collection<ParsedRule> rules) {
        TreeMap<String, ParsedRule> byId = new TreeMap<>();
        for (ParsedRule r : rules) {
            byId.put(r.ruleId(), r);
        }
        return byId.isEmpty() ? EMPTY : new RuleBook(byId.values().toArray(new ParsedRule[0]));
    }

    /** This book with {@code rule} added, or replacing the rule of the same id. */
    public RuleBook with(ParsedRule rule) {
        int i = indexOf(rule.ruleId());
        ParsedRule[] next;
        if (i >= 0) {
            next = rules.clone();
            next[i] = rule;
        } else {
            int at = -i - 1;
            next = new ParsedRule[rules.length + 1];
            System.arraycopy(rules, 0, next, 0, at);
            next[at] = rule;
            System.arraycopy(rules, at, next, at + 1, rules.length - at);
        }
        return new RuleBook(next);
    }

    /** This book without the rule of that id (this book if it has none). */
    public RuleBook without(String ruleId) {
        int i = indexOf(ruleId);
        if (i < 0) {
            return this;
        }
        if (rules.length == 1) {
            return EMPTY;
        }
        ParsedRule[] next = new ParsedRule[rules.length - 1];
        System.arraycopy(rules, 0, next, 0, i);
        System.arraycopy(rules, i + 1, next, i, rules.length - i - 1);
        return new RuleBook(next);
    }

    /** The rule of that id, or null. */
    public ParsedRule get(String ruleId) {
        int i = indexOf(ruleId);
        return i >= 0 ? rules[i] : null;
    }

    /** All rules (disabled and contact rules included), sorted by ruleId. */
    public List<ParsedRule> rules() {
        return List.of(rules);
    }

    public int size() {
        return rules.length;
    }

    /** The filters and boosts that apply to this request (enabled, in their window, in their segments). */
    public RequestRules forRequest(RankingRequest request) {
        RequestRules view = last;
        if (view == null || !view.isFor(request)) {
            view = new RequestRules(request, filters, boosts);
            last = view;
        }
        return view;
    }

    /** The id of the first (by ruleId) filter rule that makes the item ineligible for this request, or null. */
    public String excludedBy(String itemId, CatalogEntry item, RankingRequest request) {
        return filters.length == 0 ? null : forRequest(request).excludedBy(itemId, item);
    }

    /** The product of all applicable boosts (1.0 when none) and one reason per boost that applied. */
    public Boost boost(String itemId, CatalogEntry item, RankingRequest request) {
        return boosts.length == 0 ? Boost.NONE : forRequest(request).boost(itemId, item);
    }

    /**
     * The product of all applicable boosts (1.0 when none), without reasons: nothing is allocated. For
     * scoring every candidate; {@link #boost} then gives the reasons of the items that make the list.
     */
    public double factor(String itemId, CatalogEntry item, RankingRequest request) {
        return boosts.length == 0 ? 1.0 : forRequest(request).factor(itemId, item);
    }

    /**
     * The list size for the placement: that of the applicable placement rule with the smallest ruleId,
     * else {@code defaultSize}.
     */
    public int listSize(String placement, int defaultSize, RankingRequest request) {
        if (placement != null) {
            for (PlacementRule p : placements) {
                if (p.placement().equals(placement) && p.appliesTo(request)) {
                    return p.listSize();
                }
            }
        }
        return defaultSize;
    }

    /**
     * The experiment a list of this request is made in: the enabled experiment (smallest ruleId first) that covers
     * the request's placement, whose window holds its event time and whose segments hold the customer; null if none.
     * (Overlapping experiments are refused before they reach the book; the order only matters if one slipped in.)
     */
    public ExperimentRule experiment(RankingRequest request) {
        return experiment(request.placement, request.eventTime, request.segments);
    }

    /** As {@link #experiment(RankingRequest)}, for a placement, event time and the customer's segments. */
    public ExperimentRule experiment(String placement, long eventTime, String[] segments) {
        for (ExperimentRule x : experiments) {
            if (x.covers(placement) && x.appliesTo(eventTime, segments)) {
                return x;
            }
        }
        return null;
    }

    private int indexOf(String ruleId) {
        int lo = 0;
        int hi = rules.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = rules[mid].ruleId().compareTo(ruleId);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    @Override
    public String toString() {
        return "RuleBook" + Arrays.toString(rules);
    }
}
