package io.nextbest.job.action;

import com.fasterxml.jackson.databind.JsonNode;
import io.nextbest.job.rules.Fields;
import io.nextbest.job.rules.RuleException;
import io.nextbest.schemas.DeadLetterReason;
import io.nextbest.schemas.messages.Action;
import io.nextbest.schemas.messages.ActionKind;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Turns a decoded {@link Action} message into an {@link ActionDef}, validating what the JSON Schema leaves open
 * (format in docs/decisioning.md#the-action-catalog): the window, the segments, the eligibility condition, value,
 * cost, cooldown and track step. Errors name the field, e.g. {@code value.basketShare: must be a number 0..10, got
 * 12}; disabled actions are checked like enabled ones.
 */
public final class ActionParser {
    static final double MAX_AMOUNT = 1e9;
    static final double MAX_SHARE = 10;
    static final Duration MAX_DURATION = Duration.ofDays(3650);

    private ActionParser() {}

    /** Parses one action; a cost without {@code contact} costs {@code defaultContactCost} per contact. */
    public static ActionDef parse(Action a, double defaultContactCost) throws RuleException {
        String id = a.actionId();
        if (a.validFrom() != null && a.validTo() != null && !a.validTo().isAfter(a.validFrom())) {
            throw new RuleException(id, DeadLetterReason.INVALID_VALUE,
                    "validTo: must be after validFrom " + a.validFrom() + ", got " + a.validTo());
        }
        if (a.segments() != null) {
            if (a.segments().isEmpty()) {
                throw new RuleException(id, DeadLetterReason.INVALID_VALUE,
                        "segments: an empty list would apply to nobody; leave it out to mean everyone");
            }
            for (int i = 0; i < a.segments().size(); i++) {
                if (a.segments().get(i) == null || a.segments().get(i).isEmpty()) {
                    throw new RuleException(id, DeadLetterReason.INVALID_VALUE, "segments[" + i + "]: must not be empty");
                }
            }
        }
        boolean passCaps = Boolean.TRUE.equals(a.passCaps());
        if (passCaps && a.kind() != ActionKind.MANDATORY) {
            throw new RuleException(id, DeadLetterReason.INVALID_VALUE,
                    "passCaps: only a mandatory action may pass the caps, this one is " + a.kind().wire());
        }
        Condition eligibility = Condition.parse(object(id, a.eligibility(), "eligibility", false));
        ActionDef.Value value = value(object(id, a.value(), "value", true));
        ActionDef.Cost cost = cost(object(id, a.cost(), "cost", false), defaultContactCost);
        long cooldown = a.cooldown() == null ? 0 : duration(id, "cooldown", a.cooldown()).toMillis();
        ActionDef.TrackStep track = track(id, object(id, a.track(), "track", false));
        if (track != null && id.equals(track.after())) {
            throw new RuleException(id, DeadLetterReason.INVALID_VALUE, "track.after: a step cannot follow itself");
        }
        return new ActionDef(id, a.kind(), a.enabled(), a.description(), List.copyOf(a.channels()), a.priority(),
                a.validFrom() == null ? Long.MIN_VALUE : a.validFrom().toEpochMilli(),
                a.validTo() == null ? Long.MAX_VALUE : a.validTo().toEpochMilli(),
                a.segments() == null ? null : List.copyOf(a.segments()), eligibility, value, cost,
                Boolean.TRUE.equals(a.requiresProposal()), passCaps, cooldown, track);
    }

    private static Fields object(String id, JsonNode node, String name, boolean required) throws RuleException {
        if (node == null || node.isNull()) {
            if (required) {
                throw new RuleException(id, DeadLetterReason.SCHEMA_VIOLATION, name + ": missing, must be an object");
            }
            return null;
        }
        if (!node.isObject()) {
            throw new RuleException(id, DeadLetterReason.SCHEMA_VIOLATION,
                    name + ": must be an object, got " + Fields.shown(node));
        }
        return new Fields(id, node, name);
    }

    private static ActionDef.Value value(Fields f) throws RuleException {
        f.only("a value", "fixed", "basketShare", "basketMarginShare");
        Double fixed = f.number("fixed", 0, MAX_AMOUNT, "an amount 0.." + (long) MAX_AMOUNT, false);
        Double share = f.number("basketShare", 0, MAX_SHARE, "a number 0.." + (long) MAX_SHARE, false);
        Double margin = f.number("basketMarginShare", 0, MAX_SHARE, "a number 0.." + (long) MAX_SHARE, false);
        if (fixed == null && share == null && margin == null) {
            throw f.schemaOfObject("needs fixed, basketShare or basketMarginShare (they add up)");
        }
        return new ActionDef.Value(orZero(fixed), orZero(share), orZero(margin));
    }

    private static ActionDef.Cost cost(Fields f, double defaultContactCost) throws RuleException {
        if (f == null) {
            return new ActionDef.Cost(defaultContactCost, 0, 0);
        }
        f.only("a cost", "contact", "discount", "discountShare");
        Double contact = f.number("contact", 0, MAX_AMOUNT, "an amount 0.." + (long) MAX_AMOUNT, false);
        Double discount = f.number("discount", 0, MAX_AMOUNT, "an amount 0.." + (long) MAX_AMOUNT, false);
        Double share = f.number("discountShare", 0, 1, "a share 0..1 of the basket value", false);
        return new ActionDef.Cost(contact == null ? defaultContactCost : contact, orZero(discount), orZero(share));
    }

    private static ActionDef.TrackStep track(String id, Fields f) throws RuleException {
        if (f == null) {
            return null;
        }
        f.only("a track step", "trackId", "after", "wait");
        String trackId = f.string("trackId", "a track id (1..128 characters)", ActionParser::idProblem);
        String after = f.has("after") ? f.string("after", "the action id of the previous step", ActionParser::idProblem) : null;
        if (after == null && f.has("wait")) {
            throw f.invalid("wait", "only a step that follows another (after) waits");
        }
        long wait = 0;
        if (after != null) {
            if (!f.has("wait")) {
                throw f.schema("wait", "missing, a step that follows another says how long after it (ISO-8601, e.g. P3D)");
            }
            wait = duration(id, "track.wait", f.string("wait", "an ISO-8601 duration like P3D", s -> null)).toMillis();
        }
        return new ActionDef.TrackStep(trackId, after, wait);
    }

    private static Duration duration(String id, String field, String text) throws RuleException {
        Duration d;
        try {
            d = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new RuleException(id, DeadLetterReason.INVALID_VALUE,
                    field + ": must be an ISO-8601 duration like PT30M or P3D, got \"" + text + "\"");
        }
        if (d.isNegative() || d.isZero() || d.compareTo(MAX_DURATION) > 0) {
            throw new RuleException(id, DeadLetterReason.INVALID_VALUE,
                    field + ": must be more than 0 and at most 3650 days, got " + text);
        }
        return d;
    }

    private static String idProblem(String s) {
        if (s.isEmpty() || s.length() > 128) {
            return "1..128 characters";
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return "a control character";
            }
        }
        return null;
    }

    private static double orZero(Double d) {
        return d == null ? 0 : d;
    }
}
