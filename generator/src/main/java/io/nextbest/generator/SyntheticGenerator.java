package io.nextbest.generator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nextbest.schemas.Json;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.CatalogItem;
import io.nextbest.schemas.messages.Channel;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.CustomerEvent;
import io.nextbest.schemas.messages.CustomerEventType;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.OrderLine;
import io.nextbest.schemas.messages.Transaction;
import io.nextbest.schemas.messages.TransactionType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The synthetic shoppers of a {@link Workload}: an endless stream of input records (interactions,
 * orders, identity and consent events, catalog updates, broken and repeated records) whose every byte
 * follows from the workload and the constructor arguments.
 *
 * <p><b>Parts.</b> Part {@code p} of {@code n} uses only the customers of the p-th of n contiguous
 * ranges of the customer ids, so n threads (or machines) generate side by side without coordination
 * and never share a customer; together they draw from the same distributions as one part would.
 *
 * <p><b>Slots and sessions.</b> The i-th record of a part (its slot) is a broken record with
 * probability {@code records.bad-share}, a catalog update with probability
 * {@code records.catalog-update-share}, else the next step of a session; this decision and the content
 * of broken records and updates come from a hash of (seed, part, i). Session steps go round-robin to
 * {@code session.concurrent / parts} lanes, each of which plays its sessions one after another, so
 * that many sessions are in progress at once and their events interleave. Session {@code k} of lane
 * {@code l} draws everything from a random stream seeded by (seed, part, l, k).
 *
 * <p><b>Time.</b> Event time comes from the {@link Schedule}, never from the wall clock: slot i is
 * stamped {@code start + i / rate}. Pacing the sends is the runner's business (the load tests'
 * {@code OpenLoopDriver}); a runner that changes its rate moves the schedule on with it ({@link #pace}).
 *
 * <p><b>Resume.</b> A generator built with {@code skip = n} produces exactly what an unskipped one
 * produces from its n-th record on (given the same schedule). It classifies the n skipped slots (a
 * hash each) and re-plans the sessions the lanes have played (a few random numbers each; no records
 * are built), so a resume costs a fraction of generating.
 *
 * <p><b>Ids.</b> Customers {@code c0000001..}, items {@code i000001..}; session {@code k} of lane
 * {@code l} of part {@code p} is {@code s<p>-<l>-<k>}, its events {@code e<p>-<l>-<k>-<step>} and its
 * order {@code o<p>-<l>-<k>}; broken records carry {@code x<p>-<slot>} where they have an id.
 *
 * <p>Memory: the catalog's per-item arrays (shared) and one session plan per lane; nothing per customer.
 * Not thread-safe: one generator per thread.
 */
public final class SyntheticGenerator implements EventSource {
    private static final long PURPOSE_SESSION = 10;
    private static final long PURPOSE_SLOT = 11;
    private static final long PURPOSE_SLOT_CONTENT = 12;
    private static final long PURPOSE_ZONE = 13;

    /** How far ahead of its slot a far-future broken record is stamped (the job allows 1h by default). */
    public static final Duration FAR_FUTURE = Duration.ofDays(365);

    private static final Channel[] CHANNELS = {Channel.WEB, Channel.APP, Channel.EMAIL, Channel.OTHER};
    private static final ContactChannel[] CONTACT_CHANNELS = {
        ContactChannel.EMAIL, ContactChannel.SMS, ContactChannel.PUSH, ContactChannel.WEB};
    private static final String[] ZONES = {
        "Europe/Berlin", "Europe/London", "Europe/Paris", "Europe/Madrid", "Europe/Warsaw",
        "America/New_York", "America/Chicago", "America/Los_Angeles", "Asia/Tokyo", "Australia/Sydney"};
    private static final double[] PRICE_FACTORS = {0.7, 0.8, 0.9, 0.95, 1.05, 1.1};

    private final long seed;
    private final int part;
    private final SyntheticCatalog catalog;
    private Schedule schedule;
    private final long customerFrom;
    private final long customerCount;
    private final int customerWidth;
    private final double badShare;
    private final double specialShare;
    private final Lane[] lanes;

    /** Position of the next record (its slot). */
    private long position;
    /** Session steps handed out so far (slots that were neither broken nor catalog updates). */
    private long sessionSteps;

    /**
     * A part on the fixed schedule: starting at {@link Schedule#FIXED_START_MS} at {@code rate / parts}.
     * For files and tests; a run against a live job passes its start time instead (the job
     * dead-letters events far from its wall clock).
     */
    public SyntheticGenerator(Workload w, int part, int parts, long skip) {
        this(w, part, parts, skip, Schedule.of(Schedule.FIXED_START_MS, w.rate() / checkParts(part, parts)));
    }

    /** A part whose event 0 happens at {@code startEpochMs}, at {@code rate / parts} events per second. */
    public SyntheticGenerator(Workload w, int part, int parts, long skip, long startEpochMs) {
        this(w, part, parts, skip, Schedule.of(startEpochMs, w.rate() / checkParts(part, parts)));
    }

    /**
     * @param w the workload
     * @param part which part this is, 0..parts-1
     * @param parts into how many parts the customers are split
     * @param skip how many records to skip: the first record is the one at this position
     * @param schedule event time of each position
     */
    public SyntheticGenerator(Workload w, int part, int parts, long skip, Schedule schedule) {
        checkParts(part, parts);
        if (parts > w.customers()) {
            throw new IllegalArgumentException(parts + " parts for " + w.customers() + " customers: every part needs one");
        }
        if (skip < 0) {
            throw new IllegalArgumentException("skip must be >= 0, is " + skip);
        }
        this.seed = w.seed();
        this.part = part;
        this.catalog = SyntheticCatalog.of(w);
        this.schedule = schedule;
        this.customerFrom = (long) w.customers() * part / parts;
        this.customerCount = (long) w.customers() * (part + 1) / parts - customerFrom;
        this.customerWidth = Math.max(7, Integer.toString(w.customers()).length());
        this.badShare = w.badRecordShare();
        this.specialShare = w.badRecordShare() + w.catalogUpdateShare();

        double dupOfSessionSteps = w.duplicateShare() / (1 - specialShare);
        double keep = w.abandonedBasketShare() >= 1 ? 1 : Math.min(1, w.cartToPurchase() / (1 - w.abandonedBasketShare()));
        SessionPlan.Model model = new SessionPlan.Model(catalog, customerFrom, customerCount, w.minViews(), w.maxViews(),
                w.anonymousShare(), w.loginShare(), w.consentShare(), w.searchShare(), w.clickShare(), w.viewToCart(),
                w.wishlistShare(), w.abandonedBasketShare(), keep, dupOfSessionSteps / (1 - dupOfSessionSteps));
        int laneCount = Math.max(1, (int) Math.round((double) w.concurrentSessions() / parts));
        this.lanes = new Lane[laneCount];
        for (int l = 0; l < laneCount; l++) {
            lanes[l] = new Lane(l, new SessionPlan(model));
        }
        resume(skip);
    }

    private static int checkParts(int part, int parts) {
        if (parts < 1 || part < 0 || part >= parts) {
            throw new IllegalArgumentException("part must be in 0.." + (parts - 1) + " of parts >= 1, is " + part + " of " + parts);
        }
        return parts;
    }

    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public InputEvent next() {
        long slot = position++;
        double u = slotUnit(slot);
        if (u < badShare) {
            return broken(slot);
        }
        if (u < specialShare) {
            return catalogUpdate(slot);
        }
        Lane lane = lanes[(int) (sessionSteps++ % lanes.length)];
        if (lane.cursor == lane.plan.length) {
            lane.plan(lane.plan.number + 1);
        }
        int step = lane.cursor++;
        if (lane.plan.kind[step] != SessionPlan.DUP) {
            lane.last = render(lane, step, slot);
        }
        return lane.last; // a duplicate is the record of the step before, as it was
    }

    @Override
    public long position() {
        return position;
    }

    /** The record at the current position is stamped {@code startEpochMs}, each later one 1 / eventsPerSecond after. */
    @Override
    public void pace(long startEpochMs, double eventsPerSecond) {
        schedule = new Schedule(startEpochMs, eventsPerSecond, position);
    }

    /** The event time of position {@code i}. */
    public long eventTimeMs(long i) {
        return schedule.eventTimeMs(i);
    }

    /** Customers of this part: ids {@code customerFrom + 1 ..= customerFrom + customerCount}, as indexes from 0. */
    public long customerFrom() {
        return customerFrom;
    }

    public long customerCount() {
        return customerCount;
    }

    // --- resume

    private void resume(long skip) {
        int k = lanes.length;
        long[] lastSlot = new long[k];
        long steps = 0;
        int lane = 0;
        for (long slot = 0; slot < skip; slot++) {
            if (slotUnit(slot) >= specialShare) {
                lastSlot[lane] = slot;
                steps++;
                if (++lane == k) {
                    lane = 0;
                }
            }
        }
        position = skip;
        sessionSteps = steps;
        for (int l = 0; l < k; l++) {
            Lane ln = lanes[l];
            long taken = steps > l ? (steps - 1 - l) / k + 1 : 0; // steps this lane has played
            long session = 0;
            ln.plan(session);
            while (taken >= ln.plan.length) {
                taken -= ln.plan.length;
                ln.plan(++session);
            }
            ln.cursor = (int) taken;
            if (ln.cursor > 0 && ln.plan.kind[ln.cursor] == SessionPlan.DUP) {
                ln.last = render(ln, ln.cursor - 1, lastSlot[l]);
            }
        }
    }

    // --- session records

    private InputEvent render(Lane lane, int step, long slot) {
        SessionPlan p = lane.plan;
        long t = schedule.eventTimeMs(slot);
        Instant ts = Instant.ofEpochMilli(t);
        String tag = part + "-" + lane.index + "-" + p.number;
        String eventId = "e" + tag + "-" + step;
        String sessionId = "s" + tag;
        String customerId = p.known(step) ? customerId(p.customer) : null;
        Channel channel = CHANNELS[p.channel];
        int item = p.item[step];
        int aux = p.aux[step];
        switch (p.kind[step]) {
            case SessionPlan.SEARCH:
                return interaction(new Interaction(eventId, InteractionType.SEARCH, customerId, sessionId, null,
                        catalog.query(item, aux), ts, channel, "search", null, null), t);
            case SessionPlan.CLICK:
                return interaction(new Interaction(eventId, InteractionType.CLICK, customerId, sessionId,
                        catalog.itemId(item), null, ts, channel, SessionPlan.CLICK_PLACEMENTS[aux], null,
                        catalog.price(item)), t);
            case SessionPlan.VIEW:
                return interaction(new Interaction(eventId, InteractionType.VIEW, customerId, sessionId,
                        catalog.itemId(item), null, ts, channel, "product", null, catalog.price(item)), t);
            case SessionPlan.CART:
                return interaction(new Interaction(eventId, InteractionType.ADD_TO_CART, customerId, sessionId,
                        catalog.itemId(item), null, ts, channel, "product", aux, catalog.price(item)), t);
            case SessionPlan.WISHLIST:
                return interaction(new Interaction(eventId, InteractionType.WISHLIST, customerId, sessionId,
                        catalog.itemId(item), null, ts, channel, "product", null, catalog.price(item)), t);
            case SessionPlan.REMOVE:
                return interaction(new Interaction(eventId, InteractionType.REMOVE_FROM_CART, customerId, sessionId,
                        catalog.itemId(item), null, ts, channel, "basket", aux, catalog.price(item)), t);
            case SessionPlan.IDENTIFY:
                return customerEvent(new CustomerEvent(eventId, CustomerEventType.IDENTIFY, customerId, ts, sessionId,
                        null, null, zone(p.customer)), t);
            case SessionPlan.CONSENT:
                return customerEvent(new CustomerEvent(eventId, CustomerEventType.CONSENT, customerId, ts, null,
                        CONTACT_CHANNELS[aux / 2], aux % 2 == 1, zone(p.customer)), t);
            case SessionPlan.ORDER:
                return order(p, eventId, "o" + tag, customerId, ts, channel, t);
            default:
                throw new IllegalStateException("no record for step kind " + p.kind[step]);
        }
    }

    private InputEvent order(SessionPlan p, String eventId, String orderId, String customerId, Instant ts,
            Channel channel, long t) {
        List<OrderLine> lines = new ArrayList<>(p.lines);
        double total = 0;
        for (int l = 0; l < p.lines; l++) {
            if (p.lineKept[l]) {
                double price = catalog.price(p.lineItem[l]);
                lines.add(new OrderLine(catalog.itemId(p.lineItem[l]), p.lineQuantity[l], price));
                total += p.lineQuantity[l] * price;
            }
        }
        Transaction order = new Transaction(eventId, TransactionType.ORDER, orderId, customerId, ts, lines,
                Math.round(total * 100) / 100.0, SyntheticCatalog.CURRENCY, channel);
        return new InputEvent(Topics.TRANSACTIONS.name(), customerId, Topics.TRANSACTIONS.codec().encode(order), eventId,
                customerId, lines.size() == 1 ? lines.get(0).itemId() : null, TransactionType.ORDER.wire(), t);
    }

    private static InputEvent interaction(Interaction e, long t) {
        return new InputEvent(Topics.INTERACTIONS.name(), e.subjectKey(), Topics.INTERACTIONS.codec().encode(e),
                e.eventId(), e.subjectKey(), e.itemId(), e.type().wire(), t);
    }

    private static InputEvent customerEvent(CustomerEvent e, long t) {
        return new InputEvent(Topics.CUSTOMERS.name(), e.customerId(), Topics.CUSTOMERS.codec().encode(e),
                e.eventId(), e.customerId(), null, e.type().wire(), t);
    }

    private String customerId(long customer) {
        return Ids.padded('c', customer + 1, customerWidth);
    }

    /** A customer's time zone, the same in every event (a quarter of the customers give none). */
    private String zone(long customer) {
        long h = Seeds.derive(seed, PURPOSE_ZONE, customer);
        int z = (int) Math.floorMod(h, (long) ZONES.length * 4 / 3);
        return z < ZONES.length ? ZONES[z] : null;
    }

    // --- slot records: catalog updates and broken records

    private double slotUnit(long slot) {
        return Seeds.unit(Seeds.derive(seed, PURPOSE_SLOT, part, slot));
    }

    private SplittableRandom slotRandom(long slot) {
        return new SplittableRandom(Seeds.derive(seed, PURPOSE_SLOT_CONTENT, part, slot));
    }

    /** A price or stock change of a uniformly chosen item: the full item, as the catalog topic carries it. */
    private InputEvent catalogUpdate(long slot) {
        SplittableRandom r = slotRandom(slot);
        long t = schedule.eventTimeMs(slot);
        int item = r.nextInt(catalog.size());
        double listPrice = catalog.price(item);
        double price = r.nextDouble() < 0.5
                ? listPrice // back to the list price (or a stock change only)
                : Math.max(0.99, Math.floor(listPrice * PRICE_FACTORS[r.nextInt(PRICE_FACTORS.length)]) + 0.99);
        CatalogItem updated = catalog.updated(item, price, r.nextDouble() < 0.9, t);
        return new InputEvent(Topics.CATALOG.name(), updated.itemId(), Topics.CATALOG.codec().encode(updated), null, null,
                updated.itemId(), "catalog", t);
    }

    /**
     * A record broken on purpose, one of: not JSON (cut off, or plain text), unknown type, negative
     * quantity, missing eventId, timestamp {@link #FAR_FUTURE} ahead. The key is a customer id, as a
     * producer would send it.
     */
    private InputEvent broken(long slot) {
        SplittableRandom r = slotRandom(slot);
        long t = schedule.eventTimeMs(slot);
        Instant ts = Instant.ofEpochMilli(t);
        String customer = customerId(customerFrom + r.nextLong(customerCount));
        int item = catalog.sample(r);
        String itemId = catalog.itemId(item);
        String eventId = "x" + part + "-" + slot;
        Interaction cart = new Interaction(eventId, InteractionType.ADD_TO_CART, customer, null, itemId, null, ts,
                Channel.WEB, "product", 1, catalog.price(item));
        Transaction order = new Transaction(eventId, TransactionType.ORDER, "o" + eventId, customer, ts,
                List.of(new OrderLine(itemId, 1, catalog.price(item))), catalog.price(item), SyntheticCatalog.CURRENCY,
                Channel.WEB);
        CustomerEvent consent = new CustomerEvent(eventId, CustomerEventType.CONSENT, customer, ts, null,
                ContactChannel.EMAIL, true, null);
        int topic = r.nextInt(3);
        String topicName = topic == 0 ? Topics.INTERACTIONS.name() : topic == 1 ? Topics.TRANSACTIONS.name() : Topics.CUSTOMERS.name();
        byte[] valid = topic == 0 ? Topics.INTERACTIONS.codec().encode(cart)
                : topic == 1 ? Topics.TRANSACTIONS.codec().encode(order) : Topics.CUSTOMERS.codec().encode(consent);
        byte[] value;
        switch (r.nextInt(5)) {
            case 0: // not JSON: cut off in the middle, or not JSON at all
                value = r.nextInt(4) == 0
                        ? ("id=" + eventId + "&customer=" + customer + "&item=" + itemId + "&action=cart").getBytes(StandardCharsets.UTF_8)
                        : Arrays.copyOf(valid, 1 + r.nextInt(valid.length - 2));
                break;
            case 1: { // a type the topic does not have
                String[] unknown = topic == 0 ? new String[] {"hover", "teleport", "scroll"}
                        : topic == 1 ? new String[] {"refund", "exchange"} : new String[] {"merge", "unsubscribe"};
                ObjectNode n = tree(valid);
                n.put("type", unknown[r.nextInt(unknown.length)]);
                value = bytes(n);
                break;
            }
            case 2: { // negative quantity (customers events have none: this one is an interaction)
                if (topic == 1) {
                    ObjectNode n = tree(valid);
                    ((ObjectNode) n.get("lines").get(0)).put("quantity", -1 - r.nextInt(5));
                    value = bytes(n);
                } else {
                    topicName = Topics.INTERACTIONS.name();
                    ObjectNode n = tree(Topics.INTERACTIONS.codec().encode(cart));
                    n.put("quantity", -1 - r.nextInt(5));
                    value = bytes(n);
                }
                break;
            }
            case 3: { // no eventId
                ObjectNode n = tree(valid);
                n.remove("eventId");
                value = bytes(n);
                break;
            }
            default: { // valid, but stamped a year ahead
                ObjectNode n = tree(valid);
                n.put("timestamp", ts.plus(FAR_FUTURE).toString());
                value = bytes(n);
            }
        }
        return new InputEvent(topicName, customer, value, null, null, null, InputEvent.BROKEN, t);
    }

    private static ObjectNode tree(byte[] json) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(ObjectNode n) {
        try {
            return Json.MAPPER.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One lane: plays its sessions one after another, one step per turn. */
    private final class Lane {
        final int index;
        final SessionPlan plan;
        int cursor;
        /** The last record this lane produced: what a duplicate step repeats. */
        InputEvent last;

        Lane(int index, SessionPlan plan) {
            this.index = index;
            this.plan = plan;
        }

        void plan(long session) {
            plan.plan(session, new SplittableRandom(Seeds.derive(seed, PURPOSE_SESSION, part, index, session)));
            cursor = 0;
        }
    }
}
