package io.nextbest.job.ingest;

/**
 * A Kafka record as it arrived, before decoding: the bytes plus where they came from, so that a
 * record that cannot be used reaches {@code dead-letter} exactly as it was.
 */
public class RawRecord {
    public String topic;
    public int partition;
    public long offset;
    /** The Kafka record timestamp (epoch ms), or {@code Long.MIN_VALUE} when it has none. */
    public long timestamp;
    public byte[] key;
    public byte[] value;

    public RawRecord() {}

    public RawRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.key = key;
        this.value = value;
    }
}
