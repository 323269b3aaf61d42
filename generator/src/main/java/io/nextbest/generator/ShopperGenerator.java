package io.nextbest.generator;

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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * A simple shopper generator for the demo, deterministic from its seed: customers (some anonymous)
 * browse items of Zipf-skewed popularity, put some in the basket, buy some of those, give consent;
 * a small share of records is broken or repeated on purpose, to show dead-letters and
 * de-duplication. (The load-test harness has the full generator.)
 */
public final class ShopperGenerator {
    /** One Kafka record to send. */
    public record Record(String topic, String key, byte[] value) {}

    private final Random random;
    private final int customers;
    private final int items;
    private final double badShare;
    private final double duplicateShare;
    private final LongSupplier clock;
    private final double[] cumulative;
    private final double[] prices;
    private final Deque<Record> pending = new ArrayDeque<>();
    private Record last;
    private long events;

    public ShopperGenerator(long seed, int customers, int items, double badShare, double duplicateShare, LongSupplier clock) {
        this.random = new Random(seed);
        this.customers = customers;
        this.items = items;
        this.badShare = badShare;
        this.duplicateShare = duplicateShare;
        this.clock = clock;
        this.cumulative = new double[items];
        this.prices = new double[items];
        double sum = 0;
        for (int i = 0; i < items; i++) {
            sum += 1 / Math.pow(i + 1, 1.1); // Zipf, s = 1.1
            cumulative[i] = sum;
            prices[i] = Math.round((5 + random.nextDouble() * 195) * 100) / 100.0;
        }
        for (int i = 0; i < items; i++) {
            cumulative[i] /= sum;
        }
    }

    private static final String[][] CATEGORIES = {
        {"shoes", "running"}, {"shoes", "boots"}, {"books", "fiction"}, {"books", "cooking"},
        {"home", "kitchen"}, {"home", "garden"}, {"toys", "puzzles"}, {"electronics", "audio"}};
    private static final String[] BRANDS = {"acme", "nordwind", "papyrus", "kiko", "voltix", "hearth"};

    /** The catalog of the demo's items (category, brand, price, stock), to send before any event. */
    public List<Record> catalog() {
        List<Record> out = new ArrayList<>(items);
        for (int i = 0; i < items; i++) {
            String id = String.format("i%03d", i + 1);
            String[] path = CATEGORIES[i % CATEGORIES.length];
            CatalogItem item = new CatalogItem(id, "demo item " + (i + 1), List.of(path), BRANDS[(i / 3) % BRANDS.length],
                    prices[i], "EUR", List.of(), i % 17 != 16, 0.1 + (i % 5) * 0.1, Instant.ofEpochMilli(clock.getAsLong()));
            out.add(new Record(Topics.CATALOG.name(), id, Topics.CATALOG.codec().encode(item)));
        }
        return out;
    }

    /** The next record; never ends. */
    public Record next() {
        if (last != null && random.nextDouble() < duplicateShare) {
            return last; // the same event again: the job must drop it
        }
        if (random.nextDouble() < badShare) {
            return broken();
        }
        while (pending.isEmpty()) {
            session();
        }
        last = pending.poll();
        return last;
    }

    private void session() {
        boolean anonymous = random.nextDouble() < 0.2;
        String customer = anonymous ? null : String.format("c%04d", 1 + random.nextInt(customers));
        String session = "s" + Integer.toString(random.nextInt(36 * 36 * 36 * 36 * 36), 36);
        if (customer != null && random.nextDouble() < 0.05) {
            boolean granted = random.nextDouble() < 0.7;
            add(Topics.CUSTOMERS.name(), customer, Topics.CUSTOMERS.codec().encode(new CustomerEvent(
                    eventId(), CustomerEventType.CONSENT, customer, now(), null, ContactChannel.EMAIL, granted, null)));
        }
        List<String> cart = new ArrayList<>();
        int views = 1 + random.nextInt(5);
        for (int v = 0; v < views; v++) {
            String item = item();
            interaction(InteractionType.VIEW, customer, session, item, null);
            if (random.nextDouble() < 0.25) {
                interaction(InteractionType.ADD_TO_CART, customer, session, item, 1 + random.nextInt(2));
                cart.add(item);
            }
        }
        if (!cart.isEmpty() && random.nextDouble() < 0.15) {
            interaction(InteractionType.REMOVE_FROM_CART, customer, session, cart.remove(0), null);
        }
        if (customer != null && !cart.isEmpty() && random.nextDouble() < 0.4) {
            List<OrderLine> lines = new ArrayList<>();
            double total = 0;
            for (String item : cart) {
                double price = prices[Integer.parseInt(item.substring(1)) - 1];
                lines.add(new OrderLine(item, 1, price));
                total += price;
            }
            add(Topics.TRANSACTIONS.name(), customer, Topics.TRANSACTIONS.codec().encode(new Transaction(
                    eventId(), TransactionType.ORDER, "o" + events, customer, now(), lines,
                    Math.round(total * 100) / 100.0, "EUR", Channel.WEB)));
        }
    }

    private void interaction(InteractionType type, String customer, String session, String item, Integer quantity) {
        Double price = type == InteractionType.ADD_TO_CART ? prices[Integer.parseInt(item.substring(1)) - 1] : null;
        Interaction e = new Interaction(eventId(), type, customer, customer == null ? session : null, item, null,
                now(), Channel.WEB, type == InteractionType.VIEW ? "product" : null, quantity, price);
        add(Topics.INTERACTIONS.name(), e.subjectKey(), Topics.INTERACTIONS.codec().encode(e));
    }

    private Record broken() {
        String customer = String.format("c%04d", 1 + random.nextInt(customers));
        String json;
        switch (random.nextInt(4)) {
            case 0:
                json = "{\"eventId\":\"" + eventId() + "\",\"type\":\"view\",\"customerId\":\"" + customer; // cut off
                break;
            case 1:
                json = "{\"eventId\":\"" + eventId() + "\",\"type\":\"teleport\",\"customerId\":\"" + customer
                        + "\",\"itemId\":\"i001\",\"timestamp\":\"" + now() + "\",\"channel\":\"web\"}";
                break;
            case 2:
                json = "{\"eventId\":\"" + eventId() + "\",\"type\":\"add_to_cart\",\"customerId\":\"" + customer
                        + "\",\"itemId\":\"i002\",\"quantity\":-1,\"timestamp\":\"" + now() + "\",\"channel\":\"web\"}";
                break;
            default:
                json = "{\"type\":\"view\",\"customerId\":\"" + customer + "\",\"itemId\":\"i003\",\"timestamp\":\""
                        + now() + "\",\"channel\":\"app\"}";
        }
        return new Record(Topics.INTERACTIONS.name(), customer, json.getBytes(StandardCharsets.UTF_8));
    }

    private String item() {
        double u = random.nextDouble();
        int lo = 0;
        int hi = items - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return String.format("i%03d", lo + 1);
    }

    private void add(String topic, String key, byte[] value) {
        pending.add(new Record(topic, key, value));
    }

    private String eventId() {
        return "e" + (++events) + "-" + Integer.toString(random.nextInt(1 << 20), 36);
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.getAsLong());
    }
}
