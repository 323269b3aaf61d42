package io.nextbest.loadtest.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Turns a {@link Report} into files in one directory:
 *
 * <ul>
 *   <li>{@code report.md}: the title, the command in a code block, the Machine / Configuration /
 *       Figures tables, each {@link Report.Table} under its own heading, each chart embedded as an
 *       image, the notes as a list. Empty sections are left out.
 *   <li>{@code report.json}: everything in the report, keys in a stable order (the order of the
 *       report's maps; maps without an order of their own are sorted by key), numbers as JSON
 *       numbers written in their shortest round-trip form; NaN and ±Infinity as {@code null}.
 *   <li>one {@code <chart.file>.png} per {@link Report.Chart}: an XChart line chart, {@value #WIDTH}×
 *       {@value #HEIGHT}, with legend and axis titles. Points that cannot be drawn are dropped:
 *       non-finite x or y, and y ≤ 0 on a logarithmic y axis. Series left empty are skipped. A
 *       logarithmic y axis spans whole decades; a linear one starts at 0 when no value is negative.
 * </ul>
 *
 * <p>Markdown numbers: integral values without decimals; others rounded to at most 3 decimals,
 * trailing zeros removed, except that magnitudes below 1 keep 3 significant digits (0.000123, not
 * 0). Values that are neither numbers nor strings are written with their {@code toString()}.
 *
 * <p>Chart file names are made safe ({@code [A-Za-z0-9._-]}, a trailing ".png" removed) and made
 * unique within the report; the Markdown and the JSON refer to the name actually written.
 */
public final class ReportWriter {

    public static final String MARKDOWN_FILE = "report.md";
    public static final String JSON_FILE = "report.json";
    public static final int WIDTH = 900;
    public static final int HEIGHT = 500;

    /** Series with more points than this are drawn as lines without markers. */
    private static final int MARKER_LIMIT = 60;

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private ReportWriter() {}

    /**
     * Writes {@code report.md}, {@code report.json} and the chart PNGs into {@code dir} (created
     * with its parents if needed; existing files of the same names are replaced).
     *
     * @return the files written, in that order
     * @throws IllegalArgumentException if a chart series has x and y arrays of different lengths
     *     (checked before anything is written)
     * @throws UncheckedIOException if a file cannot be written
     */
    public static List<Path> write(Report r, Path dir) {
        if (r == null) throw new NullPointerException("report");
        validate(r);
        List<String> chartFiles = chartFileNames(r.charts);
        try {
            Files.createDirectories(dir);
            List<Path> written = new ArrayList<>();

            Path md = dir.resolve(MARKDOWN_FILE);
            Files.writeString(md, markdown(r, chartFiles), StandardCharsets.UTF_8);
            written.add(md);

            Path json = dir.resolve(JSON_FILE);
            try (OutputStream out = Files.newOutputStream(json)) {
                writeJson(r, chartFiles, out);
            }
            written.add(json);

            for (int i = 0; i < r.charts.size(); i++) {
                Path png = dir.resolve(chartFiles.get(i));
                writePng(r.charts.get(i), png);
                written.add(png);
            }
            return List.copyOf(written);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the report to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void validate(Report r) {
        for (Report.Chart c : r.charts) {
            if (c == null || c.series() == null) continue;
            for (Report.Series s : c.series()) {
                if (s == null || s.x() == null || s.y() == null) continue;
                if (s.x().length != s.y().length) {
                    throw new IllegalArgumentException("chart '" + c.file() + "', series '" + s.name()
                            + "': " + s.x().length + " x values but " + s.y().length + " y values");
                }
            }
        }
    }

    // ---------------------------------------------------------------- file names

    /** Safe, unique PNG names, one per chart, in order. */
    static List<String> chartFileNames(List<Report.Chart> charts) {
        List<String> names = new ArrayList<>();
        Set<String> used = new HashSet<>(Set.of(MARKDOWN_FILE, JSON_FILE));
        for (int i = 0; i < charts.size(); i++) {
            Report.Chart c = charts.get(i);
            String base = c == null || c.file() == null ? "" : c.file().strip();
            if (base.toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
                base = base.substring(0, base.length() - 4);
            }
            base = base.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[.-]+", "");
            if (base.isEmpty()) base = "chart-" + (i + 1);
            String name = base + ".png";
            for (int n = 2; !used.add(name.toLowerCase(java.util.Locale.ROOT)); n++) {
                name = base + "-" + n + ".png";
            }
            names.add(name);
        }
        return names;
    }

    // ---------------------------------------------------------------- Markdown

    static String markdown(Report r, List<String> chartFiles) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(inline(r.title == null || r.title.isBlank() ? "Report" : r.title)).append("\n\n");

        if (r.command != null && !r.command.isBlank()) {
            String fence = "```";
            while (r.command.contains(fence)) fence += "`";
            md.append(fence).append('\n').append(r.command.strip()).append('\n').append(fence).append("\n\n");
        }

        keyValueSection(md, "Machine", "Property", r.machine);
        keyValueSection(md, "Configuration", "Parameter", r.configuration);
        keyValueSection(md, "Figures", "Figure", r.figures);

        for (Report.Table t : r.tables) {
            if (t == null) continue;
            md.append("## ").append(inline(t.title() == null || t.title().isBlank() ? "Table" : t.title())).append("\n\n");
            table(md, t.headers() == null ? List.of() : t.headers(), t.rows() == null ? List.of() : t.rows());
        }

        if (!r.charts.isEmpty()) {
            md.append("## Charts\n\n");
            for (int i = 0; i < r.charts.size(); i++) {
                Report.Chart c = r.charts.get(i);
                String alt = c == null || c.title() == null || c.title().isBlank()
                        ? chartFiles.get(i) : c.title();
                md.append("![").append(inline(alt).replace("[", "\\[").replace("]", "\\]")).append("](")
                        .append(chartFiles.get(i)).append(")\n\n");
            }
        }

        List<String> notes = r.notes.stream().filter(n -> n != null && !n.isBlank()).toList();
        if (!notes.isEmpty()) {
            md.append("## Notes\n\n");
            for (String n : notes) {
                md.append("- ").append(n.strip().replace("\r\n", "\n").replace("\n", "\n  ")).append('\n');
            }
            md.append('\n');
        }
        // exactly one trailing newline
        int end = md.length();
        while (end > 0 && md.charAt(end - 1) == '\n') end--;
        md.setLength(end);
        return md.append('\n').toString();
    }

    private static void keyValueSection(StringBuilder md, String heading, String keyHeader, Map<String, Object> map) {
        if (map.isEmpty()) return;
        md.append("## ").append(heading).append("\n\n");
        List<List<Object>> rows = new ArrayList<>();
        map.forEach((k, v) -> rows.add(Arrays.asList(k, v)));
        table(md, List.of(keyHeader, "Value"), rows);
    }

    private static void table(StringBuilder md, List<String> headers, List<List<Object>> rows) {
        int cols = headers.size();
        for (List<Object> row : rows) if (row != null) cols = Math.max(cols, row.size());
        if (cols == 0) {
            md.append("_(empty)_\n\n");
            return;
        }
        // right-align the columns in which every non-empty cell is a number
        boolean[] numeric = new boolean[cols];
        boolean[] seen = new boolean[cols];
        Arrays.fill(numeric, true);
        for (List<Object> row : rows) {
            if (row == null) continue;
            for (int c = 0; c < row.size(); c++) {
                Object v = row.get(c);
                if (v == null) continue;
                seen[c] = true;
                if (!(v instanceof Number)) numeric[c] = false;
            }
        }
        md.append('|');
        for (int c = 0; c < cols; c++) {
            md.append(' ').append(cell(c < headers.size() ? headers.get(c) : "")).append(" |");
        }
        md.append("\n|");
        for (int c = 0; c < cols; c++) md.append(numeric[c] && seen[c] ? "---:|" : "---|");
        md.append('\n');
        for (List<Object> row : rows) {
            md.append('|');
            for (int c = 0; c < cols; c++) {
                Object v = row != null && c < row.size() ? row.get(c) : null;
                String s = cell(v);
                md.append(s.isEmpty() ? " |" : " " + s + " |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    /** A Markdown table cell: formatted, '|' escaped, line breaks as {@code <br>}. */
    static String cell(Object v) {
        return format(v).replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>").replace("\r", "<br>");
    }

    private static String inline(String s) {
        return s.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    /** Text for a value in the Markdown. */
    static String format(Object v) {
        if (v == null) return "";
        if (v instanceof Number n) return formatNumber(n);
        if (v instanceof Optional<?> o) return o.map(ReportWriter::format).orElse("");
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<?, ?> e : ordered(m).entrySet()) {
                if (sb.length() > 0) sb.append(", ");
                sb.append(e.getKey()).append('=').append(format(e.getValue()));
            }
            return sb.toString();
        }
        if (v instanceof Iterable<?> it) {
            StringBuilder sb = new StringBuilder();
            for (Object o : it) {
                if (sb.length() > 0) sb.append(", ");
                sb.append(format(o));
            }
            return sb.toString();
        }
        if (v.getClass().isArray()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0, n = Array.getLength(v); i < n; i++) {
                if (i > 0) sb.append(", ");
                sb.append(format(Array.get(v, i)));
            }
            return sb.toString();
        }
        return v.toString();
    }

    /**
     * Integers as they are; other numbers with at most 3 decimals (trailing zeros removed), or 3
     * significant digits when smaller than 1 in magnitude. NaN / Infinity as "NaN" / "Infinity".
     */
    static String formatNumber(Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger || n instanceof AtomicInteger || n instanceof AtomicLong
                || n instanceof LongAdder) {
            return n.toString();
        }
        BigDecimal d;
        if (n instanceof BigDecimal b) {
            d = b;
        } else {
            double x = n instanceof DoubleAdder a ? a.sum() : n.doubleValue();
            if (Double.isNaN(x)) return "NaN";
            if (Double.isInfinite(x)) return x > 0 ? "Infinity" : "-Infinity";
            // Float via its own shortest form, so 0.1f is 0.1 and not 0.10000000149
            d = n instanceof Float f ? new BigDecimal(Float.toString(f)) : BigDecimal.valueOf(x);
        }
        if (d.signum() == 0) return "0";
        BigDecimal rounded = d.abs().compareTo(BigDecimal.ONE) >= 0
                ? d.setScale(Math.min(3, Math.max(d.scale(), 0)), RoundingMode.HALF_UP)
                : d.round(new MathContext(3, RoundingMode.HALF_UP));
        rounded = rounded.stripTrailingZeros();
        if (rounded.signum() == 0) return "0";
        return rounded.scale() < 0 ? rounded.setScale(0).toPlainString() : rounded.toPlainString();
    }

    // ---------------------------------------------------------------- JSON

    static void writeJson(Report r, List<String> chartFiles, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            // objects one field a line; arrays (table rows, series values) on one line
            g.setPrettyPrinter(new DefaultPrettyPrinter());
            g.writeStartObject();
            g.writeStringField("title", r.title);
            g.writeStringField("command", r.command);
            g.writeFieldName("configuration");
            value(g, r.configuration);
            g.writeFieldName("machine");
            value(g, r.machine);
            g.writeFieldName("figures");
            value(g, r.figures);

            g.writeArrayFieldStart("tables");
            for (Report.Table t : r.tables) {
                if (t == null) continue;
                g.writeStartObject();
                g.writeStringField("title", t.title());
                g.writeFieldName("headers");
                value(g, t.headers() == null ? List.of() : t.headers());
                g.writeFieldName("rows");
                value(g, t.rows() == null ? List.of() : t.rows());
                g.writeEndObject();
            }
            g.writeEndArray();

            g.writeArrayFieldStart("charts");
            for (int i = 0; i < r.charts.size(); i++) {
                Report.Chart c = r.charts.get(i);
                g.writeStartObject();
                g.writeStringField("file", chartFiles.get(i));
                g.writeStringField("title", c == null ? null : c.title());
                g.writeStringField("xLabel", c == null ? null : c.xLabel());
                g.writeStringField("yLabel", c == null ? null : c.yLabel());
                g.writeBooleanField("logY", c != null && c.logY());
                g.writeArrayFieldStart("series");
                if (c != null && c.series() != null) {
                    for (Report.Series s : c.series()) {
                        if (s == null) continue;
                        g.writeStartObject();
                        g.writeStringField("name", s.name());
                        g.writeFieldName("x");
                        doubles(g, s.x());
                        g.writeFieldName("y");
                        doubles(g, s.y());
                        g.writeEndObject();
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();

            g.writeFieldName("notes");
            value(g, r.notes);
            g.writeEndObject();
            g.flush();
            // newline at the end of the file
            g.writeRaw('\n');
        }
    }

    private static void doubles(JsonGenerator g, double[] a) throws IOException {
        g.writeStartArray();
        if (a != null) {
            for (double d : a) number(g, d);
        }
        g.writeEndArray();
    }

    private static void number(JsonGenerator g, double d) throws IOException {
        if (Double.isFinite(d)) g.writeNumber(d);
        else g.writeNull();
    }

    private static void value(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof CharSequence s) {
            g.writeString(s.toString());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer || v instanceof Short || v instanceof Byte
                || v instanceof AtomicInteger) {
            g.writeNumber(((Number) v).intValue());
        } else if (v instanceof Long || v instanceof AtomicLong || v instanceof LongAdder) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof BigInteger b) {
            g.writeNumber(b);
        } else if (v instanceof BigDecimal b) {
            g.writeNumber(b);
        } else if (v instanceof Float f) {
            if (Float.isFinite(f)) g.writeNumber(f);
            else g.writeNull();
        } else if (v instanceof Number n) {
            number(g, n.doubleValue());
        } else if (v instanceof Optional<?> o) {
            value(g, o.orElse(null));
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : ordered(m).entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                value(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Iterable<?> it) {
            g.writeStartArray();
            for (Object o : it) value(g, o);
            g.writeEndArray();
        } else if (v.getClass().isArray()) {
            g.writeStartArray();
            for (int i = 0, n = Array.getLength(v); i < n; i++) value(g, Array.get(v, i));
            g.writeEndArray();
        } else if (v instanceof Enum<?> e) {
            g.writeString(e.name());
        } else {
            g.writeString(v.toString());
        }
    }

    /** The map itself if it has an order of its own, else its entries sorted by key text. */
    private static Map<?, ?> ordered(Map<?, ?> m) {
        if (m instanceof LinkedHashMap<?, ?> || m instanceof SortedMap<?, ?> || m.size() <= 1) return m;
        Map<String, Object> sorted = new TreeMap<>();
        m.forEach((k, val) -> sorted.put(String.valueOf(k), val));
        return sorted;
    }

    // ---------------------------------------------------------------- PNG

    static void writePng(Report.Chart c, Path png) throws IOException {
        XYChart chart = chart(c);
        BufferedImage image = BitmapEncoder.getBufferedImage(chart);
        if (!ImageIO.write(image, "png", png.toFile())) {
            throw new IOException("no PNG writer available for " + png);
        }
    }

    /** The XChart for a report chart (exposed for tests). */
    static XYChart chart(Report.Chart c) {
        XYChart chart = new XYChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title(c.title() == null ? "" : c.title())
                .xAxisTitle(c.xLabel() == null ? "" : c.xLabel())
                .yAxisTitle(c.yLabel() == null ? "" : c.yLabel())
                .build();
        var st = chart.getStyler();
        st.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        st.setLegendVisible(true);
        st.setLegendPosition(Styler.LegendPosition.OutsideS);
        st.setLegendLayout(Styler.LegendLayout.Horizontal);
        st.setChartBackgroundColor(java.awt.Color.WHITE);
        st.setPlotBorderVisible(true);
        st.setAntiAlias(true);

        boolean logY = c.logY();
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        Set<String> names = new HashSet<>();
        int added = 0;
        List<Report.Series> series = c.series() == null ? List.of() : c.series();
        for (int i = 0; i < series.size(); i++) {
            Report.Series s = series.get(i);
            if (s == null || s.x() == null || s.y() == null) continue;
            int n = Math.min(s.x().length, s.y().length);
            double[] xs = new double[n];
            double[] ys = new double[n];
            int k = 0;
            for (int j = 0; j < n; j++) {
                double x = s.x()[j];
                double y = s.y()[j];
                if (!Double.isFinite(x) || !Double.isFinite(y) || (logY && y <= 0)) continue;
                xs[k] = x;
                ys[k] = y;
                k++;
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
            }
            if (k == 0) continue;
            String base = s.name() == null || s.name().isBlank() ? "series " + (i + 1) : s.name();
            String name = base;
            for (int d = 2; !names.add(name); d++) name = base + " (" + d + ")";
            XYSeries xy = chart.addSeries(name, Arrays.copyOf(xs, k), Arrays.copyOf(ys, k));
            if (k > MARKER_LIMIT) xy.setMarker(SeriesMarkers.NONE);
            added++;
        }
        if (logY) {
            st.setYAxisLogarithmic(true);
            if (added > 0) {
                // whole decades, so there are always at least two labelled ticks
                double lo = Math.pow(10, Math.floor(Math.log10(minY)));
                double hi = Math.pow(10, Math.ceil(Math.log10(maxY)));
                if (hi <= lo) hi = lo * 10;
                st.setYAxisMin(lo);
                st.setYAxisMax(hi);
                // within a single decade, label 2..9 too
                st.setYAxisLogarithmicDecadeOnly(hi / lo > 10.5);
            }
        }
        if (!logY && added > 0 && minY >= 0) {
            // counts, rates, latencies: a zero baseline, so that 900 vs 1000 does not look like 0 vs 1000
            st.setYAxisMin(0.0);
        }
        if (added == 0) {
            st.setLegendVisible(false);
            chart.setTitle((c.title() == null ? "" : c.title() + " ") + "(no data)");
        }
        return chart;
    }
}
