package io.nextbest.schemas.messages;

import java.time.Instant;

/**
 * What one arm of an experiment did in one event-time window, on the compacted {@code experiment-metrics} topic
 * (key {@link #key()}). The job re-publishes a window's totals so far while events of that window arrive; the record
 * with the highest {@code revision} of a key holds its totals, and an arm's totals are the sum of its windows. The
 * field descriptions and the attribution rules are in the schema and docs/experiments.md.
 */
public record ExperimentMetrics(
        String experimentId,
        String variant,
        Instant windowStart,
        Instant windowEnd,
        long revision,
        Instant updatedAt,
        long lists,
        long exposedCustomers,
        long impressions,
        long clicks,
        long clickers,
        long dismissals,
        long addToCarts,
        long attributedOrders,
        double attributedRevenue,
        long converters,
        long orders,
        double revenue,
        double revenueSquares) {

    /** The record's key: {@code experimentId/variant/windowStart} (the window start as ISO-8601). */
    public String key() {
        return key(experimentId, variant, windowStart);
    }

    public static String key(String experimentId, String variant, Instant windowStart) {
        return experimentId + "/" + variant + "/" + windowStart;
    }
}
