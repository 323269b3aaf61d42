package io.nextbest.loadtest;

import io.nextbest.generator.CatalogFeed;
import io.nextbest.generator.EventSource;
import io.nextbest.generator.SyntheticGenerator;
import io.nextbest.generator.Workload;
import io.nextbest.generator.Workloads;
import io.nextbest.job.config.ConfigException;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Option;
import io.nextbest.job.config.Settings;
import io.nextbest.loadtest.bench.SoakRunner;
import io.nextbest.loadtest.report.MachineInfo;
import io.nextbest.loadtest.report.Report;
import io.nextbest.loadtest.report.ReportWriter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code bin/nextbest soak}: the real job under a steady load for a long time (30 minutes by default), sampled every
 * minute: live heap, RocksDB bytes, checkpoint size and duration, latency. Not in CI.
 */
public final class SoakCommand {
    public static final String USAGE = String.join("\n",
            "  soak     the job at a steady rate for a long time; live heap, RocksDB bytes, checkpoints, latency per",
            "           sample; writes a report with charts and a verdict on whether memory and state stay flat",
            "           --duration D      how long to hold the rate (default 30m)",
            "           --rate N          events/s (default: half the sustainable rate of a quick search first)",
            "           --sample D        how often to sample (default 60s)",
            "           --workload NAME   the generated workload (default demo, the demo's shop; generator/src/main/resources/workloads.yaml)",
            "           --set key=value   override a workload key",
            "           --job key=value   override a job setting (config/nextbest.yaml keys)",
            "           --out DIR         report folder (default reports/soak-<workload>-<time>)");

    private SoakCommand() {}

    public static Path run(String[] args, PrintStream out) throws Exception {
        CommandLine c = CommandLine.parse(args, List.of("duration", "rate", "sample", "workload", "set", "job", "out"));
        if (c.help) {
            out.println(USAGE);
            return null;
        }
        Duration duration = duration(c, "duration", "30m");
        Duration sample = duration(c, "sample", "60s");
        if (sample.compareTo(duration) > 0) {
            throw new ConfigException("--sample (" + c.get("sample", "") + ") is longer than --duration");
        }
        double rate = c.options.containsKey("rate") ? c.number("rate", 0) : 0;
        if (c.options.containsKey("rate") && !(rate > 0)) {
            throw new ConfigException("--rate needs a number of events per second > 0, got '" + c.options.get("rate") + "'");
        }
        String name = c.get("workload", "demo");
        Workload w = c.workload(name, Workloads.load());
        NextbestConfig job = c.jobSettings(w);
        SoakRunner.Settings settings = new SoakRunner.Settings(rate, duration, sample, w.get(Workload.WARMUP),
                job.get(Settings.JOB_PARALLELISM), job.get(Settings.JOB_CHECKPOINT_INTERVAL),
                job.get(Settings.JOB_CHANGELOG_ENABLED) ? job.get(Settings.JOB_CHANGELOG_MATERIALIZE_INTERVAL)
                        : java.time.Duration.ZERO);
        int parts = w.get(Workload.GENERATOR_THREADS);
        out.printf("soak %s: %,d customers, %,d items; %s for %s, a sample every %ss; parallelism %d%n", name,
                w.customers(), w.items(), rate > 0 ? String.format(Locale.ROOT, "%,.0f events/s", rate)
                        : "half the sustainable rate", duration, sample.toSeconds(), settings.parallelism());
        long start = System.currentTimeMillis();
        SoakRunner.Result result = new SoakRunner(settings, job, out).run(skip -> {
            List<EventSource> sources = new ArrayList<>();
            for (int p = 0; p < parts; p++) {
                sources.add(new SyntheticGenerator(w, p, parts, skip, start)); // the driver paces event time
            }
            return sources;
        }, new CatalogFeed(w, start, 0));

        Report r = new Report();
        r.title = "Soak: workload " + name;
        r.command = CommandLine.quoted("bin/nextbest soak", args);
        r.configuration.put("workload", name);
        r.configuration.put("duration", duration.toString());
        r.configuration.put("sample", sample.toString());
        w.toMap().forEach(r.configuration::put);
        CommandLine.describeJob(job, r.configuration);
        MachineInfo.describe(r.machine);
        SoakRunner.describe(result, settings, r);
        r.notes.add("Everything runs in one JVM: the broker, the job (local MiniCluster, RocksDB), the generator and the"
                + " probe. The live heap is the whole JVM's, measured after a full collection forced at each sample (its"
                + " pause shows in that interval's max latency); the GCs column counts the collections in the interval.");
        r.notes.add(String.format(Locale.ROOT, "Flat: the least-squares growth over the last half of the samples is"
                + " below %.0f%% of the series' mean per 10 minutes, for the live heap, RocksDB's bytes (live SST data plus"
                + " memtables) and checkpoint size. State grows while new customers arrive and their windows fill; the"
                + " workload's customers are a fixed population, so it must level off.", SoakRunner.FLAT_GROWTH_PER_10_MIN * 100));
        Path dir = c.out("soak", name);
        ReportWriter.write(r, dir);
        out.printf(Locale.ROOT, "%nsoak %s at %,.0f events/s: live heap %.0f MB, RocksDB %.1f MB, checkpoint %.1f MB at"
                        + " the end; growth per 10 min over the last half: heap %+.1f%%, RocksDB %+.1f%%, checkpoint"
                        + " %+.1f%% → %s%n", duration, result.rate(), (Double) r.figures.getOrDefault("lastLiveHeapMb", Double.NaN),
                (Double) r.figures.getOrDefault("lastRocksDbMb", Double.NaN),
                (Double) r.figures.getOrDefault("lastCheckpointMb", Double.NaN),
                100 * (Double) r.figures.get("liveHeapGrowthPer10Min"),
                100 * (Double) r.figures.get("rocksDbBytesGrowthPer10Min"),
                100 * (Double) r.figures.get("checkpointSizeGrowthPer10Min"),
                Boolean.TRUE.equals(r.figures.get("flat")) ? "flat" : "NOT flat");
        out.println("report: " + dir.resolve(ReportWriter.MARKDOWN_FILE));
        return dir;
    }

    private static Duration duration(CommandLine c, String name, String def) {
        String v = c.get(name, def);
        try {
            Duration d = Option.parseDuration(v);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException();
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--" + name + " needs a duration like 60s, 30m or 2h, got '" + v + "'");
        }
    }
}
