package io.nextbest.job.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nextbest.job.rules.RuleException;
import io.nextbest.schemas.DeadLetterReason;
import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.Action;
import io.nextbest.schemas.messages.ActionKind;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.LifecycleStage;
import io.nextbest.schemas.messages.ValueTier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The action catalog's open objects: what the parser keeps, every refusal with its message, the conditions' verdicts
 * and reasons, and that the documents of docs/decisioning.md and the contract's valid examples are actions the job
 * accepts.
 */
class ActionParserTest {
    private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);

    static Action action(String json) throws InvalidMessageException {
        return Topics.ACTIONS.codec().decode(json.getBytes(StandardCharsets.UTF_8));
    }

    static ActionDef parse(String extra) throws Exception {
        return ActionParser.parse(action("{\"actionId\":\"a1\",\"kind\":\"discretionary\",\"enabled\":true,"
                + "\"channels\":[\"email\"],\"priority\":5,\"updatedAt\":\"2026-12-01T00:00:00Z\"," + extra + "}"), 0.1);
    }

    private static String error(String extra) {
        try {
            parse(extra);
        } catch (RuleException e) {
            return e.reason().wire() + ": " + e.getMessage();
        } catch (Exception e) {
            return "decoder: " + e.getMessage();
        }
        return "accepted";
    }

    @Test
    void keepsValueCostCooldownTrackAndDefaults() throws Exception {
        ActionDef a = parse("\"value\":{\"fixed\":10,\"basketShare\":0.1,\"basketMarginShare\":0.5},"
                + "\"cost\":{\"discount\":2,\"discountShare\":0.05},\"cooldown\":\"P2D\","
                + "\"track\":{\"trackId\":\"t\",\"after\":\"a0\",\"wait\":\"PT36H\"}");
        Facts f = facts(LifecycleStage.NEW, 0, 200, 40);
        assertThat(a.value().of(f)).isEqualTo(10 + 20 + 20);
        assertThat(a.cost().of(f)).isEqualTo(0.1 + 2 + 10); // contact cost from the default
        assertThat(a.cooldownMs()).isEqualTo(2 * 86_400_000L);
        assertThat(a.track()).isEqualTo(new ActionDef.TrackStep("t", "a0", 36 * 3_600_000L));
        assertThat(a.channels()).containsExactly(ContactChannel.EMAIL);
        assertThat(a.kind()).isEqualTo(ActionKind.DISCRETIONARY);
        assertThat(a.eligibility()).isSameAs(Condition.ALWAYS);
        assertThat(a.validAt(0)).isTrue();
    }

    @Test
    void refusesWhatMakesNoSenseWithTheFieldAndTheReason() {
        assertThat(error("\"value\":{}")).isEqualTo(
                "schema_violation: value: needs fixed, basketShare or basketMarginShare (they add up)");
        assertThat(error("\"value\":{\"fixed\":5,\"basketShare\":12}")).isEqualTo(
                "invalid_value: value.basketShare: must be a number 0..10, got 12");
        assertThat(error("\"value\":{\"amount\":5}")).startsWith(
                "schema_violation: value.amount: unknown field of a value (known: fixed, basketShare, basketMarginShare)");
        assertThat(error("\"value\":{\"fixed\":1},\"cost\":{\"discountShare\":2}")).isEqualTo(
                "invalid_value: cost.discountShare: must be a share 0..1 of the basket value, got 2");
        assertThat(error("\"value\":{\"fixed\":1},\"cooldown\":\"7 days\"")).isEqualTo(
                "invalid_value: cooldown: must be an ISO-8601 duration like PT30M or P3D, got \"7 days\"");
        assertThat(error("\"value\":{\"fixed\":1},\"passCaps\":true")).isEqualTo(
                "invalid_value: passCaps: only a mandatory action may pass the caps, this one is discretionary");
        assertThat(error("\"value\":{\"fixed\":1},\"track\":{\"trackId\":\"t\",\"after\":\"a0\"}")).isEqualTo(
                "schema_violation: track.wait: missing, a step that follows another says how long after it (ISO-8601, e.g. P3D)");
        assertThat(error("\"value\":{\"fixed\":1},\"track\":{\"trackId\":\"t\",\"after\":\"a1\",\"wait\":\"P1D\"}"))
                .isEqualTo("invalid_value: track.after: a step cannot follow itself");
        assertThat(error("\"value\":{\"fixed\":1},\"eligibility\":{\"lifecycle\":[\"vip\"]}")).isEqualTo(
                "invalid_value: eligibility.lifecycle[0]: must be one of [prospect, new, active, loyal], got \"vip\" (unknown stage)");
        assertThat(error("\"value\":{\"fixed\":1},\"eligibility\":{\"orders\":{\"min\":3,\"max\":1}}")).isEqualTo(
                "invalid_value: eligibility.orders.min: must not exceed max 1, got 3");
        assertThat(error("\"value\":{\"fixed\":1},\"eligibility\":{}")).isEqualTo(
                "schema_violation: eligibility: an empty condition; leave it out to mean everyone");
        assertThat(error("\"value\":{\"fixed\":1},\"eligibility\":{\"not\":{\"not\":{\"not\":{\"not\":{\"known\":true}}}}}"))
                .isEqualTo("schema_violation: eligibility.not.not.not.not: conditions nest at most 4 levels deep");
        assertThat(error("\"value\":{\"fixed\":1},\"eligibility\":{\"lifecycel\":[\"new\"]}")).startsWith(
                "schema_violation: eligibility.lifecycel: unknown field of a condition");
        assertThat(error("\"value\":{\"fixed\":1},\"segments\":[]")).isEqualTo(
                "invalid_value: segments: an empty list would apply to nobody; leave it out to mean everyone");
        assertThat(error("\"value\":{\"fixed\":1},\"validFrom\":\"2026-12-02T00:00:00Z\",\"validTo\":\"2026-12-01T00:00:00Z\""))
                .isEqualTo("invalid_value: validTo: must be after validFrom 2026-12-02T00:00:00Z, got 2026-12-01T00:00:00Z");
    }

    @Test
    void conditionsHoldOrSayWhyNot() throws Exception {
        Condition c = parse("\"value\":{\"fixed\":1},\"eligibility\":{\"any\":[{\"lifecycle\":[\"loyal\"]},"
                + "{\"valueTier\":[\"high\"],\"basketValue\":{\"min\":50}}],\"not\":{\"daysSinceLastOrder\":{\"max\":6}}}")
                .eligibility();
        assertThat(c.failure(facts(LifecycleStage.LOYAL, 30, 0, 0))).isNull();
        assertThat(c.failure(facts(LifecycleStage.NEW, 30, 0, 0))).isEqualTo(
                "none of: lifecycle is new, needs one of [loyal]; value tier is low, needs one of [high]");
        assertThat(c.failure(facts(LifecycleStage.LOYAL, 3, 0, 0))).startsWith("meets the excluded condition");
        Condition never = parse("\"value\":{\"fixed\":1},\"eligibility\":{\"daysSinceLastOrder\":{\"min\":30},"
                + "\"basketValue\":{\"min\":50}}").eligibility();
        assertThat(never.failure(facts(LifecycleStage.PROSPECT, -1, 60, 0))).isNull(); // never ordered: infinitely far
        assertThat(never.failure(facts(LifecycleStage.PROSPECT, -1, 12, 0))).isEqualTo(
                "basket value is 12.00, needs at least 50");
    }

    @Test
    void theDocumentsOfTheDocsAndTheContractsValidExamplesAreActionsTheJobAccepts() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "decisioning.md"), StandardCharsets.UTF_8);
        Matcher m = JSON_BLOCK.matcher(doc);
        List<String> ids = new ArrayList<>();
        while (m.find()) {
            if (m.group(1).contains("\"actionId\"")) {
                ids.add(ActionParser.parse(action(m.group(1)), 0.1).actionId());
            }
        }
        assertThat(ids).containsExactly("winback-voucher", "service-callback", "onboarding-welcome",
                "onboarding-first-order-5", "onboarding-last-call-10");
        Path examples = Path.of("..", "schemas", "src", "main", "resources", "schemas", "examples", "actions");
        List<String> valid = new ArrayList<>();
        try (var files = Files.list(examples)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("valid-")).sorted().toList()) {
                valid.add(ActionParser.parse(action(Files.readString(p)), 0.1).actionId());
            }
        }
        assertThat(valid).hasSize(4);
    }

    /** Facts of a customer with a lifecycle stage, days since the last order (−1: never), basket value and margin. */
    static Facts facts(LifecycleStage stage, int daysSinceOrder, double basket, double margin) {
        long now = Instant.parse("2026-12-06T12:00:00Z").toEpochMilli();
        return new Facts(new String[] {"lifecycle:" + stage.wire()}, stage, ValueTier.LOW, daysSinceOrder < 0 ? 0 : 3, 100,
                daysSinceOrder < 0 ? 0 : now - daysSinceOrder * 86_400_000L, basket, margin, basket > 0 ? 1 : 0, 1, false,
                true, new String[0], now);
    }
}
