package io.nextbest.schemas;

import io.nextbest.schemas.messages.Action;
import io.nextbest.schemas.messages.ActionKind;
import io.nextbest.schemas.messages.ActionProposal;
import io.nextbest.schemas.messages.CatalogItem;
import io.nextbest.schemas.messages.Channel;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.CustomerEvent;
import io.nextbest.schemas.messages.CustomerEventType;
import io.nextbest.schemas.messages.Feedback;
import io.nextbest.schemas.messages.FeedbackType;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.OrderLine;
import io.nextbest.schemas.messages.Rule;
import io.nextbest.schemas.messages.RuleKind;
import io.nextbest.schemas.messages.Transaction;
import io.nextbest.schemas.messages.TransactionType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Strict decoders of the input topics. Each reads exactly what its JSON Schema allows and names
 * the first violation it meets; it is the fast path the job runs on every record, kept in step
 * with the schemas by {@code DecoderAgreesWithSchemaTest}.
 */
public final class InputCodecs {
    private InputCodecs() {}

    static final int MAX_QUANTITY = 10_000;

    /** The form of an IANA time zone id (Europe/Berlin, America/Argentina/Buenos_Aires, Etc/GMT+5, UTC). */
    static final Pattern TIME_ZONE = Pattern.compile("[A-Za-z][A-Za-z0-9_+\\-]*(/[A-Za-z0-9_+\\-]+)*");

    public static final Codec<Interaction> INTERACTIONS = new StrictCodec<>(Interaction.class) {
        @Override
        Interaction read(MessageReader r) throws InvalidMessageException {
            String eventId = r.requiredId("eventId");
            InteractionType type = r.type(InteractionType.BY_WIRE);
            String customerId = r.optionalId("customerId");
            String sessionId = r.optionalId("sessionId");
            if (customerId == null && sessionId == null) {
                throw new InvalidMessageException(DeadLetterReason.MISSING_ID, "missing 'customerId' or 'sessionId'");
            }
            String itemId;
            String query;
            if (type == InteractionType.SEARCH) {
                itemId = r.optionalId("itemId");
                query = r.requiredString("query", 1, 512);
            } else {
                itemId = r.requiredId("itemId");
                r.forbid("query", "unless type is search");
                query = null;
            }
            return new Interaction(
                    eventId,
                    type,
                    customerId,
                    sessionId,
                    itemId,
                    query,
                    r.requiredTime("timestamp"),
                    r.requiredEnum("channel", Channel.BY_WIRE),
                    r.optionalString("placement", 1, 64),
                    r.optionalInt("quantity", 1, MAX_QUANTITY),
                    r.optionalMoney("price"));
        }
    };

    public static final Codec<Transaction> TRANSACTIONS = new StrictCodec<>(Transaction.class) {
        @Override
        Transaction read(MessageReader r) throws InvalidMessageException {
            String eventId = r.requiredId("eventId");
            TransactionType type = r.type(TransactionType.BY_WIRE);
            String orderId = r.requiredId("orderId");
            String customerId = r.requiredId("customerId");
            List<MessageReader> lineReaders = r.requiredObjects("lines", 1, 500);
            List<OrderLine> lines = new ArrayList<>(lineReaders.size());
            for (MessageReader l : lineReaders) {
                lines.add(new OrderLine(
                        l.requiredId("itemId"),
                        l.requiredInt("quantity", 1, MAX_QUANTITY),
                        l.requiredMoney("unitPrice"),
                        l.optionalMoney("listPrice")));
                l.rejectUnknownFields();
            }
            return new Transaction(
                    eventId,
                    type,
                    orderId,
                    customerId,
                    r.requiredTime("timestamp"),
                    List.copyOf(lines),
                    r.requiredMoney("total"),
                    r.requiredCurrency("currency"),
                    r.optionalEnum("channel", Channel.BY_WIRE));
        }
    };

    public static final Codec<CustomerEvent> CUSTOMERS = new StrictCodec<>(CustomerEvent.class) {
        @Override
        CustomerEvent read(MessageReader r) throws InvalidMessageException {
            String eventId = r.requiredId("eventId");
            CustomerEventType type = r.type(CustomerEventType.BY_WIRE);
            String customerId = r.requiredId("customerId");
            String sessionId = null;
            ContactChannel channel = null;
            Boolean granted = null;
            if (type == CustomerEventType.IDENTIFY) {
                sessionId = r.requiredId("sessionId");
            } else {
                r.forbid("sessionId", "unless type is identify");
            }
            if (type == CustomerEventType.CONSENT) {
                channel = r.requiredEnum("channel", ContactChannel.BY_WIRE);
                granted = r.requiredBoolean("granted");
            } else {
                r.forbid("channel", "unless type is consent");
                r.forbid("granted", "unless type is consent");
            }
            // The form of an IANA zone id, as in the schema. Whether the zone exists is not checked here: a zone
            // newer than this JVM's tz database is valid, and a missing time zone must not cost the event
            // (an identify carries the session-to-customer link). Users resolve it with CustomerEvent.zone().
            String timeZone = r.optionalString("timeZone", 1, 64);
            if (timeZone != null && !TIME_ZONE.matcher(timeZone).matches()) {
                throw r.violation("'timeZone' '" + timeZone + "' is not an IANA time zone id like Europe/Berlin");
            }
            return new CustomerEvent(
                    eventId, type, customerId, r.requiredTime("timestamp"), sessionId, channel, granted, timeZone);
        }
    };

    public static final Codec<CatalogItem> CATALOG = new StrictCodec<>(CatalogItem.class) {
        @Override
        CatalogItem read(MessageReader r) throws InvalidMessageException {
            return new CatalogItem(
                    r.requiredId("itemId"),
                    r.requiredString("title", 1, 512),
                    required(r, "categoryPath", r.optionalStrings("categoryPath", 1, 8, 1, 128, false)),
                    r.optionalString("brand", 1, 128),
                    r.requiredMoney("price"),
                    r.requiredCurrency("currency"),
                    r.optionalStrings("tags", 0, 32, 1, 64, true),
                    r.requiredBoolean("inStock"),
                    r.optionalNumber("margin", 0, 1),
                    r.requiredTime("updatedAt"));
        }
    };

    public static final Codec<Rule> RULES = new StrictCodec<>(Rule.class) {
        @Override
        Rule read(MessageReader r) throws InvalidMessageException {
            return new Rule(
                    r.requiredId("ruleId"),
                    r.requiredEnum("kind", RuleKind.BY_WIRE),
                    r.requiredBoolean("enabled"),
                    r.optionalString("description", 0, 512),
                    r.optionalTime("validFrom"),
                    r.optionalTime("validTo"),
                    r.optionalStrings("segments", 0, Integer.MAX_VALUE, 0, Integer.MAX_VALUE, false),
                    r.requiredObjectTree("definition"),
                    r.requiredTime("updatedAt"));
        }
    };

    public static final Codec<Feedback> FEEDBACK = new StrictCodec<>(Feedback.class) {
        @Override
        Feedback read(MessageReader r) throws InvalidMessageException {
            String eventId = r.requiredId("eventId");
            FeedbackType type = r.type(FeedbackType.BY_WIRE);
            String customerId = r.optionalId("customerId");
            String sessionId = r.optionalId("sessionId");
            if (customerId == null && sessionId == null) {
                throw new InvalidMessageException(DeadLetterReason.MISSING_ID, "missing 'customerId' or 'sessionId'");
            }
            boolean aboutTrigger = type == FeedbackType.TRIGGER_DELIVERED || type == FeedbackType.TRIGGER_OPENED;
            boolean aboutAction = type == FeedbackType.ACTION_ACCEPTED;
            String itemId = aboutTrigger || aboutAction ? r.optionalId("itemId") : r.requiredId("itemId");
            String triggerId = aboutTrigger ? r.requiredId("triggerId") : r.optionalId("triggerId");
            String decisionId = aboutAction ? r.requiredId("decisionId") : r.optionalId("decisionId");
            Long sequence = r.optionalLong("suggestionSequence", 1, Long.MAX_VALUE);
            return new Feedback(
                    eventId,
                    type,
                    customerId,
                    sessionId,
                    r.requiredTime("timestamp"),
                    itemId,
                    r.optionalString("placement", 1, 64),
                    sequence,
                    triggerId,
                    r.optionalString("variant", 1, 64),
                    decisionId);
        }
    };

    /** Most channels an action may name: each contact channel once. */
    static final int MAX_ACTION_CHANNELS = ContactChannel.values().length;

    public static final Codec<Action> ACTIONS = new StrictCodec<>(Action.class) {
        @Override
        Action read(MessageReader r) throws InvalidMessageException {
            return new Action(
                    r.requiredId("actionId"),
                    r.requiredEnum("kind", ActionKind.BY_WIRE),
                    r.requiredBoolean("enabled"),
                    r.optionalString("description", 0, 512),
                    r.requiredEnums("channels", 1, MAX_ACTION_CHANNELS, ContactChannel.BY_WIRE, true),
                    r.requiredInt("priority", 0, 1000),
                    r.optionalTime("validFrom"),
                    r.optionalTime("validTo"),
                    r.optionalStrings("segments", 0, Integer.MAX_VALUE, 0, Integer.MAX_VALUE, false),
                    r.optionalObjectTree("eligibility"),
                    r.requiredObjectTree("value"),
                    r.optionalObjectTree("cost"),
                    r.optionalBoolean("requiresProposal"),
                    r.optionalBoolean("passCaps"),
                    r.optionalString("cooldown", 1, 32),
                    r.optionalObjectTree("track"),
                    r.requiredTime("updatedAt"));
        }
    };

    public static final Codec<ActionProposal> ACTION_PROPOSALS = new StrictCodec<>(ActionProposal.class) {
        @Override
        ActionProposal read(MessageReader r) throws InvalidMessageException {
            String proposalId = r.requiredId("proposalId");
            String customerId = r.requiredId("customerId");
            String actionId = r.requiredId("actionId");
            String source = r.requiredString("source", 1, 64);
            Instant proposedAt = r.requiredTime("proposedAt");
            Instant expiresAt = r.requiredTime("expiresAt");
            Double value = r.optionalMoney("value");
            String reason = r.optionalString("reason", 0, 512);
            // The one rule the schema cannot state (it compares two fields): a proposal expires after it is made.
            if (!expiresAt.isAfter(proposedAt)) {
                throw new InvalidMessageException(DeadLetterReason.INVALID_VALUE, "'expiresAt' " + expiresAt
                        + " is not after 'proposedAt' " + proposedAt + ": a proposal must expire after it is proposed");
            }
            return new ActionProposal(proposalId, customerId, actionId, source, proposedAt, expiresAt, value, reason);
        }
    };

    private static <V> V required(MessageReader r, String name, V value) throws InvalidMessageException {
        if (value == null) {
            throw r.violation("missing required field '" + name + "'");
        }
        return value;
    }

    /** Decodes with a {@link MessageReader}, encodes with Jackson. */
    abstract static class StrictCodec<T> extends JsonCodec<T> {
        StrictCodec(Class<T> type) {
            super(type);
        }

        abstract T read(MessageReader r) throws InvalidMessageException;

        @Override
        public final T decode(byte[] value) throws InvalidMessageException {
            MessageReader r = MessageReader.parse(value);
            T message = read(r);
            r.rejectUnknownFields();
            return message;
        }
    }
}
