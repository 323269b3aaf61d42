package io.nextbest.job.messages;

/**
 * The ranking context of one list (or one trigger's complementary items): who it is for, what to leave
 * out, and the customer facts the ranking and the rules read. Built by the customer stage from the
 * customer's state for each list, and handed to the {@link io.nextbest.job.ranking.ListMaker}.
 */
public class RankingRequest {
    public String customerId;
    public String sessionId;
    public long sequence;
    public String triggerEventId;
    public String placement;
    /** Event time (ms) of the triggering event. */
    public long eventTime;
    /** Items not to suggest: in the basket and/or recently bought, as configured. */
    public String[] exclude;
    /** The customer's segments, e.g. {@code lifecycle:loyal}, {@code tier:high}, {@code anonymous}. */
    public String[] segments = new String[0];
    /** Recently bought items, oldest first, and when (event time, ms) each was last bought. */
    public String[] purchased = new String[0];
    public long[] purchasedAt = new long[0];
    /** The strongest content-profile features, strongest first, and their decayed weights. */
    public String[] profileFeatures = new String[0];
    public double[] profileWeights = new double[0];
    /** The profile's Euclidean norm over all its features (not only those sent), for cosines. */
    public double profileNorm;
    /** Set for an abandoned-basket trigger: rank its complementary items and emit the trigger, not a list. */
    public io.nextbest.job.messages.TriggerRequest trigger;

    public RankingRequest() {}

    /** The key experiments assign by, when not the subject's own (a customer keeping its session's arms). */
    public String assignmentKey;

    /** The key experiments assign this request's list by: {@link #assignmentKey}, else the subject's. */
    public String experimentKey() {
        return assignmentKey != null ? assignmentKey : subjectKey();
    }

    public String subjectKey() {
        return customerId != null ? customerId : sessionId;
    }
}
