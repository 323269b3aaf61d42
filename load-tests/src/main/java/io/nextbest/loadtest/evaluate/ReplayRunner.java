package io.nextbest.loadtest.evaluate;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.messages.RankingRequest;
import io.nextbest.job.replay.ReplayEngine;
import io.nextbest.generator.InputEvent;
import io.nextbest.loadtest.eval.Exclusion;
import io.nextbest.loadtest.eval.ListMode;
import io.nextbest.loadtest.eval.PrequentialEvaluator;
import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.messages.SuggestedItem;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Prequential accuracy of the engine from an in-process replay ({@link ReplayEngine}): the job's own parts,
 * fed one record at a time in event order, with its publication intervals in event time. Causal by
 * construction (a list is ranked before any later record exists for it) and deterministic (no clock, no
 * threads): the same command gives the same figure, whatever the machine or {@code --rate}. Each scored list is
 * checked against the position of the event it is scored on ({@link CausalityCheck}).
 */
public final class ReplayRunner {
    private final NextbestConfig config;
    private final PrintStream progress;

    public ReplayRunner(NextbestConfig config, PrintStream progress) {
        this.config = config;
        this.progress = progress;
    }

    /**
     * What the replay measured.
     *
     * @param lists lists ranked by the engine
     * @param leaks scored lists whose inputs had seen the scored event or a later one (must be 0)
     * @param checked scored lists checked for leaks
     * @param deadLetters records the job's decoders would have refused
     */
    public record Outcome(io.nextbest.loadtest.eval.EvaluationResult result, long events, long catalogRecords,
            long lists, long checked, long leaks, long deadLetters, long neighbourListsPublished, double seconds) {}

    public Outcome run(List<InputEvent> events, int coldThreshold) {
        return run(events, coldThreshold, 0);
    }

    /**
     * @param scoreFrom the share of the events (0..1, catalog records not counted) that is learned from before
     *     scoring starts: 0.5 scores the second half only
     */
    public Outcome run(List<InputEvent> events, int coldThreshold, double scoreFrom) {
        long started = System.nanoTime();
        ReplayEngine engine = new ReplayEngine(config);
        PrequentialEvaluator evaluator = new PrequentialEvaluator(MODES, PrequentialEvaluator.standardBaselines(),
                Exclusion.like(config), PrequentialEvaluator.DEFAULT_TIME_BUCKETS, coldThreshold);
        if (scoreFrom > 0) {
            evaluator.scoreFrom(scoreFromTime(events, scoreFrom));
        }
        CausalityCheck causality = new CausalityCheck();
        Map<String, ReplayEngine.Emitted> latest = new HashMap<>();
        Map<String, Set<String>> seen = new HashMap<>();
        long deadLetters = 0;
        long catalogRecords = 0;
        long lastReport = System.nanoTime();
        for (int n = 0; n < events.size(); n++) {
            InputEvent e = events.get(n);
            long position = engine.records(); // the position this record gets, if it decodes
            ReplayEngine.Emitted list = e.customerKey() == null ? null : latest.get(e.customerKey());
            if (list != null && e.scorable()) {
                causality.check(list.seen().newest(), position);
            }
            evaluator.observeEngineModes(e, list == null ? Map.of() : lists(list));
            if (EvaluateRunner.isCatalog(e)) {
                catalogRecords++;
            }
            if (e.action().equals(InputEvent.BROKEN)) {
                deadLetters++;
                continue;
            }
            Set<String> touched = e.customerKey() == null ? Set.of()
                    : seen.computeIfAbsent(e.customerKey(), k -> new HashSet<>());
            if (e.itemId() != null && e.customerKey() != null) {
                touched.add(e.itemId()); // before ranking: the list after this event leaves it out too
            }
            try {
                ReplayEngine.Emitted emitted = engine.record(e.topic(), e.value(), modes(touched));
                if (emitted != null) {
                    latest.put(e.customerKey(), emitted);
                }
            } catch (InvalidMessageException ex) {
                deadLetters++;
            }
            if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(5)) {
                lastReport = System.nanoTime();
                double seconds = (lastReport - started) / 1e9;
                double perSecond = (n + 1) / seconds;
                progress.printf(Locale.ROOT, "  replayed %,d of %,d records (%,.0f/s), %,d lists; ETA %.0f s%n", n + 1,
                        events.size(), perSecond, engine.listsRanked(), (events.size() - n - 1) / perSecond);
            }
        }
        return new Outcome(evaluator.result(), events.size() - catalogRecords, catalogRecords, engine.listsRanked(),
                causality.checked(), causality.leaks(), deadLetters, engine.neighbourListsPublished(),
                (System.nanoTime() - started) / 1e9);
    }

    /** The event time of the first event past {@code share} of the events (catalog records not counted). */
    static long scoreFromTime(List<InputEvent> events, double share) {
        List<InputEvent> real = events.stream().filter(e -> !EvaluateRunner.isCatalog(e)).toList();
        if (real.isEmpty()) {
            return Long.MIN_VALUE;
        }
        int at = (int) Math.min(real.size() - 1, Math.floor(share * real.size()));
        return real.get(at).eventTimeMs();
    }

    /** The engine's lists in each mode: as served (its own rule), and as the reference evaluator's two modes. */
    static final List<ListMode> MODES = List.of(ListMode.ENGINE_RULE, ListMode.SEEN_EXCLUDED, ListMode.SEEN_INCLUDED);

    /** Request adjustments for {@link #MODES}, in that order: as is; every item seen left out; nothing left out. */
    private static List<UnaryOperator<RankingRequest>> modes(Set<String> seen) {
        return List.of(UnaryOperator.identity(), r -> {
            Set<String> out = new LinkedHashSet<>(List.of(r.exclude));
            out.addAll(seen);
            r.exclude = out.toArray(new String[0]);
            return r;
        }, r -> {
            r.exclude = new String[0];
            return r;
        });
    }

    private static Map<ListMode, List<String>> lists(ReplayEngine.Emitted e) {
        Map<ListMode, List<String>> out = new EnumMap<>(ListMode.class);
        for (int m = 0; m < MODES.size(); m++) {
            List<SuggestedItem> items = e.lists().get(m).items();
            List<String> ids = new ArrayList<>(items.size());
            for (SuggestedItem i : items) {
                ids.add(i.itemId());
            }
            out.put(MODES.get(m), ids);
        }
        return out;
    }
}
