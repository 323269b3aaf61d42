package io.nextbest.loadtest.triggers;

import io.nextbest.job.customer.BasketTriggers;
import io.nextbest.job.customer.CustomerStage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many abandoned baskets a replay holds, worked out from the events alone, without the job: the
 * yardstick of {@code bin/nextbest triggers}.
 *
 * <p>Per known customer (an event with a customer id), in event-time order (ties in list order), the
 * basket is kept as the engine documents it: add_to_cart adds units of a line; remove_from_cart takes
 * units off (the whole line without a quantity; an item not in the basket changes nothing); an order
 * takes its items' lines out. A <em>basket version</em> begins with each change that leaves items in
 * the basket, at the time of that change (a change stamped no later than the version's time — same
 * second — belongs to it). The version is <b>abandoned</b> unless the customer's next basket change or
 * order comes within the idle time of it ({@code next ≤ version + idle}); one with nothing after it
 * is abandoned too (the replay ends with a sentinel well past every due time). A change that empties
 * the basket ends the version: abandoned if it came after the idle time, else nothing.
 */
public final class AbandonedBaskets {

    /**
     * One abandoned basket version.
     *
     * @param triggerId the id the engine gives the trigger of this version ({@link CustomerStage#triggerId})
     * @param nextAt time of the customer's next basket change or order, -1 if none
     * @param nextAction its action (add_to_cart, remove_from_cart, order), null if none
     * @param nextEventId its event id, null if none
     */
    public record Basket(String customerId, long basketAt, long dueAt, String triggerId, long nextAt,
            String nextAction, String nextEventId) {}

    /**
     * A basket version that is not abandoned: the event that closed it within the idle time.
     *
     * @param eventId the closing basket change or order
     */
    public record Closed(String customerId, long basketAt, long dueAt, String eventId, String action) {}

    /**
     * @param abandoned the abandoned versions, in order of their due time
     * @param versions all basket versions
     * @param superseded versions followed by another basket change within the idle time
     * @param ordered versions followed by an order within the idle time
     * @param closed the versions that are not abandoned, in order of their due time
     */
    public record Result(List<Basket> abandoned, long versions, long superseded, long ordered, List<Closed> closed) {
        public Map<String, Basket> byTriggerId() {
            Map<String, Basket> m = new LinkedHashMap<>();
            for (Basket b : abandoned) {
                m.put(b.triggerId(), b);
            }
            return m;
        }
    }

    private AbandonedBaskets() {}

    /** The abandoned basket versions of {@code events} for an idle time of {@code idleMs}. */
    public static Result of(List<BasketEvent> events, long idleMs) {
        List<BasketEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(BasketEvent::timeMs)); // stable: ties keep list order
        Map<String, Customer> customers = new HashMap<>();
        List<Basket> abandoned = new ArrayList<>();
        List<Closed> closed = new ArrayList<>();
        long[] counts = new long[3]; // versions, superseded, ordered
        for (BasketEvent e : sorted) {
            if (e.customerId() == null) {
                continue; // an anonymous session: the engine arms no trigger for it
            }
            Customer c = customers.computeIfAbsent(e.customerId(), k -> new Customer());
            switch (e.action()) {
                case BasketEvent.ORDER -> {
                    c.end(e, idleMs, abandoned, closed, counts, 2);
                    for (String item : e.items()) {
                        c.basket.remove(item);
                    }
                }
                case BasketEvent.ADD -> {
                    for (String item : e.items()) {
                        c.basket.merge(item, e.quantity() == null ? 1 : e.quantity(), Integer::sum);
                    }
                    if (!e.items().isEmpty()) {
                        c.changed(e, idleMs, abandoned, closed, counts);
                    }
                }
                case BasketEvent.REMOVE -> {
                    boolean changed = false;
                    for (String item : e.items()) {
                        Integer units = c.basket.get(item);
                        if (units == null) {
                            continue;
                        }
                        changed = true;
                        if (e.quantity() != null && units > e.quantity()) {
                            c.basket.put(item, units - e.quantity());
                        } else {
                            c.basket.remove(item);
                        }
                    }
                    if (changed) {
                        c.changed(e, idleMs, abandoned, closed, counts);
                    }
                }
                default -> {
                    // views, clicks, wishlists, returns: the basket stays as it is
                }
            }
        }
        for (Map.Entry<String, Customer> e : customers.entrySet()) {
            Customer c = e.getValue();
            if (c.pending != Customer.NONE) {
                abandoned.add(basket(c.customerId, c.pending, idleMs, null));
            }
        }
        abandoned.sort(Comparator.comparingLong(Basket::dueAt).thenComparing(Basket::customerId));
        closed.sort(Comparator.comparingLong(Closed::dueAt).thenComparing(Closed::customerId));
        return new Result(List.copyOf(abandoned), counts[0], counts[1], counts[2], List.copyOf(closed));
    }

    private static Basket basket(String customerId, long basketAt, long idleMs, BasketEvent next) {
        return new Basket(customerId, basketAt, basketAt + idleMs, BasketTriggers.triggerId(customerId, basketAt),
                next == null ? -1 : next.timeMs(), next == null ? null : next.action(),
                next == null ? null : next.eventId());
    }

    private static final class Customer {
        static final long NONE = Long.MIN_VALUE;
        String customerId;
        final Map<String, Integer> basket = new LinkedHashMap<>();
        /** Time of the open basket version, NONE when none. */
        long pending = NONE;

        /**
         * After a basket change at {@code e}: one that empties the basket closes the open version; one
         * that leaves items starts a new version at its time, unless the open one has that very time.
         */
        void changed(BasketEvent e, long idleMs, List<Basket> abandoned, List<Closed> closed, long[] counts) {
            customerId = e.customerId();
            long at = e.timeMs(); // events come in time order
            if (basket.isEmpty()) {
                end(e, idleMs, abandoned, closed, counts, 1);
                return;
            }
            if (pending == at) {
                return; // same time as the open version: part of it
            }
            end(e, idleMs, abandoned, closed, counts, 1);
            pending = at;
            counts[0]++;
        }

        /** Closes the open version at event {@code e}: abandoned if its due time had passed, else counted in {@code slot}. */
        void end(BasketEvent e, long idleMs, List<Basket> abandoned, List<Closed> closed, long[] counts, int slot) {
            customerId = e.customerId();
            if (pending == NONE) {
                return;
            }
            if (e.timeMs() > pending + idleMs) {
                abandoned.add(basket(customerId, pending, idleMs, e));
            } else {
                counts[slot]++;
                closed.add(new Closed(customerId, pending, pending + idleMs, e.eventId(), e.action()));
            }
            pending = NONE;
        }
    }
}
