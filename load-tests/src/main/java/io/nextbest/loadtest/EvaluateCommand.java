package io.nextbest.loadtest;

import io.nextbest.job.config.ConfigException;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.loadtest.eval.AccuracyReport;
import io.nextbest.loadtest.eval.EvaluationResult;
import io.nextbest.loadtest.eval.PrequentialEvaluator;
import io.nextbest.loadtest.eval.Variant;
import io.nextbest.loadtest.evaluate.EvaluateRunner;
import io.nextbest.loadtest.replay.DatasetReplay;
import io.nextbest.loadtest.replay.Datasets;
import io.nextbest.loadtest.replay.ReplayOptions;
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
final class EvaluateCommand {
    static final String USAGE = String.join("\n",
            "  evaluate prequential accuracy (HR@k, MRR@k, coverage) of the job and the baselines on a real data set",
            "           --dataset NAME    taobao, rees46, jdata (load-tests/src/main/resources/datasets.yaml;",
            "                             files from ../shared/datasets or -Dnextbest.datasets=DIR)",
            "           --rate N          at most N events/s (default 2000; 0: no limit)",
            "           --speed F         event time F times faster than real time (e.g. 3600; default 0: off)",
            "           --customers N     only the first N customers (default: all)",
            "           --rows N          only the first N events (default: all)",
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

    static Path run(String[] args, PrintStream out) throws Exception {
        CommandLine c = CommandLine.parse(args, List.of("dataset", "rate", "speed", "customers", "rows", "job", "out"));
        String name = c.required("dataset");
        if (!Datasets.load().names().contains(name)) {
            throw new ConfigException("unknown data set '" + name + "' (known: " + String.join(", ", Datasets.load().names()) + ")");
        }
        double rate = c.number("rate", 2000);
        double speed = c.number("speed", 0);
        ReplayOptions options = ReplayOptions.defaults()
                .withCustomerLimit((int) c.number("customers", 0))
                .withRowLimit((long) c.number("rows", 0));
        List<InputEvent> events = new ArrayList<>();
        String replayStats;
        try (DatasetReplay replay = DatasetReplay.open(name, options)) {
            replay.forEachRemaining(events::add);
            replayStats = replay.stats().summary();
        } catch (IllegalStateException e) {
            throw new ConfigException(e.getMessage());
        }
        String pace = (rate > 0 ? String.format(Locale.ROOT, "at most %,.0f events/s", rate) : "no rate limit")
                + (speed > 0 ? String.format(Locale.ROOT, ", event time ×%,.0f", speed) : "");
        out.printf("evaluate %s: %,d events (%s); replaying %s%n", name, events.size(), replayStats, pace);
        NextbestConfig job = NextbestConfig.builder().setAll(REPLAY_SETTINGS).setAll(c.jobSettings).build();
        EvaluateRunner.Outcome o = new EvaluateRunner(job, rate, speed, Duration.ofMinutes(5), out).run(events);

        Report r = new Report();
        r.title = "Accuracy: data set " + name + " (prequential, test-then-train)";
        r.command = "bin/nextbest evaluate " + String.join(" ", args);
        r.configuration.put("dataset", name);
        r.configuration.put("replay", replayStats);
        r.configuration.put("replay pace", pace);
        job.toMap().forEach((k, v) -> {
            if (!k.startsWith("kafka.") && !k.equals("job.checkpoint-dir")) {
                r.configuration.put(k, v);
            }
        });
        MachineInfo.describe(r.machine);
        r.figures.put("listsExpected", o.expectedLists());
        r.figures.put("listsReceived", o.receivedLists());
        r.figures.put("replaySeconds", o.sendSeconds());
        r.figures.put("runSeconds", o.totalSeconds());
        EvaluationResult result = o.result();
        AccuracyReport.addTo(r, result);
        for (String rec : result.recommenders()) {
            r.figures.put(rec + " HR@20", result.metrics(rec, Variant.ALL).hr20());
            r.figures.put(rec + " MRR@20", result.metrics(rec, Variant.ALL).mrr20());
        }
        r.notes.add("Protocol: events in event-time order (ties in file order); for each interaction or order of a"
                + " customer with an earlier event, the latest list the engine emitted for that customer before it"
                + " (the one its previous event triggered) is scored, and each baseline's top 20 at that moment;"
                + " then all learn from the event. Remove-from-cart is learned from, never scored.");
        r.notes.add("Lists leave out what the customer has in the basket or bought (the engine's defaults); the"
                + " baselines apply the same exclusion. Items already viewed may be suggested.");
        r.notes.add("The engine sees the events through Kafka at the replay rate; its trending list is published"
                + " every 100 ms of processing time, so it lags the replay slightly. Events of one customer on"
                + " different topics (interactions, transactions) are not ordered against each other by Kafka.");
        if (o.receivedLists() < o.expectedLists()) {
            r.notes.add(String.format(Locale.ROOT, "Only %,d of %,d lists arrived in time; events without their"
                    + " list were scored against the customer's list before.", o.receivedLists(), o.expectedLists()));
        }
        Path dir = c.out("evaluate", name);
        ReportWriter.write(r, dir);
        out.println();
        out.printf("%-24s %8s %8s %8s %8s%n", "", "HR@10", "HR@20", "MRR@10", "MRR@20");
        for (String rec : result.recommenders()) {
            var m = result.metrics(rec, Variant.ALL);
            out.printf(Locale.ROOT, "%-24s %8.4f %8.4f %8.4f %8.4f%n", rec, m.hr10(), m.hr20(), m.mrr10(), m.mrr20());
        }
        out.printf("(%,d scored events; %,d of %,d lists received)%n", result.metrics(PrequentialEvaluator.ENGINE,
                Variant.ALL).scored(), o.receivedLists(), o.expectedLists());
        out.println("report: " + dir.resolve(ReportWriter.MARKDOWN_FILE));
        return dir;
    }
}
