package io.nextbest.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

class ReportWriterTest {

    static {
        // surefire sets it too (load-tests/pom.xml); this is for runs from an IDE
        System.setProperty("java.awt.headless", "true");
    }

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    /** The sample report, written once for the tests that only read it (drawing PNGs takes time). */
    @TempDir
    static Path sampleDir;

    static List<Path> sampleFiles;

    @BeforeAll
    static void writeSample() {
        sampleFiles = ReportWriter.write(sampleReport(), sampleDir.resolve("out/run-1"));
    }

    static Report sampleReport() {
        Report r = new Report();
        r.title = "Benchmark: workload small";
        r.command = "bin/bench --workload small --rate 15200 | tee bench.log";
        r.configuration.put("workload", "small");
        r.configuration.put("rate", 15200);
        r.configuration.put("durationSeconds", 60);
        r.configuration.put("zipfExponent", 1.25);
        r.configuration.put("checkpointing", true);
        r.machine.put("cores", 8);
        r.machine.put("osName", "Linux");
        r.machine.put("dateTime", "2025-03-01T12:00:00Z");
        r.figures.put("sustainableRate", 15200);
        r.figures.put("p99Ms", 12.3456);
        r.figures.put("meanMs", 3.0);
        r.figures.put("errorRate", 0.000123456);
        r.figures.put("hitRate", 0.5);
        r.figures.put("undefined", Double.NaN);
        r.figures.put("verdict", "pass | barely");
        r.tables.add(new Report.Table("Latency by stage",
                List.of("stage", "count", "p50 ms", "p99 ms"),
                List.of(List.of("source", 1000L, 0.25, 1.5),
                        List.of("score", 1000L, 2.0, 17.123456),
                        Arrays.asList("sink", 999L, null, 40.0))));
        r.charts.add(new Report.Chart("throughput", "Throughput", "time (s)", "events/s", false, List.of(
                new Report.Series("in", new double[] {0, 1, 2, 3}, new double[] {100, 15000, 15200, 15100}),
                new Report.Series("out", new double[] {0, 1, 2, 3}, new double[] {0, 14800, 15150, 15190}))));
        r.charts.add(new Report.Chart("latency-over-time", "Latency percentiles over time", "time (s)",
                "latency (ms)", true, List.of(
                        // zero and negative values cannot be drawn on a log axis: dropped
                        new Report.Series("p50", new double[] {0, 1, 2, 3}, new double[] {0, 1.5, -2, 2.5}),
                        new Report.Series("p99", new double[] {0, 1, 2, 3}, new double[] {12, 30, 250, Double.NaN}),
                        new Report.Series("empty", new double[0], new double[0]))));
        r.notes.add("Single machine: broker and job share the cores.");
        r.notes.add("Accuracy not measured.");
        return r;
    }

    @Test
    void writesMarkdownJsonAndPngs() {
        Path dir = sampleDir.resolve("out/run-1");
        List<Path> files = sampleFiles;

        assertThat(files).containsExactly(dir.resolve("report.md"), dir.resolve("report.json"),
                dir.resolve("throughput.png"), dir.resolve("latency-over-time.png"));
        for (Path f : files) assertThat(f).isRegularFile();
    }

    @Test
    void markdownHasTheTablesAndValues() throws IOException {
        String md = Files.readString(sampleFiles.get(0), StandardCharsets.UTF_8);
        List<String> lines = md.lines().toList();

        assertThat(lines.get(0)).isEqualTo("# Benchmark: workload small");
        assertThat(md).contains("```\nbin/bench --workload small --rate 15200 | tee bench.log\n```\n");

        assertThat(md).contains("""
                ## Machine

                | Property | Value |
                |---|---|
                | cores | 8 |
                | osName | Linux |
                | dateTime | 2025-03-01T12:00:00Z |
                """);
        assertThat(md).contains("""
                ## Configuration

                | Parameter | Value |
                |---|---|
                | workload | small |
                | rate | 15200 |
                | durationSeconds | 60 |
                | zipfExponent | 1.25 |
                | checkpointing | true |
                """);
        assertThat(lines).containsSubsequence(
                "## Figures",
                "| Figure | Value |",
                "| sustainableRate | 15200 |",
                "| p99Ms | 12.346 |",
                "| meanMs | 3 |",
                "| errorRate | 0.000123 |",
                "| hitRate | 0.5 |",
                "| undefined | NaN |",
                "| verdict | pass \\| barely |");
        assertThat(md).contains("""
                ## Latency by stage

                | stage | count | p50 ms | p99 ms |
                |---|---:|---:|---:|
                | source | 1000 | 0.25 | 1.5 |
                | score | 1000 | 2 | 17.123 |
                | sink | 999 | | 40 |
                """);
        assertThat(lines).containsSubsequence(
                "## Charts",
                "![Throughput](throughput.png)",
                "![Latency percentiles over time](latency-over-time.png)",
                "## Notes",
                "- Single machine: broker and job share the cores.",
                "- Accuracy not measured.");
        assertThat(md).endsWith("- Accuracy not measured.\n");
    }

    @Test
    void jsonParsesBackWithTheSameContent() throws IOException {
        Report r = sampleReport();
        Path json = sampleFiles.get(1);
        JsonNode root = MAPPER.readTree(json.toFile());

        // stable key order: the report's fields, then each map in insertion order
        assertThat(iterable(root.fieldNames())).containsExactly(
                "title", "command", "configuration", "machine", "figures", "tables", "charts", "notes");
        assertThat(iterable(root.get("figures").fieldNames())).containsExactlyElementsOf(r.figures.keySet());

        assertThat(root.get("title").asText()).isEqualTo(r.title);
        assertThat(root.get("command").asText()).isEqualTo(r.command);
        Map<String, Object> configuration = MAPPER.convertValue(root.get("configuration"), new TypeReference<>() {});
        assertThat(configuration).containsExactlyEntriesOf(r.configuration);
        Map<String, Object> machine = MAPPER.convertValue(root.get("machine"), new TypeReference<>() {});
        assertThat(machine).containsExactlyEntriesOf(r.machine);

        JsonNode figures = root.get("figures");
        assertThat(figures.get("sustainableRate").isIntegralNumber()).isTrue();
        assertThat(figures.get("sustainableRate").asLong()).isEqualTo(15200);
        assertThat(figures.get("p99Ms").doubleValue()).isEqualTo(12.3456); // full precision, not rounded
        assertThat(figures.get("errorRate").doubleValue()).isEqualTo(0.000123456);
        assertThat(figures.get("meanMs").isNumber()).isTrue();
        assertThat(figures.get("undefined").isNull()).isTrue(); // NaN
        assertThat(figures.get("verdict").asText()).isEqualTo("pass | barely");
        Map<String, Object> expectedFigures = new LinkedHashMap<>(r.figures);
        expectedFigures.put("undefined", null);
        assertThat(MAPPER.convertValue(figures, new TypeReference<Map<String, Object>>() {}))
                .containsExactlyEntriesOf(expectedFigures);

        JsonNode table = root.get("tables").get(0);
        assertThat(table.get("title").asText()).isEqualTo("Latency by stage");
        assertThat(table.get("headers").toString()).isEqualTo("[\"stage\",\"count\",\"p50 ms\",\"p99 ms\"]");
        assertThat(table.get("rows").get(1).toString()).isEqualTo("[\"score\",1000,2.0,17.123456]");
        assertThat(table.get("rows").get(2).get(2).isNull()).isTrue();

        JsonNode chart = root.get("charts").get(1);
        assertThat(chart.get("file").asText()).isEqualTo("latency-over-time.png");
        assertThat(chart.get("logY").asBoolean()).isTrue();
        assertThat(chart.get("xLabel").asText()).isEqualTo("time (s)");
        assertThat(chart.get("series")).hasSize(3); // the JSON keeps everything, even what the PNG drops
        assertThat(chart.get("series").get(1).get("y").toString()).isEqualTo("[12.0,30.0,250.0,null]");

        assertThat(MAPPER.convertValue(root.get("notes"), List.class)).isEqualTo(r.notes);
        assertThat(Files.readString(json)).endsWith("}\n");
    }

    @Test
    void pngsAreRealImagesOfTheExpectedSize() throws IOException {
        for (String name : List.of("throughput.png", "latency-over-time.png")) {
            Path png = sampleFiles.get(0).resolveSibling(name);
            byte[] bytes = Files.readAllBytes(png);
            assertThat(Arrays.copyOf(bytes, 8)).as(name).isEqualTo(PNG_SIGNATURE);
            BufferedImage image = ImageIO.read(png.toFile());
            assertThat(image.getWidth()).as(name).isEqualTo(900);
            assertThat(image.getHeight()).as(name).isEqualTo(500);
        }
    }

    @Test
    void logChartDropsNonPositiveAndNonFiniteValuesAndSkipsEmptySeries() {
        Report.Chart c = sampleReport().charts.get(1);
        XYChart chart = ReportWriter.chart(c);
        Map<String, XYSeries> series = chart.getSeriesMap();
        assertThat(series.keySet()).containsExactly("p50", "p99");
        assertThat(series.get("p50").getXData()).containsExactly(1.0, 3.0);
        assertThat(series.get("p50").getYData()).containsExactly(1.5, 2.5);
        assertThat(series.get("p99").getYData()).containsExactly(12.0, 30.0, 250.0);
        assertThat(chart.getStyler().isYAxisLogarithmic()).isTrue();
        // whole decades around the data: 1 .. 1000
        assertThat(chart.getStyler().getYAxisMin()).isEqualTo(1.0);
        assertThat(chart.getStyler().getYAxisMax()).isEqualTo(1000.0);
        assertThat(chart.getStyler().isLegendVisible()).isTrue();
        assertThat(chart.getXAxisTitle()).isEqualTo("time (s)");
        assertThat(chart.getYAxisTitle()).isEqualTo("latency (ms)");
    }

    @Test
    void linearChartOfNonNegativeValuesStartsAtZero() {
        XYChart chart = ReportWriter.chart(sampleReport().charts.get(0));
        assertThat(chart.getStyler().isYAxisLogarithmic()).isFalse();
        assertThat(chart.getStyler().getYAxisMin()).isEqualTo(0.0);
        assertThat(chart.getSeriesMap().keySet()).containsExactly("in", "out");
    }

    @Test
    void chartWithNothingDrawableStillGetsAnImage() throws IOException {
        Report r = new Report();
        r.title = "empty";
        r.charts.add(new Report.Chart("nothing", "Nothing", "x", "y", true, List.of(
                new Report.Series("zeros", new double[] {1, 2}, new double[] {0, 0}),
                new Report.Series("null arrays", null, null))));
        List<Path> files = ReportWriter.write(r, tmp);
        assertThat(files).endsWith(tmp.resolve("nothing.png"));
        assertThat(ImageIO.read(tmp.resolve("nothing.png").toFile()).getWidth()).isEqualTo(900);
        String md = Files.readString(tmp.resolve("report.md"));
        assertThat(md).isEqualTo("# empty\n\n## Charts\n\n![Nothing](nothing.png)\n");
    }

    @Test
    void seriesOfUnequalLengthIsRejectedBeforeAnythingIsWritten() {
        Report r = new Report();
        r.charts.add(new Report.Chart("bad", "Bad", "x", "y", false,
                List.of(new Report.Series("s", new double[] {1, 2}, new double[] {1}))));
        Path dir = tmp.resolve("bad");
        assertThatThrownBy(() -> ReportWriter.write(r, dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bad'").hasMessageContaining("'s'");
        assertThat(dir).doesNotExist();
    }

    @Test
    void chartFileNamesAreSafeAndUnique() {
        List<Report.Chart> charts = new ArrayList<>();
        for (String f : new String[] {"latency over time.png", "latency-over-time", "../escape", "", "report"}) {
            charts.add(new Report.Chart(f, "t", "x", "y", false, List.of()));
        }
        assertThat(ReportWriter.chartFileNames(charts)).containsExactly(
                "latency-over-time.png", "latency-over-time-2.png", "escape.png", "chart-4.png", "report.png");
    }

    @Test
    void numberFormatting() {
        assertThat(ReportWriter.formatNumber(15200)).isEqualTo("15200");
        assertThat(ReportWriter.formatNumber(-7L)).isEqualTo("-7");
        assertThat(ReportWriter.formatNumber(Long.MAX_VALUE)).isEqualTo("9223372036854775807");
        assertThat(ReportWriter.formatNumber(3.0)).isEqualTo("3");
        assertThat(ReportWriter.formatNumber(15200.0)).isEqualTo("15200");
        assertThat(ReportWriter.formatNumber(1e20)).isEqualTo("100000000000000000000");
        assertThat(ReportWriter.formatNumber(12.3456)).isEqualTo("12.346");
        assertThat(ReportWriter.formatNumber(-12.3456)).isEqualTo("-12.346");
        assertThat(ReportWriter.formatNumber(2.0004)).isEqualTo("2");
        assertThat(ReportWriter.formatNumber(999.9996)).isEqualTo("1000");
        assertThat(ReportWriter.formatNumber(1.5)).isEqualTo("1.5");
        assertThat(ReportWriter.formatNumber(0.5)).isEqualTo("0.5");
        assertThat(ReportWriter.formatNumber(0.123456)).isEqualTo("0.123");
        assertThat(ReportWriter.formatNumber(0.000123456)).isEqualTo("0.000123");
        assertThat(ReportWriter.formatNumber(0.1f)).isEqualTo("0.1");
        assertThat(ReportWriter.formatNumber(-0.0)).isEqualTo("0");
        assertThat(ReportWriter.formatNumber(new BigDecimal("1.23456789"))).isEqualTo("1.235");
        assertThat(ReportWriter.formatNumber(Double.NaN)).isEqualTo("NaN");
        assertThat(ReportWriter.formatNumber(Double.POSITIVE_INFINITY)).isEqualTo("Infinity");
    }

    @Test
    void cellsEscapePipesAndLineBreaks() {
        assertThat(ReportWriter.cell("a|b")).isEqualTo("a\\|b");
        assertThat(ReportWriter.cell("line 1\nline 2")).isEqualTo("line 1<br>line 2");
        assertThat(ReportWriter.cell(null)).isEmpty();
        assertThat(ReportWriter.cell(List.of(1, 2.5))).isEqualTo("1, 2.5");
        Map<String, Object> unordered = new HashMap<>(Map.of("b", 2, "a", 1));
        assertThat(ReportWriter.cell(unordered)).isEqualTo("a=1, b=2");
    }

    @Test
    void reportFromTheHelpersRendersEndToEnd() throws IOException {
        LatencyStats stats = new LatencyStats();
        IntervalLatency overTime = new IntervalLatency(stats, () -> 0L);
        Throughput throughput = new Throughput(10, () -> 0L);
        for (int second = 0; second < 10; second++) {
            for (int i = 1; i <= 1000; i++) {
                stats.record(200 + (long) i * (second + 1)); // µs; slower every second
                throughput.recordInAt(second, 1);
                if (i % 10 != 0) throughput.recordOutAt(second, 1);
            }
            overTime.sample(second + 1);
        }
        Report r = new Report();
        r.title = "Helpers";
        MachineInfo.describe(r.machine);
        r.figures.putAll(stats.toMap());
        r.tables.add(new Report.Table("Latency", LatencyStats.headers("run"), List.of(stats.toRow("all"))));
        r.charts.add(throughput.chart("throughput", "Throughput"));
        r.charts.add(overTime.chart("latency-over-time", "Latency percentiles over time"));
        r.charts.add(stats.cdfChart("latency-cdf", "Latency CDF"));
        List<Path> files = ReportWriter.write(r, tmp);
        assertThat(files).hasSize(5);
        String md = Files.readString(tmp.resolve("report.md"));
        assertThat(md).contains("| run | count | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |");
        assertThat(md).contains("| count | 10000 |");
        for (Path png : files.subList(2, 5)) {
            assertThat(ImageIO.read(png.toFile()).getHeight()).isEqualTo(500);
        }
        String keep = System.getProperty("report.keepDir");
        if (keep != null) {
            Path dest = Path.of(keep);
            Files.createDirectories(dest);
            for (Path f : files) Files.copy(f, dest.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
        return () -> it;
    }
}
