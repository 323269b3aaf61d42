package io.nextbest.job.action;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.customer.ContactPolicy;
import io.nextbest.job.customer.CustomerState;
import io.nextbest.schemas.messages.ActionKind;
import io.nextbest.schemas.messages.ActionOutcome;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.LifecycleStage;
import io.nextbest.schemas.messages.NothingReason;
import io.nextbest.schemas.messages.ValueTier;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The arbitration's properties over 20,000 random customers, catalogs, propensities and strategies, each checked
 * against an independent reading of the rules (its own consent, cap, quiet-hours and cooldown checks, not the
 * arbiter's): no decision violates consent, opt-out, caps or quiet hours; an eligible mandatory action the rules allow
 * (or defer) is never displaced by a discretionary one, and the first such by priority is the one taken; "nothing"
 * comes exactly when no candidate's expected value beats its cost (or the customer is in the control group, or
 * nothing is eligible and allowed).
 */
class ArbiterPropertyTest {
    private static final long DAY = 86_400_000L;
    private static final int CAP = 3;
    private static final long CAP_WINDOW = 7 * DAY;
    /** 21:00–08:00 UTC. */
    private static final int[] QUIET = {21 * 60, 8 * 60};
    private static final ContactPolicy POLICY = new ContactPolicy(List.of(ContactChannel.EMAIL), 0, 1, DAY, CAP,
            CAP_WINDOW, QUIET, "UTC", 0);
    private static final List<io.nextbest.job.config.Settings.ActionStrategy> STRATEGIES = List.of(io.nextbest.job.config.Settings.ActionStrategy.values());

    @Test
    void noDecisionBreaksTheContactRulesMandatoryComesFirstAndNothingMeansNothingPays() {
        int acted = 0;
        int deferred = 0;
        int nothing = 0;
        int mandatoryTaken = 0;
        int belowCost = 0;
        for (int run = 0; run < 20_000; run++) {
            long seed = 1_000_003L * run + 17;
            Random r = new Random(seed);
            Case c = randomCase(r);
            Arbiter arbiter = new Arbiter(c.propensities, new Arbiter.Prior(1, 9, 0.95));
            Arbiter.Decision d = arbiter.decide(new Arbiter.Input(c.actions, c.facts, c.state.actions,
                    POLICY.rulesFor(c.state), "lifecycle:new", c.strategy, r.nextLong(), null));
            String where = "case " + run + " (seed " + seed + "): " + d.reasons();

            // 1. contact rules, checked independently
            if (d.outcome() == ActionOutcome.ACT) {
                ActionDef a = d.chosen().action();
                assertThat(c.state.contact.optedOut).as(where).isFalse();
                assertThat(a.channels()).as(where).contains(d.chosen().channel());
                assertThat(consents(c.state, d.chosen().channel())).as(where).isTrue();
                if (!(a.mandatory() && a.passCaps())) {
                    assertThat(contactsInWindow(c.state, c.facts.now())).as(where).isLessThan(CAP);
                }
                if (d.chosen().channel() != ContactChannel.WEB) {
                    assertThat(quiet(c.facts.now())).as(where).isFalse();
                }
                long last = ActionMemory.lastActed(c.state.actions, a.actionId());
                assertThat(a.cooldownMs() == 0 || last == 0 || c.facts.now() - last >= a.cooldownMs()).as(where).isTrue();
                assertThat(a.eligibility().failure(c.facts)).as(where).isNull();
                acted++;
            }

            // 2. mandatory first: the first eligible mandatory action the rules allow or defer, by priority
            List<ActionDef> mandatory = c.actions.stream()
                    .filter(a -> a.mandatory() && eligible(a, c) && contact(a, c) != Contact.REFUSED)
                    .sorted(Comparator.comparingInt(ActionDef::priority).reversed().thenComparing(ActionDef::actionId))
                    .toList();
            if (!mandatory.isEmpty()) {
                ActionDef first = mandatory.get(0);
                assertThat(d.chosen()).as(where).isNotNull();
                assertThat(d.chosen().actionId()).as(where).isEqualTo(first.actionId());
                assertThat(d.outcome()).as(where)
                        .isEqualTo(contact(first, c) == Contact.QUIET ? ActionOutcome.DEFER : ActionOutcome.ACT);
                mandatoryTaken++;
                if (d.outcome() == ActionOutcome.DEFER) {
                    deferred++;
                }
                continue;
            }
            assertThat(d.outcome()).as(where).isNotEqualTo(ActionOutcome.DEFER);
            if (d.chosen() != null && d.outcome() == ActionOutcome.ACT) {
                assertThat(d.chosen().kind()).as(where).isEqualTo(ActionKind.DISCRETIONARY);
            }

            // 3. nothing exactly when no candidate's expected value beats its cost
            List<Arbiter.Candidate> pool = d.candidates().stream()
                    .filter(x -> x.kind() == ActionKind.DISCRETIONARY && x.eligible() && x.contact() == null).toList();
            List<String> expectedPool = c.actions.stream()
                    .filter(a -> !a.mandatory() && eligible(a, c) && contact(a, c) == Contact.OK).map(ActionDef::actionId)
                    .sorted().toList();
            assertThat(pool.stream().map(Arbiter.Candidate::actionId).sorted().toList()).as(where).isEqualTo(expectedPool);
            double best = pool.stream().mapToDouble(Arbiter.Candidate::expectedNetValue).max().orElse(Double.NEGATIVE_INFINITY);
            boolean valueStrategy = c.strategy == io.nextbest.job.config.Settings.ActionStrategy.THOMPSON || c.strategy == io.nextbest.job.config.Settings.ActionStrategy.UCB
                    || c.strategy == io.nextbest.job.config.Settings.ActionStrategy.GREEDY;
            boolean expectNothing = c.strategy == io.nextbest.job.config.Settings.ActionStrategy.NONE || pool.isEmpty() || (valueStrategy && best <= 0);
            assertThat(d.outcome() == ActionOutcome.NOTHING).as(where).isEqualTo(expectNothing);
            if (expectNothing) {
                nothing++;
                assertThat(d.chosen() == null || d.outcome() == ActionOutcome.NOTHING).as(where).isTrue();
                NothingReason why = c.strategy == io.nextbest.job.config.Settings.ActionStrategy.NONE ? NothingReason.CONTROL_GROUP
                        : !pool.isEmpty() ? NothingReason.BELOW_COST : null;
                if (why != null) {
                    assertThat(d.nothing()).as(where).isEqualTo(why);
                } else {
                    assertThat(d.nothing()).as(where).isIn(NothingReason.NO_ELIGIBLE_ACTION, NothingReason.CONTACT_RULES);
                }
                if (why == NothingReason.BELOW_COST) {
                    belowCost++;
                }
            } else if (valueStrategy) {
                assertThat(d.chosen().expectedNetValue()).as(where).isEqualTo(best).isGreaterThan(0);
            }
            assertThat(d.reasons()).as(where).hasSizeLessThanOrEqualTo(Arbiter.MAX_REASONS).last().asString()
                    .startsWith(d.outcome().wire() + ": ");
        }
        // the random cases reach every branch often enough to mean something
        assertThat(acted).isGreaterThan(2_000);
        assertThat(deferred).isGreaterThan(200);
        assertThat(mandatoryTaken).isGreaterThan(1_000);
        assertThat(nothing).isGreaterThan(2_000);
        assertThat(belowCost).isGreaterThan(200);
    }

    private record Case(List<ActionDef> actions, Facts facts, CustomerState state, Arbiter.Propensities propensities,
            io.nextbest.job.config.Settings.ActionStrategy strategy) {}

    private static Case randomCase(Random r) {
        long now = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli() + (long) (r.nextDouble() * 200 * DAY);
        CustomerState s = new CustomerState();
        s.contact.known = true;
        s.contact.consentFlags = r.nextInt(16);
        s.contact.optedOut = r.nextInt(10) == 0;
        int contacts = r.nextInt(5);
        s.contact.times = new long[contacts];
        s.contact.types = new byte[contacts];
        for (int i = 0; i < contacts; i++) {
            s.contact.times[i] = now - (long) (r.nextDouble() * 10 * DAY);
            s.contact.types[i] = (byte) (r.nextBoolean() ? 0 : ContactPolicy.ACTION_CONTACT);
        }
        java.util.Arrays.sort(s.contact.times);
        LifecycleStage stage = LifecycleStage.values()[r.nextInt(LifecycleStage.values().length)];
        Facts f = new Facts(new String[] {"lifecycle:" + stage.wire(), "known"}, stage, ValueTier.LOW, r.nextInt(5),
                r.nextDouble() * 500, 0, r.nextDouble() * 200, 0, r.nextInt(4), s.contact.consentFlags,
                s.contact.optedOut, true, new String[0], now);
        int n = 1 + r.nextInt(6);
        List<ActionDef> actions = new ArrayList<>();
        List<String> acted = new ArrayList<>();
        List<Long> actedAt = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean mandatory = r.nextInt(3) == 0;
            List<ContactChannel> channels = new ArrayList<>(List.of(ContactChannel.values()));
            java.util.Collections.shuffle(channels, r);
            channels = channels.subList(0, 1 + r.nextInt(channels.size()));
            Condition eligibility = r.nextInt(3) == 0
                    ? new Condition.OneOf("lifecycle", List.of(LifecycleStage.values()[r.nextInt(4)].wire()), x -> x.lifecycle().wire())
                    : Condition.ALWAYS;
            long cooldown = r.nextInt(4) == 0 ? DAY : 0;
            String id = "a" + i;
            if (r.nextInt(4) == 0) {
                acted.add(id);
                actedAt.add(now - (long) (r.nextDouble() * 2 * DAY));
            }
            actions.add(new ActionDef(id, mandatory ? ActionKind.MANDATORY : ActionKind.DISCRETIONARY, r.nextInt(8) != 0,
                    null, List.copyOf(channels), r.nextInt(4), Long.MIN_VALUE, r.nextInt(10) == 0 ? now : Long.MAX_VALUE,
                    null, eligibility, new ActionDef.Value(r.nextDouble() * 40, 0, 0),
                    new ActionDef.Cost(r.nextDouble() * 6, 0, 0), false, mandatory && r.nextBoolean(), cooldown, null));
        }
        s.actions.actedIds = acted.toArray(new String[0]);
        s.actions.actedAt = actedAt.stream().mapToLong(Long::longValue).toArray();
        long[][] counts = new long[n][];
        for (int i = 0; i < n; i++) {
            long trials = r.nextInt(3) == 0 ? 0 : r.nextInt(500);
            counts[i] = new long[] {trials, trials == 0 ? 0 : r.nextInt((int) trials + 1)};
        }
        Arbiter.Propensities p = (action, segment) -> counts[Integer.parseInt(action.substring(1))];
        return new Case(actions, f, s, p, STRATEGIES.get(r.nextInt(STRATEGIES.size())));
    }

    private enum Contact { OK, QUIET, REFUSED }

    /** Enabled, valid now, and meeting its condition (no segments, proposals or tracks in these cases). */
    private static boolean eligible(ActionDef a, Case c) {
        return a.enabled() && c.facts.now() >= a.validFrom() && c.facts.now() < a.validTo()
                && a.eligibility().failure(c.facts) == null;
    }

    /** The contact rules as docs/decisioning.md states them, read independently of the arbiter. */
    private static Contact contact(ActionDef a, Case c) {
        long now = c.facts.now();
        long last = ActionMemory.lastActed(c.state.actions, a.actionId());
        if (a.cooldownMs() > 0 && last > 0 && now - last < a.cooldownMs()) {
            return Contact.REFUSED;
        }
        if (c.state.contact.optedOut) {
            return Contact.REFUSED;
        }
        ContactChannel channel = a.channels().stream().filter(ch -> consents(c.state, ch)).findFirst().orElse(null);
        if (channel == null) {
            return Contact.REFUSED;
        }
        if (!(a.mandatory() && a.passCaps()) && contactsInWindow(c.state, now) >= CAP) {
            return Contact.REFUSED;
        }
        return channel != ContactChannel.WEB && quiet(now) ? Contact.QUIET : Contact.OK;
    }

    private static boolean consents(CustomerState s, ContactChannel ch) {
        return (s.contact.consentFlags & (1 << ch.ordinal())) != 0;
    }

    private static int contactsInWindow(CustomerState s, long now) {
        int n = 0;
        for (long t : s.contact.times) {
            if (t > now - CAP_WINDOW && t <= now) {
                n++;
            }
        }
        return n;
    }

    private static boolean quiet(long now) {
        int hour = Instant.ofEpochMilli(now).atOffset(ZoneOffset.UTC).getHour();
        return hour >= 21 || hour < 8;
    }
}
