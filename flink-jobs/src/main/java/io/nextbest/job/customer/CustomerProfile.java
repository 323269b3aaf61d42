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

    /** Applies a clickstream event; positive interactions with an item are passed to {@code signals}. */
    public void apply(CustomerState s, Interaction e, Consumer<ItemSignal> signals) {
        long t = e.timestamp().toEpochMilli();
        s.lastSeen = Math.max(s.lastSeen, t);
        if (e.itemId() == null) {
            return; // a search without an item
        }
        double w = settings.weight(e.type());
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

    /** Applies an order, return or cancellation. */
    public void apply(CustomerState s, Transaction e, Consumer<ItemSignal> signals) {
        long t = e.timestamp().toEpochMilli();
        s.lastSeen = Math.max(s.lastSeen, t);
        if (e.type() == TransactionType.ORDER) {
            for (OrderLine line : e.lines()) {
                if (settings.purchaseWeight != 0) {
                    updateWeight(s, line.itemId(), settings.purchaseWeight, t);
                    if (settings.purchaseWeight > 0) {
                        signals.accept(new ItemSignal(line.itemId(), settings.purchaseWeight, t));
                    }
                }
                rememberPurchase(s, line.itemId());
                removeFromBasket(s, line.itemId(), null, t);
            }
            s.purchaseCount++;
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

    private void rememberPurchase(CustomerState s, String itemId) {
        if (settings.maxPurchased == 0) {
            return;
        }
        int i = indexOf(s.purchased, itemId);
        if (i >= 0) {
            s.purchased = remove(s.purchased, i);
        } else if (s.purchased.length >= settings.maxPurchased) {
            s.purchased = remove(s.purchased, 0);
        }
        s.purchased = Arrays.copyOf(s.purchased, s.purchased.length + 1);
        s.purchased[s.purchased.length - 1] = itemId;
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
