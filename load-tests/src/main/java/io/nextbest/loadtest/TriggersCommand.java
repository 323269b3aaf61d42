package io.nextbest.loadtest;

import io.nextbest.generator.InputEvent;
import io.nextbest.job.config.ConfigException;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.loadtest.evaluate.EvaluateRunner;
import io.nextbest.loadtest.replay.DatasetMapping;
import io.nextbest.loadtest.replay.DatasetReplay;
import io.nextbest.loadtest.replay.Datasets;
import io.nextbest.loadtest.replay.ReplayOptions;
import io.nextbest.loadtest.replay.ReplayStats;
import io.nextbest.loadtest.report.MachineInfo;
import io.nextbest.loadtest.report.Report;
import io.nextbest.loadtest.report.ReportWriter;
import io.nextbest.loadtest.triggers.AbandonedBaskets;
import io.nextbest.loadtest.triggers.BasketEvent;
import io.nextbest.loadtest.triggers.ConsentPlan;
import io.nextbest.loadtest.triggers.SyncGate;
import io.nextbest.loadtest.triggers.TriggerTally;
import io.nextbest.loadtest.triggers.TriggersRunner;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code bin/nextbest triggers --dataset NAME}: abandoned-basket triggers of the real job on a
 * replayed data set, fired and suppressed by reason, checked against a count of abandoned baskets
 * made from the events alone.
 */
public final class TriggersCommand {
    public static final String USAGE = String.join("\n",
            "  triggers abandoned-basket triggers of the job on a real data set: decisions by outcome and reason,",
            "           the triggers sent, and a check against the abandoned baskets counted from the events",
            "           --dataset NAME    taobao, rees46, jdata (as for evaluate)",
            "           --rate N          at most N events/s (default " + (int) TriggersCommand.DEFAULT_RATE
                    + "; 0: no limit)",
            "           --customers N     only the first N customers (default: all)",
            "           --rows N          only the first N events (default: all)",
            "           --consent SHARE   customers given consent to email (default 0.8); the data sets have no",
            "                             consent events, so they are generated, per customer id",
            "           --opt-out SHARE   further customers given consent and then a global opt-out (default 0.05)",
            "           --time-zone ZONE  contact.default-time-zone for quiet hours (default: the data set's",
            "                             time-zone in datasets.yaml; taobao and jdata Asia/Shanghai)",
            "           --sync on|off     hold the replay back where the job's decisions depend on the order it",
            "                             processes events in (default on; off: paced by --rate alone)",
            "           --catalog on|off  a catalog record before each item's first event (default on)",
            "           --job key=value   override a job setting (config/nextbest.yaml keys)",
            "           --out DIR         report folder (default reports/triggers-<dataset>-<time>)");

    static final double DEFAULT_RATE = 500;

    /**
     * Job settings of this replay on top of {@link EvaluateCommand#REPLAY_SETTINGS}: event time only,
     * so that what the job decides does not depend on how fast the replay runs; input splits without
     * records count as idle after 100 ms (a minute of wall clock is hours of event time in a replay,
     * and a split that is neither busy nor idle holds event time back).
     */
    static final List<String> TRIGGER_SETTINGS = List.of("trigger.wall-clock-fallback=false",
            "ingest.watermark-idleness=100ms");

    private TriggersCommand() {}

    public static Path run(String[] args, PrintStream out) throws Exception {
        long started = System.nanoTime();
        CommandLine c = CommandLine.parse(args, List.of("dataset", "rate", "customers", "rows", "consent", "opt-out",
                "time-zone", "sync", "catalog", "job", "out"));
        if (c.help) {
            out.println(USAGE);
            return null;
        }
        String name = c.required("dataset");
        if (!Datasets.load().names().contains(name)) {
            throw new ConfigException("unknown data set '" + name + "' (known: " + String.join(", ", Datasets.load().names()) + ")");
        }
        DatasetMapping mapping = Datasets.load().get(name);
        double rate = c.number("rate", DEFAULT_RATE);
        double consentShare = share(c, "consent", ConsentPlan.DEFAULT_CONSENT_SHARE);
        double optOutShare = share(c, "opt-out", ConsentPlan.DEFAULT_OPT_OUT_SHARE);
        String zone = c.get("time-zone", mapping.timeZone().getId());
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new ConfigException("--time-zone needs a time zone id like Asia/Shanghai, got '" + zone + "'");
        }
        boolean catalog = c.onOff("catalog", true);
        boolean sync = c.onOff("sync", true);
        boolean prices = mapping.columns().containsKey(DatasetMapping.Field.PRICE);
        ReplayOptions options = ReplayOptions.defaults()
                .withCustomerLimit((int) c.number("customers", 0))
                .withRowLimit((long) c.number("rows", 0))
                .withCatalog(catalog);
        List<InputEvent> data = new ArrayList<>();
        ReplayStats stats;
        try (DatasetReplay replay = DatasetReplay.open(name, options)) {
            replay.forEachRemaining(data::add);
            stats = replay.stats();
        } catch (IllegalStateException e) {
            throw new ConfigException(e.getMessage());
        }
        if (stats.eventsSelected() == 0) {
            throw new ConfigException("the selection of data set '" + name + "' holds no events");
        }

        List<String> settings = new ArrayList<>(EvaluateCommand.REPLAY_SETTINGS);
        settings.addAll(TRIGGER_SETTINGS);
        if (!prices) {
            settings.add("trigger.min-basket-value=0");
        }
        settings.add("contact.default-time-zone=" + zone);
        NextbestConfig job = EvaluateRunner.withLandmarkAtStart(
                NextbestConfig.builder().setAll(settings).setAll(c.jobSettings).build(), data, out);
        Duration idle = job.get(Settings.TRIGGER_IDLE_TIME);

        List<BasketEvent> basketEvents = new ArrayList<>();
        String lastItem = null;
        long adds = 0;
        long removes = 0;
        long orders = 0;
        for (InputEvent e : data) {
            BasketEvent b = BasketEvent.of(e);
            if (b == null) {
                continue;
            }
            basketEvents.add(b);
            lastItem = e.itemId() != null ? e.itemId() : lastItem;
            switch (b.action()) {
                case BasketEvent.ADD -> adds++;
                case BasketEvent.REMOVE -> removes++;
                case BasketEvent.ORDER -> orders++;
                default -> { }
            }
        }
        ConsentPlan consent = ConsentPlan.of(name, basketEvents, consentShare, optOutShare);
        AbandonedBaskets.Result expectation = AbandonedBaskets.of(basketEvents, idle.toMillis());
        Duration after = Duration.ofDays(2).compareTo(idle.plusDays(1)) >= 0 ? Duration.ofDays(2) : idle.plusDays(1);
        InputEvent sentinel = TriggersRunner.sentinel(name, data, lastItem == null ? "sentinel" : lastItem, after);

        String pace = rate > 0 ? String.format(Locale.ROOT, "at most %,.0f events/s", rate) : "no rate limit";
        out.printf("triggers %s: %,d events + %,d catalog records (%s); %,d customers (%,d consent, %,d consent then"
                + " opt-out, %,d none); %,d baskets abandoned by the events (idle time %s); replaying %s%n", name,
                stats.eventsSelected(), stats.catalogRecords(), stats.summary(), consent.grants().size(),
                consent.count(ConsentPlan.Grant.CONSENT), consent.count(ConsentPlan.Grant.OPTED_OUT),
                consent.count(ConsentPlan.Grant.NONE), expectation.abandoned().size(), idle, pace);
        Duration maxWait = job.get(Settings.INGEST_IDLENESS).plus(TriggersRunner.quietPeriod(job)).plusMinutes(3);
        SyncGate gate = sync ? new SyncGate(name, expectation,
                job.get(Settings.INGEST_OUT_OF_ORDERNESS).toMillis(), Duration.ofSeconds(10)) : null;
        TriggersRunner.Outcome o = new TriggersRunner(job, rate, gate, maxWait, out)
                .run(consent.events(), data, sentinel);
        TriggerTally t = new TriggerTally(o.decisions(), o.triggers(), expectation);
        String check = t.check();

        Report r = new Report();
        r.title = "Abandoned-basket triggers: data set " + name;
        r.command = CommandLine.quoted("bin/nextbest triggers", args);
        r.configuration.put("dataset", name);
        r.configuration.put("replay", stats.summary());
        r.configuration.put("replay pace", pace);
        r.configuration.put("catalog", catalog ? "on" : "off");
        r.configuration.put("sync", sync ? "on" : "off");
        r.configuration.put("consent share", consentShare);
        r.configuration.put("opt-out share", consent.optOutShare());
        r.configuration.put("contact time zone", zone + (c.options.containsKey("time-zone") ? " (--time-zone)"
                : " (the data set's time-zone)"));
        r.configuration.put("prices in the data set", prices ? "yes" : "no");
        r.configuration.put("sentinel event", Instant.ofEpochMilli(sentinel.eventTimeMs()) + " (" + after
                + " after the last event)");
        r.configuration.put("job overrides (--job)", c.jobSettings.isEmpty() ? "none" : String.join(" ", c.jobSettings));
        r.configuration.put("job settings for this replay", String.join(" ", settings));
        job.toMap().forEach((k, v) -> {
            if (!k.startsWith("kafka.") && !k.equals("job.checkpoint-dir")) {
                r.configuration.put(k, v);
            }
        });
        MachineInfo.describe(r.machine);

        var f = r.figures;
        f.put("customers", (long) consent.grants().size());
        f.put("customersWithConsent", consent.count(ConsentPlan.Grant.CONSENT));
        f.put("customersOptedOut", consent.count(ConsentPlan.Grant.OPTED_OUT));
        f.put("customersWithoutConsent", consent.count(ConsentPlan.Grant.NONE));
        f.put("customerEventsSent", (long) consent.events().size());
        f.put("addToCartEvents", adds);
        if (removes > 0) {
            f.put("removeFromCartEvents", removes);
        }
        f.put("orders", orders);
        f.put("basketVersions", expectation.versions());
        f.put("basketsAbandonedExpected", (long) expectation.abandoned().size());
        f.put("finalDecisions", (long) t.finalIds.size());
        f.put("expectationCheck", check);
        f.put("sentDecisions", (long) t.sentIds.size());
        f.put("suppressedDecisions", (long) t.suppressedIds.size());
        f.put("deferredDecisions", t.deferredDecisions);
        f.put("deferredTriggers", (long) t.deferredIds.size());
        f.put("decisionRecords", t.decisionRecords);
        f.put("distinctDecisions", t.distinctDecisions);
        f.put("triggersDecidedTwice", t.triggersDecidedTwice);
        f.put("expectedAndDecided", t.matched);
        f.put("expectedDroppedWhileDeferred", (long) t.droppedWhileDeferred.size());
        f.put("expectationCheckAfterDeferralDrops", t.matchAfterDeferralDrops() ? "PASS" : "MISMATCH");
        f.put("expectedDeferredNeverDecided", (long) t.missingAfterDeferral.size());
        f.put("expectedNoDecision", (long) t.missingUndecided.size());
        f.put("decidedNotExpected", (long) t.unexpected.size());
        f.put("triggersOnBasketTriggers", t.triggerRecords);
        f.put("distinctTriggerIds", t.distinctTriggers);
        f.put("duplicateTriggers", t.duplicateTriggers);
        f.put("triggersEqualSentDecisions", t.distinctTriggers == t.sentIds.size() && t.triggersWithoutSentDecision == 0);
        f.put("triggersWithoutSentDecision", t.triggersWithoutSentDecision);
        f.put("sentDecisionsWithoutTrigger", t.sentWithoutTrigger);
        f.put("sentDecisionsWithoutTriggerWrittenUncommitted",
                t.sentNoTrigger.stream().filter(d -> o.writtenAt().containsKey(d.triggerId())).count());
        f.put("shareOfTriggersWithRecurringLine", t.recurringShare);
        f.put("meanLinesPerTrigger", t.meanLines);
        f.put("meanSuggestionsPerTrigger", t.meanSuggestions);
        f.put("unreadableRecords", o.unreadable());
        if (gate != null) {
            f.put("syncDecisionWaits", gate.decisionWaits());
            f.put("syncListWaits", gate.listWaits());
            f.put("syncHeartbeats", gate.heartbeats());
            f.put("syncTimeouts", gate.timeouts());
        }
        f.put("startSeconds", o.startSeconds());
        f.put("replaySeconds", o.sendSeconds());
        f.put("waitSeconds", o.waitSeconds());
        f.put("runSeconds", (System.nanoTime() - started) / 1e9);

        List<List<Object>> rows = new ArrayList<>();
        long finals = t.finalIds.size();
        for (TriggerTally.Row row : t.rows) {
            boolean isFinal = !row.outcome().equals("deferred");
            rows.add(Arrays.asList(row.outcome(), row.reason().isEmpty() ? "—" : row.reason(), row.decisions(),
                    row.triggers(), isFinal && finals > 0 ? (double) row.triggers() / finals : null));
        }
        rows.add(Arrays.asList("final (sent + suppressed + held out)", "", t.rows.stream().filter(x -> !x.outcome().equals("deferred"))
                .mapToLong(TriggerTally.Row::decisions).sum(), finals, finals > 0 ? 1.0 : null));
        r.tables.add(new Report.Table("Decisions by outcome and reason",
                List.of("outcome", "reason", "decisions", "triggers (distinct ids)", "share of final"), rows));
        r.tables.add(new Report.Table("The job against the expectation", List.of("", "baskets"), List.of(
                Arrays.asList("abandoned baskets, counted from the events", (long) expectation.abandoned().size()),
                Arrays.asList("final decisions of the job (distinct triggerIds)", finals),
                Arrays.asList("check", check),
                Arrays.asList("expected and decided (same triggerId)", t.matched),
                Arrays.asList("expected, deferred for quiet hours, dropped by a basket change or order before"
                        + " the deferral ended", (long) t.droppedWhileDeferred.size()),
                Arrays.asList("expected, deferred for quiet hours, then never decided otherwise",
                        (long) t.missingAfterDeferral.size()),
                Arrays.asList("expected, no decision at all", (long) t.missingUndecided.size()),
                Arrays.asList("decided, not expected", (long) t.unexpected.size()))));
        List<List<Object>> examples = new ArrayList<>();
        for (List<TriggerTally.Difference> list : List.of(t.droppedWhileDeferred, t.missingAfterDeferral,
                t.missingUndecided, t.unexpected, t.sentNoTrigger)) {
            for (TriggerTally.Difference d : list.subList(0, Math.min(list == t.sentNoTrigger ? 50 : 10, list.size()))) {
                AbandonedBaskets.Basket b = expectation.byTriggerId().get(d.triggerId());
                String what = d.what();
                if (o.writtenAt().containsKey(d.triggerId()) && !o.committedAt().containsKey(d.triggerId())) {
                    what += "; written at " + o.writtenAt().get(d.triggerId()) + ", never committed";
                }
                examples.add(Arrays.asList(what, d.customerId(), Instant.ofEpochMilli(d.basketAt()).toString(),
                        d.triggerId(), b == null || b.nextAt() < 0 ? "" : b.nextAction() + " "
                                + Duration.ofMillis(b.nextAt() - b.dueAt()) + " after due"));
            }
        }
        if (!examples.isEmpty()) {
            r.tables.add(new Report.Table("Differences (at most 10 of each kind)",
                    List.of("what", "customer", "basket version", "triggerId", "customer's next basket change or order"),
                    examples));
        }

        r.notes.add(String.format(Locale.ROOT, "Consent is generated: the data sets have none. Each customer draws a"
                + " number from a hash of their id (the same on every run): %.0f%% get a consent to email (customers"
                + " topic, granted) 1 s before their first event, another %.0f%% a consent 2 s before and a global"
                + " opt-out 1 s before it (so opted_out shows), the rest nothing (no_consent). Event ids"
                + " <dataset>-consent-<id>, <dataset>-opt-out-<id>; sent in their place in time among the data.",
                consentShare * 100,
                consent.optOutShare() * 100));
        r.notes.add(prices ? "The data set has prices: trigger.min-basket-value applies as configured."
                : "The data set has no prices (every basket is worth 0), so trigger.min-basket-value=0: otherwise"
                        + " every trigger would be suppressed as below_min_value.");
        r.notes.add("Quiet hours (" + job.toMap().get(Settings.CONTACT_QUIET_HOURS.key()) + ") are local times in "
                + zone + ", the time zone of the data set (contact.default-time-zone; --time-zone to change).");
        r.notes.add("Event time only (trigger.wall-clock-fallback=false): a trigger fires when the watermark passes"
                + " its due time. After the data one sentinel event (a view by an anonymous session) stamped "
                + after + " after the last event takes event time past every due time and every quiet-hours"
                + " deferral, once the other input splits are idle; then trigger-decisions and basket-triggers"
                + " (read_committed: a trigger appears when the checkpoint after it commits) are read until nothing"
                + " new came for " + TriggersRunner.quietPeriod(job).toSeconds() + " s.");
        r.notes.add(sync
                ? String.format(Locale.ROOT, "Sync on: the replay is held back where the job's decisions depend on"
                        + " the order it processes events in rather than on their times (SyncGate): before a"
                        + " customer's next basket change or order it waits for the job's decision on a basket"
                        + " version that was due before it (sending a heartbeat, a search by the anonymous sentinel"
                        + " session stamped 1 ms before the event, to move event time; %,d waits, %,d heartbeats);"
                        + " before any record past a version's due time it waits until the event that closed the"
                        + " version has been processed (its suggestions list is back), and before a customer's event"
                        + " on another topic than their previous one likewise (%,d such waits); %,d waits timed out"
                        + " (10 s). Needed because the job disarms a pending trigger on any later basket change or"
                        + " order of the customer, whatever its event time, and in a replay the watermark lags by"
                        + " hours of event time.", gate.decisionWaits(), gate.heartbeats(), gate.listWaits(),
                        gate.timeouts())
                : "Sync off: paced by --rate alone. The job's decisions then depend on how far its watermark lags"
                        + " behind the replay: a customer's next basket change or order that reaches the job before"
                        + " the watermark passes a due time disarms the trigger, whatever the event's time.");
        r.notes.add("The records read are in trigger-decisions.jsonl and basket-triggers.jsonl beside this report;"
                + " basket-triggers-positions.tsv has where each trigger was written (read_uncommitted) and read"
                + " (read_committed).");
        r.notes.add("The expectation is computed from the replayed events alone: per customer, a basket version"
                + " starts with each add_to_cart (or remove_from_cart that leaves items; an order takes its lines"
                + " out); it is abandoned unless the customer's next basket change or order comes within the idle"
                + " time (" + idle + "; next ≤ version + idle). The job's count is the distinct triggerIds with a"
                + " final decision (sent or suppressed; deferred is not final). PASS when the two counts are equal;"
                + " the second table also matches them basket by basket (triggerId of customer and version time).");
        if (!t.droppedWhileDeferred.isEmpty()) {
            r.notes.add(t.droppedWhileDeferred.size() + " expected baskets were deferred for quiet hours and never"
                    + " decided: the job drops a deferred trigger when the customer changes the basket (or orders)"
                    + " before the quiet hours end (CustomerStage.armOrCancel disarms whatever is pending); the newer"
                    + " basket version gets a trigger of its own. The expectation (idle time only) counts both"
                    + " versions, hence MISMATCH; without them the job decided exactly the expected baskets"
                    + " (expectationCheckAfterDeferralDrops). config/nextbest.yaml says of contact.quiet-hours"
                    + " \"deferred to the end, never dropped\".");
        }
        if (!t.missingAfterDeferral.isEmpty()) {
            r.notes.add(t.missingAfterDeferral.size() + " expected baskets were deferred and never decided although"
                    + " the customer did nothing before the deferral ended.");
        }
        if (!t.missingUndecided.isEmpty()) {
            r.notes.add(t.missingUndecided.size() + " expected baskets got no decision at all: the customer's next"
                    + " basket change or order came after the due time (see the last column of the differences)"
                    + " but reached the customer stage before the watermark passed the due time (always so within"
                    + " ingest.watermark-out-of-orderness of it), and the job disarms a pending trigger on any later"
                    + " basket change or order, whatever its event time.");
        }
        if (t.sentWithoutTrigger > 0) {
            long uncommittedOnly = t.sentNoTrigger.stream().filter(d -> o.writtenAt().containsKey(d.triggerId())).count();
            r.notes.add(t.sentWithoutTrigger + " sent decisions have no trigger on basket-triggers (read_committed); "
                    + uncommittedOnly + " of them were written to the topic (a read_uncommitted reader saw them, at the"
                    + " partition@offset in the differences) in a Kafka transaction that was never committed. The job"
                    + " ran without restarts; see the checkpoint log.");
        }
        if (o.timedOut()) {
            r.notes.add("The wait for the last decisions timed out after " + Math.round(o.waitSeconds())
                    + " s: figures may be incomplete.");
        }
        Path dir = c.out("triggers", name);
        ReportWriter.write(r, dir);
        writeLines(dir.resolve("trigger-decisions.jsonl"), o.decisions(), io.nextbest.schemas.Topics.TRIGGER_DECISIONS);
        writeLines(dir.resolve("basket-triggers.jsonl"), o.triggers(), io.nextbest.schemas.Topics.BASKET_TRIGGERS);
        List<String> positions = new ArrayList<>();
        positions.add("triggerId\twritten (partition@offset)\tcommitted (partition@offset)");
        o.writtenAt().forEach((id, at) -> positions.add(id + "\t" + at + "\t" + o.committedAt().getOrDefault(id, "-")));
        java.nio.file.Files.write(dir.resolve("basket-triggers-positions.tsv"), positions);

        out.println();
        out.printf("%-28s %-16s %10s %10s%n", "outcome", "reason", "decisions", "triggers");
        for (TriggerTally.Row row : t.rows) {
            out.printf("%-28s %-16s %,10d %,10d%n", row.outcome(), row.reason().isEmpty() ? "-" : row.reason(),
                    row.decisions(), row.triggers());
        }
        out.printf("%-28s %-16s %10s %,10d%n", "final (sent + suppressed + held out)", "", "", finals);
        out.printf("abandoned baskets expected from the events: %,d; final decisions of the job: %,d%n",
                expectation.abandoned().size(), finals);
        out.println(check);
        if (!t.setsMatch()) {
            out.printf("  basket by basket: %,d match; %,d deferred then dropped by a basket change before the deferral"
                    + " ended; %,d deferred then never decided otherwise; %,d without a decision; %,d decided but not"
                    + " expected%n", t.matched, t.droppedWhileDeferred.size(), t.missingAfterDeferral.size(),
                    t.missingUndecided.size(), t.unexpected.size());
        }
        out.printf("basket-triggers: %,d records, %,d distinct triggerIds, %,d duplicates; sent decisions %,d%n",
                t.triggerRecords, t.distinctTriggers, t.duplicateTriggers, t.sentIds.size());
        out.println("report: " + dir.resolve(ReportWriter.MARKDOWN_FILE));
        return dir;
    }

    /** The records as read, one JSON message a line (the topic's own encoding), for a closer look. */
    private static <T> void writeLines(Path file, List<T> records, io.nextbest.schemas.Topic<T> topic)
            throws java.io.IOException {
        try (var w = java.nio.file.Files.newBufferedWriter(file)) {
            for (T m : records) {
                w.write(new String(topic.codec().encode(m), java.nio.charset.StandardCharsets.UTF_8));
                w.newLine();
            }
        }
    }

    private static double share(CommandLine c, String name, double def) {
        double v = c.number(name, def);
        if (!(v >= 0 && v <= 1)) {
            throw new ConfigException("--" + name + " needs a share from 0 to 1, got '" + c.get(name, "") + "'");
        }
        return v;
    }
}
