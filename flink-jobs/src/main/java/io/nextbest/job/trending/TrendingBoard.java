package io.nextbest.job.trending;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The global trending leader board (parallelism 1, one constant key): keeps the best items by
 * decayed score and, at most once per {@code trending.publish-interval} of processing time,
 * publishes the top list when it changed. The board and the version of the last list are checkpointed
 * as operator state.
 */
public class TrendingBoard extends KeyedProcessFunction<Integer, ItemScore, TrendingSnapshot>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    /** The one key all scores are routed to. */
    public static final int KEY = 0;

    private final int boardSize;
    private final int topN;
    private final long publishIntervalMs;

    private transient Leaderboard board;
    private transient ListState<ItemScore> checkpointed;
    private transient ListState<Long> checkpointedVersion;
    private transient boolean dirty;
    private transient boolean timerSet;
    private transient long asOf;
    private transient long version;
    /** The last list published, to publish only a list that changed. */
    private transient String[] publishedItems;
    private transient double[] publishedScores;

    public TrendingBoard(NextbestConfig config) {
        this.boardSize = config.get(Settings.TRENDING_BOARD_SIZE);
        this.topN = config.get(Settings.TRENDING_TOP_N);
        this.publishIntervalMs = config.get(Settings.TRENDING_PUBLISH_INTERVAL).toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        getRuntimeContext().getMetricGroup().gauge("boardSize", () -> board == null ? 0 : board.size());
    }

    @Override
    public void processElement(ItemScore score, Context ctx, Collector<TrendingSnapshot> out) {
        asOf = Math.max(asOf, score.eventTime);
        if (board.offer(score.itemId, score.logScore)) {
            dirty = true;
            if (!timerSet) {
                long now = ctx.timerService().currentProcessingTime();
                ctx.timerService().registerProcessingTimeTimer(now + publishIntervalMs);
                timerSet = true;
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TrendingSnapshot> out) {
        timerSet = false;
        if (!dirty) {
            return;
        }
        dirty = false;
        List<Map.Entry<String, Double>> top = board.top(topN);
        String[] items = new String[top.size()];
        double[] scores = new double[top.size()];
        for (int i = 0; i < items.length; i++) {
            items[i] = top.get(i).getKey();
            scores[i] = top.get(i).getValue();
        }
        if (Arrays.equals(items, publishedItems) && Arrays.equals(scores, publishedScores)) {
            return; // the board changed below the top n
        }
        publishedItems = items;
        publishedScores = scores;
        out.collect(new TrendingSnapshot(items.clone(), scores.clone(), asOf, ++version));
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        checkpointed.clear();
        for (Map.Entry<String, Double> e : board.top(boardSize)) {
            checkpointed.add(new ItemScore(e.getKey(), e.getValue(), asOf));
        }
        checkpointedVersion.update(List.of(version));
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
    }
}
