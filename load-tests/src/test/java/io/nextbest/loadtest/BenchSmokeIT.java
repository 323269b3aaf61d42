package io.nextbest.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smoke workload through the whole bench (broker, both jobs, rate search, half-rate run) with
 * short steps. Checks that the report is produced and consistent with itself, not that anything is fast.
 */
class BenchSmokeIT {
    @TempDir
    Path out;

    @Test
    void smokeBenchWritesAConsistentReport() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Path dir = BenchCommand.run(new String[] {
            "--workload", "smoke",
            "--set", "bench.warmup=2s", "--set", "bench.duration=2s",
            "--set", "bench.rate-search.start-rate=250", "--set", "bench.rate-search.step-factor=2",
            "--set", "bench.rate-search.max-rate=1000",
            "--out", out.toString()
        }, new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertThat(dir).isEqualTo(out);
        for (String f : List.of("report.md", "report.json", "throughput-nextbest.png", "throughput-ceiling.png",
                "latency-over-time.png", "latency-cdf.png")) {
            assertThat(dir.resolve(f)).as(f).isNotEmptyFile();
        }
        JsonNode r = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        JsonNode f = r.get("figures");
        double ceiling = f.get("ceilingSustainableRate").asDouble();
        double nextbest = f.get("nextbestSustainableRate").asDouble();
        assertThat(ceiling).as("the ceiling holds the lowest step on this machine").isGreaterThanOrEqualTo(250);
        assertThat(nextbest).isGreaterThanOrEqualTo(250);
        assertThat(f.get("ratioToCeiling").asDouble()).isCloseTo(nextbest / ceiling, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(f.get("halfRate").asDouble()).isEqualTo(nextbest / 2);
        // read from the job's own metrics after the run: lists for interactions and orders (not for consent
        // or identify events), pair deltas summed, neighbour lists published and read back into the replicas
        assertThat(f.get("counter.listsEmitted").asLong()).isPositive()
                .isLessThan(f.get("counter.eventsApplied").asLong());
        assertThat(f.get("counter.pairDeltas").asLong()).isPositive();
        assertThat(f.get("counter.neighbourListsPublished").asLong()).isPositive();
        assertThat(f.get("counter.replicaUpdates").asLong()).isGreaterThan(f.get("counter.neighbourListsPublished").asLong());
        // RocksDB's estimates after a checkpoint: customers are in state, each a few hundred bytes at most
        assertThat(f.get("customersInState").asLong()).isPositive();
        assertThat(f.get("stateBytesPerCustomer").asDouble()).isBetween(10.0, 2000.0);
        for (String m : List.of("halfRateFromAppend", "halfRateFromSchedule")) {
            List<Double> p = new ArrayList<>();
            for (String q : List.of("P50Ms", "P90Ms", "P99Ms", "P999Ms", "MaxMs")) {
                p.add(f.get(m + q).asDouble());
            }
            assertThat(p).as(m + " percentiles").isSorted();
            assertThat(p.get(0)).isPositive();
            assertThat(f.get(m + "Count").asLong()).isPositive();
        }
        // where each step's CPU went: the job's customer stage, the broker, the generator and the probe all worked at
        // half rate; the ceiling job has no customer stage
        String half = String.format(java.util.Locale.ROOT, "cpu.nextbest.%.0f.", nextbest / 2);
        for (String part : List.of("customer-stage", "sources", "broker", "generator", "probe")) {
            assertThat(f.get(half + part).asDouble()).as(half + part).isPositive();
        }
        assertThat(f.get(String.format(java.util.Locale.ROOT, "cpu.ceiling.%.0f.customer-stage", ceiling)).asDouble())
                .isZero();
        assertThat(f.get(String.format(java.util.Locale.ROOT, "cpu.ceiling.%.0f.broker", ceiling)).asDouble()).isPositive();
        // every held step's rate is at most the sustainable rate of its job; rows name both jobs
        JsonNode steps = r.get("tables").get(0).get("rows");
        boolean sawCeiling = false;
        boolean sawNextbest = false;
        for (JsonNode row : steps) {
            String job = row.get(0).asText();
            double offered = row.get(1).asDouble();
            boolean held = row.get(9).asBoolean();
            sawCeiling |= job.equals("ceiling");
            sawNextbest |= job.equals("nextbest");
            if (held && offered != nextbest / 2) {
                assertThat(offered).isLessThanOrEqualTo(job.equals("ceiling") ? ceiling : nextbest);
            }
        }
        assertThat(sawCeiling).isTrue();
        assertThat(sawNextbest).isTrue();
        assertThat(r.get("machine").get("cores").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        String md = Files.readString(dir.resolve("report.md"));
        assertThat(md).contains("# Benchmark: workload smoke").contains("![").contains("| ceilingSustainableRate |");
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("report: ");
    }
}
