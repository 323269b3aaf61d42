package io.nextbest.loadtest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.GarbageCollectionNotificationInfo;
import io.nextbest.generator.EventSource;
import io.nextbest.generator.InputEvent;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.kafka.EmbeddedKafka;
import io.nextbest.loadtest.report.Report;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.HdrHistogram.Histogram;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.apache.flink.core.execution.JobClient;

/**
 * A soak: the real job on this machine (in-process broker, local Flink cluster, RocksDB) under a steady open-loop load
 * for a long time, sampled once per interval — the live heap (after a full collection, forced at each sample, whose
 * pause shows in that interval's maximum latency), RocksDB's live SST and memtable bytes, the
 * newest checkpoint's size and duration, latency — to show that memory and state stop growing once the customers'
 * windows have filled. {@code bin/nextbest soak}.
 */
public final class SoakRunner {
    /** A series is flat when its fitted growth over the last half of the run is below this, per 10 minutes. */
    public static final double FLAT_GROWTH_PER_10_MIN = 0.05;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /**
     * What to run: the rate (0: half the sustainable rate of a quick search first), how long, how often to sample; and
     * with the state changelog its materialize interval ({@code Duration.ZERO} without it), for the checkpoint verdict.
     */
    public record Settings(double rate, Duration duration, Duration sample, Duration warmup, int parallelism,
            Duration checkpointInterval, Duration materializeInterval) {}

    /** One sample: the interval's latency and the state of memory and checkpoints at its end. */
    public record Sample(double minute, long lists, double p50Ms, double p99Ms, double maxMs, double appendP99Ms,
            double liveHeapMb, long gcs, double rocksLiveMb, double rocksMemtableMb, long customers,
            double checkpointMb, double checkpointIncrementMb, double checkpointMs, long backlog) {
        /**
         * RocksDB's whole state: live SST data and memtables. The live SST data alone is no measure with the state
         * changelog on, where checkpoints leave the memtables unflushed until a materialization (every
         * {@code job.changelog.materialize-interval}).
         */
        public double rocksMb() {
            return rocksLiveMb + rocksMemtableMb;
        }
    }

    /** What the soak found. */
    public record Result(double rate, List<BenchRunner.Step> search, List<Sample> samples, double achievedRate,
            long sendErrors) {}

    private final Settings settings;
    private final NextbestConfig baseConfig;
    private final PrintStream progress;

    public SoakRunner(Settings settings, NextbestConfig baseConfig, PrintStream progress) {
        this.settings = settings;
        this.baseConfig = baseConfig;
        this.progress = progress;
    }

    /**
     * Sources of the workload from record {@code skip} on (the same event ids again would be dropped as duplicates).
     * Their event time is the driver's business: it stamps each event with its due time ({@link EventSource#pace}).
     */
    @FunctionalInterface
    public interface Sources {
        List<EventSource> from(long skip);
    }

    public Result run(Sources sources, EventSource catalogFeed) throws Exception {
        List<InputEvent> catalog = new ArrayList<>();
        catalogFeed.forEachRemaining(catalog::add);
        Path work = Files.createTempDirectory("nextbest-soak-");
        int webPort = EmbeddedKafka.freePort();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0)) {
            String prefix = "soak.";
            NextbestConfig config = BenchRunner.jobConfig(baseConfig, kafka.bootstrapServers(), prefix,
                    settings.parallelism(), settings.checkpointInterval(), work);
            BenchRunner.createTopics(kafka.bootstrapServers(), prefix, settings.parallelism());
            BenchRunner.writeCatalog(kafka.bootstrapServers(), prefix, catalog);
            progress.printf("soak: catalog written (%,d items); starting the job (parallelism %d, checkpoints every %ss;"
                    + " web UI on http://127.0.0.1:%d)%n", catalog.size(), settings.parallelism(),
                    settings.checkpointInterval().toSeconds(), webPort);
            StateSizeProbe.reset();
            JobClient client = JobUnderTest.NEXTBEST.start(config, webPort);
            String checkpoints = "http://127.0.0.1:" + webPort + "/jobs/" + client.getJobID() + "/checkpoints";
            List<BenchRunner.Step> steps = new ArrayList<>();
            double rate = settings.rate();
            long searched; // records the warm-up and search sent: the soak's generators resume after them (the same
            // event ids again would be dropped as duplicates)
            BenchSettings search = new BenchSettings(500, 2, 64_000, settings.warmup(), Duration.ofSeconds(20),
                    settings.parallelism(), settings.checkpointInterval(), 0);
            BenchRunner bench = new BenchRunner(search, config, progress);
            // the search overloads the job on purpose: its producers and probe are its own, so that the soak starts
            // with fresh ones and no backlog of the step that did not hold
            try (LatencyProbe probe = new LatencyProbe(kafka.bootstrapServers(), config.topic(JobUnderTest.NEXTBEST.outputTopic()));
                    OpenLoopDriver driver = new OpenLoopDriver(kafka.bootstrapServers(), config::topic,
                            sources.from(0))) {
                bench.warmUp(JobUnderTest.NEXTBEST, driver, probe);
                if (rate <= 0) { // half the sustainable rate, found here as bench finds it (20 s steps from 500/s, ×2)
                    double sustainable = 0;
                    for (double r = search.startRate(); r <= search.maxRate(); r *= search.stepFactor()) {
                        BenchRunner.Step s = bench.step(JobUnderTest.NEXTBEST, driver, probe, r);
                        steps.add(s);
                        progress.printf("soak: rate search %,.0f events/s → %s%n", r, s.verdict());
                        if (!s.held()) {
                            break;
                        }
                        sustainable = r;
                    }
                    if (sustainable == 0) {
                        throw new IllegalStateException("the job held no rate of the search (from "
                                + search.startRate() + " events/s): nothing to soak at");
                    }
                    rate = sustainable / 2;
                    BenchRunner.drain(probe, Duration.ofSeconds(120));
                    progress.printf("soak: after the search, %,d outputs still outstanding; %,d sends failed%s%n",
                            probe.outstanding(), driver.sendErrors(),
                            driver.sendErrors() == 0 ? "" : " (the first: " + driver.firstSendError() + ")");
                }
                searched = driver.sentTotal();
            }
            try (LatencyProbe probe = new LatencyProbe(kafka.bootstrapServers(), config.topic(JobUnderTest.NEXTBEST.outputTopic()));
                    OpenLoopDriver driver = new OpenLoopDriver(kafka.bootstrapServers(), config::topic,
                            sources.from(searched));
                    HeapAfterGc heap = new HeapAfterGc()) {
                progress.printf("soak: %,.0f events/s for %s, a sample every %ss%n", rate, settings.duration(),
                        settings.sample().toSeconds());
                List<Sample> samples = new ArrayList<>();
                Histogram[] minute = {new Histogram(3), new Histogram(3)};
                AtomicLong lists = new AtomicLong();
                long t0 = System.nanoTime();
                ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "soak-sampler");
                    t.setDaemon(true);
                    return t;
                });
                long every = settings.sample().toMillis();
                sampler.scheduleAtFixedRate(() -> {
                    Histogram fromSchedule;
                    Histogram fromAppend;
                    synchronized (minute) {
                        fromAppend = minute[0];
                        fromSchedule = minute[1];
                        minute[0] = new Histogram(3);
                        minute[1] = new Histogram(3);
                    }
                    Sample s = sample((System.nanoTime() - t0) / 60e9, fromAppend, fromSchedule, heap, checkpoints,
                            probe.outstanding());
                    if (driver.sendErrors() > 0) {
                        progress.printf("soak: %,d sends failed so far; the first: %s%n", driver.sendErrors(),
                                driver.firstSendError());
                    }
                    synchronized (samples) {
                        samples.add(s);
                    }
                    progress.printf(Locale.ROOT, "soak: minute %.1f: p50 %.1f ms, p99 %.1f ms; live heap %.0f MB;"
                                    + " RocksDB %.1f MB live + %.1f MB memtables, %,d customers; checkpoint %.1f MB"
                                    + " in %.0f ms; backlog %,d%n", s.minute(), s.p50Ms(), s.p99Ms(), s.liveHeapMb(),
                            s.rocksLiveMb(), s.rocksMemtableMb(), s.customers(), s.checkpointMb(), s.checkpointMs(),
                            s.backlog());
                }, every, every, TimeUnit.MILLISECONDS);
                OpenLoopDriver.Sent sent;
                try {
                    sent = driver.run(rate, settings.duration(), JobUnderTest.NEXTBEST, probe, () -> {
                        Histogram[] h = probe.interval();
                        synchronized (minute) {
                            minute[0].add(h[0]);
                            minute[1].add(h[1]);
                        }
                        lists.addAndGet(h[1].getTotalCount());
                    });
                } finally {
                    // the last interval's sample may be running as the load ends: let it finish (shutdownNow cut its
                    // checkpoint request short, and the sample came after the copy below, printed but not reported)
                    sampler.shutdown();
                    if (!sampler.awaitTermination(60, TimeUnit.SECONDS)) {
                        sampler.shutdownNow();
                    }
                }
                synchronized (samples) {
                    return new Result(rate, steps, List.copyOf(samples), sent.rate(), driver.sendErrors());
                }
            } finally {
                client.cancel().get(60, TimeUnit.SECONDS);
            }
        }
    }

    private static Sample sample(double minute, Histogram fromAppend, Histogram fromSchedule, HeapAfterGc heap,
            String checkpoints, long backlog) {
        long liveBytes = 0;
        long memtableBytes = 0;
        long customers = 0;
        for (Map.Entry<String, StateSizeProbe.StateSize> e : StateSizeProbe.snapshot().entrySet()) {
            liveBytes += e.getValue().liveBytes();
            memtableBytes += e.getValue().memtableBytes();
            if (e.getKey().equals("customer")) {
                customers = e.getValue().keys();
            }
        }
        double checkpointMb = Double.NaN;
        double incrementMb = Double.NaN;
        double checkpointMs = Double.NaN;
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(checkpoints))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode completed = JSON.readTree(r.body()).path("latest").path("completed");
            if (completed.isObject()) {
                checkpointMb = completed.path("state_size").asLong() / 1e6; // the whole state it holds
                incrementMb = completed.path("checkpointed_size").asLong() / 1e6; // what it wrote (incremental)
                checkpointMs = completed.path("end_to_end_duration").asLong();
            }
        } catch (Exception e) {
            // no figure for this sample; the next one tries again
        }
        boolean any = fromSchedule.getTotalCount() > 0;
        HeapAfterGc.Window w = heap.window();
        // the live heap: after a full collection. The floor after young collections is no measure with G1, whose old
        // generation keeps its garbage until a marking cycle, which a heap far below its limit may not start for hours
        System.gc();
        double liveMb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6;
        return new Sample(minute, fromSchedule.getTotalCount(),
                any ? fromSchedule.getValueAtPercentile(50) / 1000.0 : Double.NaN,
                any ? fromSchedule.getValueAtPercentile(99) / 1000.0 : Double.NaN,
                any ? fromSchedule.getMaxValue() / 1000.0 : Double.NaN,
                fromAppend.getTotalCount() > 0 ? fromAppend.getValueAtPercentile(99) / 1000.0 : Double.NaN,
                liveMb, w.collections(), liveBytes / 1e6, memtableBytes / 1e6, customers, checkpointMb,
                incrementMb, checkpointMs, backlog);
    }

    /**
     * The fitted growth of a series over the last half of the samples (least squares), per 10 minutes, as a share
     * of its mean there; NaN when there are fewer than 4 points.
     */
    public static double growthPer10Minutes(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> series) {
        return growthPer10Minutes(samples, samples.stream().mapToDouble(series).toArray());
    }

    /** The same over {@code values}, one per sample. */
    static double growthPer10Minutes(List<Sample> samples, double[] values) {
        SimpleRegression fit = new SimpleRegression();
        double sum = 0;
        int n = 0;
        for (int i = samples.size() / 2; i < samples.size(); i++) {
            double y = values[i];
            if (!Double.isNaN(y)) {
                fit.addData(samples.get(i).minute(), y);
                sum += y;
                n++;
            }
        }
        if (n < 4 || sum == 0) {
            return Double.NaN;
        }
        return fit.getSlope() * 10 / (sum / n);
    }

    /**
     * The heap in use right after each garbage collection (all heap pools, as the collector reports it), the lowest
     * of the current window: the floor that a leak raises. The whole JVM's: broker, generator and probe included.
     */
    static final class HeapAfterGc implements AutoCloseable, NotificationListener {
        record Window(double lowestMb, long collections) {}

        private final List<NotificationEmitter> emitters = new ArrayList<>();
        private long lowest = Long.MAX_VALUE;
        private long collections;

        HeapAfterGc() {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter e) {
                    e.addNotificationListener(this, null, null);
                    emitters.add(e);
                }
            }
        }

        @Override
        public synchronized void handleNotification(Notification n, Object handback) {
            if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                return;
            }
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
            long used = 0;
            for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
                MemoryUsage after = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
                if (after != null && pool.getType() == java.lang.management.MemoryType.HEAP) {
                    used += after.getUsed();
                }
            }
            lowest = Math.min(lowest, used);
            collections++;
        }

        /** The window's lowest heap after a collection (NaN without one) and how many ran; starts a new window. */
        synchronized Window window() {
            Window w = new Window(collections == 0 ? Double.NaN : lowest / 1e6, collections);
            lowest = Long.MAX_VALUE;
            collections = 0;
            return w;
        }

        @Override
        public void close() {
            for (NotificationEmitter e : emitters) {
                try {
                    e.removeNotificationListener(this);
                } catch (Exception ignored) {
                    // already gone
                }
            }
        }
    }

    /**
     * Per sample, the smallest checkpoint size of the samples within {@code window} before it (both ends included, so
     * that the window holds one materialization however the samples fall; NaN when none has a figure). With the state
     * changelog a checkpoint holds RocksDB's last materialization plus the log of every change since, so its size
     * climbs for a whole materialize interval and drops at the next one (a 30-minute soak at 2,000 events/s: from 0.3
     * to 3.3 GB every 10 minutes): a fit over it says more about where in that cycle the soak ended than about the
     * state. The smallest size within one interval follows the state.
     */
    static double[] checkpointFloor(List<Sample> samples, Duration window) {
        double minutes = window.toMillis() / 60_000.0;
        double[] out = new double[samples.size()];
        for (int i = 0; i < out.length; i++) {
            double low = Double.NaN;
            for (int j = i; j >= 0 && samples.get(j).minute() >= samples.get(i).minute() - minutes; j--) {
                double y = samples.get(j).checkpointMb();
                if (!Double.isNaN(y) && !(y >= low)) {
                    low = y;
                }
            }
            out[i] = low;
        }
        return out;
    }

    /** Fills the report: the per-sample table, the charts, the growth figures and the verdict. */
    public static void describe(Result o, Settings settings, Report r) {
        List<Sample> s = o.samples();
        r.figures.put("soakRate", o.rate());
        r.figures.put("achievedRate", o.achievedRate());
        r.figures.put("samples", s.size());
        r.figures.put("sendErrors", o.sendErrors());
        boolean changelog = settings.materializeInterval().compareTo(Duration.ZERO) > 0;
        double[] floor = changelog ? checkpointFloor(s, settings.materializeInterval()) : null;
        Map<String, double[]> flat = new java.util.LinkedHashMap<>();
        flat.put("liveHeap", s.stream().mapToDouble(Sample::liveHeapMb).toArray());
        flat.put("rocksDbBytes", s.stream().mapToDouble(Sample::rocksMb).toArray());
        if (changelog) {
            flat.put("checkpointFloor", floor); // the verdict's; the raw size's growth is reported beside it
            r.figures.put("checkpointSizeGrowthPer10Min", growthPer10Minutes(s, Sample::checkpointMb));
            r.notes.add(String.format(Locale.ROOT, "With the state changelog a checkpoint holds the last materialization"
                    + " plus the log since: its size climbs for each materialize interval (%s) and drops at the next."
                    + " The verdict judges the smallest checkpoint within one interval before each sample"
                    + " (checkpointFloorGrowthPer10Min), not the raw size.", settings.materializeInterval()));
        } else {
            flat.put("checkpointSize", s.stream().mapToDouble(Sample::checkpointMb).toArray());
        }
        boolean allFlat = true;
        for (var e : flat.entrySet()) {
            double g = growthPer10Minutes(s, e.getValue());
            r.figures.put(e.getKey() + "GrowthPer10Min", g);
            allFlat &= !Double.isNaN(g) && Math.abs(g) < FLAT_GROWTH_PER_10_MIN;
        }
        r.figures.put("flat", allFlat);
        if (!s.isEmpty()) {
            Sample last = s.get(s.size() - 1);
            r.figures.put("lastLiveHeapMb", last.liveHeapMb());
            r.figures.put("lastRocksDbMb", last.rocksMb());
            r.figures.put("lastRocksDbLiveMb", last.rocksLiveMb());
            r.figures.put("lastCheckpointMb", last.checkpointMb());
            r.figures.put("lastCustomers", last.customers());
        }
        List<List<Object>> rows = new ArrayList<>();
        for (Sample x : s) {
            rows.add(List.of(x.minute(), x.lists(), x.p50Ms(), x.p99Ms(), x.maxMs(), x.appendP99Ms(), x.liveHeapMb(),
                    x.gcs(), x.rocksLiveMb(), x.rocksMemtableMb(), x.customers(), x.checkpointMb(),
                    x.checkpointIncrementMb(), x.checkpointMs(), x.backlog()));
        }
        r.tables.add(new Report.Table(String.format(Locale.ROOT, "Samples (every %ss at %,.0f events/s)",
                settings.sample().toSeconds(), o.rate()), List.of("minute", "lists", "p50 ms", "p99 ms", "max ms",
                        "p99 from append ms", "live heap MB (after a full GC)", "GCs", "RocksDB live MB", "memtables MB",
                        "customers in state", "checkpoint MB", "checkpoint written MB", "checkpoint ms", "backlog"),
                rows));
        if (!o.search().isEmpty()) {
            List<List<Object>> search = new ArrayList<>();
            for (BenchRunner.Step st : o.search()) {
                search.add(List.of(st.offered(), st.achieved(), st.outRate(), st.held(), st.verdict()));
            }
            r.tables.add(new Report.Table("Rate search before the soak (20 s steps)",
                    List.of("offered/s", "achieved/s", "out/s", "held", "verdict"), search));
        }
        double[] t = s.stream().mapToDouble(Sample::minute).toArray();
        List<Report.Series> memory = new ArrayList<>(List.of(
                new Report.Series("live heap (after a full GC)", t, s.stream().mapToDouble(Sample::liveHeapMb).toArray()),
                new Report.Series("RocksDB live", t, s.stream().mapToDouble(Sample::rocksLiveMb).toArray()),
                new Report.Series("RocksDB memtables", t, s.stream().mapToDouble(Sample::rocksMemtableMb).toArray()),
                new Report.Series("checkpoint size", t, s.stream().mapToDouble(Sample::checkpointMb).toArray())));
        if (changelog) {
            memory.add(new Report.Series("checkpoint size, lowest within a materialize interval", t, floor));
        }
        r.charts.add(new Report.Chart("soak-memory", "Heap after GC and RocksDB state over the soak", "minute", "MB",
                false, memory));
        r.charts.add(new Report.Chart("soak-latency", "Latency per interval (from schedule) and checkpoint duration",
                "minute", "ms", true, List.of(new Report.Series("p50", t, s.stream().mapToDouble(Sample::p50Ms).toArray()),
                        new Report.Series("p99", t, s.stream().mapToDouble(Sample::p99Ms).toArray()),
                        new Report.Series("max", t, s.stream().mapToDouble(Sample::maxMs).toArray()),
                        new Report.Series("checkpoint duration", t,
                                s.stream().mapToDouble(Sample::checkpointMs).toArray()))));
    }
}
