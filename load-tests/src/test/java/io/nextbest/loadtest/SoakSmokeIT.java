package io.nextbest.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/nextbest soak} in miniature (the smoke workload, 40 s at 200 events/s, a sample every 8 s): the report is
 * produced and consistent with itself. Not a soak: whether memory stays flat takes the real 30 minutes
 * (docs/operations.md).
 */
class SoakSmokeIT {
    @TempDir
    Path out;

    @Test
    void aShortSoakSamplesMemoryStateCheckpointsAndLatency() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Path dir = SoakCommand.run(new String[] {"--workload", "smoke", "--duration", "40s", "--sample", "8s",
            "--rate", "200", "--set", "bench.warmup=2s", "--job", "job.checkpoint-interval=2s",
            // anonymous sessions expire during the soak: their lists' tombstones reach the probe among the lists
            "--job", "customer.anonymous-ttl=10s", "--out", out.toString()},
                new PrintStream(progress, true, StandardCharsets.UTF_8));
        assertThat(dir).isEqualTo(out);
        for (String f : List.of("report.md", "report.json", "soak-memory.png", "soak-latency.png")) {
            assertThat(dir.resolve(f)).as(f).isNotEmptyFile();
        }
        JsonNode r = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        JsonNode f = r.get("figures");
        assertThat(f.get("soakRate").asDouble()).isEqualTo(200);
        assertThat(f.get("achievedRate").asDouble()).isGreaterThan(150);
        JsonNode rows = r.get("tables").get(0).get("rows");
        assertThat(rows.size()).as("samples").isBetween(4, 5).isEqualTo(f.get("samples").asInt());
        double minute = 0;
        long lists = 0;
        for (JsonNode row : rows) {
            assertThat(row.get(0).asDouble()).as("sample times increase").isGreaterThan(minute);
            minute = row.get(0).asDouble();
            assertThat(row.get(1).asLong()).as("lists timed in every sample, after the first expiries too").isPositive();
            lists += row.get(1).asLong();
            assertThat(row.get(2).asDouble()).as("p50 ≤ p99 ≤ max").isPositive().isLessThanOrEqualTo(row.get(3).asDouble());
            assertThat(row.get(3).asDouble()).isLessThanOrEqualTo(row.get(4).asDouble());
        }
        assertThat(lists).as("lists timed over the soak").isGreaterThan(1000);
        JsonNode last = rows.get(rows.size() - 1);
        // live SST data may read 0 with the state changelog on (checkpoints do not flush); memtables then hold it
        assertThat(last.get(8).asDouble()).as("RocksDB live MB").isGreaterThanOrEqualTo(0);
        assertThat(last.get(8).asDouble() + last.get(9).asDouble()).as("RocksDB live + memtable MB").isPositive();
        assertThat(f.get("lastRocksDbMb").asDouble()).isCloseTo(last.get(8).asDouble() + last.get(9).asDouble(),
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(last.get(10).asLong()).as("customers in state").isPositive();
        // the newest completed checkpoint's full size and duration as Flink's REST API reports them; with the state
        // changelog a sample can read 0 for both (seen in two CI runs, not explained; for the size FLINK-25557's review
        // calls a 0 by design when the log was uploaded before the barrier), so one sample with a checkpoint is asked
        // for, and none below 0
        List<Double> checkpointMb = rows.valueStream().map(row -> row.get(11).asDouble()).toList();
        List<Double> checkpointMs = rows.valueStream().map(row -> row.get(13).asDouble()).toList();
        assertThat(checkpointMb).as("checkpoint MB per sample").anyMatch(mb -> mb > 0).noneMatch(mb -> mb < 0);
        assertThat(checkpointMs).as("checkpoint ms per sample").anyMatch(ms -> ms > 0).noneMatch(ms -> ms < 0);
        assertThat(f.has("liveHeapGrowthPer10Min")).isTrue();
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("soak: minute").contains("report: ");
    }
}
