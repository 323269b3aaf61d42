package io.nextbest.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.schemas.messages.ActionCandidate;
import io.nextbest.schemas.messages.ActionKind;
import io.nextbest.schemas.messages.ActionOutcome;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.DecisionCause;
import io.nextbest.schemas.messages.NextBestAction;
import io.nextbest.schemas.messages.NothingReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A decision of each outcome, as arbitration builds it, encodes with the topic's codec to a message the schema
 * accepts: the fields of the other outcomes are left out, not written as null; and the schema refuses a decision
 * that mixes them.
 */
class NextBestActionTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final Instant DECIDED = Instant.parse("2026-11-23T22:40:05.25Z");

    /** Every field of a candidate set. */
    private static final ActionCandidate FULL_CANDIDATE = new ActionCandidate("act-voucher", ActionKind.DISCRETIONARY,
            500, true, null, "ok", 0.231, 0.2, 120L, 24L, 18.5, 10.0, -5.7265);
    private static final ActionCandidate INELIGIBLE = new ActionCandidate("act-winback", ActionKind.DISCRETIONARY, 300,
            false, "lifecycle is new, needs one of [loyal]", "not_checked", null, null, null, null, null, null, null);
    private static final ActionCandidate MANDATORY = new ActionCandidate("act-card-expiry", ActionKind.MANDATORY, 1000,
            true, null, "ok", null, null, null, null, null, null, null);

    private static NextBestAction decision(ActionOutcome outcome, String actionId, ActionKind kind,
            ContactChannel channel, Instant deferredUntil, NothingReason nothingReason) {
        return new NextBestAction("nba-C-1-0001", "C-1", DECIDED, DecisionCause.EVENT, null, outcome, actionId, kind,
                channel, deferredUntil, null, nothingReason, "greedy", null, null, List.of(MANDATORY, FULL_CANDIDATE),
                List.of("the reason"), null);
    }

    /** An act with every field it may have set: all but deferredUntil and nothingReason, which act must not have. */
    private static final NextBestAction FULL = new NextBestAction("nba-C-1-0002", "C-1", DECIDED,
            DecisionCause.BASKET_TRIGGER, "evt-1", ActionOutcome.ACT, "act-voucher", ActionKind.DISCRETIONARY,
            ContactChannel.PUSH, null, "act-card-expiry", null, "thompson", "exp-nba", "thompson",
            List.of(FULL_CANDIDATE, INELIGIBLE, MANDATORY),
            List.of("act-voucher: expected net value 4.27 - 10.00 is the highest", "push is the first consented channel"),
            "trg-C-1-0003");

    private static final NextBestAction ACT =
            decision(ActionOutcome.ACT, "act-card-expiry", ActionKind.MANDATORY, ContactChannel.EMAIL, null, null);
    private static final NextBestAction DEFER = decision(ActionOutcome.DEFER, "act-card-expiry", ActionKind.MANDATORY,
            null, Instant.parse("2026-11-24T07:00:00Z"), null);
    private static final NextBestAction NOTHING =
            decision(ActionOutcome.NOTHING, null, null, null, null, NothingReason.CONTACT_RULES);

    @Test
    void aFullyPopulatedDecisionEncodesToAValidMessageAndBack() throws Exception {
        String json = encode(FULL);
        assertThat(SchemaValidation.violations("next-best-actions", json)).as(json).isEmpty();
        assertThat(fields(FULL)).containsExactly("decisionId", "customerId", "decidedAt", "cause", "eventId", "outcome",
                "actionId", "kind", "channel", "runnerUp", "strategy", "experimentId", "variant", "candidates",
                "reasons", "triggerId");
        JsonNode candidate = MAPPER.readTree(json).get("candidates").get(0);
        List<String> candidateFields = new ArrayList<>();
        candidate.fieldNames().forEachRemaining(candidateFields::add);
        assertThat(candidateFields).containsExactly("actionId", "kind", "priority", "eligible", "contact", "propensity",
                "propensityMean", "trials", "successes", "value", "cost", "expectedNetValue");
        assertThat(MAPPER.readTree(json).get("candidates").get(1).get("ineligibleBecause").textValue())
                .isEqualTo("lifecycle is new, needs one of [loyal]");
        assertThat(Topics.NEXT_BEST_ACTIONS.codec().decode(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(FULL);
    }

    @Test
    void everyOutcomeEncodesToAValidMessageWithoutTheFieldsItDoesNotHave() throws Exception {
        assertThat(fields(ACT)).containsExactly("decisionId", "customerId", "decidedAt", "cause", "outcome", "actionId",
                "kind", "channel", "strategy", "candidates", "reasons");
        assertThat(fields(DEFER)).containsExactly("decisionId", "customerId", "decidedAt", "cause", "outcome",
                "actionId", "kind", "deferredUntil", "strategy", "candidates", "reasons");
        assertThat(fields(NOTHING)).containsExactly("decisionId", "customerId", "decidedAt", "cause", "outcome",
                "nothingReason", "strategy", "candidates", "reasons");

        for (NextBestAction d : List.of(ACT, DEFER, NOTHING)) {
            String json = encode(d);
            assertThat(json).as(d.outcome().wire()).doesNotContain("null");
            assertThat(SchemaValidation.violations("next-best-actions", json)).as(json).isEmpty();
            assertThat(Topics.NEXT_BEST_ACTIONS.codec().decode(json.getBytes(StandardCharsets.UTF_8)))
                    .as("decoded again from " + json).isEqualTo(d);
        }
    }

    @Test
    void theWireNamesAreThoseOfTheSchema() throws Exception {
        JsonNode tree = MAPPER.readTree(encode(FULL));
        assertThat(tree.get("cause").textValue()).isEqualTo("basket_trigger");
        assertThat(tree.get("outcome").textValue()).isEqualTo("act");
        assertThat(tree.get("kind").textValue()).isEqualTo("discretionary");
        assertThat(tree.get("channel").textValue()).isEqualTo("push");
        assertThat(tree.get("decidedAt").textValue()).isEqualTo("2026-11-23T22:40:05.250Z");
        assertThat(tree.at("/candidates/0/priority").isInt()).isTrue();
        assertThat(tree.at("/candidates/0/trials").isIntegralNumber()).isTrue();
        assertThat(MAPPER.readTree(encode(NOTHING)).get("nothingReason").textValue()).isEqualTo("contact_rules");

        JsonNode schema = MAPPER.readTree(ExampleFiles.readResource(SchemaValidation.schemaResource("next-best-actions")));
        assertThat(wires(schema.at("/properties/outcome/enum"))).containsExactlyElementsOf(ActionOutcome.BY_WIRE.keySet());
        assertThat(wires(schema.at("/properties/cause/enum"))).containsExactlyElementsOf(DecisionCause.BY_WIRE.keySet());
        assertThat(wires(schema.at("/properties/nothingReason/enum")))
                .containsExactlyElementsOf(NothingReason.BY_WIRE.keySet());
        assertThat(wires(schema.at("/$defs/actionKind/enum"))).containsExactlyElementsOf(ActionKind.BY_WIRE.keySet());
        assertThat(wires(schema.at("/$defs/contactChannel/enum")))
                .containsExactlyElementsOf(ContactChannel.BY_WIRE.keySet());
        JsonNode actions = MAPPER.readTree(ExampleFiles.readResource(SchemaValidation.schemaResource("actions")));
        assertThat(wires(actions.at("/properties/kind/enum"))).containsExactlyElementsOf(ActionKind.BY_WIRE.keySet());
    }

    @Test
    void theSchemaRejectsDecisionsThatMixTheOutcomesFields() {
        Instant later = Instant.parse("2026-11-24T07:00:00Z");
        List<NextBestAction> mixed = List.of(
                decision(ActionOutcome.ACT, "act-card-expiry", ActionKind.MANDATORY, null, null, null),
                decision(ActionOutcome.ACT, null, null, ContactChannel.EMAIL, null, null),
                decision(ActionOutcome.ACT, "act-card-expiry", null, ContactChannel.EMAIL, null, null),
                decision(ActionOutcome.ACT, null, ActionKind.MANDATORY, ContactChannel.EMAIL, null, null),
                decision(ActionOutcome.ACT, "act-card-expiry", ActionKind.MANDATORY, ContactChannel.EMAIL, later, null),
                decision(ActionOutcome.ACT, "act-card-expiry", ActionKind.MANDATORY, ContactChannel.EMAIL, null,
                        NothingReason.BELOW_COST),
                decision(ActionOutcome.DEFER, "act-card-expiry", ActionKind.MANDATORY, null, null, null),
                decision(ActionOutcome.DEFER, "act-card-expiry", ActionKind.MANDATORY, ContactChannel.SMS, later, null),
                decision(ActionOutcome.DEFER, null, null, null, later, null),
                decision(ActionOutcome.NOTHING, null, null, null, null, null),
                decision(ActionOutcome.NOTHING, "act-card-expiry", ActionKind.MANDATORY, null, null,
                        NothingReason.CONTACT_RULES),
                decision(ActionOutcome.NOTHING, null, ActionKind.MANDATORY, null, null, NothingReason.CONTACT_RULES),
                decision(ActionOutcome.NOTHING, null, null, ContactChannel.WEB, null, NothingReason.CONTACT_RULES),
                decision(ActionOutcome.NOTHING, null, null, null, later, NothingReason.CONTACT_RULES));
        for (NextBestAction d : mixed) {
            String json = encode(d);
            assertThat(SchemaValidation.violations("next-best-actions", json)).as(json).isNotEmpty();
        }
    }

    @Test
    void anIneligibleCandidateSaysWhyAndOnlyAnIneligibleOne() {
        ActionCandidate silent = new ActionCandidate("act-winback", ActionKind.DISCRETIONARY, 300, false, null,
                "not_checked", null, null, null, null, null, null, null);
        ActionCandidate eligibleWithReason = new ActionCandidate("act-voucher", ActionKind.DISCRETIONARY, 500, true,
                "lifecycle is new, needs one of [loyal]", "ok", null, null, null, null, null, null, null);
        for (ActionCandidate c : List.of(silent, eligibleWithReason)) {
            String json = encode(withCandidates(List.of(MANDATORY, c)));
            assertThat(SchemaValidation.violations("next-best-actions", json)).as(json).isNotEmpty();
        }
        String json = encode(withCandidates(List.of(MANDATORY, INELIGIBLE)));
        assertThat(SchemaValidation.violations("next-best-actions", json)).as(json).isEmpty();
        assertThat(SchemaValidation.violations("next-best-actions", encode(withCandidates(List.of())))).isEmpty();
    }

    private static NextBestAction withCandidates(List<ActionCandidate> candidates) {
        return new NextBestAction(ACT.decisionId(), ACT.customerId(), ACT.decidedAt(), ACT.cause(), ACT.eventId(),
                ACT.outcome(), ACT.actionId(), ACT.kind(), ACT.channel(), ACT.deferredUntil(), ACT.runnerUp(),
                ACT.nothingReason(), ACT.strategy(), ACT.experimentId(), ACT.variant(), candidates, ACT.reasons(),
                ACT.triggerId());
    }

    private static String encode(NextBestAction d) {
        return new String(Topics.NEXT_BEST_ACTIONS.codec().encode(d), StandardCharsets.UTF_8);
    }

    private static List<String> fields(NextBestAction d) throws Exception {
        List<String> names = new ArrayList<>();
        MAPPER.readTree(encode(d)).fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> wires(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.textValue()));
        return out;
    }
}
