package io.nextbest.job.messages;

/**
 * A rule as it came from the {@code rules} topic, already validated: its id and its JSON document
 * ({@code null} deletes the rule). The customer stage keeps the documents in broadcast state and
 * builds its {@code RuleBook} from them. A Flink POJO.
 */
public class RuleUpdate {
    public String ruleId;
    public String json;
    /** Where the record came from, for a dead letter made after decoding (an overlapping experiment). */
    public String topic;
    public int partition;
    public long offset = -1;
    public long timestamp = Long.MIN_VALUE;

    public RuleUpdate() {}

    public RuleUpdate(String ruleId, String json) {
        this.ruleId = ruleId;
        this.json = json;
    }

    /** This update, with the coordinates of its record. */
    public RuleUpdate from(String topic, int partition, long offset, long timestamp) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        return this;
    }
}
