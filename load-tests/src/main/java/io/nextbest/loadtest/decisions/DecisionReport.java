package io.nextbest.loadtest.decisions;

import io.nextbest.loadtest.decisions.DecisionSimulation.Policy;
import io.nextbest.loadtest.decisions.DecisionSimulation.PolicyResult;
import io.nextbest.loadtest.decisions.DecisionSimulation.Result;
import io.nextbest.loadtest.report.Report;
import io.nextbest.schemas.messages.LifecycleStage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of a {@link DecisionSimulation} run, for {@code ReportWriter}: the scenario with its truth, the totals
 * per policy, what each policy chose at the end, and the curves of cumulative net value and regret.
 */
public final class DecisionReport {
    /** The chart files, as written by {@code ReportWriter} (and embedded in docs/decisioning.md). */
    public static final String NET_VALUE_CHART = "decisions-net-value";
    public static final String REGRET_CHART = "decisions-regret";

    private DecisionReport() {}

    public static Report report(Result r, String command) {
        DecisionSimulation.Options o = r.options();
        DecisionScenario s = r.scenario();
        Report out = new Report();
        out.title = "Decision simulation: scenario " + s.name();
        out.command = command;
        out.configuration.put("scenario", s.name());
        out.configuration.put("customers", o.customers());
        out.configuration.put("decisions per customer", o.decisionsPerCustomer());
        out.configuration.put("decisions per policy", o.decisions());
        out.configuration.put("seed", o.seed());
        out.configuration.put("learner publishes every (decisions)", o.publishEvery());
        out.configuration.put("prior", String.format(Locale.ROOT, "Beta(%s, %s)", num(DecisionSimulation.PRIOR.successes()),
                num(DecisionSimulation.PRIOR.failures())));
        out.configuration.put("UCB quantile", DecisionSimulation.PRIOR.ucbQuantile());
        out.configuration.put("propensity segment", "lifecycle");
        List<String> shares = new ArrayList<>();
        for (LifecycleStage st : LifecycleStage.values()) {
            shares.add(st.wire() + " " + percent(s.shares().getOrDefault(st, 0.0)));
        }
        out.configuration.put("segment shares", String.join(", ", shares));

        PolicyResult oracle = r.get(Policy.ORACLE);
        for (PolicyResult p : r.policies().values()) {
            out.figures.put(p.policy().label() + ".netValue", round(p.netValue()));
            out.figures.put(p.policy().label() + ".regret", round(p.regret()));
        }
        out.tables.add(scenarioTable(s));
        List<List<Object>> totals = new ArrayList<>();
        for (PolicyResult p : r.policies().values()) {
            totals.add(List.of(p.policy().label(), p.decisions(), p.acted(), p.responses(),
                    p.acted() == 0 ? "" : percent((double) p.responses() / p.acted()), round(p.netValue()),
                    round(p.netValuePerDecision()), round(p.expectedNetValue()), round(p.regret()),
                    oracle.expectedNetValue() == 0 ? "" : percent(p.expectedNetValue() / oracle.expectedNetValue()),
                    round(p.regretByQuarter()[0]), round(p.regretByQuarter()[3])));
        }
        out.tables.add(new Report.Table("Totals per policy", List.of("policy", "decisions", "acted", "responses",
                "response rate", "net value (realised)", "per decision", "expected net value (truth)", "regret",
                "of the oracle's expected value", "regret per decision, first quarter",
                "regret per decision, last quarter"), totals));
        out.tables.add(lastQuarterTable(r));

        out.charts.add(new Report.Chart(NET_VALUE_CHART, "Cumulative net value, realised", "decisions (thousands)",
                "net value (thousands)", false, series(r, false)));
        out.charts.add(new Report.Chart(REGRET_CHART, "Cumulative regret against the oracle", "decisions (thousands)",
                "regret (thousands)", false, series(r, true)));

        out.notes.add("Every policy but the oracle is the job's own Arbiter (io.nextbest.job.action.Arbiter) with its"
                + " strategy; the oracle takes, per customer, the action of the highest true P · V − C, or nothing"
                + " when none is above 0. All see the same customers, in rounds (each round one decision per customer),"
                + " and the same responses: the answer to an action is a function of (seed, customer, decision number,"
                + " action) in the generator's ActionResponseModel.");
        out.notes.add("Propensities are learned online per action and lifecycle stage from the simulated responses"
                + " (a trial per action taken, a success per response) and reach arbitration as the job's learner"
                + " publishes them, every " + o.publishEvery() + " decisions here. Responses are known at once; in the"
                + " job they come within actions.response-window, so its estimates lag further.");
        out.notes.add("Net value is realised: V when the customer responds, less C of every action taken, 0 for"
                + " nothing. Regret measures choices, not luck: the oracle's true expected net value less that of the"
                + " policy's choice (true P · V − C, 0 for nothing), summed over decisions. The realised net value"
                + " adds the customers' luck, common to policies that choose alike. The charts count decisions, net value"
                + " and regret in thousands.");
        out.notes.add("The arbiter's own random draws (Thompson samples, random choices) are seeded by the customer and"
                + " the decision number, as in the job, not by --seed: another --seed deals the customers' segments and"
                + " responses anew, the draws stay.");
        out.notes.add("Not simulated: contact rules (every contact allowed), mandatory actions, cooldowns, proposals,"
                + " baskets (V and C are fixed), customers' differences within a segment, and a truth that changes"
                + " over time.");
        return out;
    }

    private static Report.Table scenarioTable(DecisionScenario s) {
        List<String> headers = new ArrayList<>(List.of("action", "priority", "V", "C"));
        for (LifecycleStage st : LifecycleStage.values()) {
            headers.add(st.wire() + ": true P / P·V−C");
        }
        headers.add("description");
        List<List<Object>> rows = new ArrayList<>();
        for (DecisionScenario.Action a : s.actions()) {
            List<Object> row = new ArrayList<>(List.of(a.actionId(), a.priority(), a.value(), round(a.cost())));
            for (LifecycleStage st : LifecycleStage.values()) {
                row.add(String.format(Locale.ROOT, "%.2f / %+.2f", a.truth().get(st), a.trueNetValue(st)));
            }
            row.add(a.description());
            rows.add(row);
        }
        List<Object> best = new ArrayList<>(List.of("best (oracle)", "", "", ""));
        for (LifecycleStage st : LifecycleStage.values()) {
            DecisionScenario.Action a = s.best(st);
            best.add(a == null ? "nothing" : String.format(Locale.ROOT, "%s (%+.2f)", a.actionId(), a.trueNetValue(st)));
        }
        best.add("");
        rows.add(best);
        List<Object> share = new ArrayList<>(List.of("share of customers", "", "", ""));
        for (LifecycleStage st : LifecycleStage.values()) {
            share.add(percent(s.shares().getOrDefault(st, 0.0)));
        }
        share.add("");
        rows.add(share);
        return new Report.Table("Scenario " + s.name() + ": the actions and the hidden truth", headers, rows);
    }

    /** Per policy and lifecycle stage: the choice made most often in the last quarter, and its share. */
    private static Report.Table lastQuarterTable(Result r) {
        List<String> headers = new ArrayList<>(List.of("policy"));
        for (LifecycleStage st : LifecycleStage.values()) {
            headers.add(st.wire());
        }
        List<List<Object>> rows = new ArrayList<>();
        for (PolicyResult p : r.policies().values()) {
            List<Object> row = new ArrayList<>(List.of(p.policy().label()));
            for (LifecycleStage st : LifecycleStage.values()) {
                Map<String, Long> counts = p.lastQuarterChoices().get(st);
                long all = counts.values().stream().mapToLong(Long::longValue).sum();
                String top = null;
                for (Map.Entry<String, Long> e : counts.entrySet()) {
                    if (top == null || e.getValue() > counts.get(top)) {
                        top = e.getKey();
                    }
                }
                row.add(all == 0 ? "" : top + " " + percent((double) counts.get(top) / all));
            }
            rows.add(row);
        }
        return new Report.Table("Most frequent choice in the last quarter of the decisions", headers, rows);
    }

    /**
     * The curves of every policy, in thousands. In an order that keeps XChart's two yellows (its 2nd and 6th colours)
     * on curves that lie far apart: fixed-priority and none.
     */
    private static List<Report.Series> series(Result r, boolean regret) {
        List<Report.Series> out = new ArrayList<>();
        double[] x = thousands(r.x());
        for (Policy p : CHART_ORDER) {
            PolicyResult pr = r.get(p);
            if (pr == null || (regret && p == Policy.ORACLE)) {
                continue; // the oracle's regret is 0 throughout
            }
            out.add(new Report.Series(p.label(), x, thousands(regret ? pr.cumulativeRegret() : pr.cumulativeNetValue())));
        }
        return out;
    }

    private static double[] thousands(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] / 1000;
        }
        return out;
    }

    private static final List<Policy> CHART_ORDER = List.of(Policy.THOMPSON, Policy.FIXED_PRIORITY, Policy.UCB,
            Policy.GREEDY, Policy.RANDOM, Policy.NONE, Policy.ORACLE);

    /** The few lines printed on the console. */
    public static String summary(Result r) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-15s %16s %14s %14s%n", "policy",
                "net value", "regret", "of oracle"));
        double best = r.get(Policy.ORACLE).expectedNetValue();
        for (PolicyResult p : r.policies().values()) {
            b.append(String.format(Locale.ROOT, "%-15s %,16.2f %,14.2f %13.1f%%%n", p.policy().label(), p.netValue(),
                    p.regret(), best == 0 ? Double.NaN : 100 * p.expectedNetValue() / best));
        }
        return b.toString().stripTrailing();
    }

    static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * share);
    }

    private static String num(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
