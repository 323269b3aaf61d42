package io.nextbest.job.messages;

/**
 * An action of the {@code actions} topic, already validated: its id and its JSON document ({@code null} deletes the
 * action). The customer stage keeps the documents in broadcast state and parses its catalog from them. A Flink POJO.
 */
public class ActionUpdate {
    public String actionId;
    public String json;

    public ActionUpdate() {}

    public ActionUpdate(String actionId, String json) {
        this.actionId = actionId;
        this.json = json;
    }
}
