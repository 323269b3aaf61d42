package io.nextbest.job.ingest;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.messages.ActionLearning;
import io.nextbest.schemas.DeadLetterReason;
import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.ActionPropensity;

/**
 * Decodes the job's own {@code action-propensities} records, read back into the customer stage's replicas (the
 * learner's totals per action and segment). Re-read from the beginning at every start, like {@code
 * item-neighbours}: a record that fails is counted, not sent to dead-letter again and again.
 */
public class DecodePropensities extends DecodeRecords<ActionLearning> {
    private static final long serialVersionUID = 1L;

    public DecodePropensities(NextbestConfig config, WallClock clock) {
        super(InputKind.ACTION_PROPENSITIES, config, clock);
    }

    @Override
    protected ActionLearning decode(RawRecord raw) throws InvalidMessageException {
        if (raw.value == null) {
            throw new InvalidMessageException(DeadLetterReason.SCHEMA_VIOLATION, "action-propensities has no tombstones");
        }
        ActionPropensity p = Topics.ACTION_PROPENSITIES.codec().decode(raw.value);
        if (p.actionId() == null || p.segment() == null || p.trials() < 0 || p.successes() < 0) {
            throw new InvalidMessageException(DeadLetterReason.SCHEMA_VIOLATION,
                    "an action propensity needs actionId, segment and counts ≥ 0");
        }
        checkKey(raw, p.key(), "actionId/segment");
        return new ActionLearning(p.actionId(), p.segment(), p.trials(), p.successes());
    }
}
