package io.nextbest.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.job.config.ConfigException;
import io.nextbest.loadtest.decisions.DecisionReport;
import io.nextbest.loadtest.decisions.DecisionSimulation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateDecisionsCommandTest {

    @Test
    void writesTheReportWithItsTablesChartsAndJson(@TempDir Path tmp) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Path out = tmp.resolve("sim");
        Path dir = SimulateDecisionsCommand.run(new String[] {"--customers", "200", "--decisions-per-customer", "10",
            "--seed", "7", "--out", out.toString()}, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(dir).isEqualTo(out);
        String console = bytes.toString(StandardCharsets.UTF_8);
        assertThat(console).contains("200 customers × 10 decisions = 2,000 decisions", "report: " + out.resolve("report.md"));

        String md = Files.readString(out.resolve("report.md"));
        assertThat(md).contains("# Decision simulation: scenario standard",
                "bin/nextbest simulate-decisions --customers 200 --decisions-per-customer 10 --seed 7 --out",
                "## Scenario standard: the actions and the hidden truth", "| premium-upgrade | 900 | 40 | 6.1 |",
                "## Totals per policy", "## Most frequent choice in the last quarter of the decisions",
                "![", DecisionReport.NET_VALUE_CHART + ".png", DecisionReport.REGRET_CHART + ".png");
        for (DecisionSimulation.Policy p : DecisionSimulation.Policy.values()) {
            assertThat(md).contains("| " + p.label() + " | 2000 |");
        }
        for (String chart : List.of(DecisionReport.NET_VALUE_CHART, DecisionReport.REGRET_CHART)) {
            Path png = out.resolve(chart + ".png");
            assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(900);
        }

        JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertThat(json.get("configuration").get("seed").asLong()).isEqualTo(7);
        assertThat(json.get("figures").get("none.netValue").asDouble()).isZero();
        assertThat(json.get("figures").get("oracle.regret").asDouble()).isZero();
        JsonNode netValue = json.get("charts").get(0);
        assertThat(netValue.get("file").asText()).isEqualTo(DecisionReport.NET_VALUE_CHART + ".png");
        List<String> series = new ArrayList<>();
        netValue.get("series").forEach(s -> series.add(s.get("name").asText()));
        assertThat(series).containsExactlyInAnyOrder("thompson", "ucb", "greedy", "fixed-priority", "random", "none",
                "oracle");
        // the curve starts at 0 and ends at the total of its policy, in thousands
        JsonNode thompson = netValue.get("series").get(series.indexOf("thompson"));
        assertThat(thompson.get("x").get(0).asDouble()).isZero();
        assertThat(thompson.get("y").get(0).asDouble()).isZero();
        assertThat(thompson.get("x").get(thompson.get("x").size() - 1).asDouble()).isEqualTo(2.0);
        assertThat(thompson.get("y").get(thompson.get("y").size() - 1).asDouble() * 1000)
                .isCloseTo(json.get("figures").get("thompson.netValue").asDouble(), within(0.01));
        JsonNode regret = json.get("charts").get(1);
        assertThat(regret.get("file").asText()).isEqualTo(DecisionReport.REGRET_CHART + ".png");
        assertThat(regret.get("series")).hasSize(6); // no oracle: its regret is 0
    }

    @Test
    void badOptionsAreRefusedByName() {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SimulateDecisionsCommand.run(new String[] {"--customers", "0"}, out))
                .isInstanceOf(ConfigException.class).hasMessage("--customers needs a whole number >= 1, got '0'");
        assertThatThrownBy(() -> SimulateDecisionsCommand.run(new String[] {"--decisions-per-customer", "x"}, out))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--decisions-per-customer").hasMessageContaining("'x'");
        assertThatThrownBy(() -> SimulateDecisionsCommand.run(new String[] {"--seed", "1.5"}, out))
                .isInstanceOf(ConfigException.class).hasMessage("--seed needs a whole number, got '1.5'");
        assertThatThrownBy(() -> SimulateDecisionsCommand.run(new String[] {"--custmers", "5"}, out))
                .isInstanceOf(ConfigException.class).hasMessageContaining("did you mean --customers");
        assertThatThrownBy(() -> SimulateDecisionsCommand.run(new String[] {"--customers", "100000",
            "--decisions-per-customer", "100000"}, out))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must stay below");
    }
}
