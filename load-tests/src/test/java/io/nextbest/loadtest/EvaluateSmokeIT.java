package io.nextbest.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.loadtest.replay.Datasets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short evaluation (the first 300 REES46 customers) through the real job: the report is produced,
 * every list came back, and the figures agree with each other. Not a check of how good the ranking is.
 * Paced at 1,000 events/s: unpaced, the whole replay can pass before the first trending list is
 * published (every 100 ms), leaving every list empty.
 */
class EvaluateSmokeIT {
    @TempDir
    Path out;

    @Test
    void shortEvaluationWritesAConsistentReport() throws Exception {
        assumeTrue(Datasets.folder().isPresent(), "the shared data sets are not beside this checkout");
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Path dir = EvaluateCommand.run(new String[] {"--dataset", "rees46", "--customers", "300", "--rate", "1000",
            "--out", out.toString()}, new PrintStream(progress, true, StandardCharsets.UTF_8));

        for (String f : List.of("report.md", "report.json", "accuracy-over-time.png")) {
            assertThat(dir.resolve(f)).as(f).isNotEmptyFile();
        }
        JsonNode r = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        JsonNode f = r.get("figures");
        assertThat(f.get("listsReceived").asLong()).as("every list arrived").isEqualTo(f.get("listsExpected").asLong());
        assertThat(f.get("customers").asLong()).isEqualTo(300);
        long scored = f.get("scoredEvents").asLong();
        assertThat(scored).isPositive().isLessThan(f.get("eventsObserved").asLong());
        assertThat(f.get("novelEvents").asLong()).isLessThanOrEqualTo(scored);
        for (JsonNode table : r.get("tables")) {
            for (JsonNode row : table.get("rows")) {
                String name = row.get(0).asText();
                double hr10 = row.get(2).asDouble();
                double hr20 = row.get(3).asDouble();
                double mrr10 = row.get(4).asDouble();
                double mrr20 = row.get(5).asDouble();
                assertThat(hr10).as(name + " HR@10 ≤ HR@20").isLessThanOrEqualTo(hr20);
                assertThat(mrr10).as(name + " MRR@10 ≤ MRR@20").isLessThanOrEqualTo(mrr20);
                assertThat(mrr20).as(name + " MRR ≤ HR").isLessThanOrEqualTo(hr20);
                assertThat(hr20).isBetween(0.0, 1.0);
                assertThat(row.get(7).asDouble()).as(name + " coverage").isBetween(0.0, 1.0);
            }
        }
        assertThat(f.get("engine HR@20").asDouble()).as("the engine had lists and hit some").isPositive();
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("report: ");
    }
}
