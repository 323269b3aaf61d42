package io.nextbest.job.ingest;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.schemas.DeadLetterReason;
import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.messages.DeadLetter;
import java.nio.charset.StandardCharsets;
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
 * Decodes and validates the records of one input topic into {@code T}. A valid record goes on;
 * anything else — too large, not JSON, against the schema, absurd values, a time far from the wall
 * clock — goes to the {@link #DEAD_LETTERS} side output with its original bytes and a reason. It
 * never throws on bad input, so one bad record cannot stop the job. Metrics per topic:
 * {@code recordsAccepted} and {@code deadLetters} by reason.
 */
public abstract class DecodeRecords<T> extends ProcessFunction<RawRecord, T> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    protected final InputKind kind;
    private final int maxRecordBytes;
    private final long maxFutureSkewMs;
    private final long maxAgeMs;
    protected final WallClock clock;

    private transient Counter accepted;
    private transient Map<DeadLetterReason, Counter> rejected;

    protected DecodeRecords(InputKind kind, NextbestConfig config, WallClock clock) {
        this.kind = kind;
        this.maxRecordBytes = config.get(Settings.INGEST_MAX_RECORD_BYTES);
        this.maxFutureSkewMs = millisOrUnlimited(config.get(Settings.INGEST_MAX_FUTURE_SKEW));
        this.maxAgeMs = millisOrUnlimited(config.get(Settings.INGEST_MAX_EVENT_AGE));
        this.clock = clock;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        var group = getRuntimeContext().getMetricGroup().addGroup("topic", kind.topic().name());
        accepted = group.counter("recordsAccepted");
        rejected = new EnumMap<>(DeadLetterReason.class);
        for (DeadLetterReason r : DeadLetterReason.values()) {
            rejected.put(r, group.addGroup("reason", r.wire()).counter("deadLetters"));
        }
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<T> out) {
        try {
            if (raw.value != null && raw.value.length > maxRecordBytes) {
                throw new InvalidMessageException(DeadLetterReason.OVERSIZED,
                        "record of " + raw.value.length + " bytes exceeds ingest.max-record-bytes=" + maxRecordBytes);
            }
            out.collect(decode(raw));
            accepted.inc();
        } catch (InvalidMessageException e) {
            rejected.get(e.reason()).inc();
            ctx.output(DEAD_LETTERS, deadLetter(raw, e.reason(), e.detail(), clock.now()));
            T instead = failed(raw);
            if (instead != null) {
                out.collect(instead);
            }
        }
    }

    /** What goes on in place of a record that failed, besides its dead letter; null (the default): nothing. */
    protected T failed(RawRecord raw) {
        return null;
    }

    /** The record's message, or an exception with the reason it cannot be used. */
    protected abstract T decode(RawRecord raw) throws InvalidMessageException;

    /** Rejects times too far ahead of the wall clock (all topics) or too old ({@code checkAge}). */
    protected void checkTime(Instant time, boolean checkAge) throws InvalidMessageException {
        long t = time.toEpochMilli();
        long now = clock.now();
        if (t - now > maxFutureSkewMs) {
            throw new InvalidMessageException(DeadLetterReason.TIMESTAMP_OUT_OF_RANGE,
                    "timestamp " + time + " is more than ingest.max-future-skew ahead of now ("
                            + Instant.ofEpochMilli(now) + ")");
        }
        if (checkAge && now - t > maxAgeMs) {
            throw new InvalidMessageException(DeadLetterReason.TIMESTAMP_OUT_OF_RANGE,
                    "timestamp " + time + " is older than ingest.max-event-age (now " + Instant.ofEpochMilli(now) + ")");
        }
    }

    /**
     * The record key of a compacted topic's record, which must name the message's id ({@code what}:
     * "itemId", "ruleId"); {@code id} null for a tombstone, which needs a key.
     */
    protected static String checkKey(RawRecord raw, String id, String what) throws InvalidMessageException {
        String key = raw.key == null ? null : new String(raw.key, StandardCharsets.UTF_8);
        if (id == null) {
            if (key == null || key.isEmpty()) {
                throw new InvalidMessageException(DeadLetterReason.MISSING_ID,
                        "a tombstone (null value) needs the " + what + " as its record key");
            }
            if (key.length() > 128 || key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new InvalidMessageException(DeadLetterReason.INVALID_VALUE,
                        "tombstone key is not a valid " + what + " (1..128 characters, no control characters)");
            }
            return key;
        }
        if (key != null && !key.equals(id)) {
            throw new InvalidMessageException(DeadLetterReason.INVALID_VALUE,
                    "record key '" + abbreviate(key) + "' differs from " + what + " '" + id
                            + "' (compaction keeps the last record per key)");
        }
        return id;
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 61) + "..." : s;
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
