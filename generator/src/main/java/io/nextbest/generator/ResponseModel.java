package io.nextbest.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Simulated shoppers who answer the suggestions they are shown, with a known truth (issue 19): each shopper has a
 * hidden taste, one of the catalog's top-level categories, drawn from the seed and the shopper's id. A shopper looks
 * at the first {@code seen} items of a list (impressions) and clicks each seen item independently, with probability
 * {@code matchClick} if the item's category is the shopper's taste, else {@code otherClick}; a clicked item that
 * matches the taste is ordered with probability {@code orderAfterClick}. A strategy that shows more of a shopper's
 * taste therefore truly earns more clicks, and how many more is computable: {@link #clickProbability} is the true
 * chance that a shopper shown given lists clicks at least once.
 *
 * <p>Every draw is a function of (seed, shopper, list sequence, position in the list): the same lists give the same
 * answers, and two lists that match the taste at the same positions too — so an arm's outcome does not depend on
 * which of several equally fitting items the job happened to rank first.
 */
public final class ResponseModel {
    private static final long TASTE = 0x7A57E;
    private static final long CLICK = 0xC11C;
    private static final long ORDER = 0x0DE7;

    private final long seed;
    private final int seen;
    private final double matchClick;
    private final double otherClick;
    private final double orderAfterClick;

    public ResponseModel(long seed, int seen, double matchClick, double otherClick, double orderAfterClick) {
        if (seen < 1 || !probability(matchClick) || !probability(otherClick) || !probability(orderAfterClick)) {
            throw new IllegalArgumentException("need seen >= 1 and probabilities in [0, 1]");
        }
        this.seed = seed;
        this.seen = seen;
        this.matchClick = matchClick;
        this.otherClick = otherClick;
        this.orderAfterClick = orderAfterClick;
    }

    /** The shopper's hidden taste: one of {@code categories}, uniformly, by the seed and the shopper's id. */
    public String taste(String shopper, List<String> categories) {
        long h = Seeds.derive(seed, TASTE, Seeds.hash(shopper));
        return categories.get((int) Math.floorMod(h, (long) categories.size()));
    }

    /** The chance that a shopper of {@code taste} clicks an item of {@code category} it sees. */
    public double click(String taste, String category) {
        return taste.equals(category) ? matchClick : otherClick;
    }

    /** What a shopper did with one list. */
    public record Answer(List<String> impressions, List<String> clicks, List<String> orders) {}

    /**
     * The shopper's answer to a list (its item ids, best first).
     *
     * @param categoryOf the top-level category of an item
     */
    public Answer answer(String shopper, String taste, long sequence, List<String> items,
            Function<String, String> categoryOf) {
        List<String> impressions = new ArrayList<>();
        List<String> clicks = new ArrayList<>();
        List<String> orders = new ArrayList<>();
        long h = Seeds.hash(shopper);
        for (int i = 0; i < Math.min(seen, items.size()); i++) {
            String item = items.get(i);
            impressions.add(item);
            String category = categoryOf.apply(item);
            if (Seeds.unit(Seeds.derive(seed, CLICK, h, sequence, i)) < click(taste, category)) {
                clicks.add(item);
                if (taste.equals(category) && Seeds.unit(Seeds.derive(seed, ORDER, h, sequence, i)) < orderAfterClick) {
                    orders.add(item);
                }
            }
        }
        return new Answer(impressions, clicks, orders);
    }

    /** The true chance that a shopper of {@code taste} shown these lists clicks at least once. */
    public double clickProbability(String taste, List<List<String>> lists, Function<String, String> categoryOf) {
        double none = 1;
        for (List<String> items : lists) {
            for (String item : items.subList(0, Math.min(seen, items.size()))) {
                none *= 1 - click(taste, categoryOf.apply(item));
            }
        }
        return 1 - none;
    }

    private static boolean probability(double p) {
        return p >= 0 && p <= 1;
    }
}
