package io.nextbest.schemas.messages;

import java.time.Instant;
import java.util.List;

/** An abandoned-basket trigger that passed the contact rules, on {@code basket-triggers}. */
public record BasketTrigger(
        String triggerId,
        TriggerType type,
        String customerId,
        ContactChannel channel,
        Instant abandonedAt,
        Instant firedAt,
        double basketValue,
        String currency,
        List<BasketLine> lines,
        List<SuggestedItem> suggestions,
        RuleOutcome ruleOutcome) {}
