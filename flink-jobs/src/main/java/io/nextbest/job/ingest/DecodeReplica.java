package io.nextbest.job.ingest;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.messages.CatalogUpdate;
import io.nextbest.job.messages.NeighbourUpdate;
import io.nextbest.job.messages.ReplicaUpdate;
import io.nextbest.schemas.InvalidMessageException;

/**
 * Decodes a replica feed ({@code catalog}, {@code item-neighbours} or {@code action-propensities}, re-read from the beginning at
 * every start) into {@link ReplicaUpdate}s that carry where each record was read, with the checks of
 * the topic's own decoder. A record that fails goes on as its position alone, so that the customer
 * stage still sees the feed reach its end ({@link io.nextbest.job.ranking.ReplicaCatchUp}); it is
 * counted by reason, and its dead letter is the caller's to keep or drop (the feed is re-read at
 * every start: the pipeline drops it rather than repeat it).
 */
public class DecodeReplica extends DecodeRecords<ReplicaUpdate> {
    private static final long serialVersionUID = 1L;

    private final DecodeRecords<?> payload;

    /** The catalog replica. */
    public static DecodeReplica catalog(NextbestConfig config, WallClock clock) {
        return new DecodeReplica(new DecodeCatalog(InputKind.CATALOG_REPLICA, config, clock), config, clock);
    }

    /** The neighbour index replica. */
    public static DecodeReplica neighbours(NextbestConfig config, WallClock clock) {
        return new DecodeReplica(new DecodeNeighbours(config, clock), config, clock);
    }

    /** The propensities replica (the learner's totals, read back). */
    public static DecodeReplica propensities(NextbestConfig config, WallClock clock) {
        return new DecodeReplica(new DecodePropensities(config, clock), config, clock);
    }

    private DecodeReplica(DecodeRecords<?> payload, NextbestConfig config, WallClock clock) {
        super(payload.kind, config, clock);
        this.payload = payload;
    }

    @Override
    protected ReplicaUpdate decode(RawRecord raw) throws InvalidMessageException {
        Object p = payload.decode(raw);
        ReplicaUpdate u = p instanceof CatalogUpdate c ? ReplicaUpdate.of(c)
                : p instanceof io.nextbest.job.messages.ActionLearning l ? ReplicaUpdate.of(l)
                : ReplicaUpdate.of((NeighbourUpdate) p);
        return u.at(raw.topic, raw.partition, raw.offset);
    }

    @Override
    protected ReplicaUpdate failed(RawRecord raw) {
        return new ReplicaUpdate().at(raw.topic, raw.partition, raw.offset);
    }
}
