package io.nextbest.job.ingest;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.messages.NeighbourUpdate;
import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.Topics;

/**
 * Decodes the job's own {@code item-neighbours} records, read back into the rankers' index replicas.
 * A tombstone (null value) empties the item's record. The topic is re-read from the beginning at
 * every start, so a record that fails is only counted (metric {@code deadLetters} by reason), not
 * sent to dead-letter again and again.
 */
public class DecodeNeighbours extends DecodeRecords<NeighbourUpdate> {
    private static final long serialVersionUID = 1L;

    public DecodeNeighbours(NextbestConfig config, WallClock clock) {
        super(InputKind.ITEM_NEIGHBOURS, config, clock);
    }

    @Override
    protected NeighbourUpdate decode(RawRecord raw) throws InvalidMessageException {
        if (raw.value == null) {
            return new NeighbourUpdate(checkKey(raw, null, "itemId"), 0, new String[0], new double[0], 0);
        }
        NeighbourUpdate u = NeighbourUpdate.of(Topics.ITEM_NEIGHBOURS.codec().decode(raw.value));
        checkKey(raw, u.itemId, "itemId");
        return u;
    }
}
