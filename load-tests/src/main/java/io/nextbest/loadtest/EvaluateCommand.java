package io.nextbest.loadtest;

import io.nextbest.generator.InputEvent;
import io.nextbest.job.config.ConfigException;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.loadtest.eval.AccuracyReport;
import io.nextbest.loadtest.eval.EvaluationResult;
import io.nextbest.loadtest.eval.PrequentialEvaluator;
import io.nextbest.loadtest.eval.Variant;
import io.nextbest.loadtest.evaluate.EvaluateRunner;
import io.nextbest.loadtest.evaluate.ReplayRunner;
import io.nextbest.loadtest.replay.DatasetReplay;
import io.nextbest.loadtest.replay.Datasets;
import io.nextbest.loadtest.replay.ReplayOptions;
import io.nextbest.loadtest.replay.ReplayStats;
import io.nextbest.loadtest.report.MachineInfo;
import io.nextbest.loadtest.report.Report;
import io.nextbest.loadtest.report.ReportWriter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code bin/nextbest evaluate --dataset NAME}: prequential accuracy of the real job and the baselines. */
public final class EvaluateCommand {
    public static final String USAGE = String.join("\n",
            "  evaluate prequential accuracy (HR@k, MRR@k, coverage, cold share) of the job and the baselines on a real data set",
            "           --dataset NAME    taobao, rees46, jdata (load-tests/src/main/resources/datasets.yaml;",
            "                             files from ../shared/datasets or -Dnextbest.datasets=DIR)",
            "           --engine replay|job",
            "                             replay (default): the job's parts in process, in event order, publication",
            "                             intervals in event time: causal, deterministic, seconds; job: the real job",
            "                             on Kafka and Flink in lock step (an event goes out once the previous",
            "                             one's list came back), shared inputs at processing time",
            "           --score-from F    with --engine replay: learn from the first share F of the events, score",
            "                             the rest (e.g. 0.5: settings chosen on the first half, reported on the",
            "                             second; default 0: score everything)",
            "           --rate N          with --engine job: at most N events/s (default 2000; 0: no limit)",
            "           --speed F         with --engine job: event time F times faster than real time (default 0: off)",
            "           --customers N     only the first N customers (default: all)",
            "           --rows N          only the first N events (default: all)",
            "           --catalog on|off  a catalog record (category path, brand, price) before each item's first",
            "                             event (default on)",
            "           --cold-threshold N",
            "                             cold share: list entries on items with fewer than N earlier",
            "                             interactions and orders (default 5)",
            "           --job key=value   override a job setting (config/nextbest.yaml keys)",
            "           --out DIR         report folder (default reports/evaluate-<dataset>-<time>)");

    /**
     * Job settings for a replay: lists of 20 (HR@20 needs them), historical event times accepted,
     * trending published often enough to follow a fast replay.
     */
    static final List<String> REPLAY_SETTINGS = List.of(
            "ranking.list-size=20", "ingest.max-event-age=off", "ingest.max-future-skew=off",
            "trending.publish-interval=100ms");

    private EvaluateCommand() {}

    public static Path run(String[] args, PrintStream out) throws Exception {
        CommandLine c = CommandLine.parse(args, List.of("dataset", "engine", "score-from", "rate", "speed", "customers",
                "rows", "catalog", "cold-threshold", "job", "out"));
        if (c.help) {
            out.println(USAGE);
            return null;
        }
        String name = c.required("dataset");
        if (!Datasets.load().names().contains(name)) {
            throw new ConfigException("unknown data set '" + name + "' (known: " + String.join(", ", Datasets.load().names()) + ")");
        }
        String engine = c.get("engine", "replay");
        if (!engine.equals("replay") && !engine.equals("job")) {
            throw new ConfigException("--engine: '" + engine + "' is neither replay nor job");
        }
        boolean inProcess = engine.equals("replay");
        double scoreFrom = c.number("score-from", 0);
        if (scoreFrom < 0 || scoreFrom >= 1) {
            throw new ConfigException("--score-from: " + scoreFrom + " is not a share in [0, 1)");
        }
        if (scoreFrom > 0 && !inProcess) {
            throw new ConfigException("--score-from needs --engine replay");
        }
        double rate = c.number("rate", 2000);
        double speed = c.number("speed", 0);
        boolean catalog = c.onOff("catalog", true);
        int coldThreshold = c.count("cold-threshold", PrequentialEvaluator.DEFAULT_COLD_THRESHOLD);
        ReplayOptions options = ReplayOptions.defaults()
                .withCustomerLimit((int) c.number("customers", 0))
                .withRowLimit((long) c.number("rows", 0))
                .withCatalog(catalog);
        List<InputEvent> events = new ArrayList<>();
        ReplayStats stats;
        try (DatasetReplay replay = DatasetReplay.open(name, options)) {
            replay.forEachRemaining(events::add);
            stats = replay.stats();
        } catch (IllegalStateException e) {
            throw new ConfigException(e.getMessage());
        }
        String pace = inProcess ? "in process, in event order (--rate does not apply)"
                : (rate > 0 ? String.format(Locale.ROOT, "at most %,.0f events/s", rate) : "no rate limit")
                + (speed > 0 ? String.format(Locale.ROOT, ", event time ×%,.0f", speed) : "");
        String replayStats = stats.summary();
        out.printf("evaluate %s: %,d events + %,d catalog records (%s); replaying %s%n", name, stats.eventsSelected(),
                stats.catalogRecords(), replayStats, pace);
        NextbestConfig job = EvaluateRunner.withLandmarkAtStart(
                NextbestConfig.builder().setAll(REPLAY_SETTINGS).setAll(c.jobSettings).build(), events, out);
        EvaluateRunner.Outcome o;
        ReplayRunner.Outcome replayed = null;
        if (inProcess) {
            replayed = new ReplayRunner(job, out).run(events, coldThreshold, scoreFrom);
            o = new EvaluateRunner.Outcome(replayed.result(), replayed.events(), replayed.catalogRecords(),
                    replayed.lists(), replayed.lists(), replayed.seconds(), replayed.seconds());
        } else {
            o = new EvaluateRunner(job, rate, speed, Duration.ofMinutes(5), out).run(events, coldThreshold);
        }

        Report r = new Report();
        r.title = "Accuracy: data set " + name + " (prequential, test-then-train)";
        r.command = CommandLine.quoted("bin/nextbest evaluate", args);
        r.configuration.put("dataset", name);
        r.configuration.put("replay", replayStats);
        r.configuration.put("engine", inProcess ? "replay (in process)" : "job (Kafka + Flink)");
        r.configuration.put("replay pace", pace);
        r.configuration.put("scored", scoreFrom > 0 ? String.format(Locale.ROOT, "events after the first %.0f%%"
                + " (learned from, not scored)", 100 * scoreFrom) : "every event");
        r.configuration.put("catalog", catalog ? "on" : "off");
        r.configuration.put("job overrides (--job)", c.jobSettings.isEmpty() ? "none" : String.join(" ", c.jobSettings));
        r.configuration.put("job settings for replays", String.join(" ", REPLAY_SETTINGS));
        job.toMap().forEach((k, v) -> {
            if (!k.startsWith("kafka.") && !k.equals("job.checkpoint-dir")) {
                r.configuration.put(k, v);
            }
        });
        MachineInfo.describe(r.machine);
        r.figures.put("catalogRecordsSent", stats.catalogRecords());
        r.figures.put("catalogRecordsWithoutCategory", stats.catalogRecordsWithoutCategory());
        r.figures.put("listsExpected", o.expectedLists());
        r.figures.put("listsReceived", o.receivedLists());
        r.figures.put("replaySeconds", o.sendSeconds());
        r.figures.put("runSeconds", o.totalSeconds());
        if (replayed != null) {
            r.figures.put("listsChecked", replayed.checked());
            r.figures.put("leakingLists", replayed.leaks());
            r.figures.put("deadLetters", replayed.deadLetters());
            r.figures.put("neighbourListsPublished", replayed.neighbourListsPublished());
        }
        EvaluationResult result = o.result();
        AccuracyReport.addTo(r, result);
        for (var m : result.metrics()) {
            if (m.variant() == Variant.ALL) {
                r.figures.put(m.column() + " HR@20", m.hr20());
                r.figures.put(m.column() + " MRR@20", m.mrr20());
                r.figures.put(m.column() + " cold share", m.coldShare());
            }
        }
        r.notes.add("Protocol: events in event-time order (ties in file order); for each interaction or order of a"
                + " customer with an earlier event, the latest list the engine emitted for that customer before it"
                + " (the one its previous event triggered) is scored, and each baseline's top 20 at that moment;"
                + " then all learn from the event. Remove-from-cart is learned from, never scored.");
        r.notes.add("The engine's lists leave out what the customer has in the basket or bought (its defaults);"
                + " the baselines are scored under that rule too (engine rule), and, as the reference evaluator"
                + " prequential_ref.py, with every item the customer touched before excluded (seen excluded) and"
                + " with nothing excluded (seen included).");
        if (inProcess) {
            r.notes.add(String.format(Locale.ROOT, "Causal by construction: the engine's parts (customer step, similarity"
                    + " and trending paths, hybrid ranker) ran in process in event order, each publication interval in"
                    + " event time; a list saw only records before the event it followed. Checked: %,d scored lists,"
                    + " %,d whose inputs had seen the scored event or a later one. Deterministic: no clock, no threads;"
                    + " two runs of each data set gave identical figures (run-to-run spread 0), and --rate does not"
                    + " apply.", replayed.checked(), replayed.leaks()));
        } else {
            r.notes.add("The engine sees the events through Kafka at the replay rate; its trending list is published"
                    + " every 100 ms of processing time, so it lags the replay slightly. Events of one customer on"
                    + " different topics (interactions, transactions) are not ordered against each other by Kafka."
                    + " The replay runs in lock step (each event is sent once the previous event's list was read back),"
                    + " but trending, the neighbour index and the catalog reach the customer stage at processing time:"
                    + " use --engine replay for figures that count.");
        }
        r.notes.add(catalog
                ? "Catalog records (category path, else category; brand; price of the row, else 0) go to the catalog"
                        + " topic, keyed by item id, right before the first event on each item; the job may read one"
                        + " shortly after that event (different topics). They are not events: never scored, not"
                        + " counted by the baselines nor by the cold share."
                : "No catalog records were sent (--catalog off): the job knew no item's category, brand or price.");
        if (o.receivedLists() < o.expectedLists()) {
            r.notes.add(String.format(Locale.ROOT, "Only %,d of %,d lists arrived in time; events without their"
                    + " list were scored against the customer's list before.", o.receivedLists(), o.expectedLists()));
        }
        Path dir = c.out("evaluate", name);
        ReportWriter.write(r, dir);
        out.println();
        out.printf("%-36s %8s %8s %8s %8s %8s %8s%n", "", "HR@10", "HR@20", "MRR@10", "MRR@20", "coverage", "cold");
        for (var m : result.metrics()) {
            if (m.variant() != Variant.ALL) {
                continue;
            }
            out.printf(Locale.ROOT, "%-36s %8.4f %8.4f %8.4f %8.4f %8.4f %8.4f%n", m.column(), m.hr10(), m.hr20(),
                    m.mrr10(), m.mrr20(), m.coverage(), m.coldShare());
        }
        out.printf("(every scored event; cold: share of list entries on items with fewer than %d earlier interactions;"
                + " %,d scored events; %,d of %,d lists received)%n", coldThreshold,
                result.metrics(PrequentialEvaluator.ENGINE, Variant.ALL).scored(), o.receivedLists(), o.expectedLists());
        if (replayed != null) {
            out.printf(Locale.ROOT, "causality: %,d scored lists checked, %,d saw the scored event or a later one;"
                    + " replay %.1f s%n", replayed.checked(), replayed.leaks(), replayed.seconds());
        }
        out.println("report: " + dir.resolve(ReportWriter.MARKDOWN_FILE));
        return dir;
    }
}
