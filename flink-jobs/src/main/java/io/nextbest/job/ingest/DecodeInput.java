package io.nextbest.job.ingest;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.schemas.Codec;
import io.nextbest.schemas.DeadLetterReason;
import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.messages.DeadLetter;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes and validates the records of one input topic. A valid event goes on; anything else —
 * too large, not JSON, against the schema, absurd values, a time far from the wall clock — goes
 * to the {@link #DEAD_LETTERS} side output with its original bytes and a reason. It never throws
 * on bad input, so one bad record cannot stop the job.
 */
public class DecodeInput extends ProcessFunction<RawRecord, CustomerInput> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private final InputKind kind;
    private final int maxRecordBytes;
    private final long maxFutureSkewMs;
    private final long maxAgeMs;
    private final WallClock clock;

    private transient Codec<?> codec;
    private transient Counter accepted;
    private transient Map<DeadLetterReason, Counter> rejected;

    public DecodeInput(InputKind kind, NextbestConfig config, WallClock clock) {
        this.kind = kind;
        this.maxRecordBytes = config.get(Settings.INGEST_MAX_RECORD_BYTES);
        this.maxFutureSkewMs = millisOrUnlimited(config.get(Settings.INGEST_MAX_FUTURE_SKEW));
        this.maxAgeMs = millisOrUnlimited(config.get(Settings.INGEST_MAX_EVENT_AGE));
        this.clock = clock;
    }

    @Override
    public void open(OpenContext openContext) {
        codec = kind.topic().codec();
        var group = getRuntimeContext().getMetricGroup().addGroup("topic", kind.topic().name());
        accepted = group.counter("recordsAccepted");
        rejected = new EnumMap<>(DeadLetterReason.class);
        for (DeadLetterReason r : DeadLetterReason.values()) {
            rejected.put(r, group.addGroup("reason", r.wire()).counter("deadLetters"));
        }
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<CustomerInput> out) {
        try {
            out.collect(decode(raw));
            accepted.inc();
        } catch (InvalidMessageException e) {
            rejected.get(e.reason()).inc();
            ctx.output(DEAD_LETTERS, deadLetter(raw, e.reason(), e.detail(), clock.now()));
        }
    }

    private CustomerInput decode(RawRecord raw) throws InvalidMessageException {
        if (raw.value != null && raw.value.length > maxRecordBytes) {
            throw new InvalidMessageException(DeadLetterReason.OVERSIZED,
                    "record of " + raw.value.length + " bytes exceeds ingest.max-record-bytes=" + maxRecordBytes);
        }
        CustomerInput in = CustomerInput.of(codec.decode(raw.value));
        long eventTime = in.eventTime().toEpochMilli();
        long now = clock.now();
        if (eventTime - now > maxFutureSkewMs) {
            throw new InvalidMessageException(DeadLetterReason.TIMESTAMP_OUT_OF_RANGE,
                    "timestamp " + in.eventTime() + " is more than ingest.max-future-skew ahead of now ("
                            + Instant.ofEpochMilli(now) + ")");
        }
        if (now - eventTime > maxAgeMs) {
            throw new InvalidMessageException(DeadLetterReason.TIMESTAMP_OUT_OF_RANGE,
                    "timestamp " + in.eventTime() + " is older than ingest.max-event-age (now "
                            + Instant.ofEpochMilli(now) + ")");
        }
        return in;
    }

    /** The dead letter for a raw record: original bytes in base64, coordinates, reason. */
    public static DeadLetter deadLetter(RawRecord raw, DeadLetterReason reason, String detail, long now) {
        Base64.Encoder b64 = Base64.getEncoder();
        String d = detail == null || detail.isEmpty() ? reason.wire() : detail;
        return new DeadLetter(
                reason,
                d.length() > 1024 ? d.substring(0, 1021) + "..." : d,
                raw.topic,
                raw.partition,
                raw.offset,
                raw.timestamp == Long.MIN_VALUE || raw.timestamp < 0 ? null : raw.timestamp,
                raw.key == null ? null : b64.encodeToString(raw.key),
                raw.value == null ? null : b64.encodeToString(raw.value),
                Instant.ofEpochMilli(now));
    }

    private static long millisOrUnlimited(Duration d) {
        return d == null ? Long.MAX_VALUE : d.toMillis();
    }
}
