package io.nextbest.loadtest.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a bench or evaluation run found, in a form the {@code ReportWriter} turns into Markdown,
 * JSON and PNG charts. Everything here is data; no formatting decisions.
 */
public final class Report {
    /** e.g. "Benchmark: workload small" */
    public String title;
    /** The command line that produced it, verbatim. */
    public String command;
    /** Workload / data set parameters and job settings, in a stable order. */
    public final Map<String, Object> configuration = new LinkedHashMap<>();
    /** Filled by {@code MachineInfo.describe()}: cores, memory, JVM, OS, time. */
    public final Map<String, Object> machine = new LinkedHashMap<>();
    /** Headline figures (name → number or string), e.g. "sustainableRate": 15200. */
    public final Map<String, Object> figures = new LinkedHashMap<>();
    public final List<Table> tables = new ArrayList<>();
    public final List<Chart> charts = new ArrayList<>();
    /** Free-text notes: caveats, what was not measured. */
    public final List<String> notes = new ArrayList<>();

    /** A table for the Markdown (and the JSON). */
    public record Table(String title, List<String> headers, List<List<Object>> rows) {}

    /**
     * A line chart, saved as {@code <file>.png}: each series is x values and y values of equal length.
     *
     * @param file base name of the PNG, e.g. "latency-over-time"
     * @param logY whether the y axis is logarithmic (latency CDF/percentiles)
     */
    public record Chart(String file, String title, String xLabel, String yLabel, boolean logY, List<Series> series) {}

    public record Series(String name, double[] x, double[] y) {}
}
