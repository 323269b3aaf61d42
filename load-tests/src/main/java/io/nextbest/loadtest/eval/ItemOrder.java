package io.nextbest.loadtest.eval;

import java.util.Comparator;

/**
 * The order of item ids in the baselines' tie-breaks: ids that are integers compare as numbers
 * ({@code "9" < "10"}), as the reference evaluator ({@code prequential_ref.py}) compares them; the
 * data sets' ids all are. Any other id comes after every integer id and compares as a string; two
 * spellings of one number ({@code "7"}, {@code "007"}) fall back to the string order, so that the
 * order stays total and consistent with {@code equals}.
 */
final class ItemOrder {
    private ItemOrder() {}

    /** Ascending: integer ids by value first, then other ids by string. */
    static final Comparator<String> ASCENDING = ItemOrder::compare;

    static int compare(String a, String b) {
        long x = numeric(a);
        long y = numeric(b);
        if (x != NOT_A_NUMBER && y != NOT_A_NUMBER) {
            int c = Long.compare(x, y);
            return c != 0 ? c : a.compareTo(b);
        }
        if (x != NOT_A_NUMBER) {
            return -1;
        }
        if (y != NOT_A_NUMBER) {
            return 1;
        }
        return a.compareTo(b);
    }

    private static final long NOT_A_NUMBER = Long.MIN_VALUE;

    /** The id's value when it is a non-negative integer of at most 18 digits, else {@link #NOT_A_NUMBER}. */
    static long numeric(String id) {
        int n = id.length();
        if (n == 0 || n > 18) {
            return NOT_A_NUMBER;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return NOT_A_NUMBER;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
