package io.nextbest.job.experiment;

/**
 * Counts of one experiment arm in one event-time window: a change made by one event ({@link Attribution}'s output),
 * or a window's totals ({@link ExperimentMetricsBoard}). The fields are those of {@code experiment-metrics}. A Flink
 * POJO.
 */
public class ArmCounts {
    public String experimentId;
    public String variant;
    /** Start (ms) of the event-time window. */
    public long windowStart;
    public long lists;
    public long exposedCustomers;
    public long impressions;
    public long clicks;
    public long clickers;
    public long dismissals;
    public long addToCarts;
    public long attributedOrders;
    public double attributedRevenue;
    public long converters;
    public long orders;
    public double revenue;
    public double revenueSquares;

    public ArmCounts() {}

    public ArmCounts(String experimentId, String variant, long windowStart) {
        this.experimentId = experimentId;
        this.variant = variant;
        this.windowStart = windowStart;
    }

    /** The key of the arm (what the board is keyed by). */
    public String arm() {
        return experimentId + "/" + variant;
    }

    public void add(ArmCounts d) {
        lists += d.lists;
        exposedCustomers += d.exposedCustomers;
        impressions += d.impressions;
        clicks += d.clicks;
        clickers += d.clickers;
        dismissals += d.dismissals;
        addToCarts += d.addToCarts;
        attributedOrders += d.attributedOrders;
        attributedRevenue += d.attributedRevenue;
        converters += d.converters;
        orders += d.orders;
        revenue += d.revenue;
        revenueSquares += d.revenueSquares;
    }

    @Override
    public String toString() {
        return arm() + "@" + windowStart + "{lists=" + lists + ", exposed=" + exposedCustomers + ", impressions="
                + impressions + ", clicks=" + clicks + ", clickers=" + clickers + ", dismissals=" + dismissals
                + ", addToCarts=" + addToCarts + ", attributedOrders=" + attributedOrders + ", attributedRevenue="
                + attributedRevenue + ", converters=" + converters + ", orders=" + orders + ", revenue=" + revenue
                + ", revenueSquares=" + revenueSquares + "}";
    }
}
