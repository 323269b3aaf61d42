package io.nextbest.job.experiment;

/**
 * What attribution keeps per customer (or anonymous session): its newest lists of experiments (bounded by {@code
 * experiments.recent-lists}) and its membership of each experiment it got a list of. A Flink POJO.
 */
public class AttributionState {
    /** Oldest first. */
    public ShownList[] lists = new ShownList[0];
    public Member[] members = new Member[0];
    /** Feedback naming a list that has not arrived yet (it may overtake the list inside the job); oldest first. */
    public Pending[] pending = new Pending[0];

    public AttributionState() {}

    /** Feedback waiting for the list its {@code suggestionSequence} names. A Flink POJO. */
    public static class Pending {
        public long sequence;
        /** Ordinal of its FeedbackType. */
        public int type;
        public String itemId;
        /** Event time (ms). */
        public long time;

        public Pending() {}
    }

    /** The arm a customer was first exposed to in one experiment, and what it did since. A Flink POJO. */
    public static class Member {
        public String experimentId;
        public String variant;
        /** Event time (ms) of the customer's first list of the experiment. */
        public long exposedAt;
        public boolean clicked;
        public boolean converted;
        /** Value of the customer's orders since exposure. */
        public double revenue;

        public Member() {}

        Member(String experimentId, String variant, long exposedAt) {
            this.experimentId = experimentId;
            this.variant = variant;
            this.exposedAt = exposedAt;
        }
    }

    Member member(String experimentId) {
        for (Member m : members) {
            if (m.experimentId.equals(experimentId)) {
                return m;
            }
        }
        return null;
    }
}
