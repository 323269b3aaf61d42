package io.nextbest.generator;

import io.nextbest.schemas.messages.LifecycleStage;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Simulated customers who answer the actions taken for them, with a known truth (issue 20, the action side of
 * {@link ResponseModel}): each customer has a segment, its lifecycle stage ({@code prospect}, {@code new}, {@code
 * active}, {@code loyal}), drawn from the seed and the customer's id with fixed shares; each action has a hidden true
 * response probability per segment. When an action is taken for a customer, the customer responds — accepts it,
 * converts — with exactly that probability, independently of every other decision. {@link #trueProbability} is the
 * truth, for oracles: a decisioning that learns should come to prefer, per segment, the action of the highest
 * {@code trueProbability · value − cost}.
 *
 * <p>Every draw is a function of (seed, customer, decision number, action): the same decision gets the same answer,
 * whichever policy made it — two policies that take the same action for the same customer at the same decision see
 * the same response (common random numbers), so their difference is their choices, not their luck. The draws of
 * different actions, customers or decisions are independent.
 */
public final class ActionResponseModel {
    private static final long SEGMENT = 0x5E6_3E47L;
    private static final long RESPOND = 0x2E5_90D5L;
    private static final LifecycleStage[] STAGES = LifecycleStage.values();

    /** The shares of the lifecycle stages when none are given: prospect 30 %, new 25 %, active 25 %, loyal 20 %. */
    public static final Map<LifecycleStage, Double> DEFAULT_SHARES = Collections.unmodifiableMap(new EnumMap<>(Map.of(
            LifecycleStage.PROSPECT, 0.30, LifecycleStage.NEW, 0.25, LifecycleStage.ACTIVE, 0.25,
            LifecycleStage.LOYAL, 0.20)));

    private final long seed;
    private final Map<LifecycleStage, Double> shares;
    /** Upper bound of each stage's interval in [0, 1), by ordinal. */
    private final double[] cumulative = new double[STAGES.length];
    /** The true response probability of each action, by stage ordinal. */
    private final Map<String, double[]> truth = new LinkedHashMap<>();

    /**
     * @param shares the share of customers in each lifecycle stage (a stage left out: none); they sum to 1
     * @param probabilities per action, the true response probability in every lifecycle stage, each in [0, 1]
     * @throws IllegalArgumentException naming the share, action or stage that is wrong
     */
    public ActionResponseModel(long seed, Map<LifecycleStage, Double> shares,
            Map<String, Map<LifecycleStage, Double>> probabilities) {
        this.seed = seed;
        double sum = 0;
        for (LifecycleStage s : STAGES) {
            double share = shares.getOrDefault(s, 0.0);
            if (!(share >= 0 && share <= 1)) {
                throw new IllegalArgumentException("the share of " + s.wire() + " must be in [0, 1], got " + share);
            }
            sum += share;
            cumulative[s.ordinal()] = sum;
        }
        if (Math.abs(sum - 1) > 1e-9) {
            throw new IllegalArgumentException("the shares of the lifecycle stages must sum to 1, got " + sum);
        }
        cumulative[STAGES.length - 1] = Double.POSITIVE_INFINITY; // rounding never leaves a customer without one
        for (int i = STAGES.length - 1; i > 0 && shares.getOrDefault(STAGES[i], 0.0) == 0; i--) {
            cumulative[i - 1] = Double.POSITIVE_INFINITY; // … nor gives one to a stage of share 0
        }
        this.shares = Collections.unmodifiableMap(new EnumMap<>(shares));
        if (probabilities.isEmpty()) {
            throw new IllegalArgumentException("no actions");
        }
        probabilities.forEach((action, byStage) -> {
            double[] p = new double[STAGES.length];
            for (LifecycleStage s : STAGES) {
                Double v = byStage.get(s);
                if (v == null || !(v >= 0 && v <= 1)) {
                    throw new IllegalArgumentException("action " + action + ": the response probability of "
                            + s.wire() + " must be in [0, 1], got " + v);
                }
                p[s.ordinal()] = v;
            }
            truth.put(action, p);
        });
    }

    /** A model with the {@link #DEFAULT_SHARES}. */
    public ActionResponseModel(long seed, Map<String, Map<LifecycleStage, Double>> probabilities) {
        this(seed, DEFAULT_SHARES, probabilities);
    }

    /** The customer's segment: its lifecycle stage, fixed for the customer, by the seed and its id. */
    public LifecycleStage segment(String customerId) {
        double u = Seeds.unit(Seeds.derive(seed, SEGMENT, Seeds.hash(customerId)));
        for (LifecycleStage s : STAGES) {
            if (u < cumulative[s.ordinal()]) {
                return s;
            }
        }
        return STAGES[STAGES.length - 1]; // unreachable: the last bound is infinite
    }

    /**
     * Whether the customer responds to action {@code actionId} taken at its decision number {@code decisionNumber}:
     * true with probability {@link #trueProbability}(action, the customer's segment).
     *
     * @throws IllegalArgumentException for an action the model does not know
     */
    public boolean respond(String customerId, long decisionNumber, String actionId) {
        double p = truth(actionId)[segment(customerId).ordinal()];
        return Seeds.unit(Seeds.derive(seed, RESPOND, Seeds.hash(customerId), decisionNumber, Seeds.hash(actionId))) < p;
    }

    /** The true chance that a customer of {@code segment} responds to {@code actionId}. */
    public double trueProbability(String actionId, LifecycleStage segment) {
        return truth(actionId)[segment.ordinal()];
    }

    /** The share of customers in {@code segment}. */
    public double share(LifecycleStage segment) {
        return shares.getOrDefault(segment, 0.0);
    }

    /** The actions the model knows, in the order given. */
    public Set<String> actions() {
        return Collections.unmodifiableSet(truth.keySet());
    }

    private double[] truth(String actionId) {
        double[] p = truth.get(actionId);
        if (p == null) {
            throw new IllegalArgumentException("unknown action '" + actionId + "' (known: " + truth.keySet() + ")");
        }
        return p;
    }
}
