package io.nextbest.loadtest.eval;

import io.nextbest.generator.InputEvent;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.CatalogItem;
import io.nextbest.schemas.messages.Channel;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.OrderLine;
import io.nextbest.schemas.messages.Transaction;
import io.nextbest.schemas.messages.TransactionType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** Input events with valid values, for scripted streams. */
final class Events {
    private Events() {}

    private static int next;

    static InputEvent interaction(String customer, String item, String action, long t) {
        return interaction(customer, item, action, t, null);
    }

    static InputEvent interaction(String customer, String item, String action, long t, Integer quantity) {
        String id = "e" + (++next);
        Interaction i = new Interaction(id, InteractionType.fromWire(action), customer, null, item, null,
                Instant.ofEpochMilli(t), Channel.WEB, null, quantity, null);
        return new InputEvent("interactions", customer, Topics.INTERACTIONS.codec().encode(i), id, customer, item, action, t);
    }

    static InputEvent view(String customer, String item, long t) {
        return interaction(customer, item, "view", t);
    }

    static InputEvent order(String customer, String item, long t) {
        String id = "o" + (++next);
        Transaction o = new Transaction(id, TransactionType.ORDER, id, customer, Instant.ofEpochMilli(t),
                List.of(new OrderLine(item, 1, 1.0)), 1.0, "EUR", Channel.WEB);
        return new InputEvent("transactions", customer, Topics.TRANSACTIONS.codec().encode(o), id, customer, item, "order", t);
    }

    static InputEvent returned(String customer, String item, long t) {
        String id = "r" + (++next);
        Transaction o = new Transaction(id, TransactionType.RETURN, "o-" + id, customer, Instant.ofEpochMilli(t),
                List.of(new OrderLine(item, 1, 1.0)), 1.0, "EUR", Channel.WEB);
        return new InputEvent("transactions", customer, Topics.TRANSACTIONS.codec().encode(o), id, customer, item, "return", t);
    }

    static InputEvent catalog(String item, long t) {
        CatalogItem c = new CatalogItem(item, "item " + item, List.of("c"), null, 1.0, "EUR", null, true, null,
                Instant.ofEpochMilli(t));
        return new InputEvent("catalog", item, Topics.CATALOG.codec().encode(c), null, null, item, "catalog", t);
    }

    static InputEvent broken(long t) {
        return new InputEvent("interactions", "x", "{not json".getBytes(StandardCharsets.UTF_8), null, null, null,
                InputEvent.BROKEN, t);
    }
}
