package io.nextbest.job.customer;

import io.nextbest.job.config.Settings.WeightCombine;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.CustomerEvent;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.LifecycleStage;
import io.nextbest.schemas.messages.OrderLine;
import io.nextbest.schemas.messages.Transaction;
import io.nextbest.schemas.messages.TransactionType;
import io.nextbest.schemas.messages.ValueTier;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The customer stage's logic on one {@link CustomerState}: interaction weights over a bounded
 * window of distinct items, the basket, recent purchases, recency/frequency/monetary value, consent
 * and event-id de-duplication. No Flink types: unit-tested directly.
 */
public final class CustomerProfile {
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
        for (long seen : s.recentEventIds) {
            if (seen == h) {
                return true;
            }
        }
        if (s.recentEventIds.length < settings.dedupIds) {
            s.recentEventIds = Arrays.copyOf(s.recentEventIds, s.recentEventIds.length + 1);
            s.recentEventIds[s.recentEventIds.length - 1] = h;
        } else {
            s.recentEventIds[s.recentEventNext % s.recentEventIds.length] = h;
            s.recentEventNext = (s.recentEventNext + 1) % s.recentEventIds.length;
        }
        return false;
    }

    // ---- events ----

    /** Applies a clickstream event whose item the catalog does not know. */
    public void apply(CustomerState s, Interaction e, Consumer<ItemSignal> signals) {
        apply(s, e, null, signals);
    }

    /** Applies an order, return or cancellation whose items the catalog does not know. */
    public void apply(CustomerState s, Transaction e, Consumer<ItemSignal> signals) {
        apply(s, e, (String[][]) null, signals);
    }

    /**
     * Applies a clickstream event; positive interactions with an item are passed to {@code signals}
     * and, with the item's catalog {@code features} (null if unknown), learnt by the content profile.
     */
    public void apply(CustomerState s, Interaction e, String[] features, Consumer<ItemSignal> signals) {
        long t = e.timestamp().toEpochMilli();
        s.lastSeen = Math.max(s.lastSeen, t);
        if (e.itemId() == null) {
            return; // a search without an item
        }
        double w = settings.weight(e.type());
        learnContent(s, features, w, t);
        if (w != 0) {
            updateWeight(s, e.itemId(), w, t);
            if (w > 0) {
                signals.accept(new ItemSignal(e.itemId(), w, t));
            }
        }
        if (e.type() == InteractionType.ADD_TO_CART) {
            addToBasket(s, e.itemId(), e.quantityOrOne(), e.price() == null ? Double.NaN : e.price(), t);
        } else if (e.type() == InteractionType.REMOVE_FROM_CART) {
            removeFromBasket(s, e.itemId(), e.quantity(), t);
        }
    }

    /** Applies an order, return or cancellation; {@code features} aligned with the lines (null: unknown). */
    public void apply(CustomerState s, Transaction e, String[][] features, Consumer<ItemSignal> signals) {
        long t = e.timestamp().toEpochMilli();
        s.lastSeen = Math.max(s.lastSeen, t);
        if (e.type() == TransactionType.ORDER) {
            for (int l = 0; l < e.lines().size(); l++) {
                OrderLine line = e.lines().get(l);
                learnContent(s, features == null ? null : features[l], settings.purchaseWeight, t);
                if (settings.purchaseWeight != 0) {
                    updateWeight(s, line.itemId(), settings.purchaseWeight, t);
                    if (settings.purchaseWeight > 0) {
                        signals.accept(new ItemSignal(line.itemId(), settings.purchaseWeight, t));
                    }
                }
                rememberPurchase(s, line.itemId(), t);
                removeFromBasket(s, line.itemId(), null, t);
            }
            s.purchaseCount++;
            for (OrderLine line : e.lines()) {
                if (line.discounted()) {
                    s.discountedOrders++;
                    break;
                }
            }
            s.monetary += e.total();
            s.lastPurchaseAt = Math.max(s.lastPurchaseAt, t);
        } else {
            s.monetary = Math.max(0, s.monetary - e.total());
            if (e.type() == TransactionType.CANCELLATION) {
                s.purchaseCount = Math.max(0, s.purchaseCount - 1);
            }
        }
    }

    /** Applies identity and consent changes ({@code erase} is the stage's business: it drops the state). */
    public void apply(CustomerState s, CustomerEvent e) {
        s.lastSeen = Math.max(s.lastSeen, e.timestamp().toEpochMilli());
        if (e.timeZone() != null) {
            s.timeZone = e.timeZone();
        }
        switch (e.type()) {
            case CONSENT:
                int bit = 1 << e.channel().ordinal();
                s.consentFlags = e.granted() ? s.consentFlags | bit : s.consentFlags & ~bit;
                break;
            case OPT_OUT:
                s.optedOut = true;
                break;
            case OPT_IN:
                s.optedOut = false;
                break;
            default:
                break; // identify: merging sessions comes with identity stitching
        }
    }

    public boolean hasConsent(CustomerState s, ContactChannel channel) {
        return (s.consentFlags & (1 << channel.ordinal())) != 0;
    }

    // ---- derived values ----

    public LifecycleStage lifecycle(CustomerState s) {
        if (s.purchaseCount == 0) {
            return LifecycleStage.PROSPECT;
        }
        if (s.purchaseCount >= settings.loyalOrders) {
            return LifecycleStage.LOYAL;
        }
        return s.purchaseCount >= settings.activeOrders ? LifecycleStage.ACTIVE : LifecycleStage.NEW;
    }

    public ValueTier valueTier(CustomerState s) {
        if (s.monetary <= 0) {
            return ValueTier.NONE;
        }
        if (s.monetary >= settings.tierHigh) {
            return ValueTier.HIGH;
        }
        return s.monetary >= settings.tierMid ? ValueTier.MID : ValueTier.LOW;
    }

    /** Items the ranking must leave out: basket and recent purchases, as configured. */
    public String[] exclusions(CustomerState s) {
        Set<String> out = new LinkedHashSet<>();
        if (settings.excludeBasket) {
            out.addAll(Arrays.asList(s.basketItems));
        }
        if (settings.excludePurchased) {
            out.addAll(Arrays.asList(s.purchased));
        }
        return out.toArray(new String[0]);
    }

    /** r(u,i) of an item in the window, 0 if absent. */
    public static double weightOf(CustomerState s, String itemId) {
        int i = indexOf(s.items, itemId);
        return i < 0 ? 0 : s.weights[i];
    }

    // ---- window, basket, purchases ----

    private void updateWeight(CustomerState s, String itemId, double w, long t) {
        int i = indexOf(s.items, itemId);
        double a = i < 0 ? 0 : s.weights[i];
        long since = i < 0 ? t : Math.max(t, s.itemTimes[i]);
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
        } else if (s.items.length >= settings.windowSize) {
            removeWindowAt(s, 0); // the oldest leaves the window
        }
        int n = s.items.length;
        s.items = Arrays.copyOf(s.items, n + 1);
        s.weights = Arrays.copyOf(s.weights, n + 1);
        s.itemTimes = Arrays.copyOf(s.itemTimes, n + 1);
        s.items[n] = itemId;
        s.weights[n] = b;
        s.itemTimes[n] = since;
    }

    private static void removeWindowAt(CustomerState s, int i) {
        s.items = remove(s.items, i);
        s.weights = remove(s.weights, i);
        s.itemTimes = remove(s.itemTimes, i);
    }

    private void addToBasket(CustomerState s, String itemId, int quantity, double price, long t) {
        int i = indexOf(s.basketItems, itemId);
        if (i >= 0) {
            s.basketQuantities[i] = (int) Math.min(Integer.MAX_VALUE, (long) s.basketQuantities[i] + quantity);
            if (!Double.isNaN(price)) {
                s.basketPrices[i] = price;
            }
        } else {
            if (s.basketItems.length >= settings.maxBasketLines) {
                removeBasketAt(s, 0);
            }
            int n = s.basketItems.length;
            s.basketItems = Arrays.copyOf(s.basketItems, n + 1);
            s.basketQuantities = Arrays.copyOf(s.basketQuantities, n + 1);
            s.basketPrices = Arrays.copyOf(s.basketPrices, n + 1);
            s.basketItems[n] = itemId;
            s.basketQuantities[n] = quantity;
            s.basketPrices[n] = price;
        }
        s.basketUpdatedAt = Math.max(s.basketUpdatedAt, t);
    }

    /** Removes {@code quantity} of an item, or the whole line when quantity is null. */
    private static void removeFromBasket(CustomerState s, String itemId, Integer quantity, long t) {
        int i = indexOf(s.basketItems, itemId);
        if (i < 0) {
            return;
        }
        if (quantity != null && s.basketQuantities[i] > quantity) {
            s.basketQuantities[i] -= quantity;
        } else {
            removeBasketAt(s, i);
        }
        s.basketUpdatedAt = Math.max(s.basketUpdatedAt, t);
    }

    private static void removeBasketAt(CustomerState s, int i) {
        s.basketItems = remove(s.basketItems, i);
        s.basketQuantities = remove(s.basketQuantities, i);
        s.basketPrices = remove(s.basketPrices, i);
    }

    private void rememberPurchase(CustomerState s, String itemId, long t) {
        if (settings.maxPurchased == 0) {
            return;
        }
        if (s.purchasedAt.length != s.purchased.length) {
            s.purchasedAt = new long[s.purchased.length]; // state from before purchase times were kept
        }
        int i = indexOf(s.purchased, itemId);
        long at = t;
        if (i >= 0) {
            at = Math.max(t, s.purchasedAt[i]);
            s.purchased = remove(s.purchased, i);
            s.purchasedAt = remove(s.purchasedAt, i);
        } else if (s.purchased.length >= settings.maxPurchased) {
            s.purchased = remove(s.purchased, 0);
            s.purchasedAt = remove(s.purchasedAt, 0);
        }
        s.purchased = Arrays.copyOf(s.purchased, s.purchased.length + 1);
        s.purchased[s.purchased.length - 1] = itemId;
        s.purchasedAt = Arrays.copyOf(s.purchasedAt, s.purchasedAt.length + 1);
        s.purchasedAt[s.purchasedAt.length - 1] = at;
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
        if (s.profileFeatures.length == 0) {
            s.profileTime = t;
        } else if (t > s.profileTime) {
            double f = decay(t - s.profileTime);
            for (int i = 0; i < s.profileWeights.length; i++) {
                s.profileWeights[i] *= f;
            }
            s.profileTime = t;
        } else {
            add *= decay(s.profileTime - t);
        }
        for (String feature : features) {
            int i = indexOf(s.profileFeatures, feature);
            if (i >= 0) {
                s.profileWeights[i] += add;
            } else {
                int n = s.profileFeatures.length;
                s.profileFeatures = Arrays.copyOf(s.profileFeatures, n + 1);
                s.profileWeights = Arrays.copyOf(s.profileWeights, n + 1);
                s.profileFeatures[n] = feature;
                s.profileWeights[n] = add;
            }
        }
        while (s.profileFeatures.length > settings.profileSize) {
            int weakest = 0;
            for (int i = 1; i < s.profileWeights.length; i++) {
                if (s.profileWeights[i] < s.profileWeights[weakest]) {
                    weakest = i;
                }
            }
            s.profileFeatures = remove(s.profileFeatures, weakest);
            s.profileWeights = remove(s.profileWeights, weakest);
        }
    }

    /** Puts the content profile, decayed to the request's time and strongest first, into the request. */
    public void contentRequest(CustomerState s, RankingRequest r) {
        int n = s.profileFeatures.length;
        if (n == 0) {
            return;
        }
        double f = r.eventTime > s.profileTime ? decay(r.eventTime - s.profileTime) : 1;
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
            r.profileFeatures[i] = s.profileFeatures[order[i]];
            r.profileWeights[i] = s.profileWeights[order[i]] * f;
            sq += r.profileWeights[i] * r.profileWeights[i];
        }
        r.profileNorm = Math.sqrt(sq);
    }

    private static boolean stronger(CustomerState s, int a, int b) {
        int c = Double.compare(s.profileWeights[a], s.profileWeights[b]);
        return c != 0 ? c > 0 : s.profileFeatures[a].compareTo(s.profileFeatures[b]) < 0;
    }

    /** 2^(−dt / half-life). */
    private double decay(long dtMs) {
        return Math.pow(2, -(double) dtMs / settings.contentHalfLifeMs);
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
