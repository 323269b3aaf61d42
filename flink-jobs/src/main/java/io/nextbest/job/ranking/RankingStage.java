package io.nextbest.job.ranking;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.customer.RankingRequest;
import io.nextbest.job.ingest.WallClock;
import io.nextbest.job.trending.TrendingSnapshot;
import io.nextbest.schemas.messages.SuggestedItem;
import io.nextbest.schemas.messages.Suggestions;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The ranking stage, keyed by customer: turns each ranking request into a {@link Suggestions}
 * list with the configured {@link Ranker}, using the broadcast trending list.
 */
public class RankingStage extends KeyedBroadcastProcessFunction<String, RankingRequest, TrendingSnapshot, Suggestions> {
    private static final long serialVersionUID = 1L;

    public static final MapStateDescriptor<String, TrendingSnapshot> TRENDING = new MapStateDescriptor<>(
            "trending", BasicTypeInfo.STRING_TYPE_INFO, TypeInformation.of(TrendingSnapshot.class));
    private static final String TRENDING_KEY = "global";

    private final Ranker ranker;
    private final int listSize;
    private final WallClock clock;

    private transient Counter lists;
    private transient Counter emptyLists;

    public RankingStage(NextbestConfig config, WallClock clock) {
        this.ranker = new TrendingRanker(config.get(Settings.TRENDING_HALF_LIFE).toMillis());
        this.listSize = config.get(Settings.RANKING_LIST_SIZE);
        this.clock = clock;
    }

    @Override
    public void open(OpenContext openContext) {
        lists = getRuntimeContext().getMetricGroup().counter("listsEmitted");
        emptyLists = getRuntimeContext().getMetricGroup().counter("emptyListsEmitted");
    }

    @Override
    public void processElement(RankingRequest request, ReadOnlyContext ctx, Collector<Suggestions> out)
            throws Exception {
        TrendingSnapshot trending = ctx.getBroadcastState(TRENDING).get(TRENDING_KEY);
        List<SuggestedItem> items = ranker.rank(request, new RankingInputs(trending), listSize);
        out.collect(new Suggestions(
                request.customerId,
                request.sessionId,
                request.sequence,
                request.triggerEventId,
                request.placement,
                ranker.strategy(),
                "default",
                Instant.ofEpochMilli(request.eventTime),
                Instant.ofEpochMilli(clock.now()),
                items));
        lists.inc();
        if (items.isEmpty()) {
            emptyLists.inc();
        }
    }

    @Override
    public void processBroadcastElement(TrendingSnapshot snapshot, Context ctx, Collector<Suggestions> out)
            throws Exception {
        // One publisher, one ordered channel: the newest list replaces the last.
        ctx.getBroadcastState(TRENDING).put(TRENDING_KEY, snapshot);
    }
}
