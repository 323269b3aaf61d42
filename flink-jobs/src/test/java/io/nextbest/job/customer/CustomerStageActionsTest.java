package io.nextbest.job.customer;

import static io.nextbest.job.customer.CustomerStageTriggerTest.at;
import static io.nextbest.job.customer.CustomerStageTriggerTest.cart;
import static io.nextbest.job.customer.CustomerStageTriggerTest.consent;
import static io.nextbest.job.customer.CustomerStageTriggerTest.customer;
import static io.nextbest.job.customer.CustomerStageTriggerTest.id;
import static io.nextbest.job.customer.CustomerStageTriggerTest.order;
import static io.nextbest.job.customer.CustomerStageTriggerTest.send;
import static io.nextbest.job.customer.CustomerStageTriggerTest.single;
import static io.nextbest.job.customer.CustomerStageTriggerTest.ts;
import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.messages.ActionLearning;
import io.nextbest.job.messages.ActionUpdate;
import io.nextbest.job.messages.CustomerInput;
import io.nextbest.job.messages.ReplicaUpdate;
import io.nextbest.job.messages.RuleUpdate;
import io.nextbest.schemas.messages.ActionCandidate;
import io.nextbest.schemas.messages.ActionKind;
import io.nextbest.schemas.messages.ActionOutcome;
import io.nextbest.schemas.messages.ActionProposal;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.CustomerEventType;
import io.nextbest.schemas.messages.DecisionCause;
import io.nextbest.schemas.messages.Feedback;
import io.nextbest.schemas.messages.FeedbackType;
import io.nextbest.schemas.messages.NextBestAction;
import io.nextbest.schemas.messages.NothingReason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

/**
 * Next-best-action decisions in the customer stage: what asks for one, the records and learning it emits, proposals,
 * acceptances and orders as responses, the track of docs/decisioning.md over its timers, the abandoned-basket trigger
 * as a mandatory action, an experiment's control group, and a restore (catalog, memory and timers survive).
 */
@SuppressWarnings("try")
class CustomerStageActionsTest {
    private static final long DAY = 86_400_000L;

    static String action(String id, String kind, int priority, String extra) {
        return "{\"actionId\":\"" + id + "\",\"kind\":\"" + kind + "\",\"enabled\":true,\"channels\":[\"email\",\"push\"],"
                + "\"priority\":" + priority + ",\"updatedAt\":\"2026-01-01T00:00:00Z\"," + extra + "}";
    }

    static void catalog(StageHarness h, String... documents) throws Exception {
        for (String json : documents) {
            String actionId = json.replaceAll("(?s).*\"actionId\"\\s*:\\s*\"([^\"]+)\".*", "$1");
            h.replica(ReplicaUpdate.of(new ActionUpdate(actionId, json)));
        }
    }

    static List<NextBestAction> decisions(StageHarness h) {
        return h.values(CustomerStage.NEXT_BEST_ACTIONS);
    }

    static List<ActionLearning> learning(StageHarness h) {
        return h.values(CustomerStage.ACTION_LEARNING);
    }

    static NextbestConfig config(String strategy) {
        return NextbestConfig.builder().set("actions.strategy", strategy).build();
    }

    @Test
    void aBasketChangeAsksForADecisionThatActsOnTheBestActionAndAnOrderIsItsSuccess() throws Exception {
        try (var h = StageHarness.of(config("greedy"))) {
            catalog(h, action("tip", "discretionary", 1, "\"value\":{\"fixed\":30}"),
                    action("too-dear", "discretionary", 9, "\"value\":{\"fixed\":30},\"cost\":{\"discount\":20}"),
                    action("loyal-only", "discretionary", 5, "\"value\":{\"fixed\":99},\"eligibility\":{\"lifecycle\":[\"loyal\"]}"));
            send(h, consent("C-1", ContactChannel.PUSH, true, 0));
            assertThat(single(decisions(h)).outcome()).as("a consent is a relevant event").isEqualTo(ActionOutcome.ACT);
            h.clearOutputs();
            h.h.getSideOutput(CustomerStage.NEXT_BEST_ACTIONS).clear();
            h.h.getSideOutput(CustomerStage.ACTION_LEARNING).clear();
            // the tip's cooldown is none: a second relevant event may take it again
            send(h, cart("C-1", "SKU-1", 1, 12.5, 1));
            NextBestAction d = single(decisions(h));
            assertThat(d.decisionId()).isEqualTo(io.nextbest.job.action.Decisioning.decisionId("C-1", at(1), 2))
                    .hasSize(16);
            assertThat(d.cause()).isEqualTo(DecisionCause.EVENT);
            assertThat(d.outcome()).isEqualTo(ActionOutcome.ACT);
            assertThat(d.actionId()).isEqualTo("tip");
            assertThat(d.kind()).isEqualTo(ActionKind.DISCRETIONARY);
            assertThat(d.channel()).as("the first channel with consent").isEqualTo(ContactChannel.PUSH);
            assertThat(d.strategy()).isEqualTo("greedy");
            assertThat(d.decidedAt()).isEqualTo(ts(1));
            assertThat(d.runnerUp()).isEqualTo("too-dear");
            // every candidate with its numbers: greedy P = the prior mean 0.1 (two trials of "tip", no successes yet: 1/12)
            ActionCandidate tip = d.candidates().stream().filter(c -> c.actionId().equals("tip")).findFirst().orElseThrow();
            assertThat(tip.trials()).isZero(); // the learner's totals have not come back in this harness
            assertThat(tip.propensity()).isEqualTo(0.1);
            assertThat(tip.value()).isEqualTo(30.0);
            assertThat(tip.cost()).isEqualTo(0.1);
            assertThat(tip.expectedNetValue()).isCloseTo(2.9, org.assertj.core.data.Offset.offset(1e-9));
            ActionCandidate loyal = d.candidates().stream().filter(c -> c.actionId().equals("loyal-only")).findFirst()
                    .orElseThrow();
            assertThat(loyal.eligible()).isFalse();
            assertThat(loyal.ineligibleBecause()).isEqualTo("lifecycle is prospect, needs one of [loyal]");
            assertThat(loyal.contact()).isEqualTo("not_checked");
            assertThat(d.reasons()).last().asString().startsWith("act: tip, the highest expected net value (2.900)");
            assertThat(learning(h)).extracting(ActionLearning::toString)
                    .containsExactly("ActionLearning[tip in lifecycle:prospect: 0 of 1]");
            h.h.getSideOutput(CustomerStage.ACTION_LEARNING).clear();

            // an order within the response window: both waiting decisions succeeded, once each
            send(h, order("C-1", 60, "SKU-1"));
            assertThat(learning(h)).extracting(ActionLearning::toString).containsExactly(
                    "ActionLearning[tip in lifecycle:prospect: 1 of 0]", "ActionLearning[tip in lifecycle:prospect: 1 of 0]");
            assertThat(h.stateOf("C-1").actions.pendingIds).isEmpty();
            // before the order, the basket's reminder fell due (minute 31) and went out as the mandatory action; with
            // the two tips that is the cap (3), so the order's own decision takes nothing
            List<NextBestAction> all = decisions(h);
            assertThat(all).extracting(NextBestAction::cause).containsExactly(DecisionCause.EVENT,
                    DecisionCause.BASKET_TRIGGER, DecisionCause.EVENT);
            assertThat(all.get(1).actionId()).isEqualTo("abandoned-basket");
            assertThat(all.get(2).nothingReason()).isEqualTo(NothingReason.CONTACT_RULES);
            assertThat(h.stateOf("C-1").contact.times).as("each act is a contact").containsExactly(at(0), at(1), at(31));
        }
    }

    @Test
    void anAcceptanceIsASuccessOfItsDecisionOnceAndOnlyWithinTheWindow() throws Exception {
        try (var h = StageHarness.of(config("greedy"))) {
            catalog(h, action("tip", "discretionary", 1, "\"value\":{\"fixed\":30}"));
            send(h, consent("C-1", ContactChannel.EMAIL, true, 0));
            String decision = single(decisions(h)).decisionId();
            h.h.getSideOutput(CustomerStage.ACTION_LEARNING).clear();
            Feedback accepted = new Feedback(id(), FeedbackType.ACTION_ACCEPTED, "C-1", null, ts(5), null, null, null, null,
                    null, decision);
            h.processElement(CustomerInput.fromFeedback(accepted), at(5));
            assertThat(learning(h)).extracting(ActionLearning::toString)
                    .containsExactly("ActionLearning[tip in lifecycle:prospect: 1 of 0]");
            h.processElement(CustomerInput.fromFeedback(new Feedback(id(), FeedbackType.ACTION_ACCEPTED, "C-1", null, ts(6),
                    null, null, null, null, null, decision)), at(6));
            assertThat(learning(h)).as("answered already").hasSize(1);
            assertThat(decisions(h)).as("an acceptance decides nothing").hasSize(1);
        }
    }

    @Test
    void aProposalMakesItsMandatoryActionEligiblePastTheCapAndIsUsedUp() throws Exception {
        try (var h = StageHarness.of(config("greedy"))) {
            catalog(h, action("callback", "mandatory", 900,
                    "\"value\":{\"fixed\":35},\"requiresProposal\":true,\"passCaps\":true"),
                    action("tip", "discretionary", 1, "\"value\":{\"fixed\":30}"));
            send(h, consent("C-1", ContactChannel.EMAIL, true, 0));
            CustomerState s = h.stateOf("C-1");
            assertThat(single(decisions(h)).actionId()).isEqualTo("tip");
            // two more relevant events: the tip again, then the total cap (3 per 7 days) holds everything back
            send(h, cart("C-1", "SKU-1", 1, 10.0, 1));
            send(h, cart("C-1", "SKU-2", 1, 10.0, 2));
            send(h, cart("C-1", "SKU-3", 1, 10.0, 3));
            NextBestAction capped = decisions(h).get(3);
            assertThat(capped.outcome()).isEqualTo(ActionOutcome.NOTHING);
            assertThat(capped.nothingReason()).isEqualTo(NothingReason.CONTACT_RULES);
            assertThat(capped.candidates()).filteredOn(c -> c.actionId().equals("tip")).extracting(ActionCandidate::contact)
                    .containsExactly("cap_total");
            assertThat(capped.candidates()).filteredOn(c -> c.actionId().equals("callback"))
                    .extracting(ActionCandidate::ineligibleBecause).containsExactly("needs a proposal, none is open");

            ActionProposal p = new ActionProposal("P-1", "C-1", "callback", "service-desk", ts(4), ts(4).plusSeconds(3600),
                    50.0, "late delivery");
            h.processElement(CustomerInput.of(p), at(4));
            NextBestAction d = decisions(h).get(4);
            assertThat(d.cause()).isEqualTo(DecisionCause.PROPOSAL);
            assertThat(d.eventId()).isEqualTo("P-1");
            assertThat(d.outcome()).isEqualTo(ActionOutcome.ACT);
            assertThat(d.actionId()).isEqualTo("callback");
            assertThat(d.kind()).isEqualTo(ActionKind.MANDATORY);
            assertThat(d.candidates()).filteredOn(c -> c.actionId().equals("callback")).extracting(ActionCandidate::value)
                    .containsExactly(50.0);
            assertThat(learning(h)).as("three tips; mandatory actions teach no propensity").hasSize(3);
            assertThat(h.stateOf("C-1").actions.proposalIds).as("used up").isEmpty();
            h.processElement(CustomerInput.of(p), at(5));
            assertThat(decisions(h)).as("a repeated proposal is a duplicate").hasSize(5);
        }
    }

    /** The onboarding track of docs/decisioning.md, with UCB (an untried voucher looks worth its 5.05, not its 10.05). */
    @Test
    void theOnboardingTrackOfTheDocsRunsOverItsTimers() throws Exception {
        try (var h = StageHarness.of(config("ucb"))) {
            catalog(h, docActions().toArray(new String[0]));
            send(h, consent("C-1", ContactChannel.EMAIL, true, 0));
            NextBestAction welcome = single(decisions(h));
            assertThat(welcome.actionId()).isEqualTo("onboarding-welcome");
            assertThat(welcome.kind()).isEqualTo(ActionKind.MANDATORY);
            assertThat(h.stateOf("C-1").actions.timerAt).isEqualTo(at(0) + 3 * DAY);

            h.processWatermark(at(0) + 3 * DAY - 1);
            assertThat(decisions(h)).hasSize(1);
            h.processWatermark(at(0) + 3 * DAY);
            NextBestAction voucher = decisions(h).get(1);
            assertThat(voucher.cause()).isEqualTo(DecisionCause.TRACK);
            assertThat(voucher.decidedAt()).isEqualTo(Instant.ofEpochMilli(at(0) + 3 * DAY));
            assertThat(voucher.actionId()).isEqualTo("onboarding-first-order-5");
            assertThat(voucher.candidates()).filteredOn(c -> c.actionId().equals("onboarding-last-call-10"))
                    .extracting(ActionCandidate::ineligibleBecause)
                    .containsExactly("track onboarding: follows onboarding-first-order-5, the customer is at onboarding-welcome");
            assertThat(h.stateOf("C-1").actions.timerAt).isEqualTo(at(0) + 10 * DAY);

            h.processWatermark(at(0) + 10 * DAY);
            NextBestAction last = decisions(h).get(2);
            assertThat(last.cause()).isEqualTo(DecisionCause.TRACK);
            assertThat(last.outcome()).isEqualTo(ActionOutcome.NOTHING);
            assertThat(last.nothingReason()).isEqualTo(NothingReason.BELOW_COST);
            assertThat(last.runnerUp()).isEqualTo("onboarding-last-call-10");
            assertThat(h.stateOf("C-1").actions.timerAt).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void anErasureTakesTheTracksDecisionTimerWithTheState() throws Exception {
        try (var h = StageHarness.of(config("ucb"))) {
            catalog(h, docActions().toArray(new String[0]));
            send(h, consent("C-1", ContactChannel.EMAIL, true, 0));
            assertThat(h.stateOf("C-1").actions.timerAt).isEqualTo(at(0) + 3 * DAY);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            send(h, customer("C-1", CustomerEventType.ERASE, 1));
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).as("a key's timer is state, too").isZero();
            h.processWatermark(at(0) + 3 * DAY);
            assertThat(decisions(h)).as("no track step for the erased customer").hasSize(1);
        }
    }

    @Test
    void anOrderEndsTheTrack() throws Exception {
        try (var h = StageHarness.of(config("ucb"))) {
            catalog(h, docActions().toArray(new String[0]));
            send(h, consent("C-1", ContactChannel.EMAIL, true, 0));
            send(h, order("C-1", 60, "SKU-1"));
            h.processWatermark(at(0) + 3 * DAY);
            NextBestAction due = decisions(h).get(2);
            assertThat(due.cause()).isEqualTo(DecisionCause.TRACK);
            assertThat(due.outcome()).isEqualTo(ActionOutcome.NOTHING);
            assertThat(due.candidates()).filteredOn(c -> c.actionId().equals("onboarding-first-order-5"))
                    .extracting(ActionCandidate::ineligibleBecause).containsExactly("orders is 1, needs at most 0");
        }
    }

    @Test
    void aSentBasketTriggerIsTheDecisionsMandatoryActionAndTheTipItsRunnerUp() throws Exception {
        try (var h = StageHarness.of(config("greedy"))) {
            h.catalog("SKU-1");
            catalog(h, action("tip", "discretionary", 1, "\"value\":{\"fixed\":30},\"cooldown\":\"P1D\""));
            send(h, consent("C-1", ContactChannel.PUSH, true, 0));
            send(h, cart("C-1", "SKU-1", 2, 12.5, 1));
            h.processWatermark(at(1) + 30 * 60_000L);
            List<NextBestAction> all = decisions(h);
            NextBestAction d = all.get(all.size() - 1);
            String triggerId = BasketTriggers.triggerId("C-1", at(1));
            assertThat(d.cause()).isEqualTo(DecisionCause.BASKET_TRIGGER);
            assertThat(d.outcome()).isEqualTo(ActionOutcome.ACT);
            assertThat(d.actionId()).isEqualTo("abandoned-basket");
            assertThat(d.kind()).isEqualTo(ActionKind.MANDATORY);
            assertThat(d.triggerId()).isEqualTo(triggerId);
            assertThat(d.channel()).isEqualTo(ContactChannel.PUSH);
            assertThat(d.runnerUp()).as("taken a minute ago: in its cooldown").isNull();
            assertThat(h.triggers()).extracting(t -> t.triggerId()).containsExactly(triggerId);
            assertThat(d.candidates()).filteredOn(c -> c.actionId().equals("tip")).extracting(ActionCandidate::contact)
                    .containsExactly("cooldown");
        }
    }

    @Test
    void theControlGroupOfAnExperimentOnTheDecisioningGetsNoDiscretionaryAction() throws Exception {
        String rule = "{\"ruleId\":\"exp-nba\",\"kind\":\"experiment\",\"enabled\":true,"
                + "\"validFrom\":\"2026-01-01T00:00:00Z\",\"validTo\":\"2027-01-01T00:00:00Z\",\"definition\":{"
                + "\"placements\":[\"next-best-action\"],\"control\":{\"share\":0.5,\"strategy\":\"none\"},"
                + "\"variants\":[{\"name\":\"ucb\",\"weight\":1,\"settings\":{\"actions.strategy\":\"ucb\"}}]},"
                + "\"updatedAt\":\"2026-01-01T00:00:00Z\"}";
        try (var h = StageHarness.of(config("greedy"))) {
            h.replica(ReplicaUpdate.of(new RuleUpdate("exp-nba", rule)));
            catalog(h, action("tip", "discretionary", 1, "\"value\":{\"fixed\":30}"),
                    action("notice", "mandatory", 1, "\"value\":{\"fixed\":0},\"eligibility\":{\"segments\":[\"vip\"]}"));
            List<String> outcomes = new ArrayList<>();
            for (int c = 0; c < 40; c++) {
                send(h, consent("C-" + c, ContactChannel.EMAIL, true, 0));
            }
            for (NextBestAction d : decisions(h)) {
                assertThat(d.experimentId()).isEqualTo("exp-nba");
                if (d.variant().equals("control")) {
                    assertThat(d.strategy()).isEqualTo("none");
                    assertThat(d.nothingReason()).isEqualTo(NothingReason.CONTROL_GROUP);
                } else {
                    assertThat(d.variant()).isEqualTo("ucb");
                    assertThat(d.strategy()).isEqualTo("ucb");
                    assertThat(d.actionId()).isEqualTo("tip");
                }
                outcomes.add(d.variant());
            }
            assertThat(outcomes).hasSize(40).contains("control", "ucb");
            // each decision is an exposure for attribution (experiment-metrics): a "list" of no items, numbered below
            // zero, on the decisioning's placement, in the arm of the decision
            List<io.nextbest.job.experiment.AttributionInput> exposures = h.values(CustomerStage.ATTRIBUTION);
            assertThat(exposures).hasSize(40).allSatisfy(x -> {
                assertThat(x.list.experimentId).isEqualTo("exp-nba");
                assertThat(x.list.placement).isEqualTo("next-best-action");
                assertThat(x.list.items).isEmpty();
                assertThat(x.list.sequence).isEqualTo(-1);
            });
            assertThat(exposures).extracting(x -> x.list.variant).containsExactlyElementsOf(outcomes);
        }
    }

    @Test
    void aRestoreKeepsTheCatalogTheCustomersMemoryAndTheTrackTimerOnRocksDb() throws Exception {
        OperatorSubtaskState snapshot;
        NextbestConfig config = config("ucb");
        try (var h = StageHarness.onRocksDb(config)) {
            assertThat(h.h.getOperator().getKeyedStateBackend()).as("state serialized on every write")
                    .isInstanceOf(org.apache.flink.state.rocksdb.RocksDBKeyedStateBackend.class);
            catalog(h, docActions().toArray(new String[0]));
            send(h, consent("C-1", ContactChannel.EMAIL, true, 0));
            assertThat(single(decisions(h)).actionId()).isEqualTo("onboarding-welcome");
            snapshot = h.snapshot(1);
        }
        try (var h = StageHarness.restoredOnRocksDb(config, snapshot)) {
            assertThat(h.h.getOperator().getKeyedStateBackend())
                    .isInstanceOf(org.apache.flink.state.rocksdb.RocksDBKeyedStateBackend.class);
            assertThat(h.stateOf("C-1").actions.trackSteps).containsExactly("onboarding-welcome");
            h.processWatermark(at(0) + 3 * DAY);
            NextBestAction voucher = single(decisions(h));
            assertThat(voucher.actionId()).as("catalog from broadcast state, timer and track from keyed state")
                    .isEqualTo("onboarding-first-order-5");
            assertThat(voucher.decisionId()).as("the second decision of C-1")
                    .isEqualTo(io.nextbest.job.action.Decisioning.decisionId("C-1", at(0) + 3 * DAY, 2));
        }
    }

    /**
     * Both deferrals end with the quiet hours, on one timer instant: a mandatory welcome deferred at 22:00 and the
     * basket abandoned at 22:05, deferred at 22:35. At 08:00 both go out — neither's timer handling deletes the
     * other's.
     */
    @Test
    void aDeferredActionAndADeferredBasketTriggerOnTheSameInstantBothGoOut() throws Exception {
        try (var h = StageHarness.of(config("greedy"))) {
            h.catalog("SKU-1");
            catalog(h, action("welcome", "mandatory", 600, "\"value\":{\"fixed\":0},\"cooldown\":\"P30D\""));
            long night = Instant.parse("2026-03-03T22:00:00Z").toEpochMilli();
            long morning = Instant.parse("2026-03-04T08:00:00Z").toEpochMilli();
            h.processElement(CustomerInput.of(new io.nextbest.schemas.messages.CustomerEvent(id(),
                    io.nextbest.schemas.messages.CustomerEventType.CONSENT, "C-1", Instant.ofEpochMilli(night), null,
                    ContactChannel.EMAIL, true, null)), night);
            NextBestAction deferred = single(decisions(h));
            assertThat(deferred.outcome()).isEqualTo(ActionOutcome.DEFER);
            assertThat(deferred.deferredUntil()).isEqualTo(Instant.ofEpochMilli(morning));
            h.processElement(CustomerInput.of(new io.nextbest.schemas.messages.Interaction(id(),
                    io.nextbest.schemas.messages.InteractionType.ADD_TO_CART, "C-1", null, "SKU-1", null,
                    Instant.ofEpochMilli(night + 5 * 60_000), io.nextbest.schemas.messages.Channel.WEB, null, 1, 30.0)),
                    night + 5 * 60_000);
            h.processWatermark(night + 35 * 60_000);
            assertThat(decisions(h)).extracting(NextBestAction::actionId).contains("abandoned-basket");
            assertThat(decisions(h).get(decisions(h).size() - 1).outcome()).isEqualTo(ActionOutcome.DEFER);
            h.processWatermark(morning);
            List<NextBestAction> atMorning = decisions(h).stream()
                    .filter(d -> d.decidedAt().equals(Instant.ofEpochMilli(morning))).toList();
            assertThat(atMorning).extracting(d -> d.actionId() + " " + d.outcome().wire() + " " + d.cause().wire())
                    .containsExactly("abandoned-basket act basket_trigger", "welcome act timer");
            assertThat(h.triggers()).hasSize(1);
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    /**
     * A track step due before an event that arrives ahead of the watermark (a replay, a backlog) is decided as of its
     * time first, as the live run's timer would have: the voucher goes out, then the order is applied.
     */
    @Test
    void aDecisionTimerDueBeforeAnEventIsDecidedFirstAsTheLiveRunWould() throws Exception {
        try (var h = StageHarness.of(config("ucb"))) {
            catalog(h, docActions().toArray(new String[0]));
            send(h, consent("C-1", ContactChannel.EMAIL, true, 0));
            assertThat(single(decisions(h)).actionId()).isEqualTo("onboarding-welcome");
            // no watermark: the order (5 minutes after the step is due) comes first
            send(h, order("C-1", (int) (3 * DAY / 60_000) + 5, "SKU-1"));
            List<NextBestAction> all = decisions(h);
            assertThat(all).extracting(d -> d.cause().wire() + " " + d.outcome().wire() + " " + d.actionId())
                    .containsExactly("event act onboarding-welcome", "track act onboarding-first-order-5",
                            "event nothing null");
            assertThat(all.get(1).decidedAt()).isEqualTo(Instant.ofEpochMilli(at(0) + 3 * DAY));
            h.processWatermark(at(0) + 4 * DAY);
            assertThat(decisions(h)).as("the timer does not decide a second time").hasSize(3);
        }
    }

    /** The action documents of docs/decisioning.md's track example. */
    static List<String> docActions() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "decisioning.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            if (m.group(1).contains("\"trackId\": \"onboarding\"")) {
                out.add(m.group(1));
            }
        }
        assertThat(out).hasSize(3);
        return out;
    }
}
