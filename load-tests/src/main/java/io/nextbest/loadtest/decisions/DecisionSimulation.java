package io.nextbest.loadtest.decisions;

import io.nextbest.generator.ActionResponseModel;
import io.nextbest.job.action.ActionDef;
import io.nextbest.job.action.ActionState;
import io.nextbest.job.action.Arbiter;
import io.nextbest.job.action.ContactRules;
import io.nextbest.job.action.Facts;
import io.nextbest.job.config.Settings.ActionStrategy;
import io.nextbest.schemas.messages.ActionOutcome;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.LifecycleStage;
import io.nextbest.schemas.messages.ValueTier;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Arbitration against simulated customers who answer with a known truth (docs/decisioning.md#simulation): the job's
 * own {@link Arbiter} decides, the generator's {@link ActionResponseModel} answers, and the propensities are learned
 * online from those answers as the job's propensity learner does. Flink-free, single-threaded per policy,
 * deterministic by the seed.
 *
 * <p>Time runs in rounds: in each round every customer ({@code c0000000}…) gets one decision opportunity, in customer
 * order, so that decision {@code i} overall is round {@code i / customers}. Each decision asks the same {@link
 * Arbiter} (one per policy, the job's prior Beta(1, 9), UCB quantile 0.95) with the policy's strategy, the customer's
 * lifecycle stage as its propensity segment ({@code lifecycle:loyal}) and the seed the job's {@code Decisioning}
 * derives from the customer and its decision number. Contact rules allow everything (they are not what is measured
 * here), so every decision either acts on a discretionary action or does nothing (below cost, or the control
 * group). An action taken is a trial of (action, segment); when the customer responds it is a success and the
 * decision realises V − C, else − C; nothing realises 0. The trials and successes reach arbitration as the job's
 * learner publishes them: in batches, every {@code publishEvery} decisions.
 *
 * <p>Besides the arbiter's strategies, the {@link Policy#ORACLE} knows the truth: for each customer the action of the
 * highest true P · V − C, or nothing if none is above 0. Its expected value is the most any policy can expect; the
 * <em>regret</em> of a policy is, summed over its decisions, the oracle's true expected net value less that of the
 * policy's choice (the customers' luck left out, so it measures choices only).
 */
public final class DecisionSimulation {

    /** The policies compared: the arbiter's strategies, and the oracle. */
    public enum Policy {
        THOMPSON(ActionStrategy.THOMPSON),
        UCB(ActionStrategy.UCB),
        GREEDY(ActionStrategy.GREEDY),
        FIXED_PRIORITY(ActionStrategy.FIXED_PRIORITY),
        RANDOM(ActionStrategy.RANDOM),
        NONE(ActionStrategy.NONE),
        /** Not the arbiter: the truth's best action per customer (an upper bound). */
        ORACLE(null);

        /** The arbiter's strategy; null for the oracle. */
        public final ActionStrategy strategy;

        Policy(ActionStrategy strategy) {
            this.strategy = strategy;
        }

        /** As in reports and in {@code actions.strategy}: {@code thompson}, {@code fixed-priority}, {@code oracle}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** The prior and UCB quantile of the job's defaults (actions.prior.*, actions.ucb-quantile). */
    public static final Arbiter.Prior PRIOR = new Arbiter.Prior(1, 9, 0.95);
    /** Event time of round 0; each round is one day later (nothing here depends on it). */
    static final long T0 = Instant.parse("2027-01-04T10:00:00Z").toEpochMilli();
    static final long DAY = 86_400_000L;

    /**
     * @param publishEvery the learner publishes the trials and successes every this many decisions (1: at once)
     * @param points how many points each curve keeps after its start at 0 (at equal distances, the last at the end)
     */
    public record Options(int customers, int decisionsPerCustomer, long seed, int publishEvery, int points) {
        public Options {
            if (customers < 1 || decisionsPerCustomer < 1 || publishEvery < 1 || points < 2) {
                throw new IllegalArgumentException("need at least 1 customer, 1 decision per customer, publishEvery"
                        + " >= 1 and 2 points");
            }
            if ((long) customers * decisionsPerCustomer > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("at most " + Integer.MAX_VALUE + " decisions in all, got "
                        + (long) customers * decisionsPerCustomer);
            }
        }

        public Options(int customers, int decisionsPerCustomer, long seed) {
            this(customers, decisionsPerCustomer, seed, 100, 200);
        }

        public long decisions() {
            return (long) customers * decisionsPerCustomer;
        }
    }

    /**
     * What one policy did.
     *
     * @param netValue realised: Σ over decisions that acted of (responded ? V : 0) − C
     * @param expectedNetValue Σ of the true P · V − C of each choice (0 for nothing)
     * @param regret Σ of the oracle's true expected net value less that of the choice, ≥ 0
     * @param cumulativeNetValue realised net value after each point's number of decisions ({@link Result#x})
     * @param cumulativeRegret regret after each point's number of decisions
     * @param regretByQuarter regret per decision in each quarter of the decisions, in order
     * @param chosen decisions per action taken, in catalog order, and {@code nothing}
     * @param lastQuarterChoices per lifecycle stage, decisions per choice (action or {@code nothing}) in the last
     *     quarter, in catalog order
     */
    public record PolicyResult(Policy policy, long decisions, long acted, long responses, double netValue,
            double expectedNetValue, double regret, double[] cumulativeNetValue, double[] cumulativeRegret,
            double[] regretByQuarter, Map<String, Long> chosen, Map<LifecycleStage, Map<String, Long>> lastQuarterChoices) {

        public double netValuePerDecision() {
            return netValue / decisions;
        }
    }

    /** The run: its scenario and options, the x values of the curves (decisions so far), each policy's result. */
    public record Result(DecisionScenario scenario, Options options, double[] x, Map<Policy, PolicyResult> policies) {
        public PolicyResult get(Policy p) {
            return policies.get(p);
        }
    }

    /** The choice "no action", in {@link PolicyResult#chosen}. */
    public static final String NOTHING = "nothing";

    private DecisionSimulation() {}

    /**
     * Runs every policy on the same customers and the same responses, each policy on its own thread, and returns
     * the results in {@link Policy} order. {@code progress} hears a line as each policy finishes.
     */
    public static Result run(DecisionScenario scenario, Options options, Consumer<String> progress) {
        double[] x = points(options);
        Map<Policy, PolicyResult> results = new LinkedHashMap<>();
        int threads = Math.max(1, Math.min(Policy.values().length, Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "decision-simulation");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<Policy, Future<PolicyResult>> futures = new LinkedHashMap<>();
            for (Policy p : Policy.values()) {
                futures.put(p, pool.submit(() -> {
                    PolicyResult r = simulate(scenario, options, p, x);
                    progress.accept(String.format(java.util.Locale.ROOT,
                            "  %-15s net value %,14.2f  regret %,12.2f  (%,d of %,d decisions acted)", p.label(),
                            r.netValue(), r.regret(), r.acted(), r.decisions()));
                    return r;
                }));
            }
            for (Map.Entry<Policy, Future<PolicyResult>> e : futures.entrySet()) {
                results.put(e.getKey(), e.getValue().get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new Result(scenario, options, x, results);
    }

    /**
     * The decision counts at which the curves keep a point: 0, then {@code points} more at equal distances, the last
     * at the end (fewer when there are fewer decisions).
     */
    static double[] points(Options o) {
        long total = o.decisions();
        int n = (int) Math.min(o.points(), total);
        double[] x = new double[n + 1];
        for (int k = 1; k <= n; k++) {
            x[k] = Math.round((double) total * k / n);
        }
        return x;
    }

    /** One policy over every decision. */
    static PolicyResult simulate(DecisionScenario scenario, Options o, Policy policy, double[] x) {
        ActionResponseModel model = scenario.responses(o.seed());
        List<ActionDef> catalog = scenario.catalog();
        int n = o.customers();
        String[] ids = new String[n];
        LifecycleStage[] stage = new LifecycleStage[n];
        String[] segment = new String[n];
        ActionState[] memory = new ActionState[n];
        for (int c = 0; c < n; c++) {
            ids[c] = customerId(c);
            stage[c] = model.segment(ids[c]);
            segment[c] = "lifecycle:" + stage[c].wire();
            memory[c] = new ActionState();
        }
        Learner learner = new Learner();
        Arbiter arbiter = new Arbiter(learner::counts, PRIOR);

        long total = o.decisions();
        double[] cumulative = new double[x.length];
        double[] cumulativeRegret = new double[x.length];
        double[] quarters = new double[4];
        long[] quarterDecisions = new long[4];
        Map<String, Long> chosen = new LinkedHashMap<>();
        catalog.forEach(a -> chosen.put(a.actionId(), 0L));
        chosen.put(NOTHING, 0L);
        Map<LifecycleStage, Map<String, Long>> lastQuarter = new java.util.EnumMap<>(LifecycleStage.class);
        for (LifecycleStage s : LifecycleStage.values()) {
            Map<String, Long> m = new LinkedHashMap<>();
            chosen.keySet().forEach(k -> m.put(k, 0L));
            lastQuarter.put(s, m);
        }
        long acted = 0;
        long responses = 0;
        double net = 0;
        double expected = 0;
        double regret = 0;
        int point = 1; // x[0] = 0: nothing yet
        long i = 0;
        for (int round = 0; round < o.decisionsPerCustomer(); round++) {
            long now = T0 + round * DAY;
            for (int c = 0; c < n; c++) {
                ActionState a = memory[c];
                long decisionNumber = a.decisions;
                DecisionScenario.Action taken;
                if (policy == Policy.ORACLE) {
                    taken = scenario.best(stage[c]);
                } else {
                    Arbiter.Decision d = arbiter.decide(new Arbiter.Input(catalog, facts(stage[c], segment[c], now), a,
                            ALLOW, segment[c], policy.strategy, seed(ids[c], decisionNumber), null));
                    if (d.outcome() == ActionOutcome.DEFER) {
                        throw new IllegalStateException("a discretionary action was deferred: " + d.reasons());
                    }
                    taken = d.outcome() == ActionOutcome.ACT ? scenario.action(d.chosen().actionId()) : null;
                }
                a.decisions++;
                double choiceValue = 0;
                if (taken != null) {
                    boolean responded = model.respond(ids[c], decisionNumber, taken.actionId());
                    net += (responded ? taken.value() : 0) - taken.cost();
                    choiceValue = taken.trueNetValue(stage[c]);
                    acted++;
                    responses += responded ? 1 : 0;
                    learner.learn(taken.actionId(), segment[c], responded);
                }
                expected += choiceValue;
                double r = scenario.bestNetValue(stage[c]) - choiceValue;
                regret += r;
                int quarter = (int) (4 * i / total);
                quarters[quarter] += r;
                quarterDecisions[quarter]++;
                String choice = taken == null ? NOTHING : taken.actionId();
                chosen.merge(choice, 1L, Long::sum);
                if (quarter == 3) {
                    lastQuarter.get(stage[c]).merge(choice, 1L, Long::sum);
                }
                i++;
                if (i % o.publishEvery() == 0) {
                    learner.publish();
                }
                while (point < x.length && i == (long) x[point]) {
                    cumulative[point] = net;
                    cumulativeRegret[point] = regret;
                    point++;
                }
            }
        }
        for (int q = 0; q < 4; q++) {
            quarters[q] = quarterDecisions[q] == 0 ? 0 : quarters[q] / quarterDecisions[q];
        }
        return new PolicyResult(policy, total, acted, responses, net, expected, regret, cumulative, cumulativeRegret,
                quarters, chosen, lastQuarter);
    }

    /** {@code c0000042}: the simulated customer number {@code c}. */
    static String customerId(int c) {
        String digits = Integer.toString(c);
        return "c" + "0".repeat(Math.max(0, 7 - digits.length())) + digits;
    }

    /** What arbitration knows of a customer: a known, consenting customer of its stage, with no basket. */
    static Facts facts(LifecycleStage stage, String segment, long now) {
        return new Facts(new String[] {segment, "known"}, stage, ValueTier.NONE, 0, 0, 0, 0, 0, 0,
                1 << ContactChannel.EMAIL.ordinal(), false, true, new String[0], now);
    }

    /** The contact rules of the simulation: every contact allowed, none recorded. */
    static final ContactRules ALLOW = new ContactRules() {
        @Override
        public Check check(List<ContactChannel> channels, long at, boolean passCaps) {
            return new Check(null, ContactChannel.EMAIL, 0);
        }

        @Override
        public void record(long at) {}
    };

    /** The seed of a decision's random draws, as the job's {@code Decisioning} derives it. */
    static long seed(String customerId, long decisionNumber) {
        return io.nextbest.job.action.Decisioning.seed(customerId, decisionNumber);
    }

    /**
     * The propensity learner of the simulation: trials and successes per action and segment, summed as they come,
     * visible to arbitration as published (like the job's learner and the replicas it feeds).
     */
    static final class Learner {
        private final Map<String, long[]> totals = new HashMap<>();
        private final Map<String, long[]> published = new HashMap<>();

        void learn(String actionId, String segment, boolean success) {
            long[] t = totals.computeIfAbsent(key(actionId, segment), k -> new long[2]);
            t[0]++;
            t[1] += success ? 1 : 0;
        }

        void publish() {
            totals.forEach((k, t) -> published.put(k, t.clone()));
        }

        long[] counts(String actionId, String segment) {
            return published.get(key(actionId, segment));
        }

        private static String key(String actionId, String segment) {
            return actionId + '\u0000' + segment;
        }
    }
}
