package io.nextbest.loadtest.eval;

import io.nextbest.loadtest.report.Report;
import java.util.ArrayList;
import java.util.List;

/** Puts an {@link EvaluationResult} into a {@link Report}: figures, one table per variant, the HR@20-over-time chart. */
public final class AccuracyReport {
    private AccuracyReport() {}

    /** The column of {@link RecommenderMetrics#coldShare()}. */
    public static final String COLD_SHARE = "cold share";

    public static final List<String> HEADERS = List.of(
            "recommender", "scored", "HR@10", "HR@20", "MRR@10", "MRR@20", "with list", "coverage", COLD_SHARE);

    /**
     * Figures (events, catalog records, scored, novel, customers, items), the exclusion and the cold
     * threshold under configuration, one table per variant ({@link #HEADERS}), the HR@20 chart, and a
     * note on what the cold share counts.
     */
    public static void addTo(Report report, EvaluationResult result) {
        report.figures.put("eventsObserved", result.eventsObserved());
        report.figures.put("catalogRecords", result.catalogRecords());
        report.figures.put("scoredEvents", result.scoredEvents());
        report.figures.put("novelEvents", result.novelEvents());
        report.figures.put("customers", result.customers());
        report.figures.put("itemsSeen", result.items());
        report.configuration.put("engine rule (exclusion)", result.exclusion());
        report.configuration.put("cold threshold", result.coldThreshold());
        for (Variant v : Variant.values()) {
            report.tables.add(new Report.Table(
                    "Accuracy, " + (v == Variant.ALL ? "every scored event" : "novel items only") + " (prequential)",
                    HEADERS, rows(result, v)));
        }
        List<Report.Series> series = new ArrayList<>();
        for (RecommenderMetrics m : result.metrics()) {
            if (m.variant() != Variant.ALL) {
                continue;
            }
            String name = m.column();
            List<double[]> points = new ArrayList<>();
            for (EvaluationResult.TimeBucket b : result.overTime()) {
                double y = b.hitRate20().get(name);
                if (!Double.isNaN(y)) {
                    points.add(new double[] {(b.fromMs() + b.toMs()) / 2.0 / 3_600_000.0, y});
                }
            }
            double[] x = new double[points.size()];
            double[] y = new double[points.size()];
            for (int i = 0; i < points.size(); i++) {
                x[i] = points.get(i)[0] - result.firstEventMs() / 3_600_000.0;
                y[i] = points.get(i)[1];
            }
            series.add(new Report.Series(name, x, y));
        }
        report.notes.add(coldShareNote(result.coldThreshold()));
        report.charts.add(new Report.Chart("accuracy-over-time", "HR@20 over event time (every scored event)",
                "hours since the first event", "HR@20", false, series));
    }

    /** What the cold share column means, for the report's notes. */
    public static String coldShareNote(int threshold) {
        return "Cold share: of all entries of the scored top-20 lists, the share whose item had fewer than "
                + threshold + " interactions (any type) and orders, from all customers, before the scored event;"
                + " catalog records do not count. Coverage counts distinct items, the cold share list entries.";
    }

    /**
     * One row per recommender and list mode ({@link RecommenderMetrics#column()}): the {@link #HEADERS}
     * columns, rates rounded to 4 decimals.
     */
    public static List<List<Object>> rows(EvaluationResult result, Variant v) {
        List<List<Object>> rows = new ArrayList<>();
        for (RecommenderMetrics m : result.metrics()) {
            if (m.variant() != v) {
                continue;
            }
            rows.add(List.of(m.column(), m.scored(), round(m.hr10()), round(m.hr20()), round(m.mrr10()), round(m.mrr20()),
                    round(m.listShare()), round(m.coverage()), round(m.coldShare())));
        }
        return rows;
    }

    private static double round(double d) {
        return Math.round(d * 10_000) / 10_000.0;
    }
}
