package io.nextbest.job.customer;

/** What the ranking stage needs to make the next list for a customer. */
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
    /** Candidate queries sent for this request: the neighbour lists the ranking stage waits for. */
    public int parts;

    public RankingRequest() {}

    public String subjectKey() {
        return customerId != null ? customerId : sessionId;
    }
}
