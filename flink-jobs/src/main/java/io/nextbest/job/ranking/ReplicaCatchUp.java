package io.nextbest.job.ranking;

import java.util.HashMap;
import java.util.Map;

/**
 * Whether the replicas have caught up with their compacted topics after a start: every partition of
 * {@code catalog} and {@code item-neighbours} read up to the end offset it had when the stage opened.
 * Until then the customer stage holds its events back, so that a restored or rescaled job ranks from
 * the replicas it had, not from the first few records of a re-read (which changed lists and content
 * profiles, RescaleIT). Its end offsets come from Kafka when the stage opens; records keep arriving
 * while it waits, so the target is the end as of the start, not the moving end. No Flink types.
 */
public final class ReplicaCatchUp {
    /** Offset of the last record to reach, per "topic/partition"; removed once reached. */
    private final Map<String, Long> pending = new HashMap<>();
    private final long startedAt;
    private final long waitMs;
    private String gaveUp;

    /**
     * @param endOffsets end offset (one past the last record) per topic and partition, as Kafka reported
     *     it at the start; partitions at offset 0 (empty) need nothing
     * @param startedAt wall-clock ms of the start
     * @param waitMs how long to wait at most before ranking from whatever has arrived
     */
    public ReplicaCatchUp(Map<String, Map<Integer, Long>> endOffsets, long startedAt, long waitMs) {
        endOffsets.forEach((topic, partitions) -> partitions.forEach((partition, end) -> {
            if (end > 0) {
                pending.put(topic + "/" + partition, end - 1);
            }
        }));
        this.startedAt = startedAt;
        this.waitMs = waitMs;
    }

    /** Caught up from the start: nothing to wait for (no replica topics, or they could not be asked). */
    public static ReplicaCatchUp none() {
        return new ReplicaCatchUp(Map.of(), 0, 0);
    }

    /** A replica record at {@code offset} arrived; returns whether everything is caught up now. */
    public boolean saw(String topic, int partition, long offset) {
        if (!pending.isEmpty()) {
            String key = topic + "/" + partition;
            Long last = pending.get(key);
            if (last != null && offset >= last) {
                pending.remove(key);
            }
        }
        return done();
    }

    /** Whether the stage may rank: caught up, or it stopped waiting. */
    public boolean done() {
        return pending.isEmpty() || gaveUp != null;
    }

    /** Checks the wait limit at wall-clock {@code now}; returns {@link #done()}. */
    public boolean check(long now) {
        if (!done() && now - startedAt >= waitMs) {
            gaveUp = "waited " + waitMs + " ms";
        }
        return done();
    }

    /** Stops waiting ({@code why}: for the log and the metrics). */
    public void giveUp(String why) {
        if (!done()) {
            gaveUp = why;
        }
    }

    /** Why it stopped waiting before catching up, null if it did not. */
    public String gaveUp() {
        return gaveUp;
    }

    /** Partitions not yet read to their start-time end. */
    public int pendingPartitions() {
        return pending.size();
    }
}
