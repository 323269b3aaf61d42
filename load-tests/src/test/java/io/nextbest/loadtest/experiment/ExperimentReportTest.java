package io.nextbest.loadtest.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.loadtest.experiment.ExperimentReport.Metric;
import io.nextbest.loadtest.report.Report;
import io.nextbest.loadtest.report.ReportWriter;
import io.nextbest.schemas.messages.ExperimentMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExperimentReportTest {
    static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    static final ExperimentReport.Plan PLAN = new ExperimentReport.Plan("exp", List.of("control", "v1"),
            List.of(0.5, 0.5), 4_000, T0, T0.plus(Duration.ofDays(7)));

    static ExperimentMetrics window(String variant, int hour, long revision, long exposed, long clickers,
            long converters, double revenue, double squares) {
        Instant start = T0.plus(Duration.ofHours(hour));
        return new ExperimentMetrics("exp", variant, start, start.plus(Duration.ofHours(1)), revision, start,
                exposed * 2, exposed, exposed * 3, clickers + 5, clickers, 0, 0, 0, 0, converters, converters, revenue,
                squares);
    }

    @Test
    void theNewestRevisionOfEachWindowCountsAndArmsSumTheirWindows() {
        List<ExperimentMetrics> records = new ArrayList<>(List.of(
                window("control", 0, 1, 100, 10, 1, 10, 100),
                window("control", 0, 3, 500, 50, 5, 50, 500),   // newest of its window
                window("control", 0, 2, 300, 30, 3, 30, 300),   // older revision, read later (at least once)
                window("control", 1, 1, 500, 60, 6, 60, 600),
                window("v1", 0, 1, 480, 60, 8, 80, 800),
                window("v1", 1, 1, 520, 80, 9, 90, 900),
                new ExperimentMetrics("other", "control", T0, T0, 1, T0, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9)));
        ExperimentReport.Result r = ExperimentReport.analyse(PLAN, records, 0.05, 0.8, null);
        assertThat(r.arms().get("control").exposed()).isEqualTo(1000);
        assertThat(r.arms().get("control").clickers()).isEqualTo(110);
        assertThat(r.arms().get("v1").exposed()).isEqualTo(1000);
        assertThat(r.arms().get("v1").clickers()).isEqualTo(140);
        assertThat(r.exposed()).isEqualTo(2000);
        assertThat(r.peeked()).isTrue();
        var clicks = r.comparison("v1", Metric.CLICK_RATE);
        assertThat(clicks.control()).isEqualTo(0.11);
        assertThat(clicks.variant()).isEqualTo(0.14);
        assertThat(clicks).isEqualTo(ExperimentStats.compareRates(new ExperimentStats.Rate(1000, 110),
                new ExperimentStats.Rate(1000, 140), 0.05, 0.8));
        var revenue = r.comparison("v1", Metric.REVENUE);
        assertThat(revenue.control()).isCloseTo(0.11, within(1e-12));
        assertThat(revenue.variant()).isCloseTo(0.17, within(1e-12));
        assertThat(r.sampleRatio().mismatch()).isFalse();
        // only the first hour
        ExperimentReport.Result first = ExperimentReport.analyse(PLAN, records, 0.05, 0.8, T0.plus(Duration.ofHours(1)));
        assertThat(first.exposed()).isEqualTo(980);
    }

    @Test
    void aSkewedSplitIsFlaggedAndTheReportSaysSo() throws Exception {
        List<ExperimentMetrics> records = List.of(window("control", 0, 1, 1200, 100, 10, 100, 1000),
                window("v1", 0, 1, 800, 90, 9, 90, 900));
        ExperimentReport.Result r = ExperimentReport.analyse(PLAN, records, 0.05, 0.8, null);
        assertThat(r.sampleRatio().mismatch()).isTrue();
        Report report = ExperimentReport.report(r, records, 0.05, 0.8, "bin/nextbest experiment-report --experiment exp");
        Path dir = Files.createDirectories(Path.of("target", "experiment-report-test"));
        ReportWriter.write(report, dir);
        String md = Files.readString(dir.resolve("report.md"));
        assertThat(md).contains("SAMPLE RATIO MISMATCH", "PEEKING: 2000 of the planned 4000", "Variants against control",
                "click rate", "conversion rate", "revenue per customer");
        assertThat(dir.resolve("uplift-clickRate.png")).isNotEmptyFile();
        assertThat(report.figures.get("sampleRatioMismatch")).isEqualTo(true);
    }

    @Test
    void aFinishedTestIsNotAPeek() {
        ExperimentReport.Plan small = new ExperimentReport.Plan("exp", List.of("control", "v1"), List.of(0.5, 0.5), 100,
                T0, T0);
        ExperimentReport.Result r = ExperimentReport.analyse(small, List.of(window("control", 0, 1, 60, 6, 1, 1, 1),
                window("v1", 0, 1, 60, 6, 1, 1, 1)), 0.05, 0.8, null);
        assertThat(r.peeked()).isFalse();
        assertThat(ExperimentReport.report(r, List.of(), 0.05, 0.8, "x").notes)
                .anyMatch(n -> n.contains("planned sample size (100 customers) is reached"));
    }
}
