package io.nextbest.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThroughputTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void countsPerSecondSinceTheStart() {
        AtomicLong now = new AtomicLong(5 * SECOND); // the clock's origin is arbitrary
        Throughput t = new Throughput(4, now::get);

        t.recordIn();
        t.recordIn(2);
        now.set(5 * SECOND + SECOND - 1); // still second 0
        t.recordOut();
        now.set(6 * SECOND); // second 1
        t.recordIn(10);
        t.recordOut(7);
        now.set(8 * SECOND + SECOND / 2); // second 3
        t.recordIn();
        now.set(9 * SECOND); // second 4: beyond the 4 slots
        t.recordIn(5);
        t.recordOut(6);

        assertThat(t.inAt(0)).isEqualTo(3);
        assertThat(t.outAt(0)).isEqualTo(1);
        assertThat(t.inAt(1)).isEqualTo(10);
        assertThat(t.outAt(1)).isEqualTo(7);
        assertThat(t.inAt(2)).isZero();
        assertThat(t.inAt(3)).isEqualTo(1);
        assertThat(t.inAt(4)).isZero();
        assertThat(t.overflowIn()).isEqualTo(5);
        assertThat(t.overflowOut()).isEqualTo(6);
        assertThat(t.totalIn()).isEqualTo(3 + 10 + 1 + 5);
        assertThat(t.totalOut()).isEqualTo(1 + 7 + 6);
        assertThat(t.seconds()).isEqualTo(4);

        List<Report.Series> series = t.series();
        assertThat(series).extracting(Report.Series::name).containsExactly("in", "out");
        assertThat(series.get(0).x()).containsExactly(0, 1, 2, 3);
        assertThat(series.get(0).y()).containsExactly(3, 10, 0, 1);
        assertThat(series.get(1).y()).containsExactly(1, 7, 0, 0);
        Report.Chart chart = t.chart("throughput", "Throughput");
        assertThat(chart.logY()).isFalse();
        assertThat(chart.series()).hasSize(2);
    }

    @Test
    void explicitSecondsAndEarlyEvents() {
        Throughput t = new Throughput(Duration.ofMillis(2500)); // 3 slots
        assertThat(t.maxSeconds()).isEqualTo(3);
        t.recordInAt(-1, 4); // before the start: second 0
        t.recordOutAt(2, 9);
        assertThat(t.inAt(0)).isEqualTo(4);
        assertThat(t.outAt(2)).isEqualTo(9);
        assertThat(t.seconds()).isEqualTo(3);
        assertThat(new Throughput(3, () -> 0L).series().get(0).x()).isEmpty();
    }

    @Test
    void concurrentIncrementsAreExact() throws Exception {
        AtomicLong now = new AtomicLong();
        Throughput t = new Throughput(60, now::get);
        Thread[] threads = new Thread[8];
        for (int i = 0; i < threads.length; i++) {
            int id = i;
            threads[i] = new Thread(() -> {
                for (int k = 0; k < 100_000; k++) {
                    t.recordInAt(k % 3, 1);
                    if (id % 2 == 0) t.recordOutAt(k % 3, 1);
                }
            });
            threads[i].start();
        }
        for (Thread th : threads) th.join();
        assertThat(t.totalIn()).isEqualTo(800_000);
        assertThat(t.totalOut()).isEqualTo(400_000);
        assertThat(t.inAt(0)).isEqualTo(8 * 33_334);
        assertThat(t.inAt(1)).isEqualTo(8 * 33_333);
        assertThat(t.outAt(2)).isEqualTo(4 * 33_333);
    }
}
