package io.nextbest.job.action;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.messages.ActionLearning;
import io.nextbest.job.messages.CustomerInput;
import io.nextbest.job.rules.ExperimentRule;
import io.nextbest.job.rules.RuleBook;
import io.nextbest.schemas.messages.ActionCandidate;
import io.nextbest.schemas.messages.ActionOutcome;
import io.nextbest.schemas.messages.DecisionCause;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.NextBestAction;
import io.nextbest.schemas.messages.TransactionType;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The customer stage's next-best-action part, without Flink: when to decide, which strategy applies (an experiment
 * on the decisioning's placement may set it per arm), the {@link Arbiter}'s decision, what it changes in the
 * customer's state (the action taken, its contact, the track step, the proposal used, the decision that waits for a
 * response), the learning it teaches the propensities, and the {@code next-best-actions} record. Responses
 * (acceptances, orders) are turned into successes here too. docs/decisioning.md.
 */
public final class Decisioning implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The decision's result: the record, the propensity increments, the decision timer to set (0: none). */
    public record Outcome(NextBestAction record, Arbiter.Decision decision, List<ActionLearning> learning, long timerAt) {}

    private final io.nextbest.job.config.Settings.ActionStrategy strategy;
    private final Arbiter.Prior prior;
    private final double contactCost;
    private final long responseWindowMs;
    private final int maxPerCustomer;
    private final boolean decideOnViews;
    private final String placement;
    private final Settings.PropensitySegment propensitySegment;

    public Decisioning(NextbestConfig c) {
        this.strategy = c.get(Settings.ACTIONS_STRATEGY);
        this.prior = new Arbiter.Prior(c.get(Settings.ACTIONS_PRIOR_SUCCESSES), c.get(Settings.ACTIONS_PRIOR_FAILURES),
                c.get(Settings.ACTIONS_UCB_QUANTILE));
        this.contactCost = c.get(Settings.ACTIONS_CONTACT_COST);
        this.responseWindowMs = c.get(Settings.ACTIONS_RESPONSE_WINDOW).toMillis();
        this.maxPerCustomer = c.get(Settings.ACTIONS_MAX_PER_CUSTOMER);
        this.decideOnViews = c.get(Settings.ACTIONS_DECIDE_ON_VIEWS);
        this.placement = c.get(Settings.ACTIONS_PLACEMENT);
        this.propensitySegment = c.get(Settings.ACTIONS_PROPENSITY_SEGMENT);
    }

    /** The placement an experiment on the decisioning covers ({@code actions.placement}). */
    public String placement() {
        return placement;
    }

    /** The contact cost of actions whose cost names none. */
    public double contactCost() {
        return contactCost;
    }

    /**
     * Whether an event asks for a decision: orders and other transactions, customer events (consent, opt-out,
     * identify; not an erasure), basket changes, proposals; views and other interactions only with {@code
     * actions.decide-on-views}. Replayed session events never do.
     */
    public boolean relevant(CustomerInput in) {
        if (in.merged || in.retireSession != null || (in.feedback != null)) {
            return false;
        }
        if (in.proposal != null || in.transaction != null || in.customer != null) {
            return true;
        }
        InteractionType t = in.interaction.type();
        return decideOnViews || t == InteractionType.ADD_TO_CART || t == InteractionType.REMOVE_FROM_CART;
    }

    /** The segment propensities are learned in for this customer. */
    public String segment(Facts f) {
        return switch (propensitySegment) {
            case LIFECYCLE -> "lifecycle:" + f.lifecycle().wire();
            case TIER -> "tier:" + f.tier().wire();
            case NONE -> "all";
        };
    }

    /** The strategy for this customer: the arm's, when an experiment covers the decisioning's placement. */
    public record Assignment(io.nextbest.job.config.Settings.ActionStrategy strategy, String experimentId, String variant) {}

    public Assignment assignment(RuleBook rules, String assignmentKey, Facts f) {
        ExperimentRule x = rules.experiment(placement, f.now(), f.segments());
        if (x == null) {
            return new Assignment(strategy, null, null);
        }
        ExperimentRule.Arm arm = x.assign(assignmentKey);
        io.nextbest.job.config.Settings.ActionStrategy s = strategy;
        if (arm.strategy() == ExperimentRule.Strategy.NONE) {
            s = io.nextbest.job.config.Settings.ActionStrategy.NONE;
        } else if (arm.settings().containsKey(Settings.ACTIONS_STRATEGY.key())) {
            // the arm's value was checked when the rule was parsed; the option's own parser, no configuration built
            s = Settings.ACTIONS_STRATEGY.parse(arm.settings().get(Settings.ACTIONS_STRATEGY.key()));
        }
        return new Assignment(s, x.ruleId(), arm.name());
    }

    /**
     * Decides for customer {@code customerId} now ({@code f.now()}) and applies the decision to {@code s}. {@code
     * external}: the abandoned-basket trigger as a mandatory candidate, with its own contact decision already made
     * (its contact is recorded by the trigger); {@code triggerId} names it.
     */
    public Outcome decide(String customerId, String assignmentKey, ActionState a, Facts f, List<ActionDef> catalog,
            RuleBook rules, Arbiter.Propensities propensities, ContactRules contact, DecisionCause cause, String eventId,
            Arbiter.Candidate external, String triggerId) {
        ActionMemory.dropExpired(a, f.now());
        Assignment assignment = assignment(rules, assignmentKey != null ? assignmentKey : customerId, f);
        String segment = segment(f);
        long seed = seed(customerId, a.decisions);
        Arbiter.Decision d = new Arbiter(propensities, prior).decide(
                new Arbiter.Input(catalog, f, a, contact, segment, assignment.strategy(), seed, external));
        a.decisions++;
        String decisionId = decisionId(customerId, f.now(), a.decisions);
        List<ActionLearning> learning = new ArrayList<>();
        Arbiter.Candidate chosen = d.chosen();
        if (d.outcome() == ActionOutcome.ACT && chosen.action() != null) {
            new ActionMemory(maxPerCustomer).acted(a, chosen.action(), decisionId, segment, f.now());
            contact.record(f.now());
            if (!chosen.mandatory()) {
                learning.add(new ActionLearning(chosen.actionId(), segment, 1, 0));
            }
        }
        long timer = decisionTimer(a, d, catalog, f.now());
        a.timerAt = timer;
        return new Outcome(record(decisionId, customerId, f.now(), cause, eventId, d, assignment, triggerId), d, learning,
                timer);
    }

    /** What a decision timer at {@code at} was for: a track step that became due, else a deferred action. */
    public static DecisionCause timerCause(ActionState a, List<ActionDef> catalog, long at) {
        for (ActionDef d : catalog) {
            if (d.track() != null && d.track().after() != null) {
                int t = ActionMemory.track(a, d.track().trackId());
                if (t >= 0 && a.trackSteps[t].equals(d.track().after()) && a.trackAt[t] + d.track().waitMs() == at) {
                    return DecisionCause.TRACK;
                }
            }
        }
        return DecisionCause.TIMER;
    }

    /**
     * When to decide again without an event: the earliest of a deferred catalog action's time (a deferred basket
     * trigger re-fires on its own timer), the next track step's, the end of the quiet hours that held back an
     * eligible track step, and a decision timer still pending; 0 for none.
     */
    static long decisionTimer(ActionState a, Arbiter.Decision d, List<ActionDef> catalog, long now) {
        long next = earliest(nextTrackStep(a, catalog, now), a.timerAt > now ? a.timerAt : 0);
        if (d.outcome() == ActionOutcome.DEFER && d.chosen().action() != null) {
            next = earliest(next, d.deferredUntil());
        }
        for (Arbiter.Candidate c : d.candidates()) {
            if (c.action() != null && c.action().track() != null && c.eligible() && "quiet_hours".equals(c.contact())) {
                next = earliest(next, c.quietEnd());
            }
        }
        return next;
    }

    private static long earliest(long x, long y) {
        return x == 0 ? y : y == 0 ? x : Math.min(x, y);
    }

    /** The earliest time after {@code now} a step of a track the customer is in becomes due; 0 if none. */
    static long nextTrackStep(ActionState a, List<ActionDef> catalog, long now) {
        long next = 0;
        for (ActionDef d : catalog) {
            if (d.track() == null || d.track().after() == null || !d.enabled()) {
                continue;
            }
            int t = ActionMemory.track(a, d.track().trackId());
            if (t >= 0 && a.trackSteps[t].equals(d.track().after())) {
                long due = a.trackAt[t] + d.track().waitMs();
                if (due > now && (next == 0 || due < next)) {
                    next = due;
                }
            }
        }
        return next;
    }

    /** The customer accepted decision {@code decisionId}: a success, if the decision waits within the window. */
    public List<ActionLearning> accepted(ActionState a, String decisionId, long now) {
        ActionMemory.Response r = ActionMemory.accept(a, decisionId, now, responseWindowMs);
        return r == null ? List.of() : List.of(new ActionLearning(r.actionId(), r.segment(), 0, 1));
    }

    /** An order: every decision waiting within the window succeeded. */
    public List<ActionLearning> ordered(ActionState a, CustomerInput in) {
        if (in.transaction == null || in.transaction.type() != TransactionType.ORDER || a.pendingIds.length == 0) {
            return List.of();
        }
        List<ActionLearning> out = new ArrayList<>();
        for (ActionMemory.Response r : ActionMemory.convert(a, in.eventTime().toEpochMilli(), responseWindowMs)) {
            out.add(new ActionLearning(r.actionId(), r.segment(), 0, 1));
        }
        return out;
    }

    /** Keeps a proposal in the customer's state; false for a repeat. */
    public boolean propose(ActionState a, io.nextbest.schemas.messages.ActionProposal p) {
        return new ActionMemory(maxPerCustomer).propose(a, p.proposalId(), p.actionId(),
                p.expiresAt().toEpochMilli(), p.value() == null ? Double.NaN : p.value(), p.proposedAt().toEpochMilli());
    }

    static NextBestAction record(String decisionId, String customerId, long now, DecisionCause cause, String eventId,
            Arbiter.Decision d, Assignment a, String triggerId) {
        List<ActionCandidate> candidates = new ArrayList<>(Math.min(d.candidates().size(), Arbiter.MAX_CANDIDATES));
        List<Arbiter.Candidate> shown = new ArrayList<>(d.candidates());
        shown.sort(java.util.Comparator.comparing(c -> !c.eligible())); // stable: the eligible first, if cut
        for (Arbiter.Candidate c : shown.subList(0, Math.min(shown.size(), Arbiter.MAX_CANDIDATES))) {
            boolean withP = !c.mandatory() && c.eligible();
            candidates.add(new ActionCandidate(c.actionId(), c.kind(), c.priority(), c.eligible(),
                    Arbiter.cut(c.ineligibleBecause(), Arbiter.MAX_WHY),
                    c.contact() == null ? "ok" : c.contact(),
                    withP ? finite(c.p()) : null, withP ? finite(c.mean()) : null, withP ? c.trials() : null,
                    withP ? c.successes() : null, finite(c.value()), c.mandatory() && c.action() == null ? null
                    : finite(c.cost()), withP ? finite(c.expectedNetValue()) : null));
        }
        Arbiter.Candidate chosen = d.outcome() == ActionOutcome.NOTHING ? null : d.chosen();
        return new NextBestAction(decisionId, customerId, Instant.ofEpochMilli(now), cause, eventId, d.outcome(),
                chosen == null ? null : chosen.actionId(), chosen == null ? null : chosen.kind(),
                d.outcome() == ActionOutcome.ACT ? chosen.channel() : null,
                d.outcome() == ActionOutcome.DEFER ? Instant.ofEpochMilli(d.deferredUntil()) : null,
                d.runnerUp() == null ? null : d.runnerUp().actionId(), d.nothing(), d.strategy().wire(),
                a.experimentId(), a.variant(), candidates, d.reasons(), triggerId);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /**
     * A decision's id: 16 hex digits of a hash of (customer, event time, the customer's decision count) — bounded
     * whatever the customer id's length, stable across a restore (the same decision gets the same id), and new after
     * an erasure or expiry restarts the count (the time differs).
     */
    public static String decisionId(String customerId, long at, long number) {
        return String.format("%016x", mix(hash64(customerId + "\u0000nba\u0000" + at + "\u0000" + number)));
    }

    /**
     * The seed of the random draws of a customer's decision after {@code decisions} earlier ones: FNV-1a of the id,
     * times 31, plus the count, mixed (consecutive decisions draw independently). A replay draws as the live run did.
     */
    public static long seed(String customerId, long decisions) {
        return mix(hash64(customerId) * 31 + decisions);
    }

    /** SplitMix64's finalizer: nearby inputs give unrelated seeds (java.util.Random's first draws follow its seed). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** FNV-1a, 64 bits. */
    static long hash64(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
