package io.nextbest.job.customer;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.rules.ExperimentRule;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.DecisionOutcome;
import io.nextbest.schemas.messages.DecisionReason;
import io.nextbest.schemas.messages.TriggerType;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;

/**
 * The contact rules of abandoned-basket outreach, checked in this order when a trigger is due; the
 * first that objects decides:
 *
 * <ol>
 *   <li>global opt-out → suppressed ({@code opted_out});
 *   <li>consent: the first channel of {@code trigger.channels} the customer consented to, none →
 *       suppressed ({@code no_consent});
 *   <li>basket value below {@code trigger.min-basket-value} → suppressed ({@code below_min_value});
 *   <li>discount-only buyer ({@code trigger.suppress.discount-only-orders}) → suppressed ({@code discount_only});
 *   <li>the cap per trigger type, then the cap across all outreach → suppressed ({@code cap_per_type},
 *       {@code cap_total});
 *   <li>quiet hours in the customer's time zone → deferred ({@code quiet_hours}) to their end, when
 *       every rule is checked again;
 *   <li>else sent — unless the customer is in the reminders' holdout group ({@code trigger.holdout-share}, a
 *       sticky hash of the customer id): then held out ({@code holdout}), recorded and not sent.
 * </ol>
 *
 * All times are event times (ms), so a replay decides as the live run did. Pure: no Flink, no clock.
 */
public final class ContactPolicy implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What the rules say about one due trigger. */
    public record Decision(DecisionOutcome outcome, DecisionReason reason, ContactChannel channel, long deferredUntil) {
        static Decision suppressed(DecisionReason reason) {
            return new Decision(DecisionOutcome.SUPPRESSED, reason, null, 0);
        }

        static final Decision HELD_OUT = new Decision(DecisionOutcome.HELD_OUT, DecisionReason.HOLDOUT, null, 0);
    }

    private final ContactChannel[] channels;
    private final double minValue;
    private final int typeCap;
    private final long typeWindowMs;
    private final int totalCap;
    private final long totalWindowMs;
    /** Minutes of the day {from, to}, null: no quiet hours. */
    private final int[] quiet;
    private final String defaultZone;
    private final int discountOnlyOrders;
    /** Buckets (of {@link ExperimentRule#BUCKETS}) of the holdout group. */
    private final int holdoutBuckets;

    public ContactPolicy(NextbestConfig c) {
        this(c.get(Settings.TRIGGER_CHANNELS), c.get(Settings.TRIGGER_MIN_BASKET_VALUE),
                c.get(Settings.TRIGGER_CAP_COUNT), c.get(Settings.TRIGGER_CAP_WINDOW).toMillis(),
                c.get(Settings.CONTACT_CAP_COUNT), c.get(Settings.CONTACT_CAP_WINDOW).toMillis(),
                c.get(Settings.CONTACT_QUIET_HOURS), c.get(Settings.CONTACT_DEFAULT_TIME_ZONE),
                c.get(Settings.TRIGGER_DISCOUNT_ONLY_ORDERS), c.get(Settings.TRIGGER_HOLDOUT_SHARE));
    }

    public ContactPolicy(List<ContactChannel> channels, double minValue, int typeCap, long typeWindowMs, int totalCap,
            long totalWindowMs, int[] quiet, String defaultZone, int discountOnlyOrders) {
        this(channels, minValue, typeCap, typeWindowMs, totalCap, totalWindowMs, quiet, defaultZone, discountOnlyOrders, 0);
    }

    public ContactPolicy(List<ContactChannel> channels, double minValue, int typeCap, long typeWindowMs, int totalCap,
            long totalWindowMs, int[] quiet, String defaultZone, int discountOnlyOrders, double holdoutShare) {
        this.holdoutBuckets = (int) Math.round(holdoutShare * ExperimentRule.BUCKETS);
        this.channels = channels.toArray(new ContactChannel[0]);
        this.minValue = minValue;
        this.typeCap = typeCap;
        this.typeWindowMs = typeWindowMs;
        this.totalCap = totalCap;
        this.totalWindowMs = totalWindowMs;
        this.quiet = quiet == null ? null : quiet.clone();
        this.defaultZone = defaultZone;
        this.discountOnlyOrders = discountOnlyOrders;
    }

    /**
     * The decision on a trigger of {@code type} for {@code customerId}, due at event time {@code at}, for a basket
     * worth {@code value}: the contact rules, then the holdout.
     */
    public Decision decide(String customerId, CustomerState s, TriggerType type, long at, double value) {
        Decision d = decide(s, type, at, value);
        return d.outcome() == DecisionOutcome.SENT && heldOut(customerId) ? Decision.HELD_OUT : d;
    }

    /** Whether the customer is in the reminders' holdout group: sticky, by a hash of the customer id. */
    public boolean heldOut(String customerId) {
        return holdoutBuckets > 0 && ExperimentRule.bucket(HOLDOUT, customerId) < holdoutBuckets;
    }

    /** The name the holdout's hash is salted with (an experiment id of its own). */
    static final String HOLDOUT = "trigger-holdout";

    /** The decision of the contact rules alone (no holdout). */
    public Decision decide(CustomerState s, TriggerType type, long at, double value) {
        if (s.contact.optedOut) {
            return Decision.suppressed(DecisionReason.OPTED_OUT);
        }
        ContactChannel channel = channel(s);
        if (channel == null) {
            return Decision.suppressed(DecisionReason.NO_CONSENT);
        }
        if (value < minValue) {
            return Decision.suppressed(DecisionReason.BELOW_MIN_VALUE);
        }
        if (discountOnly(s)) {
            return Decision.suppressed(DecisionReason.DISCOUNT_ONLY);
        }
        if (typeCap > 0 && contacts(s, type, at, typeWindowMs) >= typeCap) {
            return Decision.suppressed(DecisionReason.CAP_PER_TYPE);
        }
        if (totalCap > 0 && contacts(s, null, at, totalWindowMs) >= totalCap) {
            return Decision.suppressed(DecisionReason.CAP_TOTAL);
        }
        long quietEnd = quietEnd(zone(s), at);
        if (quietEnd > at) {
            return new Decision(DecisionOutcome.DEFERRED, DecisionReason.QUIET_HOURS, null, quietEnd);
        }
        return new Decision(DecisionOutcome.SENT, null, channel, 0);
    }

    /** A contact-log type for actions of the action catalog (not a {@link TriggerType}): they count toward the total cap. */
    public static final byte ACTION_CONTACT = 100;

    /** This policy bound to one customer's state, as arbitration asks it. */
    public io.nextbest.job.action.ContactRules rulesFor(CustomerState s) {
        return new io.nextbest.job.action.ContactRules() {
            @Override
            public Check check(List<ContactChannel> channels, long at, boolean passCaps) {
                return checkAction(s, channels, at, passCaps);
            }

            @Override
            public void record(long at) {
                recordAction(s, at);
            }
        };
    }

    /** The contact rules for an action (see {@link io.nextbest.job.action.ContactRules#check}). */
    public io.nextbest.job.action.ContactRules.Check checkAction(CustomerState s, List<ContactChannel> actionChannels,
            long at, boolean passCaps) {
        if (s.contact.optedOut) {
            return new io.nextbest.job.action.ContactRules.Check("opted_out", null, 0);
        }
        ContactChannel channel = null;
        for (ContactChannel c : actionChannels) {
            if ((s.contact.consentFlags & (1 << c.ordinal())) != 0) {
                channel = c;
                break;
            }
        }
        if (channel == null) {
            return new io.nextbest.job.action.ContactRules.Check("no_consent", null, 0);
        }
        if (!passCaps && totalCap > 0 && contacts(s, null, at, totalWindowMs) >= totalCap) {
            return new io.nextbest.job.action.ContactRules.Check("cap_total", channel, 0);
        }
        if (channel != ContactChannel.WEB) {
            long end = quietEnd(zone(s), at);
            if (end > at) {
                return new io.nextbest.job.action.ContactRules.Check("quiet_hours", channel, end);
            }
        }
        return new io.nextbest.job.action.ContactRules.Check(null, channel, 0);
    }

    /** Writes an action's contact at {@code at} into the customer's log (it counts toward the total cap). */
    public void recordAction(CustomerState s, long at) {
        record(s, ACTION_CONTACT, at);
    }

    /** The first configured channel with consent, null if none. */
    public ContactChannel channel(CustomerState s) {
        for (ContactChannel c : channels) {
            if ((s.contact.consentFlags & (1 << c.ordinal())) != 0) {
                return c;
            }
        }
        return null;
    }

    boolean discountOnly(CustomerState s) {
        return discountOnlyOrders > 0 && s.purchases.count >= discountOnlyOrders && s.purchases.discountedOrders >= s.purchases.count;
    }

    /** Contacts (of {@code type}, or of any type when null) in the window (at − window, at]. */
    static int contacts(CustomerState s, TriggerType type, long at, long windowMs) {
        int n = 0;
        for (int i = 0; i < s.contact.times.length; i++) {
            long t = s.contact.times[i];
            if (t > at - windowMs && t <= at && (type == null || s.contact.types[i] == type.ordinal())) {
                n++;
            }
        }
        return n;
    }

    /**
     * Writes a contact made at {@code at} into the customer's log, dropping entries that no cap can
     * count any more: older than the longest window, beyond the largest cap.
     */
    public void record(CustomerState s, TriggerType type, long at) {
        record(s, (byte) type.ordinal(), at);
    }

    private void record(CustomerState s, byte type, long at) {
        long horizon = at - Math.max(typeWindowMs, totalWindowMs);
        int keep = Math.max(1, Math.max(typeCap, totalCap));
        int n = s.contact.times.length;
        long[] times = Arrays.copyOf(s.contact.times, n + 1);
        byte[] types = Arrays.copyOf(s.contact.types, n + 1);
        times[n] = at;
        types[n] = type;
        int from = 0;
        while (from < times.length && (times[from] <= horizon || times.length - from > keep)) {
            from++;
        }
        s.contact.times = Arrays.copyOfRange(times, from, times.length);
        s.contact.types = Arrays.copyOfRange(types, from, types.length);
    }

    /** The customer's zone, or the default one. */
    public ZoneId zone(CustomerState s) {
        if (s.contact.timeZone != null) {
            try {
                return ZoneId.of(s.contact.timeZone);
            } catch (java.time.DateTimeException e) {
                // a zone id the schema allows but this JVM does not know: the default applies
            }
        }
        return ZoneId.of(defaultZone);
    }

    /** Whether event time {@code at} lies in the quiet hours of {@code zone}. */
    public boolean inQuietHours(ZoneId zone, long at) {
        return quietEnd(zone, at) > at;
    }

    /**
     * The end of the quiet period containing {@code at} (epoch ms), or {@code at} itself when it is
     * not in quiet hours. Local times that a daylight-saving change skips move forward with it.
     */
    long quietEnd(ZoneId zone, long at) {
        if (quiet == null) {
            return at;
        }
        ZonedDateTime local = Instant.ofEpochMilli(at).atZone(zone);
        int minute = local.getHour() * 60 + local.getMinute();
        int from = quiet[0];
        int to = quiet[1];
        boolean inside = from < to ? minute >= from && minute < to : minute >= from || minute < to;
        if (!inside) {
            return at;
        }
        LocalDate day = local.toLocalDate();
        if (minute >= to) { // wraps midnight and we are before it: the quiet ends tomorrow
            day = day.plusDays(1);
        }
        long end = ZonedDateTime.of(day, LocalTime.of(to / 60, to % 60), zone).toInstant().toEpochMilli();
        return Math.max(end, at + 1);
    }
}
