package io.nextbest.job.customer;

/**
 * Everything the job keeps about one customer (or anonymous session), as one value so that an
 * event costs one state read and one write, grouped by concern: the window of recent items, the
 * basket, purchases, the content profile, the event ids seen, contact (consent, opt-out, the
 * contact log) and the pending basket trigger. Each group belongs to one pure part of the stage
 * ({@link CustomerProfile}, {@link BasketTriggers}, {@link io.nextbest.job.customer.ContactPolicy},
 * {@link RankingContext}). Every array is bounded by configuration. Written by {@link
 * CustomerStateSerializer} (flat, no per-field tags).
 */
public final class CustomerState {
    /** The recent distinct items the customer interacted with, oldest first, and their interaction weights. */
    public final Window window = new Window();
    public final Basket basket = new Basket();
    public final Purchases purchases = new Purchases();
    /** The content profile: catalog features of the items interacted with, decayed. */
    public final Content content = new Content();
    /** Recent event ids, for de-duplication. */
    public final Seen seen = new Seen();
    public final Contact contact = new Contact();
    /** The pending abandoned-basket trigger and what earlier ones left. */
    public final Trigger trigger = new Trigger();

    /** Next-best-action arbitration: open proposals, cooldowns, track progress, decisions awaiting a response. */
    public final io.nextbest.job.action.ActionState actions = new io.nextbest.job.action.ActionState();

    /** Items the customer dismissed, not suggested again until a time; bounded by {@code feedback.max-dismissed}. */
    public final Dismissed dismissed = new Dismissed();
    /**
     * The key experiments assign this customer by: null for its own key; the session's id when the customer was
     * identified from an anonymous session before it got a list of its own, so that it keeps the session's arms.
     */
    public String assignmentKey;

    /** Event time (ms) of the newest event seen. */
    public long lastSeen;
    /** Sequence number of the last suggestions list. */
    public long sequence;
    /**
     * An anonymous session's expiry ({@code customer.anonymous-ttl}): processing time (ms) of its newest event, and
     * the instant of its pending expiry timer (0: none). Both 0 for a known customer.
     */
    public long touchedAt;
    public long expiresAt;

    /** Bounded by {@code customer.window-size}. */
    public static final class Window {
        public String[] items = new String[0];
        /** r(u,i) for each item. */
        public double[] weights = new double[0];
        /** Event time (ms) of the last event on each item. */
        public long[] times = new long[0];
    }

    /** Basket lines, oldest first; bounded by {@code customer.max-basket-lines}. */
    public static final class Basket {
        public String[] items = new String[0];
        public int[] quantities = new int[0];
        /** Last known unit price of each line; NaN when never seen. */
        public double[] prices = new double[0];
        /** Event time (ms) of the last change, 0 if none. */
        public long updatedAt;
    }

    /** Recency, frequency, monetary value and the recently bought items. */
    public static final class Purchases {
        /** Recently bought items, oldest first; bounded by {@code customer.max-purchased-items}. */
        public String[] items = new String[0];
        /** Event time (ms) each item was last bought. */
        public long[] at = new long[0];
        /** Event time (ms) of the last order, 0 if none. */
        public long lastAt;
        public int count;
        /** Order value less returns and cancellations, floored at 0. */
        public double monetary;
        /** Orders with at least one discounted line (unitPrice below listPrice). */
        public int discountedOrders;
    }

    /** Features (e.g. {@code brand:x}) and their decayed weights as of {@link #time}; bounded by {@code content.profile-size}. */
    public static final class Content {
        public String[] features = new String[0];
        public double[] weights = new double[0];
        /** Event time (ms) the weights are decayed to. */
        public long time;
    }

    /** A ring of 64-bit hashes of recent event ids; bounded by {@code customer.dedup-ids}. */
    public static final class Seen {
        public long[] eventIds = new long[0];
        public int next;
    }

    /** Whether and how the customer may be contacted, and the contacts made. */
    public static final class Contact {
        /** Events named this subject as a customer (not only an anonymous session): it can be contacted. */
        public boolean known;
        /** Bit per contact channel (ordinal of ContactChannel) for which consent is granted. */
        public int consentFlags;
        public boolean optedOut;
        /** IANA time zone, null if unknown. */
        public String timeZone;
        /** Contact log, oldest first: event time (ms) and TriggerType ordinal of each contact; bounded by the caps. */
        public long[] times = new long[0];
        public byte[] types = new byte[0];
    }

    /** Dismissed items, oldest first, and the event time (ms) until which each stays out of the lists. */
    public static final class Dismissed {
        public String[] items = new String[0];
        public long[] until = new long[0];
    }

    /** The pending abandoned-basket trigger (none while {@link #basketAt} is 0). */
    public static final class Trigger {
        /** The basket version ({@link Basket#updatedAt}) it is for; 0: none pending. */
        public long basketAt;
        /** Event time (ms) it is due: idle time passed, or the quiet hours it waits for are over. */
        public long dueAt;
        /** Processing time (ms) of its wall-clock fallback timer; 0: none. */
        public long wallAt;
        /** The watermark when the wall-clock fallback timer was set: it fires only if event time has not moved since. */
        public long watermark;
        /** Triggers sent so far; numbers their ranking requests. */
        public int sent;
        /** Ring of 64-bit hashes of items in earlier abandoned baskets; bounded by {@code trigger.recurring-memory}. */
        public long[] abandonedItems = new long[0];
        public int abandonedNext;
    }
}
