package io.nextbest.loadtest.eval;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.customer.CustomerProfile;
import io.nextbest.job.customer.CustomerSettings;
import io.nextbest.job.customer.CustomerState;
import io.nextbest.generator.InputEvent;
import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.Topics;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The items the engine leaves out of a customer's list — the basket and the recently bought items
 * ({@code ranking.exclude-basket}, {@code ranking.exclude-purchased}, bounded by
 * {@code customer.max-basket-lines} and {@code customer.max-purchased-items}) — so that the
 * baselines are held to the same rule. It runs the engine's own customer logic
 * ({@link CustomerProfile}) on the decoded events: add_to_cart adds (quantities add up),
 * remove_from_cart removes its quantity or the whole line, an order removes its lines from the basket
 * and remembers them as bought; returns and cancellations change neither.
 */
public final class Exclusion {
    private final CustomerProfile profile;
    private final boolean active;
    private final String description;
    private final Map<String, CustomerState> customers = new HashMap<>();

    private Exclusion(CustomerProfile profile, boolean active, String description) {
        this.profile = profile;
        this.active = active;
        this.description = description;
    }

    /** The engine's rule with the job's default configuration. */
    public static Exclusion engineDefaults() {
        return like(NextbestConfig.defaults());
    }

    /** The engine's rule as configured for the run being evaluated. */
    public static Exclusion like(NextbestConfig config) {
        boolean basket = config.get(Settings.RANKING_EXCLUDE_BASKET);
        boolean purchased = config.get(Settings.RANKING_EXCLUDE_PURCHASED);
        String d = !basket && !purchased ? "none"
                : (basket ? "basket (" + config.get(Settings.CUSTOMER_MAX_BASKET_LINES) + " lines)" : "")
                        + (basket && purchased ? " + " : "")
                        + (purchased ? "recently bought (last " + config.get(Settings.CUSTOMER_MAX_PURCHASED) + " items)" : "");
        return new Exclusion(new CustomerProfile(new CustomerSettings(config)), basket || purchased, d);
    }

    /** No exclusion: baselines' lists are scored as they come. */
    public static Exclusion none() {
        return new Exclusion(null, false, "none");
    }

    /** Whether any item can be excluded (false for {@link #none()} and a configuration that turns both off). */
    public boolean isActive() {
        return active;
    }

    /** e.g. "basket (50 lines) + recently bought (last 50 items)". */
    public String description() {
        return description;
    }

    /** The items to leave out of this customer's list now, empty if none. */
    public Set<String> excluded(String customerKey) {
        CustomerState s = active ? customers.get(customerKey) : null;
        return s == null ? Set.of() : new LinkedHashSet<>(List.of(profile.exclusions(s)));
    }

    /** Updates the customer's basket and purchases; events the job would dead-letter change nothing. */
    public void learn(InputEvent e) {
        if (!active || e.customerKey() == null || e.action().equals(InputEvent.BROKEN)) {
            return;
        }
        try {
            if (e.topic().equals(Topics.INTERACTIONS.name())) {
                if (e.action().equals("add_to_cart") || e.action().equals("remove_from_cart")) {
                    var interaction = Topics.INTERACTIONS.codec().decode(e.value());
                    profile.apply(state(e.customerKey()), interaction);
                }
            } else if (e.topic().equals(Topics.TRANSACTIONS.name()) && e.action().equals("order")) {
                var order = Topics.TRANSACTIONS.codec().decode(e.value());
                profile.apply(state(e.customerKey()), order);
            }
        } catch (InvalidMessageException ex) {
            // the job dead-letters it: no effect on its state either
        }
    }

    private CustomerState state(String customerKey) {
        return customers.computeIfAbsent(customerKey, k -> new CustomerState());
    }
}
