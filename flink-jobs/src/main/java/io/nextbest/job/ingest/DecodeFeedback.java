package io.nextbest.job.ingest;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.Feedback;

/** Decodes {@code feedback} records (impressions, clicks, dismissals, trigger deliveries). */
public class DecodeFeedback extends DecodeRecords<Feedback> {
    private static final long serialVersionUID = 1L;

    public DecodeFeedback(NextbestConfig config, WallClock clock) {
        super(InputKind.FEEDBACK, config, clock);
    }

    @Override
    protected Feedback decode(RawRecord raw) throws InvalidMessageException {
        Feedback f = Topics.FEEDBACK.codec().decode(raw.value);
        checkTime(f.timestamp(), true);
        return f;
    }
}
