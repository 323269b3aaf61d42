package io.nextbest.loadtest.experiment;

import io.nextbest.loadtest.experiment.ExperimentStats.Comparison;
import io.nextbest.loadtest.experiment.ExperimentStats.Moments;
import io.nextbest.loadtest.experiment.ExperimentStats.Rate;
import io.nextbest.loadtest.experiment.ExperimentStats.SampleRatio;
import io.nextbest.loadtest.report.Report;
import io.nextbest.schemas.messages.ExperimentMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import java.util.TreeSet;

/**
 * An experiment's result, from its {@code experiment-metrics} records and its plan (the arms' configured shares,
 * the planned sample size): per arm the totals; per variant against control the click rate, conversion rate and
 * revenue per exposed customer with intervals, relative uplift, p-value and minimum detectable effect; the
 * sample-ratio check; cumulative uplift over time. The customer is the unit of randomisation, so the tested rates are
 * shares of exposed customers (who clicked, who ordered); clicks per impression is shown but not tested (impressions
 * of one customer are not independent).
 */
public final class ExperimentReport {

    /** The metrics compared, each per exposed customer. */
    public enum Metric {
        CLICK_RATE("click rate", "exposed customers who clicked a suggestion"),
        CONVERSION_RATE("conversion rate", "exposed customers who ordered after exposure"),
        REVENUE("revenue per customer", "order value after exposure per exposed customer");

        public final String label;
        public final String meaning;

        Metric(String label, String meaning) {
            this.label = label;
            this.meaning = meaning;
        }
    }

    /** The experiment as planned: its arms (control first) with their configured shares, and the planned sample. */
    public record Plan(String experimentId, List<String> arms, List<Double> shares, long plannedCustomers,
            Instant validFrom, Instant validTo) {
        public Plan {
            if (arms.size() != shares.size() || arms.size() < 2 || !arms.get(0).equals("control")) {
                throw new IllegalArgumentException("need control first and a share per arm, got " + arms + " " + shares);
            }
        }
    }

    /** An arm's totals over the windows read. */
    public record ArmTotals(String arm, long lists, long exposed, long impressions, long clicks, long clickers,
            long dismissals, long addToCarts, long attributedOrders, double attributedRevenue, long converters,
            long orders, double revenue, double revenueSquares) {
        static ArmTotals sum(String arm, List<ExperimentMetrics> windows) {
            long lists = 0, exposed = 0, impressions = 0, clicks = 0, clickers = 0, dismissals = 0, carts = 0;
            long attributedOrders = 0, converters = 0, orders = 0;
            double attributedRevenue = 0, revenue = 0, squares = 0;
            for (ExperimentMetrics m : windows) {
                lists += m.lists();
                exposed += m.exposedCustomers();
                impressions += m.impressions();
                clicks += m.clicks();
                clickers += m.clickers();
                dismissals += m.dismissals();
                carts += m.addToCarts();
                attributedOrders += m.attributedOrders();
                attributedRevenue += m.attributedRevenue();
                converters += m.converters();
                orders += m.orders();
                revenue += m.revenue();
                squares += m.revenueSquares();
            }
            return new ArmTotals(arm, lists, exposed, impressions, clicks, clickers, dismissals, carts,
                    attributedOrders, attributedRevenue, converters, orders, revenue, squares);
        }

        Rate clickRate() {
            return new Rate(exposed, Math.min(clickers, exposed));
        }

        Rate conversionRate() {
            return new Rate(exposed, Math.min(converters, exposed));
        }

        Moments revenueMoments() {
            return new Moments(exposed, revenue, revenueSquares);
        }

        double ctr() {
            return impressions == 0 ? Double.NaN : (double) clicks / impressions;
        }
    }

    /** What the report found: the totals, the sample-ratio check, and each variant's comparisons with control. */
    public record Result(Plan plan, Map<String, ArmTotals> arms, SampleRatio sampleRatio,
            Map<String, Map<Metric, Comparison>> comparisons, long exposed, boolean peeked, Instant first, Instant last) {
        public Comparison comparison(String variant, Metric metric) {
            return comparisons.get(variant).get(metric);
        }
    }

    private ExperimentReport() {}

    /** The newest revision of each window (the topic is compacted and at-least-once: older ones are superseded). */
    public static List<ExperimentMetrics> newest(List<ExperimentMetrics> records, String experimentId) {
        Map<String, ExperimentMetrics> byKey = new LinkedHashMap<>();
        for (ExperimentMetrics m : records) {
            if (m == null || !m.experimentId().equals(experimentId)) {
                continue;
            }
            byKey.merge(m.key(), m, (a, b) -> b.revision() >= a.revision() ? b : a);
        }
        List<ExperimentMetrics> out = new ArrayList<>(byKey.values());
        out.sort((a, b) -> a.windowStart().compareTo(b.windowStart()));
        return out;
    }

    /**
     * The result over the windows that start before {@code until} (null: all).
     *
     * @param alpha two-sided significance level of the intervals and tests
     * @param power power of the minimum detectable effect
     */
    public static Result analyse(Plan plan, List<ExperimentMetrics> records, double alpha, double power, Instant until) {
        List<ExperimentMetrics> windows = newest(records, plan.experimentId()).stream()
                .filter(m -> until == null || m.windowStart().isBefore(until)).toList();
        Map<String, List<ExperimentMetrics>> byArm = new LinkedHashMap<>();
        for (String arm : plan.arms()) {
            byArm.put(arm, new ArrayList<>());
        }
        for (ExperimentMetrics m : windows) {
            byArm.computeIfAbsent(m.variant(), k -> new ArrayList<>()).add(m);
        }
        Map<String, ArmTotals> arms = new LinkedHashMap<>();
        byArm.forEach((arm, ws) -> arms.put(arm, ArmTotals.sum(arm, ws)));
        long[] observed = new long[plan.arms().size()];
        double[] weights = new double[plan.arms().size()];
        long exposed = 0;
        for (int i = 0; i < observed.length; i++) {
            observed[i] = arms.get(plan.arms().get(i)).exposed();
            weights[i] = plan.shares().get(i);
            exposed += observed[i];
        }
        SampleRatio srm = ExperimentStats.sampleRatio(observed, weights);
        ArmTotals control = arms.get("control");
        Map<String, Map<Metric, Comparison>> comparisons = new LinkedHashMap<>();
        for (String arm : plan.arms().subList(1, plan.arms().size())) {
            comparisons.put(arm, compare(control, arms.get(arm), alpha, power));
        }
        boolean peeked = plan.plannedCustomers() > 0 && exposed < plan.plannedCustomers();
        Instant first = windows.isEmpty() ? null : windows.get(0).windowStart();
        Instant last = windows.isEmpty() ? null : windows.get(windows.size() - 1).windowEnd();
        return new Result(plan, arms, srm, comparisons, exposed, peeked, first, last);
    }

    private static Map<Metric, Comparison> compare(ArmTotals control, ArmTotals variant, double alpha, double power) {
        Map<Metric, Comparison> m = new LinkedHashMap<>();
        m.put(Metric.CLICK_RATE, ExperimentStats.compareRates(control.clickRate(), variant.clickRate(), alpha, power));
        m.put(Metric.CONVERSION_RATE,
                ExperimentStats.compareRates(control.conversionRate(), variant.conversionRate(), alpha, power));
        m.put(Metric.REVENUE,
                ExperimentStats.compareMeans(control.revenueMoments(), variant.revenueMoments(), alpha, power));
        return m;
    }

    /** The report: Markdown, JSON and charts through {@code ReportWriter}. */
    public static Report report(Result r, List<ExperimentMetrics> records, double alpha, double power, String command) {
        Report out = new Report();
        Plan plan = r.plan();
        out.title = "Experiment " + plan.experimentId();
        out.command = command;
        out.configuration.put("experiment", plan.experimentId());
        out.configuration.put("arms", String.join(", ", plan.arms()));
        out.configuration.put("configured shares", plan.shares().stream().map(s -> String.format("%.4f", s)).toList()
                .toString());
        out.configuration.put("planned customers", plan.plannedCustomers() == 0 ? "not given" : plan.plannedCustomers());
        out.configuration.put("valid", plan.validFrom() + " .. " + plan.validTo());
        out.configuration.put("windows read", r.first() == null ? "none" : r.first() + " .. " + r.last());
        out.configuration.put("alpha (two-sided)", alpha);
        out.configuration.put("power (minimum detectable effect)", power);

        out.figures.put("exposedCustomers", r.exposed());
        out.figures.put("sampleRatioChiSquare", r.sampleRatio().chiSquare());
        out.figures.put("sampleRatioPValue", r.sampleRatio().pValue());
        out.figures.put("sampleRatioMismatch", r.sampleRatio().mismatch());
        out.figures.put("peeked", r.peeked());
        r.comparisons().forEach((variant, byMetric) -> byMetric.forEach((metric, c) -> {
            String k = variant + "." + key(metric);
            out.figures.put(k + ".relativeUplift", c.relativeUplift());
            out.figures.put(k + ".pValue", c.pValue());
            out.figures.put(k + ".significant", c.significant());
        }));

        List<List<Object>> armRows = new ArrayList<>();
        for (int i = 0; i < plan.arms().size(); i++) {
            ArmTotals a = r.arms().get(plan.arms().get(i));
            armRows.add(List.of(a.arm(), plan.shares().get(i), r.exposed() == 0 ? Double.NaN : (double) a.exposed() / r.exposed(),
                    a.exposed(), a.lists(), a.impressions(), a.clicks(), a.ctr(), a.clickers(), a.clickRate().value(),
                    a.dismissals(), a.addToCarts(), a.converters(), a.conversionRate().value(), a.orders(), a.revenue(),
                    a.revenueMoments().mean(), a.attributedOrders(), a.attributedRevenue()));
        }
        out.tables.add(new Report.Table("Arms", List.of("arm", "configured share", "observed share", "exposed customers",
                "lists", "impressions", "clicks", "CTR (clicks/impressions)", "clickers", "click rate", "dismissals",
                "add-to-carts (attributed)", "converters", "conversion rate", "orders", "revenue",
                "revenue per customer", "attributed orders", "attributed revenue"), armRows));

        List<List<Object>> rows = new ArrayList<>();
        r.comparisons().forEach((variant, byMetric) -> byMetric.forEach((metric, c) -> rows.add(List.of(variant,
                metric.label, c.control(), c.variant(), c.difference(), interval(c.low(), c.high()),
                percent(c.relativeUplift()), interval(percent(c.relativeLow()), percent(c.relativeHigh())), c.pValue(),
                c.minimumDetectable(), c.significant() ? "yes" : "no"))));
        out.tables.add(new Report.Table("Variants against control", List.of("variant", "metric", "control", "variant",
                "difference", (int) Math.round((1 - alpha) * 100) + " % interval", "relative uplift (%)",
                "interval (%)", "p-value", "minimum detectable difference", "significant"), rows));

        SampleRatio srm = r.sampleRatio();
        out.notes.add(srm.mismatch()
                ? "SAMPLE RATIO MISMATCH: the observed split of exposed customers differs from the configured shares"
                        + String.format(" (χ² = %.2f, p = %.2g < %.3g). The assignment or the exposure logging is", srm.chiSquare(),
                                srm.pValue(), ExperimentStats.SRM_ALPHA)
                        + " broken (a bot filter, a crash in one arm, a redirect, a changed split): no other figure of"
                        + " this report can be trusted until the cause is found."
                : String.format("Sample ratio: no mismatch (χ² = %.2f, p = %.3g ≥ %.3g).", srm.chiSquare(), srm.pValue(),
                        ExperimentStats.SRM_ALPHA));
        if (plan.plannedCustomers() == 0) {
            out.notes.add("No planned sample size (plannedCustomers) in the experiment: a reader cannot tell a finished"
                    + " test from a peek. Fix the size before the start, from the minimum detectable effect you need.");
        } else if (r.peeked()) {
            out.notes.add(String.format("PEEKING: %d of the planned %d customers are exposed (%.0f %%). The p-values and"
                    + " intervals assume one look at the planned size; stopping now because a figure looks significant"
                    + " raises the false-positive rate well above alpha. Read the direction, decide nothing yet.",
                    r.exposed(), plan.plannedCustomers(), 100.0 * r.exposed() / plan.plannedCustomers()));
        } else {
            out.notes.add("The planned sample size (" + plan.plannedCustomers() + " customers) is reached.");
        }
        if (plan.arms().size() > 2) {
            out.notes.add(String.format("%d variants are compared with control: with alpha %.3g per comparison, the"
                    + " chance that at least one shows a false effect is higher; Bonferroni's level is %.3g.",
                    plan.arms().size() - 1, alpha, alpha / (plan.arms().size() - 1)));
        }
        out.notes.add("The unit is the exposed customer (a list of the experiment was made for it, shown or not);"
                + " click and conversion rates are shares of them (two-proportion z-test), revenue per customer is"
                + " compared with Welch's t-test. Clicks per impression are shown, not tested: one customer's"
                + " impressions are not independent. Orders count from a customer's first list on, also after the"
                + " experiment's end (carry-over); pass --until to cut.");
        out.charts.addAll(upliftCharts(r, records, alpha, power));
        return out;
    }

    /** Cumulative relative uplift over time, with its interval, of each variant: click rate and conversion rate. */
    static List<Report.Chart> upliftCharts(Result r, List<ExperimentMetrics> records, double alpha, double power) {
        List<ExperimentMetrics> windows = newest(records, r.plan().experimentId());
        TreeSet<Instant> ends = new TreeSet<>();
        for (ExperimentMetrics m : windows) {
            if (r.last() == null || !m.windowEnd().isAfter(r.last())) {
                ends.add(m.windowEnd());
            }
        }
        List<Report.Chart> charts = new ArrayList<>();
        // minutes on the x axis for a short run (a demo), hours otherwise
        boolean minutes = !ends.isEmpty() && Duration.between(r.first(), ends.last()).toHours() < 3;
        for (Metric metric : List.of(Metric.CLICK_RATE, Metric.CONVERSION_RATE)) {
            List<Report.Series> series = new ArrayList<>();
            for (String variant : r.comparisons().keySet()) {
                double[] x = new double[ends.size()];
                double[] y = new double[ends.size()];
                double[] lo = new double[ends.size()];
                double[] hi = new double[ends.size()];
                int i = 0;
                for (Instant end : ends) {
                    Map<String, List<ExperimentMetrics>> upTo = new HashMap<>();
                    for (ExperimentMetrics m : windows) {
                        if (!m.windowEnd().isAfter(end)) {
                            upTo.computeIfAbsent(m.variant(), k -> new ArrayList<>()).add(m);
                        }
                    }
                    ArmTotals c = ArmTotals.sum("control", upTo.getOrDefault("control", List.of()));
                    ArmTotals v = ArmTotals.sum(variant, upTo.getOrDefault(variant, List.of()));
                    Comparison cmp = metric == Metric.CLICK_RATE
                            ? ExperimentStats.compareRates(c.clickRate(), v.clickRate(), alpha, power)
                            : ExperimentStats.compareRates(c.conversionRate(), v.conversionRate(), alpha, power);
                    x[i] = Duration.between(r.first(), end).toSeconds() / (minutes ? 60.0 : 3600.0);
                    y[i] = 100 * cmp.relativeUplift();
                    lo[i] = 100 * cmp.relativeLow();
                    hi[i] = 100 * cmp.relativeHigh();
                    i++;
                }
                series.add(new Report.Series(variant + " uplift", x, y));
                series.add(new Report.Series(variant + " interval low", x, lo));
                series.add(new Report.Series(variant + " interval high", x, hi));
            }
            charts.add(new Report.Chart("uplift-" + key(metric), "Cumulative uplift of the " + metric.label
                    + " against control, with its interval", (minutes ? "minutes" : "hours") + " since the first window",
                    "relative uplift (%)",
                    false, series));
        }
        return charts;
    }

    static String key(Metric m) {
        return switch (m) {
            case CLICK_RATE -> "clickRate";
            case CONVERSION_RATE -> "conversionRate";
            case REVENUE -> "revenuePerCustomer";
        };
    }

    private static double percent(double v) {
        return 100 * v;
    }

    private static String interval(double low, double high) {
        if (Double.isNaN(low) || Double.isNaN(high)) {
            return "n/a";
        }
        return "[" + format(low) + ", " + format(high) + "]";
    }

    private static String format(double v) {
        double a = Math.abs(v);
        return a != 0 && a < 0.01 ? String.format("%.3g", v) : String.format("%.3f", v).replaceAll("0+$", "")
                .replaceAll("\\.$", "");
    }
}
