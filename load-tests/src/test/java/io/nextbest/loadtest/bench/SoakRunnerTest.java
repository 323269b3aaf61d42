package io.nextbest.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class SoakRunnerTest {
    @Test
    void growthIsTheFittedSlopeOverTheLastHalfPer10MinutesAsAShareOfTheMean() {
        // rising fast for 15 minutes, then flat at 100: the first half's growth does not count
        List<SoakRunner.Sample> levelling = samples(30, m -> m < 15 ? 10 * m - 50 : 100);
        assertThat(SoakRunner.growthPer10Minutes(levelling, SoakRunner.Sample::rocksLiveMb)).isCloseTo(0, within(1e-12));
        // 100 + 2 per minute; the last half is minutes 16..30: slope 2/min = 20 per 10 min, mean 100 + 2 × 23 = 146
        List<SoakRunner.Sample> leaking = samples(30, m -> 100 + 2 * m);
        assertThat(SoakRunner.growthPer10Minutes(leaking, SoakRunner.Sample::rocksLiveMb)).isCloseTo(20.0 / 146, within(1e-9));
        // gaps (no GC in an interval: NaN) are left out; too few points: NaN
        List<SoakRunner.Sample> gaps = samples(30, m -> m % 2 == 0 ? Double.NaN : 50);
        assertThat(SoakRunner.growthPer10Minutes(gaps, SoakRunner.Sample::rocksLiveMb)).isCloseTo(0, within(1e-12));
        assertThat(SoakRunner.growthPer10Minutes(samples(5, m -> m), SoakRunner.Sample::rocksLiveMb)).isNaN();
    }

    /** Samples at minutes 1..n whose RocksDB live MB follow {@code f}. */
    private static List<SoakRunner.Sample> samples(int n, DoubleUnaryOperator f) {
        List<SoakRunner.Sample> out = new ArrayList<>();
        for (int m = 1; m <= n; m++) {
            out.add(new SoakRunner.Sample(m, 100, 10, 20, 30, 20, 300, 5, f.applyAsDouble(m), 20, 1000, 10, 1, 100, 0));
        }
        return out;
    }
}
