package io.nextbest.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nextbest.schemas.DeadLetterReason;
import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.Topic;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.CustomerEventType;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.TransactionType;
import io.nextbest.schemas.messages.TrendingList;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the HTTP endpoints answer, without HTTP: each method takes the request's parts and returns a status and a
 * JSON body. Reads come from the local {@link Stores}; writes are checked by the contract's own codecs (the ones
 * the job decodes with, so a body is refused here for the reason the job would dead-letter it for) and handed to
 * {@code send} with their topic and key.
 */
public final class Api {
    /** Ids (customer, session, item) longer than this, or with other characters, are refused with 400. */
    public static final int MAX_ID_LENGTH = 128;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@\\-]{1," + MAX_ID_LENGTH + "}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A status and a JSON body. */
    public record Answer(int status, byte[] body) {
        static Answer json(int status, JsonNode body) {
            try {
                return new Answer(status, JSON.writeValueAsBytes(body));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Where an accepted event goes: topic (without prefix), key, value. */
    public interface Sink {
        void send(String topic, byte[] key, byte[] value) throws Exception;
    }

    private final Stores stores;
    private final Sink sink;

    public Api(Stores stores, Sink sink) {
        this.stores = stores;
        this.sink = sink;
    }

    /** {@code GET /v1/customers/{id}/suggestions} and {@code /v1/sessions/{id}/suggestions}, answered from this replica. */
    public Answer suggestions(String subject, String id, String placement, String limitText) {
        Answer bad = checkId(subject, id);
        if (bad != null) {
            return bad;
        }
        Integer limit = limit(limitText);
        if (limit == null) {
            return error(400, "invalid_value", "limit must be a whole number in 1..100");
        }
        byte[] stored = stores.suggestions(id);
        if (stored == null) {
            return fallback(subject, id, placement, limit);
        }
        boolean asStored = (limitText == null || limitText.isEmpty()) && (placement == null || placement.isEmpty());
        if (asStored) {
            return new Answer(200, stored); // the answer as the store keeps it: no parsing on the hot path
        }
        ObjectNode list = (ObjectNode) read(stored);
        ArrayNode items = (ArrayNode) list.get("items");
        while (items.size() > limit) {
            items.remove(items.size() - 1);
        }
        if (placement != null && !placement.isEmpty()) {
            list.put("requestedPlacement", placement);
        }
        return Answer.json(200, list);
    }

    /**
     * A {@code suggestions} record as the API answers it: the list with {@code "source": "personal"} and, per
     * item, the catalog's facts as of now. Done once per list when it reaches the store (the job writes a new list
     * on every event of the customer), not on every read.
     */
    static byte[] answer(byte[] list, java.util.function.Function<String, byte[]> catalog) {
        ObjectNode answer = (ObjectNode) read(list);
        for (JsonNode item : answer.path("items")) {
            addCatalogFacts((ObjectNode) item, catalog.apply(item.path("itemId").asText()));
        }
        answer.put("source", "personal");
        try {
            return JSON.writeValueAsBytes(answer);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The list of a visitor the job has not made one for (never seen, or not since the stores were built): the
     * job's global trending board, marked {@code "source": "trending-fallback"}, with catalog facts. Empty (still
     * 200) before the job published a board.
     */
    private Answer fallback(String subject, String id, String placement, int limit) {
        ObjectNode list = JSON.createObjectNode();
        list.put(subject.equals("customer") ? "customerId" : "sessionId", id);
        list.put("source", "trending-fallback");
        list.put("strategy", "trending");
        if (placement != null && !placement.isEmpty()) {
            list.put("requestedPlacement", placement);
        }
        ArrayNode out = list.putArray("items");
        byte[] stored = stores.trending(TrendingList.GLOBAL);
        if (stored != null) {
            JsonNode trending = read(stored);
            for (JsonNode e : trending.path("items")) {
                if (out.size() >= limit) {
                    break;
                }
                String itemId = e.path("itemId").asText();
                byte[] entry = stores.catalog(itemId);
                if (entry != null && !read(entry).path("inStock").asBoolean(true)) {
                    continue; // as the job's lists: nothing out of stock
                }
                ObjectNode item = out.addObject();
                item.put("itemId", itemId);
                item.put("rank", out.size());
                item.set("score", e.path("weight"));
                ObjectNode reason = item.putArray("reasons").addObject();
                reason.put("signal", "trending");
                reason.put("text", "trending #" + e.path("rank").asInt());
                reason.set("value", e.path("weight"));
                addCatalogFacts(item, itemId);
            }
            list.set("asOf", trending.path("asOf"));
        }
        return Answer.json(200, list);
    }

    /** {@code GET /v1/items/{id}/similar}: the item's published neighbours with their catalog facts. */
    public Answer similar(String itemId, String limitText) {
        Answer bad = checkId("item", itemId);
        if (bad != null) {
            return bad;
        }
        Integer limit = limit(limitText);
        if (limit == null) {
            return error(400, "invalid_value", "limit must be a whole number in 1..100");
        }
        byte[] stored = stores.neighbours(itemId);
        if (stored == null) {
            return error(404, "not_found", "no neighbours published for item '" + itemId + "' yet");
        }
        JsonNode record = read(stored);
        ObjectNode answer = JSON.createObjectNode();
        answer.put("itemId", itemId);
        ArrayNode out = answer.putArray("items");
        for (JsonNode n : record.path("neighbours")) {
            if (out.size() >= limit) {
                break;
            }
            ObjectNode item = out.addObject();
            item.put("itemId", n.path("itemId").asText());
            item.set("similarity", n.path("similarity"));
            addCatalogFacts(item, n.path("itemId").asText());
        }
        answer.set("updatedAt", record.path("updatedAt"));
        return Answer.json(200, answer);
    }

    /** {@code GET /v1/items?after=&limit=}: catalog items in id order with the facts a grid shows, a page at a time. */
    public Answer items(String after, String limitText) {
        if (after != null && !after.isEmpty()) {
            Answer bad = checkId("item", after);
            if (bad != null) {
                return bad;
            }
        }
        Integer limit = limit(limitText);
        if (limit == null) {
            return error(400, "invalid_value", "limit must be a whole number in 1..100");
        }
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode out = answer.putArray("items");
        for (byte[] record : stores.catalogPage(after == null || after.isEmpty() ? null : after, limit)) {
            JsonNode c = read(record);
            ObjectNode item = out.addObject();
            item.set("itemId", c.path("itemId"));
            copyCatalogFacts(item, c);
        }
        if (out.size() == limit) {
            answer.set("next", out.get(out.size() - 1).path("itemId"));
        }
        return Answer.json(200, answer);
    }

    /** {@code GET /v1/items/{id}}: an item's catalog facts (a product page); 404 if the catalog does not name it. */
    public Answer item(String itemId) {
        Answer bad = checkId("item", itemId);
        if (bad != null) {
            return bad;
        }
        byte[] record = stores.catalog(itemId);
        if (record == null) {
            return error(404, "not_found", "no catalog item '" + itemId + "'");
        }
        ObjectNode item = JSON.createObjectNode();
        item.put("itemId", itemId);
        addCatalogFacts(item, record);
        return Answer.json(200, item);
    }

    /**
     * {@code GET /v1/customers/{id}/trigger-decision}: what the contact rules decided on the customer's newest
     * abandoned basket (the {@code trigger-decisions} record as written); 404 before any. Answered from this replica.
     */
    public Answer triggerDecision(String customerId) {
        Answer bad = checkId("customer", customerId);
        if (bad != null) {
            return bad;
        }
        byte[] stored = stores.triggerDecision(customerId);
        return stored == null ? error(404, "not_found", "no trigger decision for customer '" + customerId + "' yet")
                : new Answer(200, stored);
    }

    /**
     * {@code POST /v1/events}: an interaction, order or customer event, by its {@code type}; decoded by its topic's
     * codec and sent keyed as the registry says. 202 with the topic, 400 with the dead-letter reason.
     */
    public Answer event(byte[] body) {
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (IOException e) {
            return error(400, DeadLetterReason.NOT_JSON.wire(), "not valid JSON");
        }
        if (tree == null || !tree.isObject()) {
            return error(400, DeadLetterReason.NOT_JSON.wire(), "expected a JSON object");
        }
        String type = tree.path("type").asText("");
        Topic<?> topic = InteractionType.BY_WIRE.containsKey(type) ? Topics.INTERACTIONS
                : TransactionType.BY_WIRE.containsKey(type) ? Topics.TRANSACTIONS
                : CustomerEventType.BY_WIRE.containsKey(type) ? Topics.CUSTOMERS
                : null;
        if (topic == null) {
            return error(400, DeadLetterReason.UNKNOWN_TYPE.wire(), "unknown type '"
                    + (type.length() > 40 ? type.substring(0, 40) + "…" : type) + "'");
        }
        return accept(topic, body);
    }

    /** {@code POST /v1/feedback}: impressions, clicks and dismissals of a list. */
    public Answer feedback(byte[] body) {
        return accept(Topics.FEEDBACK, body);
    }

    /** {@code GET /health}: 200 when the stores have caught up with their topics, else 503. */
    public Answer health(long maxLag) {
        ObjectNode h = JSON.createObjectNode();
        boolean ready = stores.ready(maxLag);
        h.put("status", ready ? "ready" : "starting");
        h.put("streams", stores.state().name());
        return Answer.json(ready ? 200 : 503, h);
    }

    private <T> Answer accept(Topic<T> topic, byte[] body) {
        T message;
        try {
            message = topic.codec().decode(body);
        } catch (InvalidMessageException e) {
            return error(400, e.reason().wire(), e.detail());
        }
        try {
            sink.send(topic.name(), topic.keyBytes(message), body);
        } catch (Exception e) {
            return error(503, "unavailable", "could not write to " + topic.name() + ": " + e.getClass().getSimpleName());
        }
        ObjectNode ok = JSON.createObjectNode();
        ok.put("accepted", true);
        ok.put("topic", topic.name());
        return Answer.json(202, ok);
    }

    private void addCatalogFacts(ObjectNode item, String itemId) {
        addCatalogFacts(item, stores.catalog(itemId));
    }

    /** The catalog record's facts a page shows (title, price, …; not the margin) onto an item; none if no record. */
    private static void addCatalogFacts(ObjectNode item, byte[] catalogRecord) {
        if (catalogRecord == null) {
            return;
        }
        copyCatalogFacts(item, read(catalogRecord));
    }

    /** The facts a page shows, from a parsed catalog record, onto an item. */
    private static void copyCatalogFacts(ObjectNode item, JsonNode c) {
        for (String f : CATALOG_FACTS) {
            if (c.has(f) && !c.get(f).isNull()) {
                item.set(f, c.get(f));
            }
        }
    }

    private static final List<String> CATALOG_FACTS = List.of("title", "price", "currency", "imageUrl", "categoryPath",
            "brand", "inStock");

    private static Answer checkId(String what, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return error(400, "invalid_id", what + " id must be 1.." + MAX_ID_LENGTH
                    + " characters of letters, digits and . _ : @ -");
        }
        return null;
    }

    private static Integer limit(String text) {
        if (text == null || text.isEmpty()) {
            return 100;
        }
        try {
            int n = Integer.parseInt(text);
            return n >= 1 && n <= 100 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static JsonNode read(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalStateException("a stored record is not JSON", e);
        }
    }

    /** An error body: {@code {"error": code, "detail": text}} (the detail never echoes raw input beyond ids checked above). */
    static Answer error(int status, String code, String detail) {
        ObjectNode e = JSON.createObjectNode();
        e.put("error", code);
        e.put("detail", detail);
        return Answer.json(status, e);
    }
}
