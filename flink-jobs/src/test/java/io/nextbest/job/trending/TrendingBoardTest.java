package io.nextbest.job.trending;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // the harnesses' close() declares Exception
class TrendingBoardTest {

    static final long T = 1_795_000_000_000L; // event times in late 2026

    static final NextbestConfig TOP3 = NextbestConfig.builder()
            .set("trending.board-size", "10")
            .set("trending.top-n", "3")
            .set("trending.publish-interval", "1s")
            .build();

    @Test
    void publishesOnlyWhenTheTimerFiresAndOnlyAChangedList() throws Exception {
        try (var h = harness(TOP3)) {
            h.setProcessingTime(1_000);
            h.processElement(score("a", 5, T), 0);
            h.processElement(score("b", 7, T + 1), 0);
            h.processElement(score("c", 6, T + 3), 0);
            h.processElement(score("d", 1, T + 2), 0);
            assertThat(h.getOutput()).isEmpty();
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1); // one timer for the whole interval

            h.setProcessingTime(1_999);
            assertThat(h.getOutput()).isEmpty();
            h.setProcessingTime(2_000);
            assertThat(lists(h)).containsExactly("v1 asOf+3 [b=7.0, c=6.0, a=5.0]");
            assertThat(h.numProcessingTimeTimers()).isZero();

            // nothing new: no timer, nothing published
            h.setProcessingTime(10_000);
            assertThat(lists(h)).isEmpty();
            assertThat(h.numProcessingTimeTimers()).isZero();

            // a score that is no higher than the item's own changes nothing: no timer either
            h.processElement(score("a", 4, T + 50), 0);
            assertThat(h.numProcessingTimeTimers()).isZero();

            // the board changes below the top 3: the timer fires, the list is the same, nothing is published
            h.processElement(score("e", 2, T + 60), 0);
            h.processElement(score("d", 3, T + 61), 0);
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            h.setProcessingTime(11_000);
            assertThat(lists(h)).isEmpty();
            assertThat(h.numProcessingTimeTimers()).isZero();

            // a higher score in the top 3 is a change
            h.processElement(score("c", 8, T + 70), 0);
            h.setProcessingTime(12_000);
            assertThat(lists(h)).containsExactly("v2 asOf+70 [c=8.0, b=7.0, a=5.0]");
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.numKeyedStateEntries()).isZero(); // the board is operator state, not keyed state
        }
    }

    @Test
    void publishesAtMostOncePerInterval() throws Exception {
        try (var h = harness(TOP3)) {
            List<Long> publishedAt = new ArrayList<>();
            h.setProcessingTime(0);
            for (long now = 0; now <= 10_000; now += 100) {
                h.setProcessingTime(now);
                if (!h.getOutput().isEmpty()) {
                    publishedAt.add(now);
                    h.getOutput().clear();
                }
                h.processElement(score("item-" + now % 700, now, T + now), 0); // a new leader every 100 ms
            }

            assertThat(publishedAt).hasSize(10);
            for (int i = 1; i < publishedAt.size(); i++) {
                assertThat(publishedAt.get(i) - publishedAt.get(i - 1)).isGreaterThanOrEqualTo(1_000);
            }
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1); // the last element's
        }
    }

    @Test
    void theBoardSurvivesSnapshotAndRestore() throws Exception {
        NextbestConfig all = NextbestConfig.builder()
                .set("trending.board-size", "10").set("trending.top-n", "10").set("trending.publish-interval", "1s")
                .build();
        OperatorSubtaskState snapshot;
        try (var h = harness(all)) {
            h.setProcessingTime(1_000);
            h.processElement(score("a", 5, T), 0);
            h.processElement(score("b", 7, T + 1), 0);
            h.processElement(score("c", 6, T + 2), 0);
            h.setProcessingTime(2_000);
            assertThat(lists(h)).containsExactly("v1 asOf+2 [b=7.0, c=6.0, a=5.0]");
            h.processElement(score("e", 9, T + 3), 0); // pending: timer at 3000
            snapshot = h.snapshot(1L, 2_500L);
        }

        try (var h = restored(all, snapshot)) {
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1); // the pending timer came back
            h.setProcessingTime(3_000);
            assertThat(lists(h)).containsExactly("v2 asOf+3 [e=9.0, b=7.0, c=6.0, a=5.0]");

            h.processElement(score("d", 6.5, T + 4), 0);
            h.setProcessingTime(4_000);
            assertThat(lists(h)).containsExactly("v3 asOf+4 [e=9.0, b=7.0, d=6.5, c=6.0, a=5.0]");
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void aRestoredBoardWithoutPendingTimerPublishesWithTheNextChange() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(TOP3)) {
            h.setProcessingTime(1_000);
            h.processElement(score("a", 5, T), 0);
            h.processElement(score("b", 7, T + 1), 0);
            h.setProcessingTime(2_000);
            assertThat(lists(h)).containsExactly("v1 asOf+1 [b=7.0, a=5.0]");
            snapshot = h.snapshot(1L, 2_000L);
        }
        try (var h = restored(TOP3, snapshot)) {
            assertThat(h.numProcessingTimeTimers()).isZero();
            h.setProcessingTime(5_000);
            h.processElement(score("c", 6, T + 9), 0);
            h.setProcessingTime(6_000);
            assertThat(lists(h)).containsExactly("v2 asOf+9 [b=7.0, c=6.0, a=5.0]");
        }
    }

    // ---- helpers ----

    static KeyedOneInputStreamOperatorTestHarness<Integer, ItemScore, TrendingSnapshot> harness(NextbestConfig c)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new TrendingBoard(c), s -> TrendingBoard.KEY, Types.INT);
    }

    static KeyedOneInputStreamOperatorTestHarness<Integer, ItemScore, TrendingSnapshot> restored(
            NextbestConfig c, OperatorSubtaskState snapshot) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<Integer, ItemScore, TrendingSnapshot>(
                new KeyedProcessOperator<>(new TrendingBoard(c)), s -> TrendingBoard.KEY, Types.INT);
        h.setup();
        h.initializeState(snapshot);
        h.open();
        return h;
    }

    static ItemScore score(String item, double logScore, long eventTime) {
        return new ItemScore(item, logScore, eventTime);
    }

    /** The lists published since the last call, as "v{version} asOf+{ms after T} [item=score, …]". */
    static List<String> lists(KeyedOneInputStreamOperatorTestHarness<Integer, ItemScore, TrendingSnapshot> h) {
        List<String> out = new ArrayList<>();
        for (TrendingSnapshot s : h.extractOutputValues()) {
            assertThat(s.logScores).hasSameSizeAs(s.items);
            List<String> entries = new ArrayList<>();
            for (int i = 0; i < s.items.length; i++) {
                entries.add(s.items[i] + "=" + s.logScores[i]);
            }
            out.add("v" + s.version + " asOf+" + (s.asOf - T) + " " + entries);
        }
        h.getOutput().clear();
        return out;
    }
}
