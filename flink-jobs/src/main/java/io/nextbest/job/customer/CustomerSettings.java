package io.nextbest.job.customer;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.config.Settings.WeightCombine;
import io.nextbest.schemas.messages.InteractionType;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;

/** The customer stage's part of the configuration, read once. */
public final class CustomerSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    final int windowSize;
    final WeightCombine combine;
    final double weightCap;
    final EnumMap<InteractionType, Double> weights;
    final double purchaseWeight;
    final int maxBasketLines;
    final int maxPurchased;
    final int dedupIds;
    final double tierMid;
    final double tierHigh;
    final int activeOrders;
    final int loyalOrders;
    final boolean excludeBasket;
    final boolean excludePurchased;
    final String defaultPlacement;
    final boolean contentEnabled;
    final long contentHalfLifeMs;
    final int profileSize;
    /** How long a dismissed item stays out of the customer's lists (ms); 0: dismissals are ignored. */
    final long dismissForMs;
    final int maxDismissed;

    public CustomerSettings(NextbestConfig c) {
        this.contentEnabled = c.get(Settings.CONTENT_ENABLED);
        this.contentHalfLifeMs = c.get(Settings.CONTENT_HALF_LIFE).toMillis();
        this.profileSize = c.get(Settings.CONTENT_PROFILE_SIZE);
        java.time.Duration dismissFor = c.get(Settings.FEEDBACK_DISMISS_FOR);
        this.dismissForMs = dismissFor == null ? 0 : dismissFor.toMillis();
        this.maxDismissed = c.get(Settings.FEEDBACK_MAX_DISMISSED);
        windowSize = c.get(Settings.CUSTOMER_WINDOW_SIZE);
        combine = c.get(Settings.CUSTOMER_WEIGHT_COMBINE);
        weightCap = c.get(Settings.CUSTOMER_WEIGHT_CAP);
        weights = new EnumMap<>(Map.of(
                InteractionType.VIEW, c.get(Settings.WEIGHT_VIEW),
                InteractionType.CLICK, c.get(Settings.WEIGHT_CLICK),
                InteractionType.ADD_TO_CART, c.get(Settings.WEIGHT_ADD_TO_CART),
                InteractionType.REMOVE_FROM_CART, c.get(Settings.WEIGHT_REMOVE_FROM_CART),
                InteractionType.WISHLIST, c.get(Settings.WEIGHT_WISHLIST),
                InteractionType.SEARCH, c.get(Settings.WEIGHT_SEARCH)));
        purchaseWeight = c.get(Settings.WEIGHT_PURCHASE);
        maxBasketLines = c.get(Settings.CUSTOMER_MAX_BASKET_LINES);
        maxPurchased = c.get(Settings.CUSTOMER_MAX_PURCHASED);
        dedupIds = c.get(Settings.CUSTOMER_DEDUP_IDS);
        tierMid = c.get(Settings.TIER_MID);
        tierHigh = c.get(Settings.TIER_HIGH);
        activeOrders = c.get(Settings.LIFECYCLE_ACTIVE);
        loyalOrders = c.get(Settings.LIFECYCLE_LOYAL);
        excludeBasket = c.get(Settings.RANKING_EXCLUDE_BASKET);
        excludePurchased = c.get(Settings.RANKING_EXCLUDE_PURCHASED);
        defaultPlacement = c.get(Settings.RANKING_DEFAULT_PLACEMENT);
    }

    public double weight(InteractionType type) {
        return weights.get(type);
    }
}
