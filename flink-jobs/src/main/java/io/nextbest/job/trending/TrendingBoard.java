package io.nextbest.job.trending;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.messages.FeatureTrending;
import io.nextbest.job.messages.ItemScore;
import io.nextbest.job.messages.TrendingSnapshot;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The trending leader boards (parallelism 1, one constant key): the global board of the best items
 * by decayed score and one small board per content feature (category level, brand) of the items
 * that carry it. At most once per {@code trending.publish-interval} of processing time it publishes
 * the global top list if it changed, and on {@link #BY_FEATURE} the list of every feature whose
 * board changed. The boards and the versions are checkpointed as operator state; a restored board
 * republishes everything with its first timer: a timer pending at the checkpoint, else one set by the
 * first score after the restore.
 *
 * <p>Cost per score: one offer to the global board and one per feature of the item, each O(1) when
 * the score is below the board's lowest and O(log size) otherwise (see {@link Leaderboard}).
 */
public class TrendingBoard extends KeyedProcessFunction<Integer, ItemScore, TrendingSnapshot>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    /** The one key all scores are routed to. */
    public static final int KEY = 0;

    /** The trending list of each feature whose board changed, once per publish interval at most. */
    public static final OutputTag<FeatureTrending> BY_FEATURE = new OutputTag<>("trending-by-feature") {};

    private final int boardSize;
    private final int topN;
    private final long publishIntervalMs;
    private final long featurePublishIntervalMs;
    /** Processing time of the last publication of feature lists (0: none since start). */
    private transient long lastFeaturePublish;
    private final int perFeatureSize;
    private final int maxFeatures;

    private transient Leaderboard board;
    private transient ListState<ItemScore> checkpointed;
    private transient ListState<Long> checkpointedVersion;
    private transient ListState<FeatureTrending> checkpointedFeatures;
    private transient boolean dirty;
    private transient boolean timerSet;
    private transient long asOf;
    private transient long version;
    /** The last list published, to publish only a list that changed. */
    private transient String[] publishedItems;
    private transient double[] publishedScores;

    /** One board per feature, created by the feature's first score while fewer than maxFeatures exist. */
    private transient FeatureBoards featureBoards;
    /** The publish round of feature lists ({@link FeatureTrending#version}). */
    private transient long featureRound;
    private transient Counter refused;

    public TrendingBoard(NextbestConfig config) {
        this.boardSize = config.get(Settings.TRENDING_BOARD_SIZE);
        this.topN = config.get(Settings.TRENDING_TOP_N);
        this.publishIntervalMs = config.get(Settings.TRENDING_PUBLISH_INTERVAL).toMillis();
        this.featurePublishIntervalMs = config.get(Settings.TRENDING_FEATURE_PUBLISH_INTERVAL).toMillis();
        this.perFeatureSize = config.get(Settings.TRENDING_PER_FEATURE_SIZE);
        this.maxFeatures = config.get(Settings.TRENDING_MAX_FEATURES);
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        metrics.gauge("boardSize", () -> board == null ? 0 : board.size());
        metrics.gauge("featureBoards", () -> featureBoards == null ? 0 : featureBoards.size());
        refused = metrics.counter("featureBoardsRefused");
    }

    @Override
    public void processElement(ItemScore score, Context ctx, Collector<TrendingSnapshot> out) {
        asOf = Math.max(asOf, score.eventTime);
        dirty |= board.offer(score.itemId, score.logScore);
        if (maxFeatures > 0 && score.features != null) {
            for (String feature : score.features) {
                if (feature != null && !featureBoards.offer(feature, score.itemId, score.logScore)) {
                    refused.inc();
                }
            }
        }
        // something to publish: a change, or the boards of a restore that no timer has published yet
        if (!timerSet && (dirty || featureBoards.hasChanges())) {
            long now = ctx.timerService().currentProcessingTime();
            ctx.timerService().registerProcessingTimeTimer(now + publishIntervalMs);
            timerSet = true;
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TrendingSnapshot> out) {
        timerSet = false;
        if (featureBoards.hasChanges()) {
            if (lastFeaturePublish == 0 || timestamp - lastFeaturePublish >= featurePublishIntervalMs) {
                featureRound++;
                for (FeatureTrending f : featureBoards.takeChanged(asOf, featureRound)) {
                    ctx.output(BY_FEATURE, f);
                }
                lastFeaturePublish = timestamp;
            } else { // not yet: keep them, and keep the timer ticking until they go
                ctx.timerService().registerProcessingTimeTimer(timestamp + publishIntervalMs);
                timerSet = true;
            }
        }
        if (!dirty) {
            return;
        }
        dirty = false;
        List<Map.Entry<String, Double>> top = board.top(topN);
        String[] items = FeatureBoards.items(top);
        double[] scores = FeatureBoards.scores(top);
        if (Arrays.equals(items, publishedItems) && Arrays.equals(scores, publishedScores)) {
            return; // the board changed below the top n
        }
        publishedItems = items;
        publishedScores = scores;
        out.collect(new TrendingSnapshot(items.clone(), scores.clone(), asOf, ++version));
    }

    /** Scores not offered to a feature board because trending.max-features boards existed (the metric). */
    long featureBoardsRefused() {
        return refused.getCount();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        checkpointed.clear();
        for (Map.Entry<String, Double> e : board.top(boardSize)) {
            checkpointed.add(new ItemScore(e.getKey(), e.getValue(), asOf));
        }
        checkpointedVersion.update(List.of(version));
        checkpointedFeatures.update(featureBoards.all(asOf, featureRound));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        board = new Leaderboard(boardSize);
        checkpointed = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("trending-board", ItemScore.class));
        for (ItemScore s : checkpointed.get()) {
            board.offer(s.itemId, s.logScore);
            asOf = Math.max(asOf, s.eventTime);
            dirty = true;
        }
        checkpointedVersion = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("trending-board-version", Long.class));
        for (Long v : checkpointedVersion.get()) {
            version = Math.max(version, v); // versions keep increasing across restores
        }

        featureBoards = new FeatureBoards(perFeatureSize, maxFeatures);
        checkpointedFeatures = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("trending-feature-boards", FeatureTrending.class));
        for (FeatureTrending f : checkpointedFeatures.get()) {
            featureRound = Math.max(featureRound, f.version);
            asOf = Math.max(asOf, f.asOf);
            // republished with the first change after the restore; beyond trending.max-features (lowered) dropped
            featureBoards.restore(f);
        }
    }
}
