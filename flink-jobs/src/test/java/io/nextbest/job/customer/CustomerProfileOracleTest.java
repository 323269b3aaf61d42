package io.nextbest.job.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings.WeightCombine;
import io.nextbest.schemas.messages.Channel;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.CustomerEvent;
import io.nextbest.schemas.messages.CustomerEventType;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.LifecycleStage;
import io.nextbest.schemas.messages.OrderLine;
import io.nextbest.schemas.messages.Transaction;
import io.nextbest.schemas.messages.TransactionType;
import io.nextbest.schemas.messages.ValueTier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The oracle of the customer stage's logic: random streams applied event by event to one
 * {@link CustomerState} must give, at every checkpoint, what a recomputation from the whole prefix
 * gives, written here from the definitions in the javadocs of {@link CustomerProfile},
 * {@link CustomerState} and the configuration keys.
 */
class CustomerProfileOracleTest {

    static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
    static final int EVENTS = 4000;
    static final int CHECK_EVERY = 97;

    static Stream<Arguments> configurations() {
        List<String[]> configs = List.of(
                new String[] {"customer.weight-combine=max", "customer.window-size=5", "customer.weight-cap=4",
                    "customer.max-basket-lines=4", "customer.max-purchased-items=3", "customer.dedup-event-ids=8"},
                new String[] {"customer.weight-combine=sum", "customer.window-size=5", "customer.weight-cap=6",
                    "customer.max-basket-lines=3", "customer.max-purchased-items=2", "customer.dedup-event-ids=4"},
                new String[] {"customer.weight-combine=max", "customer.window-size=1", "customer.max-basket-lines=1",
                    "customer.max-purchased-items=1", "customer.dedup-event-ids=1"},
                // no eviction from a window wider than the item set; a negative view; no de-duplication
                new String[] {"customer.weight-combine=sum", "customer.window-size=30", "customer.weight-cap=5",
                    "customer.weights.view=-0.5", "customer.dedup-event-ids=0", "customer.max-purchased-items=0"},
                // purchases carry no weight; searches with an item do
                new String[] {"customer.weight-combine=max", "customer.window-size=7", "customer.weights.purchase=0",
                    "customer.weights.search=0.25", "customer.weights.remove_from_cart=-4"});
        List<Arguments> out = new ArrayList<>();
        for (int c = 0; c < configs.size(); c++) {
            for (long seed : new long[] {1, 2, 3}) {
                out.add(Arguments.of("config " + c, configs.get(c), seed));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, seed {2}")
    @MethodSource("configurations")
    void incrementalStateEqualsTheRecomputationFromThePrefix(String name, String[] overrides, long seed) {
        CustomerSettings settings = settings(overrides);
        List<Object> events = new StreamGenerator(new Random(seed), 12).events(EVENTS);
        CustomerProfile profile = new CustomerProfile(settings);
        CustomerState s = new CustomerState();
        Set<Integer> dropped = new HashSet<>();

        for (int n = 0; n < events.size(); n++) {
            applyOne(profile, s, events.get(n), dropped, n);
            if (n % CHECK_EVERY == 0 || n == events.size() - 1) {
                List<Object> prefix = events.subList(0, n + 1);
                Batch expected = Batch.of(prefix, settings);
                assertThat(View.of(s, profile)).as("state after %d events", n + 1).isEqualTo(expected.view());
                assertThat(dropped).as("duplicates after %d events", n + 1).isEqualTo(expected.duplicates);
            }
        }
        // the stream exercised what it should
        Batch all = Batch.of(events, settings);
        if (settings.dedupIds > 0) {
            assertThat(all.duplicates).isNotEmpty();
        }
        assertThat(all.admitted.size()).isGreaterThan(EVENTS * 8 / 10);
        assertThat(all.purchaseCount + all.cancellations).isGreaterThan(0);
    }

    /**
     * With positive weights only nothing leaves the window but by age, and the window has a closed
     * form: the last N distinct items by their last event; an item's weight combines its events
     * since it last entered, i.e. since the last gap in which N other distinct items were touched.
     */
    @ParameterizedTest(name = "{0}, seed {2}")
    @MethodSource("positiveConfigurations")
    void withPositiveWeightsTheWindowHasAClosedForm(String name, String[] overrides, long seed) {
        CustomerSettings settings = settings(overrides);
        List<Object> events = new StreamGenerator(new Random(seed), 9).events(EVENTS);
        CustomerProfile profile = new CustomerProfile(settings);
        CustomerState s = new CustomerState();

        for (int n = 0; n < events.size(); n++) {
            applyOne(profile, s, events.get(n), new HashSet<>(), n);
            if (n % CHECK_EVERY == 0 || n == events.size() - 1) {
                Batch b = Batch.of(events.subList(0, n + 1), settings);
                Window expected = closedFormWindow(b.touches, settings);
                assertThat(new Window(List.of(s.window.items), boxed(s.window.weights), boxed(s.window.times)))
                        .as("window after %d events", n + 1)
                        .isEqualTo(expected);
            }
        }
    }

    static Stream<Arguments> positiveConfigurations() {
        List<Arguments> out = new ArrayList<>();
        for (String combine : new String[] {"max", "sum"}) {
            for (long seed : new long[] {11, 12}) {
                out.add(Arguments.of(combine, new String[] {"customer.weight-combine=" + combine,
                    "customer.window-size=4", "customer.weight-cap=4.5", "customer.weights.remove_from_cart=0.5",
                    "customer.weights.search=0.25"}, seed));
            }
        }
        return out.stream();
    }

    static Window closedFormWindow(List<Touch> touches, CustomerSettings settings) {
        int n = settings.windowSize;
        Map<String, Integer> lastTouch = new HashMap<>();
        for (int i = 0; i < touches.size(); i++) {
            lastTouch.put(touches.get(i).item, i);
        }
        List<String> byRecency = new ArrayList<>(lastTouch.keySet());
        byRecency.sort(Comparator.comparing(lastTouch::get));
        List<String> items = byRecency.subList(Math.max(0, byRecency.size() - n), byRecency.size());
        List<Double> weights = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        for (String item : items) {
            // the item's current run: its touches after the last gap with n other distinct items
            List<Touch> run = new ArrayList<>();
            Set<String> othersSince = new HashSet<>();
            for (Touch t : touches) {
                if (!t.item.equals(item)) {
                    othersSince.add(t.item);
                    continue;
                }
                if (othersSince.size() >= n) {
                    run.clear(); // it had left the window
                }
                othersSince.clear();
                run.add(t);
            }
            double w = settings.combine == WeightCombine.MAX
                    ? run.stream().mapToDouble(t -> t.weight).max().orElseThrow()
                    : run.stream().mapToDouble(t -> t.weight).sum();
            weights.add(Math.min(w, settings.weightCap));
            times.add(run.stream().mapToLong(t -> t.time).max().orElseThrow());
        }
        return new Window(List.copyOf(items), weights, times);
    }

    // ---- the incremental side: what the customer stage does per event ----

    static void applyOne(CustomerProfile profile, CustomerState s, Object e, Set<Integer> dropped, int index) {
        if (profile.isDuplicate(s, eventId(e))) {
            dropped.add(index);
            return;
        }
        if (e instanceof Interaction i) {
            profile.apply(s, i);
        } else if (e instanceof Transaction t) {
            profile.apply(s, t);
        } else {
            profile.apply(s, (CustomerEvent) e);
        }
    }

    static CustomerSettings settings(String... overrides) {
        return new CustomerSettings(NextbestConfig.builder().setAll(List.of(overrides)).build());
    }

    // ---- the oracle ----

    record Touch(String item, double weight, long time) {}

    record Window(List<String> items, List<Double> weights, List<Long> times) {}

    record Line(int quantity, double price) {}

    /** Everything observable about a customer's state, as plain values. */
    record View(
            Window window,
            List<String> basketItems,
            List<Integer> basketQuantities,
            List<Double> basketPrices,
            long basketUpdatedAt,
            List<String> purchased,
            int purchaseCount,
            double monetary,
            long lastPurchaseAt,
            long lastSeen,
            int consentFlags,
            Map<ContactChannel, Boolean> consent,
            boolean optedOut,
            String timeZone,
            LifecycleStage lifecycle,
            ValueTier valueTier,
            List<String> exclusions) {

        static View of(CustomerState s, CustomerProfile p) {
            Map<ContactChannel, Boolean> consent = new LinkedHashMap<>();
            for (ContactChannel c : ContactChannel.values()) {
                consent.put(c, p.hasConsent(s, c));
            }
            assertThat(s.window.weights).hasSameSizeAs(s.window.items);
            assertThat(s.window.times).hasSameSizeAs(s.window.items);
            for (int i = 0; i < s.window.items.length; i++) {
                assertThat(CustomerProfile.weightOf(s, s.window.items[i])).isEqualTo(s.window.weights[i]);
            }
            return new View(
                    new Window(List.of(s.window.items), boxed(s.window.weights), boxed(s.window.times)),
                    List.of(s.basket.items),
                    Arrays.stream(s.basket.quantities).boxed().toList(),
                    boxed(s.basket.prices),
                    s.basket.updatedAt,
                    List.of(s.purchases.items),
                    s.purchases.count,
                    s.purchases.monetary,
                    s.purchases.lastAt,
                    s.lastSeen,
                    s.contact.consentFlags,
                    consent,
                    s.contact.optedOut,
                    s.contact.timeZone,
                    p.lifecycle(s),
                    p.valueTier(s),
                    List.of(p.exclusions(s)));
        }
    }

    /** The state recomputed from a whole prefix of the stream, aspect by aspect. */
    static final class Batch {
        final CustomerSettings cfg;
        final List<Object> admitted = new ArrayList<>();
        final Set<Integer> duplicates = new HashSet<>();
        final List<Touch> touches = new ArrayList<>();
        Window window;
        final LinkedHashMap<String, Line> basket = new LinkedHashMap<>();
        long basketUpdatedAt;
        List<String> purchased;
        int purchaseCount;
        int cancellations;
        double monetary;
        long lastPurchaseAt;
        long lastSeen;
        final Map<ContactChannel, Boolean> consent = new LinkedHashMap<>();
        boolean optedOut;
        String timeZone;

        private Batch(CustomerSettings cfg) {
            this.cfg = cfg;
        }

        static Batch of(List<Object> stream, CustomerSettings cfg) {
            Batch b = new Batch(cfg);
            b.deduplicate(stream);
            b.touches();
            b.window = b.window();
            b.basket();
            b.purchases();
            b.customerFacts();
            return b;
        }

        /** An event is a duplicate when its id is among the ids of the last K events taken. */
        void deduplicate(List<Object> stream) {
            List<String> takenIds = new ArrayList<>();
            for (int i = 0; i < stream.size(); i++) {
                String id = eventId(stream.get(i));
                int k = cfg.dedupIds;
                if (k > 0 && takenIds.subList(Math.max(0, takenIds.size() - k), takenIds.size()).contains(id)) {
                    duplicates.add(i);
                } else {
                    takenIds.add(id);
                    admitted.add(stream.get(i));
                }
            }
        }

        /** Every event that carries a weight for an item: interactions by type, order lines as purchases. */
        void touches() {
            for (Object e : admitted) {
                if (e instanceof Interaction i && i.itemId() != null && cfg.weight(i.type()) != 0) {
                    touches.add(new Touch(i.itemId(), cfg.weight(i.type()), i.timestamp().toEpochMilli()));
                } else if (e instanceof Transaction t && t.type() == TransactionType.ORDER && cfg.purchaseWeight != 0) {
                    for (OrderLine l : t.lines()) {
                        touches.add(new Touch(l.itemId(), cfg.purchaseWeight, t.timestamp().toEpochMilli()));
                    }
                }
            }
        }

        /**
         * The last N distinct items by recency. An event on an item combines with its weight (max,
         * or add when negative; or a sum), capped; at zero or below the item leaves; a new item
         * entering a full window pushes out the least recent one; an item that left starts afresh.
         */
        Window window() {
            record Entry(double weight, long time) {}
            LinkedHashMap<String, Entry> recency = new LinkedHashMap<>(); // least recent first
            for (Touch t : touches) {
                Entry before = recency.remove(t.item);
                double a = before == null ? 0 : before.weight;
                double b = cfg.combine == WeightCombine.MAX && t.weight > 0 ? Math.max(a, t.weight) : a + t.weight;
                b = Math.min(b, cfg.weightCap);
                if (b <= 0) {
                    continue;
                }
                if (before == null && recency.size() == cfg.windowSize) {
                    recency.remove(recency.keySet().iterator().next());
                }
                recency.put(t.item, new Entry(b, before == null ? t.time : Math.max(before.time, t.time)));
            }
            return new Window(
                    List.copyOf(recency.keySet()),
                    recency.values().stream().map(Entry::weight).toList(),
                    recency.values().stream().map(Entry::time).toList());
        }

        /**
         * Basket lines in the order they were opened: add_to_cart adds its quantity (default 1) and
         * sets the last known price; remove_from_cart takes away its quantity, or the line when it
         * names none or at least all of it; an order takes away the lines of its items; a new line
         * in a full basket drops the oldest.
         */
        void basket() {
            for (Object e : admitted) {
                if (e instanceof Interaction i && i.type() == InteractionType.ADD_TO_CART) {
                    Line l = basket.get(i.itemId());
                    if (l == null) {
                        if (basket.size() == cfg.maxBasketLines) {
                            basket.remove(basket.keySet().iterator().next());
                        }
                        basket.put(i.itemId(), new Line(i.quantityOrOne(), i.price() == null ? Double.NaN : i.price()));
                    } else {
                        basket.put(i.itemId(), new Line(l.quantity + i.quantityOrOne(),
                                i.price() == null ? l.price : i.price()));
                    }
                    basketUpdatedAt = Math.max(basketUpdatedAt, i.timestamp().toEpochMilli());
                } else if (e instanceof Interaction i && i.type() == InteractionType.REMOVE_FROM_CART) {
                    takeOut(i.itemId(), i.quantity(), i.timestamp().toEpochMilli());
                } else if (e instanceof Transaction t && t.type() == TransactionType.ORDER) {
                    for (OrderLine l : t.lines()) {
                        takeOut(l.itemId(), null, t.timestamp().toEpochMilli());
                    }
                }
            }
        }

        private void takeOut(String item, Integer quantity, long time) {
            Line l = basket.get(item);
            if (l == null) {
                return;
            }
            if (quantity == null || quantity >= l.quantity) {
                basket.remove(item);
            } else {
                basket.put(item, new Line(l.quantity - quantity, l.price));
            }
            basketUpdatedAt = Math.max(basketUpdatedAt, time);
        }

        /**
         * Purchased: the last M distinct items ordered, by their last order. Purchase count: orders
         * less cancellations, never below 0. Monetary: order totals less return and cancellation
         * totals, never below 0.
         */
        void purchases() {
            Map<String, Integer> lastOrdered = new HashMap<>();
            int line = 0;
            for (Object e : admitted) {
                if (e instanceof Transaction t) {
                    long time = t.timestamp().toEpochMilli();
                    if (t.type() == TransactionType.ORDER) {
                        for (OrderLine l : t.lines()) {
                            lastOrdered.put(l.itemId(), line++);
                        }
                        purchaseCount++;
                        monetary += t.total();
                        lastPurchaseAt = Math.max(lastPurchaseAt, time);
                    } else {
                        monetary = Math.max(0, monetary - t.total());
                        if (t.type() == TransactionType.CANCELLATION) {
                            cancellations++;
                            purchaseCount = Math.max(0, purchaseCount - 1);
                        }
                    }
                }
            }
            List<String> items = new ArrayList<>(lastOrdered.keySet());
            items.sort(Comparator.comparing(lastOrdered::get));
            purchased = List.copyOf(items.subList(Math.max(0, items.size() - cfg.maxPurchased), items.size()));
        }

        /** Newest event time; the last consent per channel; the last opt-out/in; the last time zone given. */
        void customerFacts() {
            for (ContactChannel c : ContactChannel.values()) {
                consent.put(c, false);
            }
            for (Object e : admitted) {
                lastSeen = Math.max(lastSeen, timestamp(e).toEpochMilli());
                if (e instanceof CustomerEvent c) {
                    if (c.type() == CustomerEventType.CONSENT) {
                        consent.put(c.channel(), c.granted());
                    } else if (c.type() == CustomerEventType.OPT_OUT || c.type() == CustomerEventType.OPT_IN) {
                        optedOut = c.type() == CustomerEventType.OPT_OUT;
                    }
                    if (c.timeZone() != null) {
                        timeZone = c.timeZone();
                    }
                }
            }
        }

        LifecycleStage lifecycle() {
            if (purchaseCount == 0) {
                return LifecycleStage.PROSPECT;
            }
            if (purchaseCount < cfg.activeOrders) {
                return LifecycleStage.NEW;
            }
            return purchaseCount < cfg.loyalOrders ? LifecycleStage.ACTIVE : LifecycleStage.LOYAL;
        }

        ValueTier valueTier() {
            if (monetary == 0) {
                return ValueTier.NONE;
            }
            if (monetary < cfg.tierMid) {
                return ValueTier.LOW;
            }
            return monetary < cfg.tierHigh ? ValueTier.MID : ValueTier.HIGH;
        }

        View view() {
            int flags = 0;
            for (Map.Entry<ContactChannel, Boolean> c : consent.entrySet()) {
                flags |= c.getValue() ? 1 << c.getKey().ordinal() : 0;
            }
            Set<String> exclusions = new LinkedHashSet<>();
            if (cfg.excludeBasket) {
                exclusions.addAll(basket.keySet());
            }
            if (cfg.excludePurchased) {
                exclusions.addAll(purchased);
            }
            return new View(
                    window,
                    List.copyOf(basket.keySet()),
                    basket.values().stream().map(Line::quantity).toList(),
                    basket.values().stream().map(Line::price).toList(),
                    basketUpdatedAt,
                    purchased,
                    purchaseCount,
                    monetary,
                    lastPurchaseAt,
                    lastSeen,
                    flags,
                    consent,
                    optedOut,
                    timeZone,
                    lifecycle(),
                    valueTier(),
                    List.copyOf(exclusions));
        }
    }

    // ---- the random stream ----

    /**
     * A customer's stream over a small item set: every interaction type (with and without
     * quantity and price), orders, returns and cancellations, identity and consent events, event
     * times out of order, and re-sent events (the same event again, some within the
     * de-duplication memory, some beyond it).
     */
    static final class StreamGenerator {
        private static final String[] ZONES = {"Europe/Berlin", "America/New_York", "Asia/Tokyo"};
        private final Random rnd;
        private final int itemCount;
        private int next;

        StreamGenerator(Random rnd, int itemCount) {
            this.rnd = rnd;
            this.itemCount = itemCount;
        }

        List<Object> events(int count) {
            List<Object> out = new ArrayList<>(count);
            for (int n = 0; n < count; n++) {
                if (n > 0 && rnd.nextInt(100) < 12) {
                    out.add(out.get(Math.max(0, n - 1 - rnd.nextInt(Math.min(n, 24))))); // re-sent
                    continue;
                }
                long t = T0 + n * 1000L + rnd.nextInt(10_001) - 5_000; // out of order
                int kind = rnd.nextInt(100);
                out.add(kind < 72 ? interaction(t) : kind < 90 ? transaction(t) : customerEvent(t));
            }
            return out;
        }

        private Interaction interaction(long t) {
            InteractionType type = InteractionType.values()[rnd.nextInt(InteractionType.values().length)];
            // more basket traffic than the uniform mix gives
            if (rnd.nextInt(4) == 0) {
                type = rnd.nextBoolean() ? InteractionType.ADD_TO_CART : InteractionType.REMOVE_FROM_CART;
            }
            String item = type == InteractionType.SEARCH && rnd.nextBoolean() ? null : item();
            boolean basket = type == InteractionType.ADD_TO_CART || type == InteractionType.REMOVE_FROM_CART;
            Integer quantity = basket && rnd.nextBoolean() ? 1 + rnd.nextInt(3) : null;
            Double price = type == InteractionType.ADD_TO_CART && rnd.nextInt(3) > 0 ? rnd.nextInt(10_000) / 100.0 : null;
            return new Interaction(id(), type, "C-1", null, item, type == InteractionType.SEARCH ? "boots" : null,
                    Instant.ofEpochMilli(t), Channel.WEB, null, quantity, price);
        }

        private Transaction transaction(long t) {
            int r = rnd.nextInt(10);
            TransactionType type = r < 6 ? TransactionType.ORDER : r < 8 ? TransactionType.RETURN : TransactionType.CANCELLATION;
            List<OrderLine> lines = new ArrayList<>();
            for (int i = 0, n = 1 + rnd.nextInt(3); i < n; i++) {
                lines.add(new OrderLine(item(), 1 + rnd.nextInt(3), rnd.nextInt(10_000) / 100.0));
            }
            double total = rnd.nextInt(type == TransactionType.ORDER ? 40_000 : 25_000) / 100.0;
            return new Transaction(id(), type, "O-" + next, "C-1", Instant.ofEpochMilli(t), List.copyOf(lines),
                    total, "EUR", null);
        }

        private CustomerEvent customerEvent(long t) {
            CustomerEventType type = switch (rnd.nextInt(5)) {
                case 0, 1 -> CustomerEventType.CONSENT;
                case 2 -> CustomerEventType.OPT_OUT;
                case 3 -> CustomerEventType.OPT_IN;
                default -> CustomerEventType.IDENTIFY;
            };
            ContactChannel channel = type == CustomerEventType.CONSENT
                    ? ContactChannel.values()[rnd.nextInt(ContactChannel.values().length)] : null;
            Boolean granted = type == CustomerEventType.CONSENT ? rnd.nextInt(3) > 0 : null;
            String zone = rnd.nextInt(3) == 0 ? ZONES[rnd.nextInt(ZONES.length)] : null;
            return new CustomerEvent(id(), type, "C-1", Instant.ofEpochMilli(t),
                    type == CustomerEventType.IDENTIFY ? "S-" + next : null, channel, granted, zone);
        }

        private String item() {
            return "SKU-" + rnd.nextInt(itemCount);
        }

        private String id() {
            return "evt-" + (next++);
        }
    }

    // ---- small helpers ----

    static String eventId(Object e) {
        if (e instanceof Interaction i) {
            return i.eventId();
        }
        return e instanceof Transaction t ? t.eventId() : ((CustomerEvent) e).eventId();
    }

    static Instant timestamp(Object e) {
        if (e instanceof Interaction i) {
            return i.timestamp();
        }
        return e instanceof Transaction t ? t.timestamp() : ((CustomerEvent) e).timestamp();
    }

    static List<Double> boxed(double[] a) {
        return Arrays.stream(a).boxed().toList();
    }

    static List<Long> boxed(long[] a) {
        return Arrays.stream(a).boxed().toList();
    }
}
