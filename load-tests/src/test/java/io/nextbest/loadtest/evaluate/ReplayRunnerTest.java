package io.nextbest.loadtest.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.generator.InputEvent;
import io.nextbest.loadtest.eval.ListMode;
import io.nextbest.loadtest.eval.PrequentialEvaluator;
import io.nextbest.loadtest.eval.RecommenderMetrics;
import io.nextbest.loadtest.eval.Variant;
import io.nextbest.loadtest.replay.DatasetMapping;
import io.nextbest.loadtest.replay.DatasetReplay;
import io.nextbest.loadtest.replay.Datasets;
import io.nextbest.loadtest.replay.ReplayOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ReplayRunnerTest {
    @Test
    void aPlantedLeakIsCounted() {
        CausalityCheck check = new CausalityCheck();
        assertThat(check.check(4, 5)).isFalse(); // inputs up to the record before: causal
        assertThat(check.check(-1, 0)).isFalse(); // nothing seen yet
        assertThat(check.check(5, 5)).isTrue(); // an input had folded in the scored event itself
        assertThat(check.check(9, 7)).isTrue(); // ... or a later one
        assertThat(check.checked()).isEqualTo(4);
        assertThat(check.leaks()).isEqualTo(2);
        assertThat(check.firstLeakPosition()).isEqualTo(5);
    }

    /** The first 4,000 REES46 events (with their catalog records), replayed twice: no leak, the same figures. */
    @Test
    void aReplayOfRealEventsIsCausalAndGivesTheSameFiguresTwice() {
        List<InputEvent> events = rees46(4000);
        NextbestConfig config = EvaluateRunner.withLandmarkAtStart(
                NextbestConfig.builder().set("ranking.list-size", "20").set("trending.publish-interval", "100ms").build(), events, quiet());
        ReplayRunner.Outcome first = new ReplayRunner(config, quiet()).run(events, 5);
        ReplayRunner.Outcome second = new ReplayRunner(config, quiet()).run(events, 5);

        assertThat(first.leaks()).isZero();
        assertThat(first.checked()).isGreaterThan(2000);
        assertThat(first.deadLetters()).isZero();
        RecommenderMetrics a = first.result().metrics(PrequentialEvaluator.ENGINE, ListMode.ENGINE_RULE, Variant.ALL);
        RecommenderMetrics b = second.result().metrics(PrequentialEvaluator.ENGINE, ListMode.ENGINE_RULE, Variant.ALL);
        for (ListMode mode : ListMode.values()) {
            for (Variant v : Variant.values()) {
                assertThat(second.result().metrics(PrequentialEvaluator.ENGINE, mode, v))
                        .isEqualTo(first.result().metrics(PrequentialEvaluator.ENGINE, mode, v));
            }
        }
        // with every seen item left out a repeat cannot hit: fewer hits than with nothing left out
        assertThat(first.result().metrics(PrequentialEvaluator.ENGINE, ListMode.SEEN_EXCLUDED, Variant.ALL).hr20())
                .isLessThan(first.result().metrics(PrequentialEvaluator.ENGINE, ListMode.SEEN_INCLUDED, Variant.ALL)
                        .hr20());
        assertThat(a.scored()).isGreaterThan(2000);
        assertThat(a.hr20()).isGreaterThan(0.05); // the engine finds something: not an empty replay
        assertThat(b.hr20()).isEqualTo(a.hr20());
        assertThat(b.mrr20()).isEqualTo(a.mrr20());
        assertThat(b.coverage()).isEqualTo(a.coverage());
        assertThat(second.lists()).isEqualTo(first.lists());
    }

    /**
     * Scoring from half-way learns from the first half and scores the rest: as the evaluation is online, a run
     * over the first half alone plus the second-half run add up to the whole run, hit for hit, in every mode.
     */
    @Test
    void scoringFromHalfWayScoresExactlyTheSecondHalfOfAWholeRun() {
        List<InputEvent> events = rees46(3000);
        NextbestConfig config = EvaluateRunner.withLandmarkAtStart(
                NextbestConfig.builder().set("ranking.list-size", "20").build(), events, quiet());
        long from = ReplayRunner.scoreFromTime(events, 0.5);
        List<InputEvent> firstHalf = events.stream().filter(e -> e.eventTimeMs() < from).toList();
        ReplayRunner.Outcome whole = new ReplayRunner(config, quiet()).run(events, 5);
        ReplayRunner.Outcome first = new ReplayRunner(config, quiet()).run(firstHalf, 5);
        ReplayRunner.Outcome second = new ReplayRunner(config, quiet()).run(events, 5, 0.5);
        assertThat(firstHalf.size()).isBetween(1000, events.size() - 1000);
        for (ListMode mode : ListMode.values()) {
            RecommenderMetrics w = whole.result().metrics(PrequentialEvaluator.ENGINE, mode, Variant.ALL);
            RecommenderMetrics a = first.result().metrics(PrequentialEvaluator.ENGINE, mode, Variant.ALL);
            RecommenderMetrics b = second.result().metrics(PrequentialEvaluator.ENGINE, mode, Variant.ALL);
            assertThat(b.scored()).isPositive();
            assertThat(a.scored() + b.scored()).as(mode.label()).isEqualTo(w.scored());
            assertThat(a.hits20() + b.hits20()).as(mode.label()).isEqualTo(w.hits20());
            assertThat(a.hits10() + b.hits10()).as(mode.label()).isEqualTo(w.hits10());
        }
        RecommenderMetrics vw = whole.result().metrics("vsknn", ListMode.SEEN_EXCLUDED, Variant.ALL);
        RecommenderMetrics va = first.result().metrics("vsknn", ListMode.SEEN_EXCLUDED, Variant.ALL);
        RecommenderMetrics vb = second.result().metrics("vsknn", ListMode.SEEN_EXCLUDED, Variant.ALL);
        assertThat(va.hits20() + vb.hits20()).isEqualTo(vw.hits20());
    }

    private static List<InputEvent> rees46(int rows) {
        Path folder = Datasets.folder().orElseThrow(() -> new AssertionError(
                "no shared/datasets folder: this test replays the REES46 slice (set -Dnextbest.datasets=DIR)"));
        DatasetMapping m = Datasets.load().get("rees46");
        for (String f : m.files()) {
            assertThat(folder.resolve(f)).as("the REES46 slice this test replays").exists();
        }
        List<InputEvent> events = new ArrayList<>();
        try (DatasetReplay replay = DatasetReplay.open(m, folder, ReplayOptions.defaults().withRowLimit(rows))) {
            replay.forEachRemaining(events::add);
        }
        return events;
    }

    private static PrintStream quiet() {
        return new PrintStream(java.io.OutputStream.nullOutputStream());
    }
}
