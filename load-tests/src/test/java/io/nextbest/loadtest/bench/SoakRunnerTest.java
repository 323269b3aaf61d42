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

    @Test
    void withTheChangelogTheVerdictJudgesTheSmallestCheckpointWithinAMaterializeInterval() {
        // a log that grows 100 MB a minute on a flat 300 MB materialization, cut every 10 minutes: a saw-tooth
        List<SoakRunner.Sample> saw = checkpoints(30, m -> m == 30 ? Double.NaN : 300 + 100 * (m % 10));
        double[] floor = SoakRunner.checkpointFloor(saw, java.time.Duration.ofMinutes(10));
        assertThat(floor[0]).as("minute 1: only itself").isEqualTo(400);
        assertThat(floor[8]).as("minute 9: the lowest of minutes 1..9").isEqualTo(400);
        assertThat(floor[9]).as("minute 10: its own materialization").isEqualTo(300);
        assertThat(floor[18]).as("minute 19: minutes 9..19 hold minute 10").isEqualTo(300);
        assertThat(floor[29]).as("minute 30 has no figure; minutes 20..29 hold minute 20").isEqualTo(300);
        assertThat(SoakRunner.growthPer10Minutes(saw, SoakRunner.Sample::checkpointMb)).as("the raw size's fit")
                .isGreaterThan(0.05);
        assertThat(Math.abs(SoakRunner.growthPer10Minutes(saw, floor))).isLessThan(0.05);
        // a materialization that itself grows is still seen: 300 + 10 per minute underneath the same log
        List<SoakRunner.Sample> growing = checkpoints(30, m -> 300 + 10 * m + 100 * (m % 10));
        assertThat(SoakRunner.growthPer10Minutes(growing,
                SoakRunner.checkpointFloor(growing, java.time.Duration.ofMinutes(10)))).isGreaterThan(0.05);

        io.nextbest.loadtest.report.Report r = new io.nextbest.loadtest.report.Report();
        SoakRunner.describe(new SoakRunner.Result(100, List.of(), saw, 100, 0), new SoakRunner.Settings(100,
                java.time.Duration.ofMinutes(30), java.time.Duration.ofMinutes(1), java.time.Duration.ofSeconds(30), 1,
                java.time.Duration.ofSeconds(10), java.time.Duration.ofMinutes(10)), r);
        assertThat(r.figures).containsKeys("checkpointFloorGrowthPer10Min", "checkpointSizeGrowthPer10Min");
        assertThat(r.figures.get("flat")).as("heap, RocksDB and the checkpoints' floor are flat").isEqualTo(true);
        assertThat(r.notes).anySatisfy(n -> assertThat(n).contains("materialize interval"));
    }

    /** Samples at minutes 1..n, flat but for the checkpoint size {@code f}. */
    private static List<SoakRunner.Sample> checkpoints(int n, DoubleUnaryOperator f) {
        List<SoakRunner.Sample> out = new ArrayList<>();
        for (int m = 1; m <= n; m++) {
            out.add(new SoakRunner.Sample(m, 100, 10, 20, 30, 20, 300, 5, 50, 20, 1000, f.applyAsDouble(m), 1, 100, 0));
        }
        return out;
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
