package io.nextbest.job.rules;

import io.nextbest.job.messages.RankingRequest;
import io.nextbest.schemas.messages.RuleKind;
import java.io.Serializable;
import java.time.Instant;
import java.util.Set;

/**
 * A validated rule, ready to apply: what every kind shares (id, enabled, validity window, segments), with
 * a subclass per kind holding the definition in a form that costs no parsing per call. Immutable.
 * Made by {@link RuleParser#parse}; collected in a {@link RuleBook}.
 */
public abstract sealed class ParsedRule implements Serializable
        permits FilterRule, BoostRule, PlacementRule, ContactRule, ExperimentRule {
    private static final long serialVersionUID = 1L;

    private final String ruleId;
    private final boolean enabled;
    private final String description;
    private final Instant validFrom;
    private final Instant validTo;
    /** The window in event-time ms: {@code fromMs <= t < toMs}. */
    private final long fromMs;
    private final long toMs;
    /** Null: every customer. */
    private final Set<String> segments;
    private final Instant updatedAt;

    ParsedRule(Envelope e) {
        this.ruleId = e.ruleId();
        this.enabled = e.enabled();
        this.description = e.description();
        this.validFrom = e.validFrom();
        this.validTo = e.validTo();
        this.fromMs = e.validFrom() == null ? Long.MIN_VALUE : ceilMillis(e.validFrom());
        this.toMs = e.validTo() == null ? Long.MAX_VALUE : ceilMillis(e.validTo());
        this.segments = e.segments() == null ? null : Set.copyOf(e.segments());
        this.updatedAt = e.updatedAt();
    }

    /** The parts of a rule message that are not the definition, as validated by the parser. */
    record Envelope(String ruleId, boolean enabled, String description, Instant validFrom, Instant validTo,
            Set<String> segments, Instant updatedAt) {}

    public final String ruleId() {
        return ruleId;
    }

    public abstract RuleKind kind();

    /** The definition's {@code type} ({@code bought-within}, {@code margin}, …); the kind's name for kinds without. */
    public abstract String type();

    public final boolean enabled() {
        return enabled;
    }

    /** The rule's description, or null. */
    public final String description() {
        return description;
    }

    /** Start of the validity window (inclusive), or null. */
    public final Instant validFrom() {
        return validFrom;
    }

    /** End of the validity window (exclusive), or null. */
    public final Instant validTo() {
        return validTo;
    }

    /** The segments the rule is restricted to, or null for every customer. */
    public final Set<String> segments() {
        return segments;
    }

    public final Instant updatedAt() {
        return updatedAt;
    }

    /** Whether the rule is enabled, {@code eventTime} lies in its window and the customer is in its segments. */
    public final boolean appliesTo(RankingRequest request) {
        return appliesTo(request.eventTime, request.segments);
    }

    /** See {@link #appliesTo(RankingRequest)}; {@code customerSegments} may be null (no segments). */
    public final boolean appliesTo(long eventTime, String[] customerSegments) {
        return enabled && eventTime >= fromMs && eventTime < toMs && inSegments(customerSegments);
    }

    private boolean inSegments(String[] customerSegments) {
        if (segments == null) {
            return true;
        }
        if (customerSegments != null) {
            for (String s : customerSegments) {
                if (s != null && segments.contains(s)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The first whole millisecond at or after {@code t}: a time in ms is at/after {@code t} iff at/after this. */
    static long ceilMillis(Instant t) {
        long ms = t.toEpochMilli(); // floors
        return t.getNano() % 1_000_000 == 0 ? ms : ms + 1;
    }

    @Override
    public String toString() {
        return kind().wire() + "/" + type() + " rule " + ruleId + (enabled ? "" : " (disabled)");
    }
}
