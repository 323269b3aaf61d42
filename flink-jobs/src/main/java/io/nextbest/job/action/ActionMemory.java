package io.nextbest.job.action;

import java.util.Arrays;

/**
 * Reads and writes the arbitration's part of a customer's state ({@link ActionState}): open proposals,
 * when each action was last taken, track progress, decisions awaiting a response. Every array stays within
 * {@code max} entries (oldest dropped). Pure.
 */
public final class ActionMemory {
    private final int max;

    public ActionMemory(int max) {
        this.max = max;
    }

    /** The index of the open (unexpired at {@code now}) proposal for {@code actionId}, newest first; −1 if none. */
    public static int openProposal(ActionState a, String actionId, long now) {
        for (int i = a.proposalIds.length - 1; i >= 0; i--) {
            if (a.proposalActions[i].equals(actionId) && a.proposalExpires[i] > now) {
                return i;
            }
        }
        return -1;
    }

    /** Event time (ms) {@code actionId} was last taken for this customer, 0 if never (as far as remembered). */
    public static long lastActed(ActionState a, String actionId) {
        int i = indexOf(a.actedIds, actionId);
        return i < 0 ? 0 : a.actedAt[i];
    }

    /** The index of the customer's progress in {@code trackId}, −1 if not in it. */
    public static int track(ActionState a, String trackId) {
        return indexOf(a.tracks, trackId);
    }

    /**
     * Adds a proposal (a repeat of a proposal id is ignored); expired proposals go. Returns false for a repeat.
     */
    public boolean propose(ActionState a, String proposalId, String actionId, long expiresAt, double value, long now) {
        if (indexOf(a.proposalIds, proposalId) >= 0) {
            return false;
        }
        dropExpired(a, now);
        int n = a.proposalIds.length;
        a.proposalIds = Arrays.copyOf(a.proposalIds, n + 1);
        a.proposalActions = Arrays.copyOf(a.proposalActions, n + 1);
        a.proposalExpires = Arrays.copyOf(a.proposalExpires, n + 1);
        a.proposalValues = Arrays.copyOf(a.proposalValues, n + 1);
        a.proposalIds[n] = proposalId;
        a.proposalActions[n] = actionId;
        a.proposalExpires[n] = expiresAt;
        a.proposalValues[n] = value;
        int drop = Math.max(0, n + 1 - max);
        if (drop > 0) {
            a.proposalIds = Arrays.copyOfRange(a.proposalIds, drop, n + 1);
            a.proposalActions = Arrays.copyOfRange(a.proposalActions, drop, n + 1);
            a.proposalExpires = Arrays.copyOfRange(a.proposalExpires, drop, n + 1);
            a.proposalValues = Arrays.copyOfRange(a.proposalValues, drop, n + 1);
        }
        return true;
    }

    /** Drops the proposals that expired at {@code now}. */
    public static void dropExpired(ActionState a, long now) {
        int keep = 0;
        for (long e : a.proposalExpires) {
            if (e > now) {
                keep++;
            }
        }
        if (keep == a.proposalIds.length) {
            return;
        }
        String[] ids = new String[keep];
        String[] actions = new String[keep];
        long[] expires = new long[keep];
        double[] values = new double[keep];
        int j = 0;
        for (int i = 0; i < a.proposalIds.length; i++) {
            if (a.proposalExpires[i] > now) {
                ids[j] = a.proposalIds[i];
                actions[j] = a.proposalActions[i];
                expires[j] = a.proposalExpires[i];
                values[j++] = a.proposalValues[i];
            }
        }
        a.proposalIds = ids;
        a.proposalActions = actions;
        a.proposalExpires = expires;
        a.proposalValues = values;
    }

    /**
     * Records that {@code action} was taken at {@code now} by decision {@code decisionId}: its time (cooldown), its
     * track step, the proposal it used (consumed), and for a discretionary action the decision that waits for a
     * response in propensity segment {@code segment}.
     */
    public void acted(ActionState a, ActionDef action, String decisionId, String segment, long now) {
        int i = indexOf(a.actedIds, action.actionId());
        if (i >= 0) {
            a.actedIds = remove(a.actedIds, i);
            a.actedAt = remove(a.actedAt, i);
        }
        a.actedIds = append(a.actedIds, action.actionId());
        a.actedAt = append(a.actedAt, now);
        trim(a, max);
        int p = openProposal(a, action.actionId(), now);
        if (p >= 0) {
            a.proposalIds = remove(a.proposalIds, p);
            a.proposalActions = remove(a.proposalActions, p);
            a.proposalExpires = remove(a.proposalExpires, p);
            a.proposalValues = remove(a.proposalValues, p);
        }
        if (action.track() != null) {
            int t = indexOf(a.tracks, action.track().trackId());
            if (t < 0) {
                a.tracks = append(a.tracks, action.track().trackId());
                a.trackSteps = append(a.trackSteps, action.actionId());
                a.trackAt = append(a.trackAt, now);
                int drop = Math.max(0, a.tracks.length - max); // the oldest track started goes first
                if (drop > 0) {
                    a.tracks = Arrays.copyOfRange(a.tracks, drop, a.tracks.length);
                    a.trackSteps = Arrays.copyOfRange(a.trackSteps, drop, a.trackSteps.length);
                    a.trackAt = Arrays.copyOfRange(a.trackAt, drop, a.trackAt.length);
                }
            } else {
                a.trackSteps[t] = action.actionId();
                a.trackAt[t] = now;
            }
        }
        if (!action.mandatory()) {
            a.pendingIds = append(a.pendingIds, decisionId);
            a.pendingActions = append(a.pendingActions, action.actionId());
            a.pendingSegments = append(a.pendingSegments, segment);
            a.pendingAt = append(a.pendingAt, now);
            int drop = Math.max(0, a.pendingIds.length - max);
            if (drop > 0) {
                a.pendingIds = Arrays.copyOfRange(a.pendingIds, drop, a.pendingIds.length);
                a.pendingActions = Arrays.copyOfRange(a.pendingActions, drop, a.pendingActions.length);
                a.pendingSegments = Arrays.copyOfRange(a.pendingSegments, drop, a.pendingSegments.length);
                a.pendingAt = Arrays.copyOfRange(a.pendingAt, drop, a.pendingAt.length);
            }
        }
    }

    /** A response to a decision that waits for one: which action and segment it counts for. */
    public record Response(String decisionId, String actionId, String segment) {}

    /**
     * Takes the pending decision {@code decisionId} (accepted by the customer), if it waits within {@code windowMs}
     * of {@code now}; null if unknown, answered already or too old.
     */
    public static Response accept(ActionState a, String decisionId, long now, long windowMs) {
        int i = indexOf(a.pendingIds, decisionId);
        if (i < 0 || now - a.pendingAt[i] > windowMs) {
            return null;
        }
        return take(a, i);
    }

    /**
     * An order converts every decision waiting within {@code windowMs} before {@code now} (each once); the taken
     * decisions, oldest first. Decisions older than the window are dropped unanswered.
     */
    public static java.util.List<Response> convert(ActionState a, long now, long windowMs) {
        java.util.List<Response> out = new java.util.ArrayList<>();
        for (int i = 0; i < a.pendingIds.length; ) {
            if (a.pendingAt[i] <= now && now - a.pendingAt[i] <= windowMs) {
                out.add(take(a, i));
            } else if (now - a.pendingAt[i] > windowMs) {
                take(a, i);
            } else {
                i++;
            }
        }
        return out;
    }

    private static Response take(ActionState a, int i) {
        Response r = new Response(a.pendingIds[i], a.pendingActions[i], a.pendingSegments[i]);
        a.pendingIds = remove(a.pendingIds, i);
        a.pendingActions = remove(a.pendingActions, i);
        a.pendingSegments = remove(a.pendingSegments, i);
        a.pendingAt = remove(a.pendingAt, i);
        return r;
    }

    private static void trim(ActionState a, int max) {
        int drop = Math.max(0, a.actedIds.length - max);
        if (drop > 0) {
            a.actedIds = Arrays.copyOfRange(a.actedIds, drop, a.actedIds.length);
            a.actedAt = Arrays.copyOfRange(a.actedAt, drop, a.actedAt.length);
        }
    }

    static int indexOf(String[] a, String v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i].equals(v)) {
                return i;
            }
        }
        return -1;
    }

    private static String[] append(String[] a, String v) {
        String[] r = Arrays.copyOf(a, a.length + 1);
        r[a.length] = v;
        return r;
    }

    private static long[] append(long[] a, long v) {
        long[] r = Arrays.copyOf(a, a.length + 1);
        r[a.length] = v;
        return r;
    }

    private static String[] remove(String[] a, int i) {
        String[] r = new String[a.length - 1];
        System.arraycopy(a, 0, r, 0, i);
        System.arraycopy(a, i + 1, r, i, a.length - i - 1);
        return r;
    }

    private static long[] remove(long[] a, int i) {
        long[] r = new long[a.length - 1];
        System.arraycopy(a, 0, r, 0, i);
        System.arraycopy(a, i + 1, r, i, a.length - i - 1);
        return r;
    }

    private static double[] remove(double[] a, int i) {
        double[] r = new double[a.length - 1];
        System.arraycopy(a, 0, r, 0, i);
        System.arraycopy(a, i + 1, r, i, a.length - i - 1);
        return r;
    }
}
