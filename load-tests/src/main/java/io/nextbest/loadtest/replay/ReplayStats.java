package io.nextbest.loadtest.replay;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a {@link DatasetReplay} read, kept and left out. Times are after the time shift.
 *
 * @param files per file, in replay order
 * @param rowsRead data rows read (header lines and blank lines are not rows)
 * @param rowsMapped rows that became events (before the customer and row limits)
 * @param skipped rows left out, per reason (reasons with none are absent)
 * @param firstSkipped per reason, where the first such row is ({@code file:line})
 * @param unknownEventTypes raw event types without a mapping and how many rows had them (at most
 *     {@value DatasetReplay#MAX_UNKNOWN_TYPES} distinct values are listed)
 * @param eventsSelected events kept by the customer and row limits (catalog records not included)
 * @param catalogRecords catalog records added before first events on items (before an item's first event whose row
 *     has a category)
 * @param catalogRecordsWithoutCategory with catalog records on: selected items that got no catalog record because
 *     none of their selected rows has a category (the replay makes none up; the job sees them as not in the catalog)
 * @param actions selected events per action
 * @param customers distinct customer keys among the selected events
 * @param items distinct items among the selected events
 * @param firstEventMs event time of the first selected event (epoch ms), 0 if none
 * @param lastEventMs event time of the last selected event (epoch ms), 0 if none
 * @param shiftMs how far event times were moved
 */
public record ReplayStats(
        String dataset,
        List<FileStats> files,
        long rowsRead,
        long rowsMapped,
        Map<SkipReason, Long> skipped,
        Map<SkipReason, String> firstSkipped,
        Map<String, Long> unknownEventTypes,
        long eventsSelected,
        long catalogRecords,
        long catalogRecordsWithoutCategory,
        Map<String, Long> actions,
        int customers,
        int items,
        long firstEventMs,
        long lastEventMs,
        long shiftMs) {

    /** One file: its data rows, how many became events and how many were skipped. */
    public record FileStats(String file, long rows, long mapped, long skipped) {}

    public long skippedTotal() {
        return rowsRead - rowsMapped;
    }

    /** A few lines for a console or a report. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append("dataset ").append(dataset).append(": ").append(rowsRead).append(" rows read, ")
                .append(rowsMapped).append(" mapped, ").append(skippedTotal()).append(" skipped");
        if (!skipped.isEmpty()) {
            b.append(' ').append(skipped);
        }
        if (!unknownEventTypes.isEmpty()) {
            b.append("; unknown event types ").append(unknownEventTypes);
        }
        b.append('\n').append(eventsSelected).append(" events selected ").append(actions)
                .append(", ").append(customers).append(" customers, ").append(items).append(" items");
        if (catalogRecords > 0) {
            b.append(", ").append(catalogRecords).append(" catalog records");
        }
        if (catalogRecordsWithoutCategory > 0) {
            b.append(", ").append(catalogRecordsWithoutCategory).append(" items without a category (no catalog record)");
        }
        if (eventsSelected > 0) {
            b.append("\nevent time ").append(Instant.ofEpochMilli(firstEventMs)).append(" .. ")
                    .append(Instant.ofEpochMilli(lastEventMs));
            if (shiftMs != 0) {
                b.append(" (shifted by ").append(java.time.Duration.ofMillis(shiftMs)).append(')');
            }
        }
        return b.toString();
    }
}
