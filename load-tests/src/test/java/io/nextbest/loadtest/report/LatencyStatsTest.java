package io.nextbest.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {

    @Test
    void knownValuesGiveExactPercentiles() {
        LatencyStats s = new LatencyStats();
        for (long us = 1; us <= 1000; us++) s.record(us); // below 2048 µs HdrHistogram (3 digits) is exact
        assertThat(s.count()).isEqualTo(1000);
        assertThat(s.p50Ms()).isEqualTo(0.5);
        assertThat(s.p90Ms()).isEqualTo(0.9);
        assertThat(s.p99Ms()).isEqualTo(0.99);
        assertThat(s.p999Ms()).isEqualTo(0.999);
        assertThat(s.maxMs()).isEqualTo(1.0);
        assertThat(s.meanMs()).isCloseTo(0.5005, within(1e-9));
        assertThat(s.toRow()).containsExactly(1000L, 0.5, 0.9, 0.99, 0.999, 1.0);
        assertThat(s.toRow("run")).containsExactly("run", 1000L, 0.5, 0.9, 0.99, 0.999, 1.0);
        assertThat(LatencyStats.headers("run"))
                .containsExactly("run", "count", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms");
    }

    @Test
    void largeValuesWithinHistogramPrecision() {
        LatencyStats s = new LatencyStats();
        for (int i = 1; i <= 100; i++) s.record(i * 10_000L); // 10 ms .. 1 s
        s.record(3_600_000_000L); // an hour: auto-resizing, no overflow
        assertThat(s.count()).isEqualTo(101);
        assertThat(s.p50Ms()).isCloseTo(510.0, withinPercentage(0.1));
        assertThat(s.p90Ms()).isCloseTo(910.0, withinPercentage(0.1));
        assertThat(s.p99Ms()).isCloseTo(1000.0, withinPercentage(0.1));
        assertThat(s.maxMs()).isCloseTo(3_600_000.0, withinPercentage(0.1));
    }

    @Test
    void emptyStatsAreNaNAndNegativeLatenciesCountAsZero() {
        LatencyStats s = new LatencyStats();
        assertThat(s.count()).isZero();
        assertThat(s.p99Ms()).isNaN();
        assertThat(s.maxMs()).isNaN();
        assertThat(s.cdf().x()).isEmpty();
        s.record(-5);
        assertThat(s.count()).isEqualTo(1);
        assertThat(s.maxMs()).isEqualTo(0.0);
    }

    @Test
    void correctedRecordingAddsTheRequestsAStallHeldBack() {
        LatencyStats s = new LatencyStats();
        s.recordCorrected(10_000, 1_000); // 10 ms stall at one request per ms: 10, 9, ..., 1 ms
        assertThat(s.count()).isEqualTo(10);
        assertThat(s.histogram().getCountAtValue(1_000)).isEqualTo(1);
        assertThat(s.histogram().getCountAtValue(5_000)).isEqualTo(1);
        s.recordCorrected(800, 1_000); // below the interval: just itself
        assertThat(s.count()).isEqualTo(11);
        s.recordCorrected(700, 0); // no interval: just itself
        assertThat(s.count()).isEqualTo(12);
    }

    @Test
    void correctionChangesTheTailOfAStalledRun() {
        LatencyStats raw = new LatencyStats();
        LatencyStats corrected = new LatencyStats();
        for (int i = 0; i < 1000; i++) {
            raw.record(100);
            corrected.recordCorrected(100, 1_000);
        }
        raw.record(100_000); // one 100 ms stall
        corrected.recordCorrected(100_000, 1_000);
        assertThat(raw.count()).isEqualTo(1001);
        assertThat(corrected.count()).isEqualTo(1000 + 100);
        assertThat(raw.p99Ms()).isEqualTo(0.1);
        // 100 of 1100 samples come from the stall: p99 lands inside it
        assertThat(corrected.p99Ms()).isGreaterThan(80.0);
    }

    @Test
    void cdfPointsAreLatencyAndPercentile() {
        LatencyStats s = new LatencyStats();
        for (long us : new long[] {100, 200, 300, 400}) s.record(us);
        s.record(400);
        Report.Series cdf = s.cdf("run");
        assertThat(cdf.name()).isEqualTo("run");
        assertThat(cdf.x()).containsExactly(0.1, 0.2, 0.3, 0.4);
        assertThat(cdf.y()).containsExactly(20.0, 40.0, 60.0, 100.0);
    }

    @Test
    void intervalsAreIndependentOfCumulativeReads() {
        LatencyStats s = new LatencyStats();
        IntervalLatency il = new IntervalLatency(s, () -> 0L);
        for (long us = 1; us <= 100; us++) s.record(us * 10);
        assertThat(s.count()).isEqualTo(100); // a cumulative read between samples takes nothing away
        IntervalLatency.Point first = il.sample(1.0);
        assertThat(first.count()).isEqualTo(100);
        assertThat(first.p50Ms()).isEqualTo(0.5);
        assertThat(first.p99Ms()).isEqualTo(0.99);
        assertThat(first.maxMs()).isEqualTo(1.0);

        assertThat(il.sample(2.0)).isNull(); // nothing recorded: no point

        for (int i = 0; i < 10; i++) s.record(2_000);
        IntervalLatency.Point third = il.sample(3.0);
        assertThat(third).isEqualTo(new IntervalLatency.Point(3.0, 10, 2.0, 2.0, 2.0));

        assertThat(s.count()).isEqualTo(110);
        assertThat(il.points()).containsExactly(first, third);
        List<Report.Series> series = il.series();
        assertThat(series).extracting(Report.Series::name).containsExactly("p50", "p99", "max");
        assertThat(series.get(0).x()).containsExactly(1.0, 3.0);
        assertThat(series.get(1).y()).containsExactly(0.99, 2.0);
        assertThat(series.get(2).y()).containsExactly(1.0, 2.0);
        assertThat(il.chart("f", "t").logY()).isTrue();
    }

    @Test
    void oneWriterOneReaderLoseNothing() throws Exception {
        LatencyStats s = new LatencyStats();
        IntervalLatency il = IntervalLatency.start(s, Duration.ofMillis(20));
        int n = 2_000_000;
        Thread writer = new Thread(() -> {
            for (int i = 0; i < n; i++) s.record(1 + (i % 2000));
        });
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            while (!done.get()) s.p99Ms();
        });
        reader.start();
        writer.start();
        writer.join();
        done.set(true);
        reader.join();
        il.close();
        assertThat(s.count()).isEqualTo(n);
        assertThat(il.points().stream().mapToLong(IntervalLatency.Point::count).sum()).isEqualTo(n);
        assertThat(s.maxMs()).isEqualTo(2.0);
    }

    @Test
    void concurrentWritersLoseNothing() throws Exception {
        LatencyStats s = LatencyStats.concurrentWriters();
        Thread[] writers = new Thread[4];
        for (int t = 0; t < writers.length; t++) {
            writers[t] = new Thread(() -> {
                for (int i = 0; i < 250_000; i++) s.record(1 + (i % 1000));
            });
            writers[t].start();
        }
        for (Thread w : writers) {
            while (w.isAlive()) {
                s.count(); // read while they write
                w.join(1);
            }
        }
        assertThat(s.count()).isEqualTo(1_000_000);
        assertThat(s.p50Ms()).isEqualTo(0.5);
    }
}
