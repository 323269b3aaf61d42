package io.nextbest.loadtest.decisions;

import io.nextbest.generator.ActionResponseModel;
import io.nextbest.job.action.ActionDef;
import io.nextbest.job.action.Condition;
import io.nextbest.schemas.messages.ActionKind;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.LifecycleStage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link DecisionSimulation} decides among: a catalog of discretionary actions, each with its value V, its cost
 * C and its priority as arbitration sees them, and — hidden from arbitration — its true response probability per
 * lifecycle stage, which the generator's {@link ActionResponseModel} answers with. Only the truth knows the best
 * action of each stage: the highest true P · V − C, or nothing when none is above 0.
 *
 * @param shares the share of customers in each lifecycle stage
 */
public record DecisionScenario(String name, List<Action> actions, Map<LifecycleStage, Double> shares) {

    /**
     * One discretionary action: V = {@code value}, C = {@code contactCost} + {@code discount}, and its true response
     * probability in each lifecycle stage.
     */
    public record Action(String actionId, String description, int priority, double value, double contactCost,
            double discount, Map<LifecycleStage, Double> truth) {

        public double cost() {
            return contactCost + discount;
        }

        /** The true expected net value P · V − C of taking it for a customer of {@code stage}. */
        public double trueNetValue(LifecycleStage stage) {
            return truth.get(stage) * value - cost();
        }

        /** As arbitration reads it from the catalog: eligible for everyone, by e-mail, no cooldown. */
        public ActionDef definition() {
            return new ActionDef(actionId, ActionKind.DISCRETIONARY, true, description, List.of(ContactChannel.EMAIL),
                    priority, Long.MIN_VALUE, Long.MAX_VALUE, null, Condition.ALWAYS, new ActionDef.Value(value, 0, 0),
                    new ActionDef.Cost(contactCost, discount, 0), false, false, 0, null);
        }
    }

    public DecisionScenario {
        actions = List.copyOf(actions);
        shares = new EnumMap<>(shares);
    }

    /**
     * The default scenario, docs/decisioning.md#simulation: five discretionary actions, each teaching one thing.
     *
     * <ul>
     *   <li>{@code premium-upgrade}, the highest priority (900): looks the most important, but its true P · V − C is
     *       below 0 in every stage but the loyal one, where it is small — the fixed-priority baseline always takes it;
     *   <li>{@code free-shipping} (800): never worth its cost (true P · V − C below 0 everywhere);
     *   <li>{@code winback-voucher} (700): a high value (150) with a low chance and a high cost — worth it for active
     *       and loyal customers only, and the best action for the active ones;
     *   <li>{@code loyalty-points} (500): its chance grows twenty-fold from prospects to loyal customers — the best for
     *       the loyal ones by far, a loss for prospects and new customers;
     *   <li>{@code tip-gift-wrap} (300): a cheap tip (C 0.10) with a moderate chance everywhere — the best for prospects
     *       and new customers, and the one safe choice.
     * </ul>
     *
     * The prior of arbitration (Beta(1, 9), mean 0.1) makes {@code winback-voucher} look the best to an untrained
     * greedy policy in every stage (0.1 · 150 − 10.10 = 4.9).
     */
    public static DecisionScenario standard() {
        return new DecisionScenario("standard", List.of(
                new Action("premium-upgrade", "Upgrade to premium membership, first month 6 EUR off", 900, 40, 0.10, 6,
                        stages(0.05, 0.08, 0.12, 0.17)),
                new Action("free-shipping", "Free shipping on the next order (the shop pays 2.50)", 800, 12, 0.10, 2.5,
                        stages(0.12, 0.14, 0.16, 0.18)),
                new Action("winback-voucher", "10 EUR voucher on an order of 60 EUR or more", 700, 150, 0.10, 10,
                        stages(0.01, 0.03, 0.09, 0.10)),
                new Action("loyalty-points", "Double loyalty points this week (worth 2 EUR)", 500, 25, 0.10, 2,
                        stages(0.02, 0.06, 0.15, 0.40)),
                new Action("tip-gift-wrap", "Did you know: free gift wrapping", 300, 8, 0.10, 0,
                        stages(0.20, 0.25, 0.22, 0.18))),
                ActionResponseModel.DEFAULT_SHARES);
    }

    static Map<LifecycleStage, Double> stages(double prospect, double fresh, double active, double loyal) {
        Map<LifecycleStage, Double> m = new EnumMap<>(LifecycleStage.class);
        m.put(LifecycleStage.PROSPECT, prospect);
        m.put(LifecycleStage.NEW, fresh);
        m.put(LifecycleStage.ACTIVE, active);
        m.put(LifecycleStage.LOYAL, loyal);
        return m;
    }

    /** The catalog arbitration decides from. */
    public List<ActionDef> catalog() {
        List<ActionDef> out = new ArrayList<>();
        actions.forEach(a -> out.add(a.definition()));
        return List.copyOf(out);
    }

    /** The generator's model of the customers' responses, with this scenario's truth. */
    public ActionResponseModel responses(long seed) {
        Map<String, Map<LifecycleStage, Double>> truth = new LinkedHashMap<>();
        actions.forEach(a -> truth.put(a.actionId(), a.truth()));
        return new ActionResponseModel(seed, shares, truth);
    }

    public Action action(String actionId) {
        for (Action a : actions) {
            if (a.actionId().equals(actionId)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown action '" + actionId + "'");
    }

    /** The best action for a customer of {@code stage} by the truth, or null when no action's P · V − C is above 0. */
    public Action best(LifecycleStage stage) {
        Action best = null;
        for (Action a : actions) {
            if (a.trueNetValue(stage) > 0 && (best == null || a.trueNetValue(stage) > best.trueNetValue(stage))) {
                best = a;
            }
        }
        return best;
    }

    /** The true expected net value of the best choice for {@code stage}: that of {@link #best}, else 0 (nothing). */
    public double bestNetValue(LifecycleStage stage) {
        Action best = best(stage);
        return best == null ? 0 : best.trueNetValue(stage);
    }
}
