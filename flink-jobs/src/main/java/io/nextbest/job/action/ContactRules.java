package io.nextbest.job.action;

import io.nextbest.schemas.messages.ContactChannel;
import java.util.List;

/**
 * The contact rules for one customer, as arbitration asks them (the customer stage binds its {@code ContactPolicy}
 * to the customer's state): may an action on these channels go out now, and record that one did.
 */
public interface ContactRules {
    /**
     * What the rules say about an action on {@code channels} at event time {@code at}: {@code objection} null when it
     * may go out now, else the first rule that objects — {@code opted_out}, {@code no_consent}, {@code cap_total}
     * (skipped when {@code passCaps}), {@code quiet_hours} (not for the in-session {@code web} channel; {@code
     * quietEnd} says until when).
     */
    Check check(List<ContactChannel> channels, long at, boolean passCaps);

    /** Writes a contact made at {@code at} into the customer's contact log (it counts toward the total cap). */
    void record(long at);

    record Check(String objection, ContactChannel channel, long quietEnd) {}
}
