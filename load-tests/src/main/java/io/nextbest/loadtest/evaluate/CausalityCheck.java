package io.nextbest.loadtest.evaluate;

/**
 * Counts scored lists that could have seen the future: a list scored against the event at stream position p
 * whose shared inputs (trending, neighbour index, catalog) had already folded in a record at p or later. Such a
 * list may hold the answer it is scored on (the customer's own next click pairing an anchor with the target),
 * so a report must show 0 leaks for its figures to count.
 */
public final class CausalityCheck {
    private long checked;
    private long leaks;
    private long firstLeakPosition = -1;

    /**
     * Checks one scored list.
     *
     * @param newestInputPosition the newest stream position any of the list's shared inputs had seen
     * @param scoredPosition the stream position of the event the list is scored against
     * @return true if the list leaked
     */
    public boolean check(long newestInputPosition, long scoredPosition) {
        checked++;
        if (newestInputPosition >= scoredPosition) {
            if (leaks++ == 0) {
                firstLeakPosition = scoredPosition;
            }
            return true;
        }
        return false;
    }

    public long checked() {
        return checked;
    }

    public long leaks() {
        return leaks;
    }

    /** The position of the first leaking scored event, -1 when none leaked. */
    public long firstLeakPosition() {
        return firstLeakPosition;
    }
}
