package io.nextbest.job.action;

import io.nextbest.job.config.Settings.ActionStrategy;
import io.nextbest.schemas.messages.ActionKind;
import io.nextbest.schemas.messages.ActionOutcome;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.NothingReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.random.JDKRandomGenerator;

/**
 * Decides a customer's next best action (docs/decisioning.md#arbitration). Each action of the catalog that is
 * enabled and valid becomes a candidate, checked for eligibility (segments, proposal, track step, condition) and
 * against the contact rules (opt-out, consent, the total cap, quiet hours, the action's cooldown). Then:
 *
 * <ol>
 *   <li>the eligible mandatory actions in priority order: the first the contact rules allow is taken; one in quiet
 *       hours is deferred to their end; one the rules refuse otherwise gives way to the next;
 *   <li>else, unless the strategy is {@code none} (an experiment's control group), the eligible discretionary
 *       action with the highest expected net value P·V − C, taken only if that is above 0; P is the action's
 *       propensity in the customer's segment, a Beta-Bernoulli posterior drawn (Thompson sampling) or bounded
 *       (UCB) so that new actions get tried;
 *   <li>else nothing, with its reason.
 * </ol>
 *
 * Pure and deterministic: the draws come from {@code seed}, so a replay decides as the live run did.
 */
public final class Arbiter {

    /** Trials and successes of an action among customers of a segment, as learned so far. */
    @FunctionalInterface
    public interface Propensities {
        /** {trials, successes}; null if none yet. */
        long[] counts(String actionId, String segment);

        Propensities NONE = (a, s) -> null;
    }

    /** The prior Beta(successes, failures) of every propensity, and UCB's quantile. */
    public record Prior(double successes, double failures, double ucbQuantile) implements java.io.Serializable {
        public Prior {
            if (!(successes > 0) || !(failures > 0)) {
                throw new IllegalArgumentException("a Beta prior needs positive pseudo-counts, got " + successes + ", " + failures);
            }
        }
    }

    /**
     * One candidate as arbitration saw it. {@code ineligibleBecause} null: eligible. {@code contact} null: the
     * contact rules allow it now; else the rule that objects ({@code not_checked} when ineligible). P is NaN for
     * mandatory actions (they are taken when eligible, whatever their value).
     */
    public record Candidate(String actionId, ActionKind kind, int priority, String ineligibleBecause, String contact,
            ContactChannel channel, long quietEnd, double p, double mean, long trials, long successes, double value,
            double cost, ActionDef action) {

        public boolean eligible() {
            return ineligibleBecause == null;
        }

        public boolean contactOk() {
            return eligible() && contact == null;
        }

        public boolean mandatory() {
            return kind == ActionKind.MANDATORY;
        }

        public double expectedNetValue() {
            return p * value - cost;
        }

        /** A mandatory candidate evaluated outside the catalog (the abandoned-basket trigger). */
        public static Candidate external(String actionId, int priority, String ineligibleBecause, String contact,
                ContactChannel channel, long quietEnd, double value) {
            return new Candidate(actionId, ActionKind.MANDATORY, priority, ineligibleBecause, contact, channel, quietEnd,
                    Double.NaN, Double.NaN, 0, 0, value, 0, null);
        }
    }

    /** The decision: act on {@code chosen}, defer it, or nothing (with {@code nothing} saying why). */
    public record Decision(ActionOutcome outcome, Candidate chosen, Candidate runnerUp, NothingReason nothing,
            long deferredUntil, List<Candidate> candidates, List<String> reasons, ActionStrategy strategy) {}

    /** What one decision looks at. {@code external}: a mandatory candidate from outside the catalog, or null. */
    public record Input(List<ActionDef> actions, Facts facts, ActionState memory, ContactRules contact, String segment,
            ActionStrategy strategy, long seed, Candidate external) {}

    /** At most this many reason lines (the schema's bound); the last is always the verdict. */
    public static final int MAX_REASONS = 64;
    /** At most this many candidates per decision record (the schema's bound; every action is weighed). */
    public static final int MAX_CANDIDATES = 256;
    /** Longest reason line and why-not text (the schema's bounds). */
    public static final int MAX_REASON = 512;
    public static final int MAX_WHY = 256;

    /** {@code s} cut to {@code max} characters (with an ellipsis), null stays null. */
    public static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private final Propensities propensities;
    private final Prior prior;

    public Arbiter(Propensities propensities, Prior prior) {
        this.propensities = propensities;
        this.prior = prior;
    }

    /** Priority first, then the external candidate (the basket trigger) before catalog actions of equal priority, then id. */
    private static final Comparator<Candidate> BY_PRIORITY = Comparator.comparingInt(Candidate::priority).reversed()
            .thenComparing(c -> c.action() != null).thenComparing(Candidate::actionId);

    public Decision decide(Input in) {
        long now = in.facts().now();
        JDKRandomGenerator random = new JDKRandomGenerator();
        random.setSeed(in.seed());
        List<Candidate> candidates = new ArrayList<>();
        if (in.external() != null) {
            candidates.add(in.external());
        }
        double quantile = in.strategy() == ActionStrategy.UCB ? ucbQuantile(in) : Double.NaN;
        for (ActionDef a : in.actions()) {
            if (a.enabled() && a.validAt(now)) {
                candidates.add(candidate(a, in, random, quantile));
            }
        }
        List<String> reasons = new ArrayList<>();
        List<Candidate> mandatory = candidates.stream().filter(c -> c.mandatory() && c.eligible()).sorted(BY_PRIORITY).toList();
        List<Candidate> discretionary = candidates.stream().filter(c -> !c.mandatory() && c.eligible()).toList();
        for (Candidate c : candidates) {
            if (!c.eligible()) {
                reasons.add(c.actionId() + ": not eligible: " + c.ineligibleBecause());
            }
        }
        boolean contactRefused = false;
        for (int i = 0; i < mandatory.size(); i++) {
            Candidate c = mandatory.get(i);
            String head = "mandatory " + c.actionId() + " (priority " + c.priority() + "): eligible";
            if (c.contact() == null) {
                reasons.add(head + ", contact allowed on " + c.channel().wire());
                Candidate runnerUp = i + 1 < mandatory.size() ? mandatory.get(i + 1) : bestDiscretionary(discretionary, in.strategy());
                reasons.add("act: " + c.actionId() + ", the first mandatory action the contact rules allow"
                        + (runnerUp == null ? "" : "; runner-up " + runnerUp.actionId()));
                return decision(ActionOutcome.ACT, c, runnerUp, null, 0, candidates, reasons, in.strategy());
            }
            if (c.contact().equals("quiet_hours")) {
                reasons.add(head + ", but it is quiet hours until " + Instant.ofEpochMilli(c.quietEnd()));
                reasons.add("defer: " + c.actionId() + " to the end of the quiet hours");
                Candidate runnerUp = i + 1 < mandatory.size() ? mandatory.get(i + 1) : null;
                return decision(ActionOutcome.DEFER, c, runnerUp, null, c.quietEnd(), candidates, reasons, in.strategy());
            }
            reasons.add(head + ", but the contact rules refuse it (" + c.contact() + ")");
            contactRefused = true;
        }
        if (in.strategy() == ActionStrategy.NONE) {
            reasons.add("nothing: the customer is in the control group, which gets no discretionary actions");
            return decision(ActionOutcome.NOTHING, null, null, NothingReason.CONTROL_GROUP, 0, candidates, reasons, in.strategy());
        }
        List<Candidate> pool = new ArrayList<>();
        for (Candidate c : discretionary) {
            if (c.contact() == null) {
                reasons.add(c.actionId() + ": " + value(c, in));
                pool.add(c);
            } else {
                reasons.add(c.actionId() + ": eligible, but the contact rules refuse it (" + c.contact() + ")");
                contactRefused = true;
            }
        }
        if (pool.isEmpty()) {
            NothingReason why = contactRefused ? NothingReason.CONTACT_RULES : NothingReason.NO_ELIGIBLE_ACTION;
            reasons.add(contactRefused ? "nothing: the contact rules refuse every eligible action"
                    : "nothing: no action is eligible");
            return decision(ActionOutcome.NOTHING, null, null, why, 0, candidates, reasons, in.strategy());
        }
        switch (in.strategy()) {
            case FIXED_PRIORITY -> {
                List<Candidate> sorted = pool.stream().sorted(BY_PRIORITY).toList();
                reasons.add("act: " + sorted.get(0).actionId() + ", the discretionary action of the highest priority"
                        + runnerUpText(sorted));
                return decision(ActionOutcome.ACT, sorted.get(0), sorted.size() > 1 ? sorted.get(1) : null, null, 0,
                        candidates, reasons, in.strategy());
            }
            case RANDOM -> {
                Candidate c = pool.get(random.nextInt(pool.size()));
                Candidate other = pool.size() > 1 ? pool.stream().filter(x -> x != c).findFirst().orElse(null) : null;
                reasons.add("act: " + c.actionId() + ", drawn at random from " + pool.size() + " eligible actions");
                return decision(ActionOutcome.ACT, c, other, null, 0, candidates, reasons, in.strategy());
            }
            default -> {
                List<Candidate> sorted = new ArrayList<>(pool);
                sorted.sort(Comparator.comparingDouble(Candidate::expectedNetValue).reversed().thenComparing(BY_PRIORITY));
                Candidate best = sorted.get(0);
                Candidate runnerUp = sorted.size() > 1 ? sorted.get(1) : null;
                if (best.expectedNetValue() > 0) {
                    reasons.add("act: " + best.actionId() + ", the highest expected net value (" + num(best.expectedNetValue())
                            + ")" + (runnerUp == null ? "" : "; runner-up " + runnerUp.actionId() + " ("
                            + num(runnerUp.expectedNetValue()) + ")"));
                    return decision(ActionOutcome.ACT, best, runnerUp, null, 0, candidates, reasons, in.strategy());
                }
                reasons.add("nothing: no action's expected value beats its cost (best " + best.actionId() + ": "
                        + num(best.expectedNetValue()) + ")");
                return decision(ActionOutcome.NOTHING, null, best, NothingReason.BELOW_COST, 0, candidates, reasons,
                        in.strategy());
            }
        }
    }

    private static String runnerUpText(List<Candidate> sorted) {
        return sorted.size() > 1 ? "; runner-up " + sorted.get(1).actionId() : "";
    }

    /** The discretionary candidate a mandatory action displaced (for the runner-up), by the strategy's order. */
    private static Candidate bestDiscretionary(List<Candidate> discretionary, ActionStrategy strategy) {
        if (strategy == ActionStrategy.NONE) {
            return null;
        }
        return discretionary.stream().filter(Candidate::contactOk)
                .max(Comparator.comparingDouble(Candidate::expectedNetValue)).orElse(null);
    }

    private static Decision decision(ActionOutcome outcome, Candidate chosen, Candidate runnerUp, NothingReason nothing,
            long deferredUntil, List<Candidate> candidates, List<String> reasons, ActionStrategy strategy) {
        List<String> chain = new ArrayList<>(reasons.size());
        for (String r : reasons) {
            chain.add(cut(r, MAX_REASON));
        }
        reasons = chain;
        if (chain.size() > MAX_REASONS) { // keep the first lines and the verdict
            chain = new ArrayList<>(reasons.subList(0, MAX_REASONS - 2));
            chain.add("… " + (reasons.size() - MAX_REASONS + 1) + " more candidates");
            chain.add(reasons.get(reasons.size() - 1));
        }
        return new Decision(outcome, chosen, runnerUp, nothing, deferredUntil, List.copyOf(candidates), List.copyOf(chain),
                strategy);
    }

    /**
     * UCB's quantile (Bayes-UCB): 1 − 1/(n + 1) for n trials of all the catalog's discretionary actions in the
     * customer's segment, at least {@code actions.ucb-quantile}. It rises as evidence accumulates, so that an action
     * whose bound fell after an unlucky start, and which is no longer taken, is tried again in time.
     */
    private double ucbQuantile(Input in) {
        long n = 0;
        for (ActionDef a : in.actions()) {
            long[] counts = a.mandatory() ? null : propensities.counts(a.actionId(), in.segment());
            n += counts == null ? 0 : Math.max(0, counts[0]);
        }
        return Math.max(prior.ucbQuantile(), 1 - 1.0 / (n + 1));
    }

    /** The candidate for {@code a}: eligibility, contact, P, V, C. */
    private Candidate candidate(ActionDef a, Input in, JDKRandomGenerator random, double quantile) {
        Facts f = in.facts();
        ActionState memory = in.memory();
        int proposal = ActionMemory.openProposal(memory, a.actionId(), f.now());
        double value = proposal >= 0 && !Double.isNaN(memory.proposalValues[proposal])
                ? memory.proposalValues[proposal] : a.value().of(f);
        double cost = a.cost().of(f);
        String why = ineligible(a, f, memory, proposal);
        if (why != null) {
            return new Candidate(a.actionId(), a.kind(), a.priority(), why, "not_checked", null, 0, Double.NaN,
                    Double.NaN, 0, 0, value, cost, a);
        }
        String contact = null;
        ContactChannel channel = null;
        long quietEnd = 0;
        long last = ActionMemory.lastActed(memory, a.actionId());
        if (a.cooldownMs() > 0 && last > 0 && f.now() - last < a.cooldownMs()) {
            contact = "cooldown";
        } else {
            ContactRules.Check c = in.contact().check(a.channels(), f.now(), a.mandatory() && a.passCaps());
            contact = c.objection();
            channel = c.channel();
            quietEnd = c.quietEnd();
        }
        if (a.mandatory()) {
            return new Candidate(a.actionId(), a.kind(), a.priority(), null, contact, channel, quietEnd, Double.NaN,
                    Double.NaN, 0, 0, value, cost, a);
        }
        long[] counts = propensities.counts(a.actionId(), in.segment());
        long trials = counts == null ? 0 : counts[0];
        long successes = counts == null ? 0 : Math.min(counts[1], counts[0]);
        double alpha = prior.successes() + successes;
        double beta = prior.failures() + (trials - successes);
        double mean = alpha / (alpha + beta);
        double p = switch (in.strategy()) {
            case THOMPSON -> new BetaDistribution(random, alpha, beta).sample();
            case UCB -> new BetaDistribution(random, alpha, beta).inverseCumulativeProbability(quantile);
            default -> mean;
        };
        return new Candidate(a.actionId(), a.kind(), a.priority(), null, contact, channel, quietEnd, p, mean, trials,
                successes, value, cost, a);
    }

    /** Why the customer is not eligible for {@code a}, null if eligible. */
    static String ineligible(ActionDef a, Facts f, ActionState memory, int proposal) {
        if (a.segments() != null && a.segments().stream().noneMatch(f::hasSegment)) {
            return "in none of the segments " + a.segments();
        }
        if (a.requiresProposal() && proposal < 0) {
            return "needs a proposal, none is open";
        }
        if (a.track() != null) {
            ActionDef.TrackStep step = a.track();
            int t = ActionMemory.track(memory, step.trackId());
            if (step.after() == null) {
                if (t >= 0) {
                    return "track " + step.trackId() + " already started (last step " + memory.trackSteps[t] + ")";
                }
            } else {
                if (t < 0 || !memory.trackSteps[t].equals(step.after())) {
                    return "track " + step.trackId() + ": follows " + step.after() + ", the customer is "
                            + (t < 0 ? "not in the track" : "at " + memory.trackSteps[t]);
                }
                long due = memory.trackAt[t] + step.waitMs();
                if (f.now() < due) {
                    return "track " + step.trackId() + ": waits until " + Instant.ofEpochMilli(due) + " after " + step.after();
                }
            }
        }
        return a.eligibility().failure(f);
    }

    private String value(Candidate c, Input in) {
        String p = switch (in.strategy()) {
            case THOMPSON -> "P " + num(c.p()) + " (Thompson draw; mean " + num(c.mean());
            case UCB -> "P " + num(c.p()) + " (upper bound; mean " + num(c.mean());
            default -> "P " + num(c.p()) + " (mean";
        };
        return p + " from " + c.successes() + " of " + c.trials() + " in " + in.segment() + ") × V " + money(c.value())
                + " − C " + money(c.cost()) + " = " + num(c.expectedNetValue());
    }

    static String num(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }

    static String money(double d) {
        return String.format(Locale.ROOT, "%.2f", d);
    }
}
