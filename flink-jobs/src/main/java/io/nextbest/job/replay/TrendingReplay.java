package io.nextbest.job.replay;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.messages.CatalogUpdate;
import io.nextbest.job.messages.CustomerInput;
import io.nextbest.job.messages.FeatureTrending;
import io.nextbest.job.messages.ItemScore;
import io.nextbest.job.messages.ReplicaUpdate;
import io.nextbest.job.messages.TrendingSnapshot;
import io.nextbest.job.ranking.Replicas;
import io.nextbest.job.trending.FeatureBoards;
import io.nextbest.job.trending.ForwardDecay;
import io.nextbest.job.trending.Leaderboard;
import io.nextbest.job.trending.TrendingCombiner;
import io.nextbest.job.trending.TrendingCounter;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.OrderLine;
import io.nextbest.schemas.messages.TransactionType;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trending path of the job (combiners → trending counter → trending board → the customer stage's
 * trending replicas) in one process, without Flink, for the evaluator's replay. The same weights, the same
 * forward decay ({@link ForwardDecay}), the same boards ({@link Leaderboard}) and features ({@link
 * TrendingCounter#trendingFeatures}); one sum buffer per input topic, as the job has one combiner per topic.
 *
 * <p>The schedule is the caller's, in event time: {@link #flush} where the combiners flush (into the
 * counters and boards), {@link #publish} where the board publishes. A list ranked in between sees the
 * trending lists of the last publication only.
 */
public final class TrendingReplay {
    private final EnumMap<InteractionType, Double> weights;
    private final double purchaseWeight;
    private final ForwardDecay decay;
    private final int topN;
    private final int perFeatureSize;
    private final int maxFeatures;
    private final long featurePublishIntervalMs;

    /** Combiners: per topic, item → {log2 sum, newest event time}. */
    private final Map<String, double[]> interactionSums = new LinkedHashMap<>();
    private final Map<String, double[]> orderSums = new LinkedHashMap<>();
    private long bufferedPosition = -1;
    /** Counter: item → decayed log score, item → trending features. */
    private final Map<String, Double> scores = new HashMap<>();
    private final Map<String, String[]> features = new HashMap<>();
    /** Board. */
    private final Leaderboard board;
    private final FeatureBoards featureBoards;
    private boolean dirty;
    private long asOf;
    private long version;
    private long featureRound;
    private long lastFeaturePublish = Long.MIN_VALUE;
    private String[] publishedItems;
    private double[] publishedScores;
    private long countedPosition = -1;
    private long publishedPosition = -1;

    public TrendingReplay(NextbestConfig config) {
        this.weights = TrendingCombiner.weights(config);
        this.purchaseWeight = config.get(Settings.WEIGHT_PURCHASE);
        this.decay = new ForwardDecay(config.get(Settings.TRENDING_HALF_LIFE).toMillis());
        this.topN = config.get(Settings.TRENDING_TOP_N);
        this.perFeatureSize = config.get(Settings.TRENDING_PER_FEATURE_SIZE);
        this.maxFeatures = config.get(Settings.TRENDING_MAX_FEATURES);
        this.featurePublishIntervalMs = config.get(Settings.TRENDING_FEATURE_PUBLISH_INTERVAL).toMillis();
        this.board = new Leaderboard(config.get(Settings.TRENDING_BOARD_SIZE));
        this.featureBoards = new FeatureBoards(perFeatureSize, maxFeatures);
    }

    /** A decoded event at {@code position}, as the combiner of its topic sees it. */
    public void add(CustomerInput in, long position) {
        if (in.interaction != null) {
            if (in.interaction.itemId() != null) {
                add(interactionSums, in.interaction.itemId(), weights.get(in.interaction.type()),
                        in.interaction.timestamp().toEpochMilli(), position);
            }
        } else if (in.transaction != null && in.transaction.type() == TransactionType.ORDER) {
            long t = in.transaction.timestamp().toEpochMilli();
            for (OrderLine line : in.transaction.lines()) {
                add(orderSums, line.itemId(), purchaseWeight, t, position);
            }
        }
    }

    private void add(Map<String, double[]> sums, String item, double w, long t, long position) {
        if (w <= 0) {
            return;
        }
        bufferedPosition = Math.max(bufferedPosition, position);
        TrendingCombiner.fold(sums, decay, item, w, t);
    }

    /** A catalog record: the item's trending features, and its score to the boards of new features. */
    public void catalog(CatalogUpdate update) {
        String[] trending = update.isDeletion() ? ItemScore.NO_FEATURES
                : TrendingCounter.trendingFeatures(update.entry.features);
        String[] before = features.get(update.itemId);
        if (trending.length == 0) {
            features.remove(update.itemId);
        } else {
            features.put(update.itemId, trending);
        }
        Double score = scores.get(update.itemId);
        if (score != null && trending.length > 0 && !Arrays.equals(before, trending)) {
            offer(new ItemScore(update.itemId, score, Long.MIN_VALUE, trending));
        }
    }

    /** The combiners' flush: each summed item through its counter to the boards. */
    public void flush() {
        count(interactionSums);
        count(orderSums);
        countedPosition = Math.max(countedPosition, bufferedPosition);
    }

    private void count(Map<String, double[]> sums) {
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            Double current = scores.get(e.getKey());
            double updated = ForwardDecay.plus(current == null ? Double.NEGATIVE_INFINITY : current, e.getValue()[0]);
            scores.put(e.getKey(), updated);
            String[] f = features.get(e.getKey());
            offer(new ItemScore(e.getKey(), updated, (long) e.getValue()[1], f == null ? ItemScore.NO_FEATURES : f));
        }
        sums.clear();
    }

    private void offer(ItemScore score) {
        asOf = Math.max(asOf, score.eventTime);
        dirty |= board.offer(score.itemId, score.logScore);
        if (maxFeatures > 0) {
            for (String feature : score.features) {
                if (feature != null) {
                    featureBoards.offer(feature, score.itemId, score.logScore);
                }
            }
        }
    }

    /**
     * The board's publication at event time {@code now}: the global list if its top changed, and the changed
     * features' lists when {@code trending.feature-publish-interval} has passed since their last publication.
     */
    public void publish(Replicas replicas, long now) {
        if (featureBoards.hasChanges() && (lastFeaturePublish == Long.MIN_VALUE
                || now - lastFeaturePublish >= featurePublishIntervalMs)) {
            featureRound++;
            for (FeatureTrending f : featureBoards.takeChanged(asOf, featureRound)) {
                replicas.apply(ReplicaUpdate.of(f));
            }
            lastFeaturePublish = now;
        }
        if (dirty) {
            dirty = false;
            List<Map.Entry<String, Double>> top = board.top(topN);
            String[] items = FeatureBoards.items(top);
            double[] values = FeatureBoards.scores(top);
            if (!Arrays.equals(items, publishedItems) || !Arrays.equals(values, publishedScores)) {
                publishedItems = items;
                publishedScores = values;
                replicas.apply(ReplicaUpdate.of(new TrendingSnapshot(items.clone(), values.clone(), asOf, ++version)));
            }
        }
        publishedPosition = countedPosition; // the features' lists may lag by their interval: a bound, not a leak
    }

    /** The newest stream position counted into the published trending lists (-1: none). */
    public long publishedPosition() {
        return publishedPosition;
    }
}
