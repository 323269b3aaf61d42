package io.nextbest.generator;

import java.util.SplittableRandom;

/**
 * The steps of one shopping session, drawn from the session's own random stream: only numbers (kind,
 * item, quantity per step), no records, so that planning is cheap and a resume can walk over many
 * sessions quickly. One instance per lane is reused for every session of that lane.
 *
 * <p>A session: maybe a search; views (each maybe after a click, maybe followed by an add_to_cart and a
 * wishlist add); an anonymous session may log in (identify) part-way; a known customer may give or
 * withdraw consent; then the basket: lines are removed (remove_from_cart) or kept, and the session
 * either buys what is kept (order) or abandons the basket. After any step, the same record may repeat
 * (a duplicate).
 */
final class SessionPlan {
    static final byte SEARCH = 0;
    static final byte CLICK = 1;
    static final byte VIEW = 2;
    static final byte CART = 3;
    static final byte WISHLIST = 4;
    static final byte REMOVE = 5;
    static final byte IDENTIFY = 6;
    static final byte CONSENT = 7;
    static final byte ORDER = 8;
    /** The record of the step before, again. */
    static final byte DUP = 9;

    /** Placements of a click, by {@code aux}. */
    static final String[] CLICK_PLACEMENTS = {"home", "category", "recommendation", "search"};
    static final int CLICK_FROM_SEARCH = 3;

    /** What every session of a generator part shares. */
    record Model(
            SyntheticCatalog catalog,
            long customerFrom,
            long customerCount,
            int minViews,
            int maxViews,
            double anonymousShare,
            double loginShare,
            double consentShare,
            double searchShare,
            double clickShare,
            double viewToCart,
            double wishlistShare,
            double abandonedShare,
            /** P(a basket line is kept to the end), so that kept in bought baskets / added = cart-to-purchase. */
            double keepShare,
            /** P(a step is followed by a duplicate), so that duplicates / all records = duplicate-share. */
            double duplicateAfterStep) {}

    private final Model m;

    // the session
    long number;
    boolean anonymous;
    long customer;
    /** Index into the session channels (web, app, email, other). */
    int channel;
    /** Step index of the identify step, or -1: from it on, the anonymous session is a known customer. */
    int identifyStep;
    boolean abandoned;

    // the steps
    int length;
    final byte[] kind;
    final int[] item;
    /** Quantity (cart, remove), placement (click), query form (search), consent channel * 2 + granted. */
    final int[] aux;

    // the basket, one line per distinct item, in order of first add
    int lines;
    final int[] lineItem;
    final int[] lineQuantity;
    final boolean[] lineKept;

    SessionPlan(Model m) {
        this.m = m;
        int maxSteps = 2 * (5 * m.maxViews() + 5);
        kind = new byte[maxSteps];
        item = new int[maxSteps];
        aux = new int[maxSteps];
        lineItem = new int[m.maxViews()];
        lineQuantity = new int[m.maxViews()];
        lineKept = new boolean[m.maxViews()];
    }

    /** Plans session {@code number} from its own random stream. */
    void plan(long number, SplittableRandom r) {
        this.number = number;
        length = 0;
        lines = 0;
        identifyStep = -1;
        abandoned = false;

        anonymous = r.nextDouble() < m.anonymousShare();
        customer = m.customerFrom() + r.nextLong(m.customerCount());
        double c = r.nextDouble();
        channel = c < 0.55 ? 0 : c < 0.9 ? 1 : c < 0.97 ? 2 : 3;
        int views = m.minViews() + r.nextInt(m.maxViews() - m.minViews() + 1);
        // before which view an anonymous session logs in (views: after the last one); -1: it does not
        int loginAt = anonymous && r.nextDouble() < m.loginShare() ? 1 + r.nextInt(views) : -1;
        boolean consent = r.nextDouble() < m.consentShare();
        // a known customer's consent comes before this view (views: after the last); an anonymous
        // session's comes right after it logs in, if it does
        int consentAt = consent && !anonymous ? r.nextInt(views + 1) : -1;
        int consentAux = r.nextInt(4) * 2 + (r.nextDouble() < 0.8 ? 1 : 0);
        boolean search = r.nextDouble() < m.searchShare();

        for (int v = 0; v < views; v++) {
            if (v == loginAt) {
                identify(r, consent, consentAux);
            }
            if (v == consentAt) {
                add(r, CONSENT, 0, consentAux);
            }
            int it = m.catalog().sample(r);
            if (v == 0 && search) {
                add(r, SEARCH, it, r.nextInt(Integer.MAX_VALUE));
            }
            if (r.nextDouble() < m.clickShare()) {
                add(r, CLICK, it, v == 0 && search ? CLICK_FROM_SEARCH : r.nextInt(CLICK_FROM_SEARCH));
            }
            add(r, VIEW, it, 0);
            if (r.nextDouble() < m.viewToCart()) {
                double q = r.nextDouble();
                int quantity = q < 0.8 ? 1 : q < 0.95 ? 2 : 3;
                add(r, CART, it, quantity);
                addToBasket(it, quantity);
            }
            if (r.nextDouble() < m.wishlistShare()) {
                add(r, WISHLIST, it, 0);
            }
        }
        if (loginAt == views) {
            identify(r, consent, consentAux);
        }
        if (consentAt == views) {
            add(r, CONSENT, 0, consentAux);
        }
        if (lines == 0) {
            return;
        }
        abandoned = r.nextDouble() < m.abandonedShare();
        int kept = 0;
        for (int l = 0; l < lines; l++) {
            lineKept[l] = r.nextDouble() < m.keepShare();
            kept += lineKept[l] ? 1 : 0;
        }
        if (abandoned && kept == 0) {
            lineKept[lines - 1] = true; // an abandoned basket is never empty
            kept = 1;
        }
        for (int l = 0; l < lines; l++) {
            if (!lineKept[l]) {
                add(r, REMOVE, lineItem[l], lineQuantity[l]);
            }
        }
        if (!abandoned && kept > 0) {
            if (anonymous && identifyStep < 0) {
                identify(r, consent, consentAux); // checkout needs a login
            }
            add(r, ORDER, 0, 0);
        }
    }

    /** Whether the customer is known at this step (always, unless the session is anonymous and not yet logged in). */
    boolean known(int step) {
        return !anonymous || (identifyStep >= 0 && step >= identifyStep);
    }

    private void identify(SplittableRandom r, boolean consent, int consentAux) {
        identifyStep = length;
        add(r, IDENTIFY, 0, 0);
        if (consent) {
            add(r, CONSENT, 0, consentAux);
        }
    }

    private void addToBasket(int it, int quantity) {
        for (int l = 0; l < lines; l++) {
            if (lineItem[l] == it) {
                lineQuantity[l] += quantity;
                return;
            }
        }
        lineItem[lines] = it;
        lineQuantity[lines] = quantity;
        lines++;
    }

    private void add(SplittableRandom r, byte k, int it, int a) {
        kind[length] = k;
        item[length] = it;
        aux[length] = a;
        length++;
        if (m.duplicateAfterStep() > 0 && r.nextDouble() < m.duplicateAfterStep()) {
            kind[length] = DUP;
            item[length] = it;
            aux[length] = a;
            length++;
        }
    }
}
