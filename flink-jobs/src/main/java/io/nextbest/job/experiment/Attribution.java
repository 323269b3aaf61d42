package io.nextbest.job.experiment;

import io.nextbest.job.experiment.AttributionState.Member;
import io.nextbest.schemas.messages.Feedback;
import io.nextbest.schemas.messages.FeedbackType;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.OrderLine;
import io.nextbest.schemas.messages.Transaction;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The attribution rules of docs/experiments.md, pure: one customer's (or session's) state and one input in, the
 * changes to the arms' counts out.
 *
 * <ul>
 *   <li>A <b>list</b> of an experiment counts for its arm; the customer's first list of an experiment makes it a
 *       member of that arm (exposed), whether or not the page shows the list.
 *   <li><b>Feedback</b> (impression, click, dismiss) counts for the arm of the list it names by {@code
 *       suggestionSequence}; without one, for the newest list that showed the item at most {@code
 *       experiments.attribution-window} before the feedback (event time). A customer's first attributed click makes
 *       it a clicker of its own arm. Feedback naming a list that has not arrived yet (the shopper's answer can
 *       overtake the list inside the job) waits for it, for at most the attribution window and {@value
 *       #MAX_PENDING} per customer — if the customer has a list of an experiment already, or the feedback names an
 *       experiment's variant (not {@code default}).
 *   <li>An <b>add-to-cart</b> counts for the arm of the newest list that showed the item within the window.
 *   <li>An <b>order</b> counts, for every experiment the customer is a member of since before the order, as an
 *       order with its total as revenue of the customer's arm (the first makes the customer a converter); and, as an
 *       attributed order, for the arm of each list that showed one of its items within the window, with those
 *       lines' value as attributed revenue. Returns and cancellations are not counted.
 * </ul>
 * Counts about a customer (exposed, clickers, converters, orders, revenue) go to the arm the customer is a member
 * of; counts about a list (lists, impressions, clicks, dismissals, add-to-carts, attributed orders) go to the arm of
 * that list. They differ only if an experiment's split changed while it ran.
 */
public final class Attribution implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Experiments remembered per customer; the oldest membership goes first. */
    static final int MAX_MEMBERSHIPS = 64;
    /** Feedback held per customer for lists not arrived yet; the oldest goes first. */
    static final int MAX_PENDING = 64;

    private final long windowMs;
    private final long metricsWindowMs;
    private final int recentLists;

    public Attribution(long attributionWindowMs, long metricsWindowMs, int recentLists) {
        this.windowMs = attributionWindowMs;
        this.metricsWindowMs = metricsWindowMs;
        this.recentLists = recentLists;
    }

    /** Start (ms) of the metrics window of an event time. */
    public long windowOf(long time) {
        return Math.floorDiv(time, metricsWindowMs) * metricsWindowMs;
    }

    /**
     * Applies one input to a customer's state (null: none yet) and hands each arm's change to {@code out}.
     *
     * @return the state to keep (null: nothing to keep)
     */
    public AttributionState apply(AttributionState s, AttributionInput in, Consumer<ArmCounts> out) {
        if (in.list != null) {
            return list(s == null ? new AttributionState() : s, in.list, out);
        }
        if (s == null && in.feedback != null && in.feedback.suggestionSequence() != null
                && in.feedback.variant() != null && !in.feedback.variant().equals("default")) {
            s = new AttributionState(); // feedback on a list of an experiment that may still be on its way
        }
        if (s == null) {
            return null; // never got a list of an experiment: nothing to attribute
        }
        if (in.feedback != null) {
            feedback(s, in.feedback, out);
        } else if (in.addToCart != null) {
            addToCart(s, in.addToCart, out);
        } else if (in.order != null) {
            order(s, in.order, out);
        }
        return s;
    }

    private AttributionState list(AttributionState s, ShownList list, Consumer<ArmCounts> out) {
        ArmCounts d = new ArmCounts(list.experimentId, list.variant, windowOf(list.time));
        d.lists = 1;
        if (s.member(list.experimentId) == null) {
            Member m = new Member(list.experimentId, list.variant, list.time);
            s.members = append(s.members, m, MAX_MEMBERSHIPS, Member[]::new);
            d.exposedCustomers = 1;
        }
        if (list.items.length > 0) { // a decision (no items) is never what feedback names: it must not push lists out
            s.lists = append(s.lists, list, recentLists, ShownList[]::new);
        }
        out.accept(d);
        if (s.pending.length > 0) { // feedback that overtook this list, and feedback too old to wait any longer
            List<AttributionState.Pending> keep = new ArrayList<>();
            for (AttributionState.Pending p : s.pending) {
                if (p.sequence == list.sequence) {
                    Feedback f = new Feedback(null, FeedbackType.values()[p.type], null, null, Instant.ofEpochMilli(p.time),
                            p.itemId, null, p.sequence, null, null, null);
                    feedback(s, f, out);
                } else if (list.time - p.time <= windowMs) {
                    keep.add(p);
                }
            }
            s.pending = keep.toArray(new AttributionState.Pending[0]);
        }
        return s;
    }

    private void feedback(AttributionState s, Feedback f, Consumer<ArmCounts> out) {
        long time = f.timestamp().toEpochMilli();
        ShownList list = f.suggestionSequence() != null ? bySequence(s, f.suggestionSequence())
                : lastShowing(s, f.itemId(), time);
        if (list == null) {
            if (f.suggestionSequence() != null && !remembersLaterThan(s, f.suggestionSequence())) {
                AttributionState.Pending p = new AttributionState.Pending();
                p.sequence = f.suggestionSequence();
                p.type = f.type().ordinal();
                p.itemId = f.itemId();
                p.time = time;
                s.pending = append(s.pending, p, MAX_PENDING, AttributionState.Pending[]::new);
            }
            return;
        }
        ArmCounts d = new ArmCounts(list.experimentId, list.variant, windowOf(time));
        switch (f.type()) {
            case IMPRESSION -> d.impressions = 1;
            case DISMISS -> d.dismissals = 1;
            case CLICK -> {
                d.clicks = 1;
                Member m = s.member(list.experimentId);
                if (m != null && !m.clicked) {
                    m.clicked = true;
                    if (m.variant.equals(list.variant)) {
                        d.clickers = 1;
                    } else {
                        ArmCounts c = new ArmCounts(m.experimentId, m.variant, windowOf(time));
                        c.clickers = 1;
                        out.accept(c);
                    }
                }
            }
            default -> {
                return;
            }
        }
        out.accept(d);
    }

    private void addToCart(AttributionState s, Interaction i, Consumer<ArmCounts> out) {
        long time = i.timestamp().toEpochMilli();
        ShownList list = lastShowing(s, i.itemId(), time);
        if (list != null) {
            ArmCounts d = new ArmCounts(list.experimentId, list.variant, windowOf(time));
            d.addToCarts = 1;
            out.accept(d);
        }
    }

    private void order(AttributionState s, Transaction t, Consumer<ArmCounts> out) {
        long time = t.timestamp().toEpochMilli();
        long window = windowOf(time);
        double value = Math.max(0, t.total());
        for (Member m : s.members) {
            if (m.exposedAt > time) {
                continue; // exposed after the order (event time): the order cannot be the arm's doing
            }
            ArmCounts d = new ArmCounts(m.experimentId, m.variant, window);
            d.orders = 1;
            d.revenue = value;
            d.revenueSquares = (m.revenue + value) * (m.revenue + value) - m.revenue * m.revenue;
            m.revenue += value;
            if (!m.converted) {
                m.converted = true;
                d.converters = 1;
            }
            out.accept(d);
        }
        // lines of items a list showed within the window: per arm, one attributed order and the lines' value
        Map<String, ArmCounts> attributed = new LinkedHashMap<>();
        for (OrderLine line : t.lines()) {
            ShownList list = lastShowing(s, line.itemId(), time);
            if (list == null) {
                continue;
            }
            ArmCounts d = attributed.computeIfAbsent(list.experimentId + "/" + list.variant, k -> {
                ArmCounts c = new ArmCounts(list.experimentId, list.variant, window);
                c.attributedOrders = 1;
                return c;
            });
            d.attributedRevenue += Math.max(0, line.quantity() * line.unitPrice());
        }
        attributed.values().forEach(out);
    }

    /** Whether a list after {@code sequence} arrived: the one named is then never coming (or was forgotten). */
    private static boolean remembersLaterThan(AttributionState s, long sequence) {
        for (ShownList l : s.lists) {
            if (l.sequence >= sequence) {
                return true;
            }
        }
        return false;
    }

    private static ShownList bySequence(AttributionState s, long sequence) {
        for (int i = s.lists.length - 1; i >= 0; i--) {
            if (s.lists[i].sequence == sequence) {
                return s.lists[i];
            }
        }
        return null;
    }

    /** The newest list made at most the attribution window before {@code time} (and not after it) showing the item. */
    private ShownList lastShowing(AttributionState s, String itemId, long time) {
        ShownList best = null;
        for (ShownList l : s.lists) {
            if (l.time <= time && time - l.time <= windowMs && l.shows(itemId)
                    && (best == null || l.time > best.time || (l.time == best.time && l.sequence > best.sequence))) {
                best = l;
            }
        }
        return best;
    }

    private static <T> T[] append(T[] array, T element, int max, java.util.function.IntFunction<T[]> make) {
        List<T> all = new ArrayList<>(Arrays.asList(array));
        all.add(element);
        while (all.size() > max) {
            all.remove(0);
        }
        return all.toArray(make.apply(0));
    }
}
