package io.nextbest.loadtest.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where the CPU of a bench step went: every Java thread's CPU time over the step (ThreadMXBean), put in a
 * part of the run by its name, and the process's CPU time for what no Java thread accounts for (the JIT
 * compiler's and the garbage collector's threads, threads that ended during the step). Everything of a bench
 * run shares one JVM and the machine's cores, so this says what the ratio to the ceiling measures: how much of
 * the machine the job got, and how much the broker, the generator and the probe took beside it.
 */
public final class CpuSplit {

    /** The parts of a run, in the order a report lists them. */
    public enum Part {
        CUSTOMER_STAGE("job: customer stage", true),
        ITEM_STAGE("job: item stage", true),
        SOURCES("job: sources, decoding", true),
        OTHER_OPERATORS("job: other operators", true),
        FLUSHERS_AND_TIMERS("job: output flushers, timers", true),
        SINK_PRODUCERS("job: Kafka producer I/O", true),
        FLINK_RUNTIME("job: Flink runtime", true),
        BROKER("broker", false),
        GENERATOR("generator", false),
        PROBE("probe", false),
        JVM("JVM: JIT, GC, ended threads", false),
        OTHER("other", false);

        private final String label;
        private final boolean job;

        Part(String label, boolean job) {
            this.label = label;
            this.job = job;
        }

        /** The report's column heading. */
        public String label() {
            return label;
        }

        /** One of the job's threads (not the broker's, the harness's or the JVM's). */
        public boolean job() {
            return job;
        }

        /** The name in figures and summaries: {@code customer-stage}, {@code broker}, {@code jvm}. */
        public String shortName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** The generator's producers carry this client id prefix, so that their I/O threads can be told apart. */
    public static final String GENERATOR_CLIENT_ID = "bench-generator";

    /** A Flink task thread: "Name (1/2)#0". */
    private static final Pattern TASK = Pattern.compile(".* \\(\\d+/\\d+\\)#\\d+$");

    private static final String[] BROKER_PREFIXES = {"data-plane-kafka", "broker-", "controller-", "quorum-controller",
        "ExpirationReaper", "group-coordinator", "share-", "TxnMarkerSenderThread", "AddPartitionsToTxnSenderThread",
        "transaction-log-manager", "kafka-scheduler", "kafka-log-cleaner", "raft-", "PersisterStateManager",
        "persister-", "client-metrics-reaper", "network-partition-metadata-client-reaper", "executor-",
        "LogDirFailureHandler", "kafka-" /* kafka-0-raft-io-thread, kafka-0-metadata-loader-…; clients matched before */};

    private static final String[] FLINK_PREFIXES = {"flink-", "Flink-", "jobmanager", "taskmanager_", "resourcemanager_",
        "mini-cluster", "SourceCoordinator", "Checkpoint Timer", "AsyncOperations", "metrics-meter-tick", "Sweeper",
        "BLOB Server", "pool-", "dispatcher", "Timer-"};

    private static final String[] JVM_NAMES = {"Service Thread", "Common-Cleaner", "Reference Handler", "Finalizer",
        "Notification Thread", "Monitor Deflation Thread", "Signal Dispatcher", "Attach Listener", "process reaper",
        "JFR"};

    /** The part of a run a thread belongs to, by its name. */
    public static Part partOf(String name) {
        if (name == null) {
            return Part.OTHER;
        }
        if (name.startsWith("open-loop") || name.contains("| " + GENERATOR_CLIENT_ID)) {
            return Part.GENERATOR;
        }
        if (name.contains("latency-probe")) {
            return Part.PROBE;
        }
        if (TASK.matcher(name).matches()) {
            if (name.startsWith("OutputFlusher for ") || name.startsWith("Time Trigger for ")
                    || name.startsWith("System Time Trigger for ")) {
                return Part.FLUSHERS_AND_TIMERS;
            }
            if (name.startsWith("Customer stage")) {
                return Part.CUSTOMER_STAGE;
            }
            if (name.startsWith("Item stage")) {
                return Part.ITEM_STAGE;
            }
            if (name.startsWith("Source")) {
                return Part.SOURCES;
            }
            return Part.OTHER_OPERATORS;
        }
        if (name.startsWith("kafka-producer-network-thread") || name.startsWith("kafka-admin-client-thread")
                || name.startsWith("kafka-coordinator-heartbeat-thread")) {
            return Part.SINK_PRODUCERS; // the generator's and the probe's clients were matched above
        }
        for (String p : FLINK_PREFIXES) {
            if (name.startsWith(p)) {
                return Part.FLINK_RUNTIME;
            }
        }
        for (String p : BROKER_PREFIXES) {
            if (name.startsWith(p)) {
                return Part.BROKER;
            }
        }
        for (String p : JVM_NAMES) {
            if (name.startsWith(p)) {
                return Part.JVM;
            }
        }
        return Part.OTHER;
    }

    /** CPU seconds per second of wall time (cores) of each part over a step, and the cores of the machine. */
    public record Split(Map<Part, Double> cores, double processCores, int machineCores) {
        /** The cores of all the job's parts. */
        public double jobCores() {
            return cores.entrySet().stream().filter(e -> e.getKey().job()).mapToDouble(Map.Entry::getValue).sum();
        }

        public String summary() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "CPU %.2f of %d cores: job %.2f", processCores,
                    machineCores, jobCores()));
            for (Part p : new Part[] {Part.BROKER, Part.GENERATOR, Part.PROBE, Part.JVM}) {
                b.append(String.format(Locale.ROOT, ", %s %.2f", p.shortName(), cores.getOrDefault(p, 0.0)));
            }
            return b.toString();
        }
    }

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private Map<Long, Long> startTimes = Map.of();
    private long startProcess;
    private long startWall;

    /** Starts a measurement (again). */
    public void start() {
        startTimes = threadTimes(null);
        startProcess = os.getProcessCpuTime();
        startWall = System.nanoTime();
    }

    /** The split since {@link #start()}. */
    public Split stop() {
        double seconds = (System.nanoTime() - startWall) / 1e9;
        long process = os.getProcessCpuTime() - startProcess;
        Map<Long, String> names = new HashMap<>();
        Map<Long, Long> end = threadTimes(names);
        Map<Part, Double> cores = new EnumMap<>(Part.class);
        long accounted = 0;
        for (Map.Entry<Long, Long> e : end.entrySet()) {
            long used = e.getValue() - startTimes.getOrDefault(e.getKey(), 0L);
            if (used <= 0) {
                continue;
            }
            accounted += used;
            cores.merge(partOf(names.get(e.getKey())), used / 1e9 / seconds, Double::sum);
        }
        cores.merge(Part.JVM, Math.max(0, process - accounted) / 1e9 / seconds, Double::sum);
        return new Split(cores, process / 1e9 / seconds, Runtime.getRuntime().availableProcessors());
    }

    private Map<Long, Long> threadTimes(Map<Long, String> names) {
        Map<Long, Long> times = new HashMap<>();
        long[] ids = threads.getAllThreadIds();
        ThreadInfo[] infos = names == null ? null : threads.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long t = threads.getThreadCpuTime(ids[i]);
            if (t < 0) {
                continue; // ended meanwhile, or not measurable
            }
            times.put(ids[i], t);
            if (names != null && infos[i] != null) {
                names.put(ids[i], infos[i].getThreadName());
            }
        }
        return times;
    }
}
