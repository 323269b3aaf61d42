package io.nextbest.job.action;

/**
 * What arbitration keeps per customer, as one group of the customer's state ({@code CustomerState.actions}): open
 * proposals, when each action was last taken, track progress, decisions awaiting a response. Every array is bounded
 * by {@code actions.max-per-customer}.
 */
public final class ActionState {
    /** Open proposals (action-proposals), oldest first: id, action, expiry (event time ms), value (NaN: the action's). */
    public String[] proposalIds = new String[0];
    public String[] proposalActions = new String[0];
    public long[] proposalExpires = new long[0];
    public double[] proposalValues = new double[0];
    /** When each action was last acted on for this customer (cooldowns, track steps), oldest first. */
    public String[] actedIds = new String[0];
    public long[] actedAt = new long[0];
    /** Track progress: the track, the action of the last step taken in it, and when. */
    public String[] tracks = new String[0];
    public String[] trackSteps = new String[0];
    public long[] trackAt = new long[0];
    /** Decisions that acted on a discretionary action and wait for a response: id, action, propensity segment, time. */
    public String[] pendingIds = new String[0];
    public String[] pendingActions = new String[0];
    public String[] pendingSegments = new String[0];
    public long[] pendingAt = new long[0];
    /** Decisions made so far for this customer: numbers their ids. */
    public long decisions;
    /** Event time (ms) of the decision timer (a track's wait, a deferred mandatory action), 0: none. */
    public long timerAt;

    /** True while arbitration has never touched this customer (written as one byte). */
    public boolean isEmpty() {
        return decisions == 0 && timerAt == 0 && proposalIds.length == 0 && actedIds.length == 0
                && tracks.length == 0 && pendingIds.length == 0;
    }
}
