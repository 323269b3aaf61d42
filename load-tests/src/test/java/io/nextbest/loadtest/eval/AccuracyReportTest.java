package io.nextbest.loadtest.eval;

import static io.nextbest.loadtest.eval.Events.view;
import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.loadtest.report.Report;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccuracyReportTest {

    @Test
    void putsFiguresTablesAndTheOverTimeChartIntoAReport() {
        Popularity popularity = new Popularity();
        PrequentialEvaluator ev = new PrequentialEvaluator(true, new Baselines(popularity, List.of(new MostPopular(popularity))),
                Exclusion.none(), 2, PrequentialEvaluator.DEFAULT_COLD_THRESHOLD);
        ev.observe(view("c", "A", 0), null);
        ev.observe(view("c", "A", 3_600_000), List.of("B", "A")); // engine rank 2; most-popular: [] without seen A, [A] with it
        ev.observe(view("c", "B", 2 * 3_600_000 + 1), null); //       engine: no list; most-popular [] or [A] misses
        Report report = new Report();
        AccuracyReport.addTo(report, ev.result());

        assertThat(report.figures).containsEntry("scoredEvents", 2L).containsEntry("novelEvents", 1L)
                .containsEntry("catalogRecords", 0L);
        assertThat(report.configuration).containsEntry("engine rule (exclusion)", "none").containsEntry("cold threshold", 5);
        assertThat(report.notes).contains(AccuracyReport.coldShareNote(5));
        assertThat(report.tables.get(0).headers()).endsWith("coverage", "cold share");
        assertThat(report.tables).hasSize(2);
        assertThat(report.tables.get(0).headers()).isEqualTo(AccuracyReport.HEADERS);
        // cold share (threshold 5): every item had at most 2 events, so every entry is cold
        assertThat(report.tables.get(0).rows()).containsExactly(
                List.of("engine", 2L, 0.5, 0.5, 0.25, 0.25, 0.5, 1.0, 1.0),
                List.of("most-popular (seen excluded)", 2L, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
                List.of("most-popular (seen included)", 2L, 0.5, 0.5, 0.5, 0.5, 1.0, 0.5, 1.0));
        assertThat(report.tables.get(1).rows()).containsExactly(
                List.of("engine", 1L, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0), // nothing listed: 0
                List.of("most-popular (seen excluded)", 1L, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
                List.of("most-popular (seen included)", 1L, 0.0, 0.0, 0.0, 0.0, 1.0, 0.5, 1.0));
        Report.Chart chart = report.charts.get(0);
        assertThat(chart.file()).isEqualTo("accuracy-over-time");
        assertThat(chart.series()).extracting(Report.Series::name).containsExactly("engine", "most-popular (seen excluded)",
                "most-popular (seen included)");
        // two buckets of 1 h over [0, 2 h]: one scored event each
        assertThat(chart.series().get(0).y()).containsExactly(1.0, 0.0);
        assertThat(chart.series().get(1).y()).containsExactly(0.0, 0.0);
        assertThat(chart.series().get(2).y()).containsExactly(1.0, 0.0);
        assertThat(chart.series().get(0).x()).hasSize(2);
    }
}
