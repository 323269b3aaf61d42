package io.nextbest.job.messages;

/**
 * Trials and successes of a discretionary action among customers of one segment: as increments from the customer
 * stage (a decision that acted: one trial; an acceptance or an order in the response window: one success) and as
 * totals from the propensity learner to the customer stage's replicas. A Flink POJO.
 */
public class ActionLearning {
    public String actionId;
    public String segment;
    public long trials;
    public long successes;

    public ActionLearning() {}

    public ActionLearning(String actionId, String segment, long trials, long successes) {
        this.actionId = actionId;
        this.segment = segment;
        this.trials = trials;
        this.successes = successes;
    }

    /** The learner's key: one count per action and segment. */
    public String key() {
        return actionId + "\n" + segment;
    }

    @Override
    public String toString() {
        return "ActionLearning[" + actionId + " in " + segment + ": " + successes + " of " + trials + "]";
    }
}
