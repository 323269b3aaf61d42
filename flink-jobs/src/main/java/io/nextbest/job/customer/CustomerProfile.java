package io.nextbest.job.customer;

import io.nextbest.job.config.Settings.WeightCombine;
import io.nextbest.job.messages.RankingRequest;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.CustomerEvent;
import io.nextbest.schemas.messages.Feedback;
import io.nextbest.schemas.messages.CustomerUpdate;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.LifecycleStage;
import io.nextbest.schemas.messages.OrderLine;
import io.nextbest.schemas.messages.Rfm;
import io.nextbest.schemas.messages.Transaction;
import io.nextbest.schemas.messages.TransactionType;
import io.nextbest.schemas.messages.ValueTier;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The customer stage's logic on one {@link CustomerState}: interaction weights over a bounded
 * window of distinct items, the basket, recent purchases, recency/frequency/monetary value, consent
 * and event-id de-duplication. No Flink types: unit-tested directly.
 */
public final class CustomerProfile implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final CustomerSettings settings;

    public CustomerProfile(CustomerSettings settings) {
        this.settings = settings;
    }

    // ---- de-duplication ----

    /** True if this event id was seen recently; otherwise remembers it and returns false. */
    public boolean isDuplicate(CustomerState s, String eventId) {
        if (settings.dedupIds == 0) {
            return false;
        }
        long h = hash64(eventId);
        for (long seen : s.seen.eventIds) {
            if (seen == h) {
                return true;
            }
        }
        if (s.seen.eventIds.length < settings.dedupIds) {
            s.seen.eventIds = Arrays.copyOf(s.seen.eventIds, s.seen.eventIds.length + 1);
            s.seen.eventIds[s.seen.eventIds.length - 1] = h;
        } else {
            s.seen.eventIds[s.seen.next % s.seen.eventIds.length] = h;
            s.seen.next = (s.seen.next + 1) % s.seen.eventIds.length;
        }
        return false;
    }

    // ---- events ----

    /** Applies a clickstream event whose item the catalog does not know. */
    public void apply(CustomerState s, Interaction e) {
        apply(s, e, (String[]) null);
    }

    /** Applies an order, return or cancellation whose items the catalog does not know. */
    public void apply(CustomerState s, Transaction e) {
        apply(s, e, (String[][]) null);
    }

    /**
     * Applies a clickstream event; positive interactions with an item are learnt, with the item's
     * catalog {@code features} (null if unknown), by the content profile.
     */
    public void apply(CustomerState s, Interaction e, String[] features) {
        long t = e.timestamp().toEpochMilli();
        s.lastSeen = Math.max(s.lastSeen, t);
        if (e.itemId() == null) {
            return; // a search without an item
        }
        double w = settings.weight(e.type());
        learnContent(s, features, w, t);
        if (w != 0) {
            updateWeight(s, e.itemId(), w, t);
        }
        if (e.type() == InteractionType.ADD_TO_CART) {
            addToBasket(s, e.itemId(), e.quantityOrOne(), e.price() == null ? Double.NaN : e.price(), t);
        } else if (e.type() == InteractionType.REMOVE_FROM_CART) {
            removeFromBasket(s, e.itemId(), e.quantity(), t);
        }
    }

    /** Applies an order, return or cancellation; {@code features} aligned with the lines (null: unknown). */
    public void apply(CustomerState s, Transaction e, String[][] features) {
        long t = e.timestamp().toEpochMilli();
        s.lastSeen = Math.max(s.lastSeen, t);
        if (e.type() == TransactionType.ORDER) {
            for (int l = 0; l < e.lines().size(); l++) {
                OrderLine line = e.lines().get(l);
                learnContent(s, features == null ? null : features[l], settings.purchaseWeight, t);
                if (settings.purchaseWeight != 0) {
                    updateWeight(s, line.itemId(), settings.purchaseWeight, t);
                }
                rememberPurchase(s, line.itemId(), t);
                removeFromBasket(s, line.itemId(), null, t);
            }
            s.purchases.count++;
            for (OrderLine line : e.lines()) {
                if (line.discounted()) {
                    s.purchases.discountedOrders++;
                    break;
                }
            }
            s.purchases.monetary += e.total();
            s.purchases.lastAt = Math.max(s.purchases.lastAt, t);
        } else {
            s.purchases.monetary = Math.max(0, s.purchases.monetary - e.total());
            if (e.type() == TransactionType.CANCELLATION) {
                s.purchases.count = Math.max(0, s.purchases.count - 1);
            }
        }
    }

    /** Applies identity and consent changes ({@code erase} is the stage's business: it drops the state). */
    public void apply(CustomerState s, CustomerEvent e) {
        s.lastSeen = Math.max(s.lastSeen, e.timestamp().toEpochMilli());
        if (e.timeZone() != null) {
            s.contact.timeZone = e.timeZone();
        }
        switch (e.type()) {
            case CONSENT:
                int bit = 1 << e.channel().ordinal();
                s.contact.consentFlags = e.granted() ? s.contact.consentFlags | bit : s.contact.consentFlags & ~bit;
                break;
            case OPT_OUT:
                s.contact.optedOut = true;
                break;
            case OPT_IN:
                s.contact.optedOut = false;
                break;
            case IDENTIFY:
                // identified from an anonymous session before any list of its own: keep the session's experiment
                // arms (docs/experiments.md); a customer with lists keeps its own
                if (e.sessionId() != null && s.sequence == 0 && s.assignmentKey == null) {
                    s.assignmentKey = e.sessionId();
                }
                break;
            default:
                break;
        }
    }

    /**
     * A dismissal: the item stays out of the customer's lists for {@code feedback.dismiss-for} after the
     * feedback's time (a repeat extends it); the oldest of more than {@code feedback.max-dismissed} is forgotten.
     */
    public void dismiss(CustomerState s, Feedback f) {
        if (settings.dismissForMs == 0) {
            return;
        }
        long time = f.timestamp().toEpochMilli();
        s.lastSeen = Math.max(s.lastSeen, time);
        long until = time + settings.dismissForMs;
        java.util.List<String> items = new java.util.ArrayList<>();
        java.util.List<Long> untils = new java.util.ArrayList<>();
        CustomerState.Dismissed d = s.dismissed;
        for (int i = 0; i < d.items.length; i++) {
            if (d.until[i] > time && !d.items[i].equals(f.itemId())) { // expired ones and the repeat go
                items.add(d.items[i]);
                untils.add(d.until[i]);
            }
        }
        items.add(f.itemId());
        untils.add(until);
        int from = Math.max(0, items.size() - settings.maxDismissed);
        d.items = items.subList(from, items.size()).toArray(new String[0]);
        d.until = untils.subList(from, untils.size()).stream().mapToLong(Long::longValue).toArray();
    }

    /** The items dismissed and still out of the lists at {@code time} (event time, ms). */
    public static java.util.List<String> dismissed(CustomerState s, long time) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < s.dismissed.items.length; i++) {
            if (s.dismissed.until[i] > time) {
                out.add(s.dismissed.items[i]);
            }
        }
        return out;
    }

    public boolean hasConsent(CustomerState s, ContactChannel channel) {
        return (s.contact.consentFlags & (1 << channel.ordinal())) != 0;
    }

    // ---- derived values ----

    public LifecycleStage lifecycle(CustomerState s) {
        if (s.purchases.count == 0) {
            return LifecycleStage.PROSPECT;
        }
        if (s.purchases.count >= settings.loyalOrders) {
            return LifecycleStage.LOYAL;
        }
        return s.purchases.count >= settings.activeOrders ? LifecycleStage.ACTIVE : LifecycleStage.NEW;
    }

    public ValueTier valueTier(CustomerState s) {
        if (s.purchases.monetary <= 0) {
            return ValueTier.NONE;
        }
        if (s.purchases.monetary >= settings.tierHigh) {
            return ValueTier.HIGH;
        }
        return s.purchases.monetary >= settings.tierMid ? ValueTier.MID : ValueTier.LOW;
    }

    /**
     * The lifecycle / value-tier change an event made ({@code stageBefore}, {@code tierBefore}: before
     * it), null if neither changed. Its id is stable per (customer, cause).
     */
    public CustomerUpdate update(String customerId, String eventId, Instant eventTime, CustomerState s,
            LifecycleStage stageBefore, ValueTier tierBefore) {
        LifecycleStage stage = lifecycle(s);
        ValueTier tier = valueTier(s);
        if (stage == stageBefore && tier == tierBefore) {
            return null;
        }
        return new CustomerUpdate(customerId, updateId(customerId, eventId), eventId, eventTime, stage, stageBefore,
                tier, tierBefore, new Rfm(s.purchases.lastAt == 0 ? null : Instant.ofEpochMilli(s.purchases.lastAt),
                        s.purchases.count, s.purchases.monetary));
    }

    /** Stable per (customer, cause): the same change re-emitted after a restore has the same id. */
    static String updateId(String customerId, String eventId) {
        return String.format("%016x", hash64(customerId + "\u0000" + eventId));
    }

    /** Items the ranking must leave out: basket and recent purchases, as configured. */
    public String[] exclusions(CustomerState s) {
        Set<String> out = new LinkedHashSet<>();
        if (settings.excludeBasket) {
            out.addAll(Arrays.asList(s.basket.items));
        }
        if (settings.excludePurchased) {
            out.addAll(Arrays.asList(s.purchases.items));
        }
        return out.toArray(new String[0]);
    }

    /** r(u,i) of an item in the window, 0 if absent. */
    public static double weightOf(CustomerState s, String itemId) {
        int i = indexOf(s.window.items, itemId);
        return i < 0 ? 0 : s.window.weights[i];
    }

    // ---- window, basket, purchases ----

    private void updateWeight(CustomerState s, String itemId, double w, long t) {
        int i = indexOf(s.window.items, itemId);
        double a = i < 0 ? 0 : s.window.weights[i];
        long since = i < 0 ? t : Math.max(t, s.window.times[i]);
        double b;
        if (settings.combine == WeightCombine.MAX) {
            b = w > 0 ? Math.max(a, w) : a + w;
        } else {
            b = a + w;
        }
        b = Math.min(b, settings.weightCap);
        if (b <= 0) {
            if (i >= 0) {
                removeWindowAt(s, i);
            }
            return;
        }
        if (i >= 0) {
            removeWindowAt(s, i);
        } else if (s.window.items.length >= settings.windowSize) {
            removeWindowAt(s, 0); // the oldest leaves the window
        }
        int n = s.window.items.length;
        s.window.items = Arrays.copyOf(s.window.items, n + 1);
        s.window.weights = Arrays.copyOf(s.window.weights, n + 1);
        s.window.times = Arrays.copyOf(s.window.times, n + 1);
        s.window.items[n] = itemId;
        s.window.weights[n] = b;
        s.window.times[n] = since;
    }

    private static void removeWindowAt(CustomerState s, int i) {
        s.window.items = remove(s.window.items, i);
        s.window.weights = remove(s.window.weights, i);
        s.window.times = remove(s.window.times, i);
    }

    private void addToBasket(CustomerState s, String itemId, int quantity, double price, long t) {
        int i = indexOf(s.basket.items, itemId);
        if (i >= 0) {
            s.basket.quantities[i] = (int) Math.min(Integer.MAX_VALUE, (long) s.basket.quantities[i] + quantity);
            if (!Double.isNaN(price)) {
                s.basket.prices[i] = price;
            }
        } else {
            if (s.basket.items.length >= settings.maxBasketLines) {
                removeBasketAt(s, 0);
            }
            int n = s.basket.items.length;
            s.basket.items = Arrays.copyOf(s.basket.items, n + 1);
            s.basket.quantities = Arrays.copyOf(s.basket.quantities, n + 1);
            s.basket.prices = Arrays.copyOf(s.basket.prices, n + 1);
            s.basket.items[n] = itemId;
            s.basket.quantities[n] = quantity;
            s.basket.prices[n] = price;
        }
        s.basket.updatedAt = Math.max(s.basket.updatedAt, t);
    }

    /** Removes {@code quantity} of an item, or the whole line when quantity is null. */
    private static void removeFromBasket(CustomerState s, String itemId, Integer quantity, long t) {
        int i = indexOf(s.basket.items, itemId);
        if (i < 0) {
            return;
        }
        if (quantity != null && s.basket.quantities[i] > quantity) {
            s.basket.quantities[i] -= quantity;
        } else {
            removeBasketAt(s, i);
        }
        s.basket.updatedAt = Math.max(s.basket.updatedAt, t);
    }

    private static void removeBasketAt(CustomerState s, int i) {
        s.basket.items = remove(s.basket.items, i);
        s.basket.quantities = remove(s.basket.quantities, i);
        s.basket.prices = remove(s.basket.prices, i);
    }

    private void rememberPurchase(CustomerState s, String itemId, long t) {
        if (settings.maxPurchased == 0) {
            return;
        }
        if (s.purchases.at.length != s.purchases.items.length) {
            s.purchases.at = new long[s.purchases.items.length]; // state from before purchase times were kept
        }
        int i = indexOf(s.purchases.items, itemId);
        long at = t;
        if (i >= 0) {
            at = Math.max(t, s.purchases.at[i]);
            s.purchases.items = remove(s.purchases.items, i);
            s.purchases.at = remove(s.purchases.at, i);
        } else if (s.purchases.items.length >= settings.maxPurchased) {
            s.purchases.items = remove(s.purchases.items, 0);
            s.purchases.at = remove(s.purchases.at, 0);
        }
        s.purchases.items = Arrays.copyOf(s.purchases.items, s.purchases.items.length + 1);
        s.purchases.items[s.purchases.items.length - 1] = itemId;
        s.purchases.at = Arrays.copyOf(s.purchases.at, s.purchases.at.length + 1);
        s.purchases.at[s.purchases.at.length - 1] = at;
    }

    // ---- content profile ----

    /**
     * Adds an item's features to the content profile with weight {@code w} (an interaction weight;
     * nothing for w ≤ 0 or no features): the profile decays to {@code t} (half-life
     * {@code content.half-life}), then each feature gains w/√n for an item with n features, so a
     * richly tagged item counts no more than a plain one. An event older than the profile is added
     * already decayed. When the profile is over {@code content.profile-size}, the weakest go.
     */
    public void learnContent(CustomerState s, String[] features, double w, long t) {
        if (!settings.contentEnabled || features == null || features.length == 0 || w <= 0) {
            return;
        }
        double add = w / Math.sqrt(features.length);
        if (s.content.features.length == 0) {
            s.content.time = t;
        } else if (t > s.content.time) {
            double f = decay(t - s.content.time);
            for (int i = 0; i < s.content.weights.length; i++) {
                s.content.weights[i] *= f;
            }
            s.content.time = t;
        } else {
            add *= decay(s.content.time - t);
        }
        for (String feature : features) {
            int i = indexOf(s.content.features, feature);
            if (i >= 0) {
                s.content.weights[i] += add;
            } else {
                int n = s.content.features.length;
                s.content.features = Arrays.copyOf(s.content.features, n + 1);
                s.content.weights = Arrays.copyOf(s.content.weights, n + 1);
                s.content.features[n] = feature;
                s.content.weights[n] = add;
            }
        }
        while (s.content.features.length > settings.profileSize) {
            int weakest = 0;
            for (int i = 1; i < s.content.weights.length; i++) {
                if (s.content.weights[i] < s.content.weights[weakest]) {
                    weakest = i;
                }
            }
            s.content.features = remove(s.content.features, weakest);
            s.content.weights = remove(s.content.weights, weakest);
        }
    }

    /** Puts the content profile, decayed to the request's time and strongest first, into the request. */
    public void contentRequest(CustomerState s, RankingRequest r) {
        int n = s.content.features.length;
        if (n == 0) {
            return;
        }
        double f = r.eventTime > s.content.time ? decay(r.eventTime - s.content.time) : 1;
        int[] order = new int[n]; // strongest first, ties by name: an insertion sort (n ≤ content.profile-size)
        for (int i = 0; i < n; i++) {
            int j = i;
            while (j > 0 && stronger(s, i, order[j - 1])) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
        }
        r.profileFeatures = new String[n];
        r.profileWeights = new double[n];
        double sq = 0;
        for (int i = 0; i < n; i++) {
            r.profileFeatures[i] = s.content.features[order[i]];
            r.profileWeights[i] = s.content.weights[order[i]] * f;
            sq += r.profileWeights[i] * r.profileWeights[i];
        }
        r.profileNorm = Math.sqrt(sq);
    }

    private static boolean stronger(CustomerState s, int a, int b) {
        int c = Double.compare(s.content.weights[a], s.content.weights[b]);
        return c != 0 ? c > 0 : s.content.features[a].compareTo(s.content.features[b]) < 0;
    }

    /** 2^(−dt / half-life). */
    private double decay(long dtMs) {
        return Math.pow(2, -(double) dtMs / settings.contentHalfLifeMs);
    }

    /**
     * What next-best-action conditions read about the customer at event time {@code now}; {@code catalog} gives an
     * item's catalog entry (or null), for the basket's margin and the recent items' categories.
     */
    public io.nextbest.job.action.Facts facts(CustomerState s, java.util.function.Function<String, io.nextbest.job.catalog.CatalogEntry> catalog,
            long now) {
        double value = 0;
        double margin = 0;
        for (int i = 0; i < s.basket.items.length; i++) {
            double price = s.basket.prices[i];
            if (Double.isNaN(price)) {
                continue;
            }
            double line = price * s.basket.quantities[i];
            value += line;
            io.nextbest.job.catalog.CatalogEntry e = catalog.apply(s.basket.items[i]);
            if (e != null && !Double.isNaN(e.margin)) {
                margin += line * e.margin;
            }
        }
        String[] categories = new String[s.window.items.length];
        int n = 0;
        for (String item : s.window.items) {
            io.nextbest.job.catalog.CatalogEntry e = catalog.apply(item);
            if (e != null && e.category != null) {
                categories[n++] = e.category;
            }
        }
        return new io.nextbest.job.action.Facts(segments(s, s.contact.known), lifecycle(s), valueTier(s), s.purchases.count,
                s.purchases.monetary, s.purchases.lastAt, value, margin, s.basket.items.length, s.contact.consentFlags,
                s.contact.optedOut, s.contact.known, Arrays.copyOf(categories, n), now);
    }

    /** The customer's segments, as rules name them: {@code lifecycle:…}, {@code tier:…}, {@code known|anonymous}. */
    public String[] segments(CustomerState s, boolean known) {
        return new String[] {
            "lifecycle:" + lifecycle(s).wire(), "tier:" + valueTier(s).wire(), known ? "known" : "anonymous"};
    }

    // ---- small array helpers ----

    static int indexOf(String[] a, String v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i].equals(v)) {
                return i;
            }
        }
        return -1;
    }

    private static String[] remove(String[] a, int i) {
        String[] r = new String[a.length - 1];
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

    private static long[] remove(long[] a, int i) {
        long[] r = new long[a.length - 1];
        System.arraycopy(a, 0, r, 0, i);
        System.arraycopy(a, i + 1, r, i, a.length - i - 1);
        return r;
    }

    private static int[] remove(int[] a, int i) {
        int[] r = new int[a.length - 1];
        System.arraycopy(a, 0, r, 0, i);
        System.arraycopy(a, i + 1, r, i, a.length - i - 1);
        return r;
    }

    /** FNV-1a over the UTF-16 chars, 64 bits: collisions among a few dozen ids are negligible. */
    static long hash64(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
