package io.nextbest.loadtest.bench;

import io.nextbest.loadtest.KafkaClients;
import io.nextbest.kafka.EmbeddedKafka;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.generator.EventSource;
import io.nextbest.generator.InputEvent;
import io.nextbest.loadtest.report.Report;
import io.nextbest.schemas.Topic;
import io.nextbest.schemas.Topics;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One benchmark run on this machine: an in-process Kafka broker, then for the ceiling job and for
 * Nextbest in turn a sustainable-rate search on the same generated input, then Nextbest at half
 * its sustainable rate for latency. Everything lands in a {@link Report}.
 */
public final class BenchRunner {
    /** A step holds if the backlog grows by less than this many seconds of input over the window … */
    public static final double MAX_BACKLOG_GROWTH_SECONDS = 0.2;
    /** … the generator achieved this share of the offered rate … */
    public static final double MIN_ACHIEVED_SHARE = 0.95;
    /** … and p99 latency from schedule stayed below this. */
    public static final double MAX_P99_MILLIS = 1000;

    private final BenchSettings settings;
    private final NextbestConfig baseConfig;
    private final PrintStream progress;

    /** One step of a rate search or the half-rate run. */
    public record Step(JobUnderTest job, double offered, double achieved, double outRate, long backlogStart,
            long backlogEnd, Histogram fromAppend, Histogram fromSchedule, List<double[]> overTime, boolean held,
            String verdict, CpuSplit.Split cpu) {}

    /** All that one system showed. */
    public record SystemResult(JobUnderTest job, List<Step> search, double sustainableRate, Step halfRate,
            Report.Chart throughput, Map<String, StateSizeProbe.StateSize> state, Map<String, Long> counters,
            double bytesPerOutput) {}

    public BenchRunner(BenchSettings settings, NextbestConfig baseConfig, PrintStream progress) {
        this.settings = settings;
        this.baseConfig = baseConfig;
        this.progress = progress;
    }

    /**
     * Runs both systems; {@code sources} gives each system its own copy of the same endless input,
     * as parts that are sent side by side (one thread and producer each).
     */
    public Outcome run(Supplier<List<EventSource>> sources, EventSource catalogFeed) throws Exception {
        catalog = new ArrayList<>();
        catalogFeed.forEachRemaining(catalog::add);
        Path work = Files.createTempDirectory("nextbest-bench-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0)) {
            progress.println("broker up: " + kafka.bootstrapServers());
            SystemResult ceiling = runSystem(JobUnderTest.CEILING, kafka, work, sources.get(), false);
            SystemResult nextbest = runSystem(JobUnderTest.NEXTBEST, kafka, work, sources.get(), true);
            return new Outcome(ceiling, nextbest);
        }
    }

    private List<InputEvent> catalog;

    /** Both systems' results. */
    public record Outcome(SystemResult ceiling, SystemResult nextbest) {}

    private SystemResult runSystem(JobUnderTest job, EmbeddedKafka kafka, Path work, List<EventSource> parts,
            boolean measureHalf) throws Exception {
        String prefix = job.name().toLowerCase(Locale.ROOT) + ".";
        NextbestConfig config = jobConfig(baseConfig, kafka.bootstrapServers(), prefix, settings.parallelism(),
                settings.checkpointInterval(), work);
        createTopics(kafka.bootstrapServers(), prefix, settings.parallelism());
        long items = writeCatalog(kafka.bootstrapServers(), prefix, catalog);
        progress.printf("%s: catalog feed written (%,d items)%n", job, items);
        progress.printf("%s: starting the job (parallelism %d, checkpoints every %ss)%s%n", job,
                settings.parallelism(), settings.checkpointInterval().toSeconds(),
                job == JobUnderTest.NEXTBEST && settings.webPort() > 0
                        ? "; web UI on http://127.0.0.1:" + settings.webPort() : "");
        StateSizeProbe.reset();
        JobClient client = job.start(config, job == JobUnderTest.NEXTBEST ? settings.webPort() : 0);
        Map<String, StateSizeProbe.StateSize> state = Map.of();
        Map<String, Long> counters = Map.of();
        List<Step> steps = new ArrayList<>();
        double sustainable = 0;
        Step halfRate = null;
        Report.Chart throughput;
        double bytesPerOutput;
        try (LatencyProbe probe = new LatencyProbe(kafka.bootstrapServers(), config.topic(job.outputTopic()));
                OpenLoopDriver driver = new OpenLoopDriver(kafka.bootstrapServers(), config::topic, parts)) {
            warmUp(job, driver, probe);
            double rate = settings.startRate();
            while (rate <= settings.maxRate()) {
                Step s = step(job, driver, probe, rate);
                steps.add(s);
                progress.printf("%s: %,.0f events/s offered → %s (%s)%n", job, rate, s.verdict(), s.cpu().summary());
                if (!s.held()) {
                    break;
                }
                sustainable = rate;
                rate *= settings.stepFactor();
            }
            if (measureHalf && sustainable > 0) {
                drain(probe, Duration.ofSeconds(60));
                halfRate = step(job, driver, probe, sustainable / 2);
                progress.printf("%s: half the sustainable rate, %,.0f events/s → %s (%s)%n", job, sustainable / 2,
                        halfRate.verdict(), halfRate.cpu().summary());
            }
            bytesPerOutput = probe.bytesPerOutput();
            String name = job.name().toLowerCase(Locale.ROOT);
            throughput = probe.throughput().chart("throughput-" + name, "Throughput over the run: " + name
                    + " (warm-up, search steps" + (measureHalf ? ", half rate)" : ")"));
            if (job == JobUnderTest.NEXTBEST) {
                state = StateSizeProbe.afterFlush(client, work.resolve("state-reading"), progress);
                counters = StateSizeProbe.counters();
            }
        } finally {
            client.cancel().get(60, TimeUnit.SECONDS);
        }
        return new SystemResult(job, steps, sustainable, halfRate, throughput, state, counters, bytesPerOutput);
    }

    /**
     * The job's settings for a run on this broker: its own topic prefix and group, from the latest offsets, the run's
     * parallelism, checkpoint interval and a checkpoint folder under {@code work}.
     */
    static NextbestConfig jobConfig(NextbestConfig base, String bootstrap, String prefix, int parallelism,
            Duration checkpointInterval, Path work) {
        return base.toBuilder()
                .set("kafka.bootstrap-servers", bootstrap)
                .set("kafka.topic-prefix", prefix)
                .set("kafka.group-id", prefix + "job")
                .set("kafka.starting-offsets", "latest")
                .set("job.parallelism", Integer.toString(parallelism))
                .set("job.checkpoint-interval", checkpointInterval.toMillis() + "ms")
                .set("job.checkpoint-dir", work.resolve(prefix + "checkpoints").toUri().toString())
                .build();
    }

    void warmUp(JobUnderTest job, OpenLoopDriver driver, LatencyProbe probe)
            throws InterruptedException {
        double rate = quarterOf(settings.startRate());
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        progress.printf("%s: warming up at %,.0f events/s for %ss%n", job, rate, settings.warmup().toSeconds());
        driver.run(rate, settings.warmup(), job, probe);
        while (probe.matchedCount() == 0 && System.nanoTime() < deadline) {
            driver.run(rate, Duration.ofSeconds(1), job, probe);
        }
        if (probe.matchedCount() == 0) {
            throw new IllegalStateException(job + " produced no output within two minutes of warm-up");
        }
        drain(probe, Duration.ofSeconds(30));
        probe.interval(); // forget warm-up latencies
    }

    /** A quarter of a rate, at least 10 events/s: the warm-up's rate, and the start a failed search is advised. */
    static double quarterOf(double rate) {
        return Math.max(10, rate / 4);
    }

    /** Waits until every output expected so far was read, or {@code max}. */
    static void drain(LatencyProbe probe, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (probe.outstanding() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    Step step(JobUnderTest job, OpenLoopDriver driver, LatencyProbe probe, double rate)
            throws InterruptedException {
        probe.interval();
        long backlogStart = probe.outstanding();
        long matchedStart = probe.matchedCount();
        List<double[]> overTime = new ArrayList<>();
        Histogram fromAppend = new Histogram(3);
        Histogram fromSchedule = new Histogram(3);
        CpuSplit cpu = new CpuSplit();
        cpu.start();
        long t0 = System.nanoTime();
        OpenLoopDriver.Sent sent = driver.run(rate, settings.window(), job, probe, () -> {
            Histogram[] h = probe.interval();
            fromAppend.add(h[0]);
            fromSchedule.add(h[1]);
            boolean any = h[1].getTotalCount() > 0;
            overTime.add(new double[] {
                (System.nanoTime() - t0) / 1e9,
                any ? h[1].getValueAtPercentile(50) / 1000.0 : Double.NaN,
                any ? h[1].getValueAtPercentile(99) / 1000.0 : Double.NaN,
                any ? h[1].getMaxValue() / 1000.0 : Double.NaN
            });
        });
        double elapsed = (System.nanoTime() - t0) / 1e9;
        CpuSplit.Split split = cpu.stop();
        long backlogEnd = probe.outstanding();
        double achieved = sent.rate();
        double outRate = (probe.matchedCount() - matchedStart) / elapsed;
        double p99 = fromSchedule.getTotalCount() == 0 ? Double.POSITIVE_INFINITY
                : fromSchedule.getValueAtPercentile(99) / 1000.0;
        String verdict;
        boolean held;
        if (achieved < MIN_ACHIEVED_SHARE * rate) {
            held = false;
            verdict = String.format(Locale.ROOT, "not held: the generator reached only %,.0f events/s", achieved);
        } else if (backlogEnd - backlogStart > Math.max(100, MAX_BACKLOG_GROWTH_SECONDS * rate)) {
            held = false;
            verdict = String.format(Locale.ROOT, "not held: backlog grew from %,d to %,d outputs", backlogStart, backlogEnd);
        } else if (p99 > MAX_P99_MILLIS) {
            held = false;
            verdict = String.format(Locale.ROOT, "not held: p99 latency %.0f ms", p99);
        } else {
            held = true;
            verdict = String.format(Locale.ROOT, "held: out %,.0f/s, p50 %.1f ms, p99 %.1f ms, backlog %,d → %,d", outRate,
                    fromSchedule.getValueAtPercentile(50) / 1000.0, p99, backlogStart, backlogEnd);
        }
        return new Step(job, rate, achieved, outRate, backlogStart, backlogEnd, fromAppend, fromSchedule, overTime, held,
                verdict, split);
    }

    /** The workload's full catalog to the catalog topic, before any event (the same for both jobs). */
    static long writeCatalog(String bootstrap, String prefix, List<InputEvent> catalog) {
        Properties p = KafkaClients.producer(bootstrap, 20);
        // not idempotent: the idempotent producer's burst of 10,000 records at start met OutOfOrderSequenceException
        // on the in-process broker (a batch with sequence 0 retried again and again), and writing the catalog took
        // a minute instead of a second. A table fill: one request in flight keeps each item's records in order,
        // and a repeat is harmless
        p.put(org.apache.kafka.clients.producer.ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        p.put(org.apache.kafka.clients.producer.ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (InputEvent e : catalog) {
                byte[] key = e.key() == null ? null : e.key().getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(prefix + e.topic(), key, e.value()));
            }
        }
        return catalog.size();
    }

    static void createTopics(String bootstrap, String prefix, int partitions) throws Exception {
        Map<String, Object> props = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            List<NewTopic> topics = new ArrayList<>();
            for (Topic<?> t : Topics.ALL) {
                NewTopic nt = new NewTopic(prefix + t.name(), partitions, (short) 1);
                if (t.direction() == Topic.Direction.INPUT) {
                    nt.configs(Map.of("message.timestamp.type", "LogAppendTime"));
                }
                topics.add(nt);
            }
            topics.add(new NewTopic(prefix + CeilingJob.OUTPUT, partitions, (short) 1));
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * What to change when a search could not find the sustainable rate: when its first step was not held
     * (it reports 0), or when every step up to {@code bench.rate-search.max-rate} was (the rate is then only a
     * lower bound). Empty when the search found a step it could not hold above one it could.
     */
    public static Optional<String> searchHint(SystemResult s) {
        if (s.search().isEmpty()) {
            return Optional.empty();
        }
        String name = s.job().name().toLowerCase(Locale.ROOT);
        Step first = s.search().get(0);
        if (!first.held()) {
            double lower = Math.floor(quarterOf(first.offered()));
            return Optional.of(String.format(Locale.ROOT, "%s held no step: the first, %,.0f events/s, was %s."
                    + " Start the search lower, e.g. --set bench.rate-search.start-rate=%.0f", name, first.offered(),
                    first.verdict(), lower));
        }
        Step last = s.search().get(s.search().size() - 1);
        if (last.held()) {
            return Optional.of(String.format(Locale.ROOT, "%s held every step up to %,.0f events/s, the search's"
                    + " limit: its sustainable rate is at least that. Raise --set bench.rate-search.max-rate to find"
                    + " it", name, last.offered()));
        }
        return Optional.empty();
    }

    /** Fills the report with what a run found. */
    public static void describe(Outcome o, Report r) {
        double ratio = o.ceiling().sustainableRate() == 0 ? Double.NaN
                : o.nextbest().sustainableRate() / o.ceiling().sustainableRate();
        r.figures.put("ceilingSustainableRate", o.ceiling().sustainableRate());
        r.figures.put("nextbestSustainableRate", o.nextbest().sustainableRate());
        r.figures.put("ratioToCeiling", ratio);
        // what each job writes per input event: one small record for the ceiling, one list for Nextbest
        r.figures.put("ceilingBytesPerOutput", o.ceiling().bytesPerOutput());
        r.figures.put("nextbestBytesPerList", o.nextbest().bytesPerOutput());
        Step h = o.nextbest().halfRate();
        if (h != null) {
            r.figures.put("halfRate", h.offered());
            putLatency(r, "halfRateFromAppend", h.fromAppend());
            putLatency(r, "halfRateFromSchedule", h.fromSchedule());
        }
        List<List<Object>> rows = new ArrayList<>();
        for (SystemResult s : List.of(o.ceiling(), o.nextbest())) {
            for (Step st : s.search()) {
                rows.add(row(st));
            }
        }
        if (h != null) {
            rows.add(row(h));
        }
        r.tables.add(new Report.Table("Rate search (each step held for the window)",
                List.of("job", "offered/s", "achieved/s", "out/s", "backlog start", "backlog end",
                        "p50 ms", "p99 ms", "max ms", "held", "verdict"), rows));
        describeCpu(o, r);
        if (h != null) {
            List<List<Object>> lat = new ArrayList<>();
            lat.add(latencyRow("from append", h.fromAppend()));
            lat.add(latencyRow("from schedule (corrected)", h.fromSchedule()));
            r.tables.add(new Report.Table(String.format(Locale.ROOT,
                    "Nextbest latency at half the sustainable rate (%,.0f events/s), append → suggestions readable",
                    h.offered()), List.of("measured", "count", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms"), lat));
            r.charts.add(overTimeChart(h));
            r.charts.add(cdfChart(h));
        }
        describeState(o.nextbest().state(), r);
        if (!o.nextbest().counters().isEmpty()) {
            List<List<Object>> counterRows = new ArrayList<>();
            o.nextbest().counters().forEach((name, n) -> {
                counterRows.add(List.of(name, n));
                r.figures.put("counter." + name, n);
            });
            r.tables.add(new Report.Table("Nextbest counters over the whole run (all subtasks; replicaUpdates: replica updates"
                    + " received by the customer stage, each instance counting its own)", List.of("counter", "count"),
                    counterRows));
        }
        r.charts.add(o.nextbest().throughput());
        r.charts.add(o.ceiling().throughput());
    }

    /**
     * Where each step's CPU went (cores: CPU seconds per second), by part of the run: the job's threads by stage,
     * the broker's, the generator's, the probe's, and the rest of the JVM. Figures {@code cpu.<job>.<rate>.<part>}.
     */
    private static void describeCpu(Outcome o, Report r) {
        List<Step> steps = new ArrayList<>();
        for (SystemResult s : List.of(o.ceiling(), o.nextbest())) {
            steps.addAll(s.search());
        }
        if (o.nextbest().halfRate() != null) {
            steps.add(o.nextbest().halfRate());
        }
        List<String> columns = new ArrayList<>(List.of("job", "offered/s", "process", "of cores", "job total"));
        for (CpuSplit.Part p : CpuSplit.Part.values()) {
            columns.add(p.label());
        }
        List<List<Object>> rows = new ArrayList<>();
        for (Step st : steps) {
            CpuSplit.Split c = st.cpu();
            String job = st.job().name().toLowerCase(Locale.ROOT);
            List<Object> row = new ArrayList<>(List.of(job, st.offered(), round(c.processCores()), c.machineCores(),
                    round(c.jobCores())));
            for (CpuSplit.Part p : CpuSplit.Part.values()) {
                double cores = c.cores().getOrDefault(p, 0.0);
                row.add(round(cores));
                r.figures.put(String.format(Locale.ROOT, "cpu.%s.%.0f.%s", job, st.offered(), p.shortName()), round(cores));
            }
            rows.add(row);
        }
        r.tables.add(new Report.Table("CPU of each step by part of the run, in cores (CPU seconds per second; the job's"
                + " parts by thread: a stage's task thread holds the operators chained to it, the producer I/O threads are"
                + " its sinks' Kafka clients; JVM: the JIT compiler's and the garbage collector's threads, which are not Java"
                + " threads, and threads that ended during the step)", columns, rows));
    }

    private static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }

    /** RocksDB's own estimates of the Nextbest job's keyed state at the end of its run. */
    private static void describeState(Map<String, StateSizeProbe.StateSize> state, Report r) {
        if (state.isEmpty()) {
            return;
        }
        List<List<Object>> rows = new ArrayList<>();
        state.forEach((cf, s) -> rows.add(List.of(cf, s.keys(), s.liveBytes(), s.memtableBytes(), s.bytesPerKey())));
        r.tables.add(new Report.Table("Nextbest RocksDB state at the end of the run, after a native savepoint (RocksDB's"
                + " estimates over all subtasks: keys, live SST data, memtable arenas)", List.of("state", "keys",
                        "live bytes", "memtable bytes", "live bytes per key"), rows));
        StateSizeProbe.StateSize customers = state.get("customer");
        if (customers != null) {
            r.figures.put("customersInState", customers.keys());
            r.figures.put("stateBytesPerCustomer", customers.bytesPerKey());
        }
        StateSizeProbe.StateSize items = state.get("neighbour-candidates");
        if (items != null) {
            r.figures.put("itemsInState", items.keys());
            r.figures.put("stateBytesPerItem", items.bytesPerKey());
        }
    }

    private static List<Object> row(Step st) {
        Histogram hs = st.fromSchedule();
        boolean any = hs.getTotalCount() > 0;
        return List.of(st.job().name().toLowerCase(Locale.ROOT), st.offered(), st.achieved(), st.outRate(),
                st.backlogStart(), st.backlogEnd(),
                any ? hs.getValueAtPercentile(50) / 1000.0 : Double.NaN,
                any ? hs.getValueAtPercentile(99) / 1000.0 : Double.NaN,
                any ? hs.getMaxValue() / 1000.0 : Double.NaN, st.held(), st.verdict());
    }

    private static List<Object> latencyRow(String what, Histogram h) {
        return List.of(what, h.getTotalCount(), h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(90) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0);
    }

    private static void putLatency(Report r, String name, Histogram h) {
        r.figures.put(name + "P50Ms", h.getValueAtPercentile(50) / 1000.0);
        r.figures.put(name + "P90Ms", h.getValueAtPercentile(90) / 1000.0);
        r.figures.put(name + "P99Ms", h.getValueAtPercentile(99) / 1000.0);
        r.figures.put(name + "P999Ms", h.getValueAtPercentile(99.9) / 1000.0);
        r.figures.put(name + "MaxMs", h.getMaxValue() / 1000.0);
        r.figures.put(name + "Count", h.getTotalCount());
    }

    private static Report.Chart overTimeChart(Step h) {
        int n = h.overTime().size();
        double[] t = new double[n];
        double[] p50 = new double[n];
        double[] p99 = new double[n];
        double[] max = new double[n];
        for (int i = 0; i < n; i++) {
            double[] v = h.overTime().get(i);
            t[i] = v[0];
            p50[i] = v[1];
            p99[i] = v[2];
            max[i] = v[3];
        }
        return new Report.Chart("latency-over-time", "Latency per second at half the sustainable rate (from schedule)",
                "seconds", "ms", true, List.of(new Report.Series("p50", t, p50), new Report.Series("p99", t, p99),
                        new Report.Series("max", t, max)));
    }

    private static Report.Chart cdfChart(Step h) {
        List<Report.Series> series = new ArrayList<>();
        for (Object[] s : new Object[][] {{"from append", h.fromAppend()}, {"from schedule", h.fromSchedule()}}) {
            Histogram hist = (Histogram) s[1];
            double[] pct = {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.5, 99.9, 99.99, 100};
            double[] ms = new double[pct.length];
            for (int i = 0; i < pct.length; i++) {
                ms[i] = hist.getValueAtPercentile(pct[i]) / 1000.0;
            }
            series.add(new Report.Series((String) s[0], ms, pct));
        }
        return new Report.Chart("latency-cdf", "Latency CDF at half the sustainable rate", "latency ms", "percentile",
                false, series);
    }

}
