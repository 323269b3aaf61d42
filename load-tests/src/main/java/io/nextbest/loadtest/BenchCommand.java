package io.nextbest.loadtest;

import io.nextbest.generator.EventSource;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.loadtest.bench.BenchRunner;
import io.nextbest.loadtest.bench.BenchSettings;
import io.nextbest.loadtest.report.MachineInfo;
import io.nextbest.loadtest.report.Report;
import io.nextbest.loadtest.report.ReportWriter;
import io.nextbest.generator.CatalogFeed;
import io.nextbest.generator.SyntheticGenerator;
import io.nextbest.generator.Workload;
import io.nextbest.generator.Workloads;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code bin/nextbest bench --workload NAME}: the ceiling job and Nextbest on the same generated input. */
public final class BenchCommand {
    public static final String USAGE = String.join("\n",
            "  bench    sustainable rate of the ceiling job and of Nextbest, ratio, latency at half rate; writes a report",
            "           --workload NAME   " + String.join(", ", Workloads.load().names())
                    + " (generator/src/main/resources/workloads.yaml)",
            "           --workloads FILE  another workloads file",
            "           --set key=value   override a workload key (e.g. bench.duration=30s)",
            "           --job key=value   override a job setting (config/nextbest.yaml keys)",
            "           --out DIR         report folder (default reports/bench-<workload>-<time>)");

    private BenchCommand() {}

    public static Path run(String[] args, PrintStream out) throws Exception {
        CommandLine c = CommandLine.parse(args, List.of("workload", "workloads", "set", "job", "out"));
        if (c.help) {
            out.println(USAGE);
            return null;
        }
        String name = c.required("workload");
        Workloads all = c.options.containsKey("workloads") ? Workloads.load(Path.of(c.options.get("workloads")))
                : Workloads.load();
        Workload w = c.workload(name, all);
        NextbestConfig job = c.jobSettings(w);
        BenchSettings settings = new BenchSettings(w.get(Workload.SEARCH_START_RATE), w.get(Workload.SEARCH_STEP_FACTOR),
                w.get(Workload.SEARCH_MAX_RATE), w.get(Workload.WARMUP), w.get(Workload.DURATION),
                job.get(Settings.JOB_PARALLELISM), job.get(Settings.JOB_CHECKPOINT_INTERVAL), w.get(Workload.WEB_PORT));
        int parts = w.get(Workload.GENERATOR_THREADS);
        out.printf("bench %s: %,d customers, %,d items; rate search from %,.0f ×%.2f up to %,.0f events/s, "
                        + "each step %ss after a %ss warm-up; parallelism %d, %d generator thread(s)%n",
                name, w.customers(), w.items(), settings.startRate(), settings.stepFactor(), settings.maxRate(),
                settings.window().toSeconds(), settings.warmup().toSeconds(), settings.parallelism(), parts);
        long start = System.currentTimeMillis();
        BenchRunner.Outcome o = new BenchRunner(settings, job, out).run(() -> {
            List<EventSource> sources = new ArrayList<>();
            for (int p = 0; p < parts; p++) {
                sources.add(new SyntheticGenerator(w, p, parts, 0, start));
            }
            return sources;
        }, new CatalogFeed(w, start, 0));

        Report r = new Report();
        r.title = "Benchmark: workload " + name;
        r.command = CommandLine.quoted("bin/nextbest bench", args);
        r.configuration.put("workload", name);
        w.toMap().forEach(r.configuration::put);
        CommandLine.describeJob(job, r.configuration); // the job's settings as run
        MachineInfo.describe(r.machine);
        BenchRunner.describe(o, r);
        r.notes.add("Everything runs in one JVM on this machine: the Kafka broker, the Flink job (local MiniCluster,"
                + " RocksDB, checkpoints), the generator and the probe share the cores. The ceiling job runs under the"
                + " same conditions, so the ratio compares like with like.");
        r.notes.add(String.format(Locale.ROOT, "A step holds when the generator reaches %.0f%% of the offered rate,"
                        + " the backlog of outputs not yet read grows by less than %.1f s of input over the step,"
                        + " and p99 latency from schedule stays under %.0f ms.",
                BenchRunner.MIN_ACHIEVED_SHARE * 100, BenchRunner.MAX_BACKLOG_GROWTH_SECONDS, BenchRunner.MAX_P99_MILLIS));
        r.notes.add("Latency from append: broker append time of the input (LogAppendTime) to the moment the probe"
                + " reads the list. From schedule: from the time the open-loop schedule said the event was due, so a"
                + " late generator or broker counts too (coordinated omission corrected).");
        List<String> hints = new ArrayList<>();
        for (BenchRunner.SystemResult sr : List.of(o.ceiling(), o.nextbest())) {
            BenchRunner.searchHint(sr).ifPresent(hints::add);
        }
        r.notes.addAll(hints);
        Path dir = c.out("bench", name);
        ReportWriter.write(r, dir);
        out.printf("%nceiling %,.0f events/s, nextbest %,.0f events/s, ratio %.2f%n",
                o.ceiling().sustainableRate(), o.nextbest().sustainableRate(), r.figures.get("ratioToCeiling"));
        if (o.nextbest().halfRate() != null) {
            out.printf("latency at half rate (from append): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    r.figures.get("halfRateFromAppendP50Ms"), r.figures.get("halfRateFromAppendP99Ms"),
                    r.figures.get("halfRateFromAppendMaxMs"));
        }
        hints.forEach(h -> out.println("hint: " + h));
        out.println("report: " + dir.resolve(ReportWriter.MARKDOWN_FILE));
        return dir;
    }
}
