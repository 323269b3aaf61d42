package io.nextbest.job.ingest;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.messages.CustomerInput;
import io.nextbest.schemas.Codec;
import io.nextbest.schemas.InvalidMessageException;
import org.apache.flink.api.common.functions.OpenContext;

/** Decodes the customer stage's inputs (interactions, transactions, customers); see {@link DecodeRecords}. */
public class DecodeInput extends DecodeRecords<CustomerInput> {
    private static final long serialVersionUID = 1L;

    private transient Codec<?> codec;

    public DecodeInput(InputKind kind, NextbestConfig config, WallClock clock) {
        super(kind, config, clock);
        if (!kind.customerEvents()) {
            throw new IllegalArgumentException(kind + " does not carry customer events");
        }
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        codec = kind.topic().codec();
    }

    @Override
    protected CustomerInput decode(RawRecord raw) throws InvalidMessageException {
        CustomerInput in = CustomerInput.of(codec.decode(raw.value));
        checkTime(in.eventTime(), true);
        return in;
    }
}
