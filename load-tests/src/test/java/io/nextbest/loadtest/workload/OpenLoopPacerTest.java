package io.nextbest.loadtest.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenLoopPacerTest {

    @Test
    void eventIIsDueAtStartPlusIOverRate() {
        OpenLoopPacer pacer = new OpenLoopPacer(1000, 5_000);
        assertThat(pacer.intendedNanos(0)).isEqualTo(5_000);
        assertThat(pacer.intendedNanos(1)).isEqualTo(5_000 + 1_000_000);
        assertThat(pacer.intendedNanos(1000)).isEqualTo(5_000 + 1_000_000_000L);
        assertThat(pacer.intendedNanos(3_600_000L * 24)).isEqualTo(5_000 + 86_400_000_000_000L); // a day at 1000/s

        OpenLoopPacer third = new OpenLoopPacer(3, 0);
        assertThat(third.intendedNanos(1)).isEqualTo(333_333_333L); // rounded to the nearest nanosecond
        assertThat(third.intendedNanos(2)).isEqualTo(666_666_667L);
        assertThat(third.intendedNanos(3)).isEqualTo(1_000_000_000L); // no drift

        OpenLoopPacer fast = new OpenLoopPacer(2_500_000, -1_000);
        assertThat(fast.intendedNanos(5)).isEqualTo(-1_000 + 2_000);
        assertThat(fast.rate()).isEqualTo(2_500_000);
        assertThat(fast.startNanos()).isEqualTo(-1_000);
    }

    @Test
    void awaitTurnSleepsUntilTheDueTimeOnly() {
        long[] now = {1_000_000};
        List<Long> sleeps = new ArrayList<>();
        OpenLoopPacer pacer = new OpenLoopPacer(1000, 1_000_000, () -> now[0], nanos -> {
            sleeps.add(nanos);
            now[0] += nanos;
        });
        pacer.awaitTurn(0); // due now: no sleep
        assertThat(sleeps).isEmpty();
        pacer.awaitTurn(5); // due in 5 ms
        assertThat(sleeps).containsExactly(5_000_000L);
        assertThat(now[0]).isEqualTo(pacer.intendedNanos(5));
    }

    @Test
    void aLateSenderNeverWaitsAndDoesNotCatchUpByThrottling() {
        long[] now = {0};
        List<Long> sleeps = new ArrayList<>();
        OpenLoopPacer pacer = new OpenLoopPacer(100, 0, () -> now[0], nanos -> {
            sleeps.add(nanos);
            now[0] += nanos;
        });
        now[0] = 1_000_000_000L; // the system stalled for a second: events 0..100 are all due
        for (int i = 0; i <= 100; i++) {
            pacer.awaitTurn(i);
            assertThat(now[0] - pacer.intendedNanos(i)).as("latency of %d counts from its due time", i)
                    .isEqualTo(1_000_000_000L - i * 10_000_000L);
        }
        assertThat(sleeps).isEmpty();
        pacer.awaitTurn(101); // the schedule is unchanged: 101 is due 10 ms after 100
        assertThat(sleeps).containsExactly(10_000_000L);
    }

    @Test
    void aSleeperThatWakesEarlyIsSentBackToSleep() {
        long[] now = {0};
        List<Long> sleeps = new ArrayList<>();
        OpenLoopPacer pacer = new OpenLoopPacer(10, 0, () -> now[0], nanos -> {
            sleeps.add(nanos);
            now[0] += Math.max(1, nanos / 2); // wakes half-way
        });
        pacer.awaitTurn(1);
        assertThat(now[0]).isGreaterThanOrEqualTo(pacer.intendedNanos(1));
        assertThat(sleeps.get(0)).isEqualTo(100_000_000L);
        assertThat(sleeps).hasSizeGreaterThan(1);
    }

    @Test
    void onTheRealClockItKeepsTheRate() {
        long start = System.nanoTime();
        OpenLoopPacer pacer = new OpenLoopPacer(2_000, start);
        for (int i = 0; i < 200; i++) {
            pacer.awaitTurn(i);
            assertThat(System.nanoTime()).isGreaterThanOrEqualTo(pacer.intendedNanos(i));
        }
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(99_500_000L); // 199 / 2000 s
    }

    @Test
    void theRateMustBePositive() {
        assertThatThrownBy(() -> new OpenLoopPacer(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OpenLoopPacer(Double.NaN, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OpenLoopPacer(Double.POSITIVE_INFINITY, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
