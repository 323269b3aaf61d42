package io.nextbest.loadtest;

import io.nextbest.job.config.ConfigException;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.rules.ExperimentRule;
import io.nextbest.job.rules.ParsedRule;
import io.nextbest.job.rules.RuleException;
import io.nextbest.job.rules.RuleParser;
import io.nextbest.loadtest.experiment.ExperimentReport;
import io.nextbest.loadtest.experiment.TopicSnapshot;
import io.nextbest.loadtest.report.MachineInfo;
import io.nextbest.loadtest.report.Report;
import io.nextbest.loadtest.report.ReportWriter;
import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.ExperimentMetrics;
import io.nextbest.schemas.messages.Rule;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * {@code bin/nextbest experiment-report --experiment ID}: an experiment's result, from the {@code experiment-metrics}
 * topic (what the arms did) and the {@code rules} topic (the experiment as configured: its arms, shares and planned
 * size), as Markdown, JSON and PNG charts.
 */
public final class ExperimentReportCommand {
    public static final String USAGE = String.join("\n",
            "  experiment-report  an experiment's result, from the experiment-metrics and rules topics of a running",
            "           deployment: per variant against control the click rate, conversion rate and revenue per exposed",
            "           customer with intervals, uplift, p-values and the minimum detectable effect; the sample-ratio",
            "           check; a peeking note; charts of the cumulative uplift (docs/experiments.md)",
            "           --experiment ID   the experiment's ruleId (required)",
            "           --config FILE     configuration with kafka.* (default: config/nextbest.yaml's defaults)",
            "           --set key=value   override a setting, e.g. kafka.bootstrap-servers=host:9092; repeatable",
            "           --alpha A         two-sided significance level (default 0.05)",
            "           --power P         power of the minimum detectable effect (default 0.8)",
            "           --until TIME      only windows starting before TIME (ISO-8601, e.g. 2026-12-15T00:00:00Z)",
            "           --timeout D       give up reading a topic after D (default 60s)",
            "           --out DIR         report folder (default reports/experiment-<id>-<time>)");

    private ExperimentReportCommand() {}

    public static Path run(String[] args, PrintStream out) throws Exception {
        CommandLine c = CommandLine.parse(args, List.of("experiment", "config", "set", "alpha", "power", "until",
                "timeout", "out"));
        if (c.help) {
            out.println(USAGE);
            return null;
        }
        String id = c.required("experiment");
        double alpha = c.number("alpha", 0.05);
        double power = c.number("power", 0.8);
        if (!(alpha > 0 && alpha < 0.5) || !(power > 0 && power < 1)) {
            throw new ConfigException("--alpha needs a level in (0, 0.5) and --power one in (0, 1), got " + alpha
                    + " and " + power);
        }
        Instant until = null;
        if (c.options.containsKey("until")) {
            try {
                until = Instant.parse(c.options.get("until"));
            } catch (DateTimeParseException e) {
                throw new ConfigException("--until needs an ISO-8601 instant like 2026-12-15T00:00:00Z, got '"
                        + c.options.get("until") + "'");
            }
        }
        Duration timeout;
        try {
            timeout = io.nextbest.job.config.Option.parseDuration(c.get("timeout", "60s"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--timeout needs a duration like 60s or 5m, got '" + c.get("timeout", "") + "'");
        }
        NextbestConfig.Builder b = NextbestConfig.builder();
        if (c.options.containsKey("config")) {
            b.file(Path.of(c.options.get("config")));
        }
        NextbestConfig config = b.setAll(c.sets).build();
        Properties kafka = config.kafkaProperties();
        kafka.put("bootstrap.servers", config.get(Settings.KAFKA_BOOTSTRAP));

        out.println("reading " + config.topic(Topics.RULES.name()) + " and " + config.topic(Topics.EXPERIMENT_METRICS.name())
                + " from " + config.get(Settings.KAFKA_BOOTSTRAP) + " …");
        ExperimentRule rule = experiment(kafka, config, id, timeout);
        List<ExperimentMetrics> records = new ArrayList<>();
        TopicSnapshot.read(kafka, config.topic(Topics.EXPERIMENT_METRICS.name()), timeout, (k, v) -> {
            if (v != null) {
                try {
                    records.add(Topics.EXPERIMENT_METRICS.codec().decode(v));
                } catch (InvalidMessageException e) {
                    // not ours to judge here: counted below as unreadable
                }
            }
        });
        if (rule == null) {
            TreeSet<String> known = new TreeSet<>();
            records.forEach(m -> known.add(m.experimentId()));
            throw new ConfigException("experiment '" + id + "' is not on the rules topic (experiments with metrics: "
                    + (known.isEmpty() ? "none" : String.join(", ", known)) + ")");
        }
        ExperimentReport.Result result = ExperimentReport.analyse(plan(rule), records, alpha, power, until);
        Report report = ExperimentReport.report(result, records, alpha, power,
                CommandLine.quoted("bin/nextbest experiment-report", args));
        MachineInfo.describe(report.machine);
        Path dir = c.out("experiment", id.replaceAll("[^A-Za-z0-9._-]", "_"));
        ReportWriter.write(report, dir);
        out.println(summary(result));
        out.println("report: " + dir.resolve(ReportWriter.MARKDOWN_FILE));
        return dir;
    }

    /** The plan of a parsed experiment: control first, then the variants, with their configured shares. */
    public static ExperimentReport.Plan plan(ExperimentRule rule) {
        List<String> arms = new ArrayList<>();
        arms.add(ExperimentRule.CONTROL);
        rule.variants().forEach(v -> arms.add(v.name()));
        return new ExperimentReport.Plan(rule.ruleId(), arms, rule.shares(), rule.plannedCustomers(), rule.validFrom(),
                rule.validTo());
    }

    /** The experiment's newest version on the rules topic (null if absent, deleted, or not an experiment). */
    static ExperimentRule experiment(Properties kafka, NextbestConfig config, String id, Duration timeout)
            throws Exception {
        Map<String, byte[]> latest = new LinkedHashMap<>();
        byte[] wanted = id.getBytes(StandardCharsets.UTF_8);
        TopicSnapshot.read(kafka, config.topic(Topics.RULES.name()), timeout, (k, v) -> {
            if (k != null && java.util.Arrays.equals(k, wanted)) {
                latest.put(id, v);
            }
        });
        byte[] value = latest.get(id);
        if (value == null) {
            return null;
        }
        Rule rule;
        try {
            rule = Topics.RULES.codec().decode(value);
        } catch (InvalidMessageException e) {
            throw new ConfigException("the newest record of '" + id + "' on the rules topic is not a valid rule: "
                    + e.getMessage());
        }
        try {
            ParsedRule parsed = RuleParser.parse(rule);
            if (parsed instanceof ExperimentRule x) {
                return x;
            }
            throw new ConfigException("rule '" + id + "' is a " + parsed.type() + " rule, not an experiment");
        } catch (RuleException e) {
            throw new ConfigException("the experiment '" + id + "' on the rules topic was refused by the job: "
                    + e.getMessage());
        }
    }

    /** The few lines printed on the console. */
    static String summary(ExperimentReport.Result r) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("%d exposed customers; sample ratio %s (p = %.3g)%s%n", r.exposed(),
                r.sampleRatio().mismatch() ? "MISMATCH" : "ok", r.sampleRatio().pValue(), r.peeked() ? "; PEEKING (below the planned size)" : ""));
        r.comparisons().forEach((variant, byMetric) -> byMetric.forEach((metric, cmp) -> s.append(String.format(
                "  %-20s %-22s uplift %+.1f %% [%+.1f, %+.1f], p = %.3g%s%n", variant, metric.label,
                100 * cmp.relativeUplift(), 100 * cmp.relativeLow(), 100 * cmp.relativeHigh(), cmp.pValue(),
                cmp.significant() ? "  significant" : ""))));
        return s.toString().stripTrailing();
    }
}
