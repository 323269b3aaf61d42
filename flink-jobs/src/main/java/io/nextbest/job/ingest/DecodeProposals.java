package io.nextbest.job.ingest;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.messages.CustomerInput;
import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.ActionProposal;

/** Decodes {@code action-proposals} records: actions other systems propose for one customer, until they expire. */
public class DecodeProposals extends DecodeRecords<CustomerInput> {
    private static final long serialVersionUID = 1L;

    public DecodeProposals(NextbestConfig config, WallClock clock) {
        super(InputKind.ACTION_PROPOSALS, config, clock);
    }

    @Override
    protected CustomerInput decode(RawRecord raw) throws InvalidMessageException {
        ActionProposal p = Topics.ACTION_PROPOSALS.codec().decode(raw.value);
        checkKey(raw, p.customerId(), "customerId");
        checkTime(p.proposedAt(), true);
        return CustomerInput.of(p);
    }
}
