package io.nextbest.job.replay;

import io.nextbest.job.catalog.CatalogEntry;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.customer.CustomerState;
import io.nextbest.job.customer.CustomerStep;
import io.nextbest.job.messages.CatalogUpdate;
import io.nextbest.job.messages.CustomerInput;
import io.nextbest.job.messages.RankingRequest;
import io.nextbest.job.messages.ReplicaUpdate;
import io.nextbest.job.ranking.Replicas;
import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.Topic;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.CatalogItem;
import io.nextbest.schemas.messages.CustomerEventType;
import io.nextbest.schemas.messages.Suggestions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The job's data flow in one thread, in event order, without Kafka or Flink: for the evaluator. Each
 * record goes through the same parts the job runs — the customer stage's {@link CustomerStep} (profile,
 * similarity vector, ranking context, {@link io.nextbest.job.ranking.ListMaker}), the similarity path
 * ({@link SimilarityReplay}) and the trending path ({@link TrendingReplay}) — with the shared inputs held in
 * the same {@link Replicas} the customer stage ranks from.
 *
 * <p><b>Causal by construction.</b> For a record at stream position p, first every flush and publication due
 * at or before its event time runs (built only from records before p), then the record is applied and, for
 * an interaction or an order, its lists are ranked, and only then does its own signal enter the similarity
 * and trending buffers. Every list carries {@link InputsSeen}: the newest position each shared input had
 * folded in; it is always below the list's own position.
 *
 * <p><b>Deterministic.</b> The job's processing-time intervals become event-time ticks here: the pair-delta
 * flush every {@code similarity.flush-interval}, the index publication every {@code
 * similarity.publish-interval}, the trending flush and publication every {@code trending.publish-interval}
 * (features at most every {@code trending.feature-publish-interval}); an interval of 0 runs after every
 * record. Same input, same lists, whatever the machine.
 *
 * <p>Not replayed: identity stitching (every data-set row names its customer; an {@code identify} event is
 * refused), basket triggers, state time-to-live (processing time in the job) and exploration warmth (the data
 * sets carry no feedback).
 */
public final class ReplayEngine {
    /** The newest stream position each shared input had seen when a list was ranked (-1: nothing yet). */
    public record InputsSeen(long trending, long neighbours, long catalog) {
        public long newest() {
            return Math.max(trending, Math.max(neighbours, catalog));
        }
    }

    /** The lists one event produced: one per mode, in the order the modes were given, and what they saw. */
    public record Emitted(String subjectKey, long position, List<Suggestions> lists, InputsSeen seen) {}

    private final CustomerStep step;
    private final Replicas replicas = new Replicas();
    private final SimilarityReplay similarity;
    private final TrendingReplay trending;
    private final Map<String, CustomerState> customers = new HashMap<>();
    private final Tick pairFlush;
    private final Tick indexPublish;
    private final Tick trendingTick;
    private long catalogPosition = -1;
    private long position = -1;
    private long listsRanked;

    public ReplayEngine(NextbestConfig config) {
        this.step = new CustomerStep(config);
        this.similarity = new SimilarityReplay(config);
        this.trending = new TrendingReplay(config);
        this.pairFlush = new Tick(config.get(Settings.SIMILARITY_FLUSH_INTERVAL).toMillis());
        this.indexPublish = new Tick(config.get(Settings.SIMILARITY_PUBLISH_INTERVAL).toMillis());
        this.trendingTick = new Tick(config.get(Settings.TRENDING_PUBLISH_INTERVAL).toMillis());
    }

    /** A catalog record at event time {@code eventTime}: into the catalog replica and the trending counter. */
    public void catalog(CatalogUpdate update, long eventTime) {
        advance(eventTime);
        position++;
        replicas.apply(ReplicaUpdate.of(update));
        trending.catalog(update);
        catalogPosition = position;
        afterRecord(eventTime);
    }

    /**
     * A record as the job reads it from one of its input topics ({@code interactions}, {@code transactions},
     * {@code customers}, {@code catalog}), decoded by the topic's codec as the job's decoders do.
     *
     * @throws InvalidMessageException what the job would send to dead-letter, with the same reason
     */
    public Emitted record(String topic, byte[] value, List<UnaryOperator<RankingRequest>> modes)
            throws InvalidMessageException {
        if (topic.equals(Topics.CATALOG.name())) {
            CatalogItem item = Topics.CATALOG.codec().decode(value);
            catalog(new CatalogUpdate(item.itemId(), CatalogEntry.of(item)), item.updatedAt().toEpochMilli());
            return null;
        }
        Topic<?> t = Topics.byName(topic).orElse(null);
        if (t != Topics.INTERACTIONS && t != Topics.TRANSACTIONS && t != Topics.CUSTOMERS) {
            throw new IllegalArgumentException("not an input topic of the customer stage: " + topic);
        }
        return event(CustomerInput.of(t.codec().decode(value)), modes);
    }

    /** A customer event; returns its list in the job's mode, or null when the event asks for none. */
    public Emitted event(CustomerInput in) {
        return event(in, List.of(UnaryOperator.identity()));
    }

    /**
     * A customer event; returns one list per {@code mode} (each adjusts the ranking request, e.g. what to leave
     * out), ranked from the same state, or null when the event asks for no list (a duplicate, a customer event).
     */
    public Emitted event(CustomerInput in, List<UnaryOperator<RankingRequest>> modes) {
        if (in.retireSession != null || in.merged
                || in.customer != null && in.customer.type() == CustomerEventType.IDENTIFY) {
            throw new IllegalArgumentException("the replay has no identity resolver: every event must name its"
                    + " customer (event " + in.eventId() + ")");
        }
        long eventTime = in.eventTime().toEpochMilli();
        advance(eventTime);
        position++;
        String key = in.subjectKey();
        Emitted emitted = null;
        if (in.customer != null && in.customer.type() == CustomerEventType.ERASE) {
            CustomerState gone = customers.remove(key);
            if (gone != null) {
                similarity.add(step.removal(gone, eventTime), position);
            }
        } else {
            CustomerState s = customers.computeIfAbsent(key, k -> new CustomerState());
            if (!step.isDuplicate(s, in.eventId())) {
                CustomerStep.Applied applied = step.apply(key, s, in, replicas);
                if (applied.ranks(in)) {
                    s.sequence++;
                    InputsSeen seen = new InputsSeen(trending.publishedPosition(), similarity.publishedPosition(),
                            catalogPosition);
                    List<Suggestions> lists = new ArrayList<>(modes.size());
                    for (UnaryOperator<RankingRequest> mode : modes) {
                        lists.add(step.list(s, in, applied.change(), replicas, eventTime, mode));
                    }
                    listsRanked++;
                    emitted = new Emitted(key, position, lists, seen);
                }
                similarity.add(applied.change(), position);
                trending.add(in, position);
            }
        }
        afterRecord(eventTime);
        return emitted;
    }

    /** Runs what is due at or before {@code eventTime}, oldest schedule first: flush, then publication. */
    private void advance(long eventTime) {
        if (pairFlush.due(eventTime)) {
            similarity.flush();
        }
        if (indexPublish.due(eventTime)) {
            similarity.publish(replicas);
        }
        if (trendingTick.due(eventTime)) {
            trending.flush();
            trending.publish(replicas, eventTime);
        }
    }

    /** Intervals of 0: everything a record caused is published before the next record. */
    private void afterRecord(long eventTime) {
        if (pairFlush.everyRecord()) {
            similarity.flush();
        }
        if (indexPublish.everyRecord()) {
            similarity.publish(replicas);
        }
        if (trendingTick.everyRecord()) {
            trending.flush();
            trending.publish(replicas, eventTime);
        }
    }

    /** The end of the input: flush and publish what is left (for a replica inspected afterwards). */
    public void finish(long eventTime) {
        similarity.flush();
        similarity.publish(replicas);
        trending.flush();
        trending.publish(replicas, eventTime);
    }

    /** The replicas the lists are ranked from (read-only use: tests, reports). */
    public Replicas replicas() {
        return replicas;
    }

    /** A customer's state (null: none), for tests. */
    public CustomerState state(String subjectKey) {
        return customers.get(subjectKey);
    }

    public long listsRanked() {
        return listsRanked;
    }

    public long neighbourListsPublished() {
        return similarity.listsPublished();
    }

    /** Records seen so far (catalog and customer events). */
    public long records() {
        return position + 1;
    }

    /**
     * A schedule in event time: due once per interval, at the first record at or after each tick; ticks
     * start at the first record and skip gaps in the data (a night without events is one tick, not many).
     */
    private static final class Tick {
        private final long intervalMs;
        private long next = Long.MIN_VALUE;

        Tick(long intervalMs) {
            this.intervalMs = intervalMs;
        }

        boolean everyRecord() {
            return intervalMs == 0;
        }

        boolean due(long eventTime) {
            if (intervalMs == 0) {
                return false;
            }
            if (next == Long.MIN_VALUE) {
                next = eventTime + intervalMs;
                return false;
            }
            if (eventTime < next) {
                return false;
            }
            next = eventTime - Math.floorMod(eventTime - next, intervalMs) + intervalMs;
            return true;
        }
    }
}
