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
 * A short evaluation (the first 300 REES46 customers) through the real job: the report is produced,
 * every list came back, catalog records went out (one per item), the run's options are recorded, and
 * the figures agree with each other. Not a check of how good the ranking is.
 * Paced at 1,000 events/s: unpaced, the whole replay can pass before the first trending list is
 * published (every 100 ms), leaving every list empty.
 */
class EvaluateSmokeIT {
    @TempDir
    Path out;

    @Test
    void shortEvaluationWritesAConsistentReport() throws Exception {
        Premise.datasets();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Path dir = EvaluateCommand.run(new String[] {"--dataset", "rees46", "--engine", "job", "--customers", "300",
            "--rate", "1000", "--job", "ranking.list-size=20", "--out", out.toString()},
                new PrintStream(progress, true, StandardCharsets.UTF_8));

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

        // catalog on by default: one record per item, before its first event; not counted as events
        long catalogRecords = f.get("catalogRecordsSent").asLong();
        assertThat(catalogRecords).as("catalog records sent").isPositive()
                .isEqualTo(f.get("itemsSeen").asLong())
                .isEqualTo(f.get("catalogRecords").asLong());
        JsonNode conf = r.get("configuration");
        assertThat(conf.get("catalog").asText()).isEqualTo("on");
        assertThat(conf.get("replay").asText()).contains(catalogRecords + " catalog records");
        assertThat(conf.get("job overrides (--job)").asText()).isEqualTo("ranking.list-size=20");
        assertThat(conf.get("cold threshold").asInt()).isEqualTo(5);

        assertThat(r.get("tables")).hasSize(2);
        boolean engineRow = false;
        for (JsonNode table : r.get("tables")) {
            assertThat(table.get("headers").get(7).asText()).isEqualTo("coverage");
            assertThat(table.get("headers").get(8).asText()).isEqualTo("cold share");
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
                assertThat(row.get(8).isNumber()).as(name + " cold share is a number").isTrue();
                assertThat(row.get(8).asDouble()).as(name + " cold share").isBetween(0.0, 1.0);
                engineRow |= name.equals("engine");
            }
        }
        assertThat(engineRow).isTrue();
        assertThat(f.get("engine cold share").asDouble()).isBetween(0.0, 1.0);
        assertThat(f.get("engine HR@20").asDouble()).as("the engine had lists and hit some").isPositive();
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("report: ");
    }

    /** The default engine, the in-process replay: every scored list checked, none saw its event or a later one. */
    @Test
    void theReplayEvaluationIsCausalAndReportsItsCheck() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Path dir = EvaluateCommand.run(new String[] {"--dataset", "rees46", "--customers", "300", "--out",
            out.resolve("replay").toString()}, new PrintStream(progress, true, StandardCharsets.UTF_8));
        JsonNode f = new ObjectMapper().readTree(dir.resolve("report.json").toFile()).get("figures");
        assertThat(f.get("listsChecked").asLong()).isPositive();
        assertThat(f.get("leakingLists").asLong()).isZero();
        assertThat(f.get("deadLetters").asLong()).isZero();
        assertThat(f.get("engine HR@20").asDouble()).isPositive();
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("causality: ").contains("0 saw the scored event");
    }
}
