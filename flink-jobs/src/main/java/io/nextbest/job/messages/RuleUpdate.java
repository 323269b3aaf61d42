package io.nextbest.job.messages;

/**
 * A rule as it came from the {@code rules} topic, already validated: its id and its JSON document
 * ({@code null} deletes the rule). The customer stage keeps the documents in broadcast state and
 * builds its {@code RuleBook} from them. A Flink POJO.
 */
public class RuleUpdate {
    public String ruleId;
    public String json;

    public RuleUpdate() {}

    public RuleUpdate(String ruleId, String json) {
        this.ruleId = ruleId;
        this.json = json;
    }
}
