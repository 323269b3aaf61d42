package io.nextbest.job.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.schemas.Topic;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.CatalogItem;
import io.nextbest.schemas.messages.Channel;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.OrderLine;
import io.nextbest.schemas.messages.Rule;
import io.nextbest.schemas.messages.RuleKind;
import io.nextbest.schemas.messages.Transaction;
import io.nextbest.schemas.messages.TransactionType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Typed input records for tests, encoded by the topics' own codecs (so they are what the contract allows, not
 * hand-written JSON), keyed as the registry says. Event ids are {@code e0, e1, …} in the order made; every event
 * carries the time set with {@link #at} (the start time by default).
 */
public final class Events {
    /** One record for an input topic: its registry name, key and value (null value: a tombstone). */
    public record Rec(String topic, String key, byte[] value, String eventId) {
        public String json() {
            return value == null ? null : new String(value, StandardCharsets.UTF_8);
        }

        /** The same record with another value, e.g. to break it on purpose. */
        public Rec withJson(String json) {
            return new Rec(topic, key, json == null ? null : json.getBytes(StandardCharsets.UTF_8), eventId);
        }

        /** The same record under another key. */
        public Rec withKey(String otherKey) {
            return new Rec(topic, otherKey, value, eventId);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private Instant now;
    private int next;

    public Events(Instant start) {
        this.now = start;
    }

    /** Events made from now on carry this time. */
    public Events at(Instant t) {
        this.now = t;
        return this;
    }

    public Instant now() {
        return now;
    }

    public Rec interaction(InteractionType type, String customer, String session, String item) {
        String id = "e" + (next++);
        return rec(Topics.INTERACTIONS, new Interaction(id, type, customer, session, item,
                type == InteractionType.SEARCH ? "q" : null, now, Channel.WEB, null, null, null), id);
    }

    public Rec view(String customer, String item) {
        return interaction(InteractionType.VIEW, customer, null, item);
    }

    public Rec addToCart(String customer, String item) {
        return interaction(InteractionType.ADD_TO_CART, customer, null, item);
    }

    /** A search: a list for the customer, but no item weight (it changes no trending or similarity). */
    public Rec search(String customer) {
        return interaction(InteractionType.SEARCH, customer, null, null);
    }

    public Rec order(String customer, String orderId, OrderLine... lines) {
        String id = "e" + (next++);
        double total = 0;
        for (OrderLine l : lines) {
            total += l.quantity() * l.unitPrice();
        }
        return rec(Topics.TRANSACTIONS, new Transaction(id, TransactionType.ORDER, orderId, customer, now,
                List.of(lines), total, "EUR", Channel.WEB), id);
    }

    /** A catalog item at price 20 EUR in one category. */
    public Rec catalog(String item, String category, String brand, boolean inStock) {
        return rec(Topics.CATALOG, new CatalogItem(item, "t " + item, List.of(category), brand, 20, "EUR", null,
                inStock, null, now), null);
    }

    /** A catalog tombstone: the item is deleted. */
    public Rec deleteCatalog(String item) {
        return new Rec(Topics.CATALOG.name(), item, null, null);
    }

    /** An enabled rule with this definition (JSON text). */
    public Rec rule(String ruleId, RuleKind kind, String definition) {
        try {
            return rec(Topics.RULES, new Rule(ruleId, kind, true, null, null, null, null, JSON.readTree(definition),
                    now), null);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON: " + definition, e);
        }
    }

    /** A rule tombstone: the rule is deleted. */
    public Rec deleteRule(String ruleId) {
        return new Rec(Topics.RULES.name(), ruleId, null, null);
    }

    /** Any message of the contract, for its topic (keyed as the registry says). */
    public static <T> Rec of(Topic<T> topic, T message, String eventId) {
        return rec(topic, message, eventId);
    }

    private static <T> Rec rec(Topic<T> topic, T message, String eventId) {
        byte[] key = topic.keyBytes(message);
        return new Rec(topic.name(), key == null ? null : new String(key, StandardCharsets.UTF_8),
                topic.codec().encode(message), eventId);
    }
}
