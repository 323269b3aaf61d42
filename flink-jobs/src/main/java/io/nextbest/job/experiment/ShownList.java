package io.nextbest.job.experiment;

import io.nextbest.schemas.messages.SuggestedItem;
import io.nextbest.schemas.messages.Suggestions;

/**
 * A list of an experiment as attribution needs it: whose, which, which arm, when, and the items shown (the list's
 * reasons and scores left behind). A Flink POJO.
 */
public class ShownList {
    public String subject;
    public long sequence;
    public String experimentId;
    public String variant;
    public String placement;
    /** Event time (ms) of the event the list was made for. */
    public long time;
    public String[] items;

    public ShownList() {}

    public ShownList(String subject, long sequence, String experimentId, String variant, String placement, long time,
            String[] items) {
        this.subject = subject;
        this.sequence = sequence;
        this.experimentId = experimentId;
        this.variant = variant;
        this.placement = placement;
        this.time = time;
        this.items = items;
    }

    /** The list of an experiment, or null for a list outside any experiment. */
    public static ShownList of(Suggestions s) {
        if (s.experimentId() == null) {
            return null;
        }
        String[] items = new String[s.items().size()];
        int i = 0;
        for (SuggestedItem item : s.items()) {
            items[i++] = item.itemId();
        }
        return new ShownList(s.subjectKey(), s.sequence(), s.experimentId(), s.variant(), s.placement(),
                s.eventTime().toEpochMilli(), items);
    }

    public boolean shows(String itemId) {
        for (String item : items) {
            if (item.equals(itemId)) {
                return true;
            }
        }
        return false;
    }
}
