package io.nextbest.generator;

import io.nextbest.schemas.DidYouMean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One named workload of {@code workloads.yaml}: the shop the synthetic generator simulates (customers,
 * catalog, behaviour, record mix) and the knobs of the bench runner (rate, warm-up, duration,
 * parallelism, rate search). Every key is declared once below with its range; {@link #of} checks
 * every value and rejects unknown keys, naming the workload and the key.
 */
public final class Workload {

    /** One key of a workload: its dotted name (as in the YAML file) and how its text is read and checked. */
    public static final class Key<T> {
        private final String name;
        private final Function<String, T> parser;

        private Key(String name, Function<String, T> parser) {
            this.name = name;
            this.parser = parser;
        }

        public String name() {
            return name;
        }

        /** The name in quotes, as error messages show it. */
        @Override
        public String toString() {
            return "'" + name + "'";
        }
    }

    private static final List<Key<?>> KEYS = new ArrayList<>();

    // --- the shop
    public static final Key<Long> SEED = key("seed", Workload::anyLong);
    public static final Key<Integer> CUSTOMERS = integer("customers", 1, 100_000_000);
    public static final Key<Integer> ITEMS = integer("items", 1, 10_000_000);
    public static final Key<Integer> CATEGORY_DEPTH = integer("categories.depth", 1, 8);
    public static final Key<Integer> CATEGORY_FAN_OUT = integer("categories.fan-out", 1, 100);
    public static final Key<Integer> BRANDS = integer("brands", 1, 1_000_000);
    public static final Key<Double> ZIPF_EXPONENT = number("zipf-exponent", 0, 5);
    // --- sessions and behaviour
    public static final Key<Integer> MIN_VIEWS = integer("session.min-views", 1, 1_000);
    public static final Key<Integer> MAX_VIEWS = integer("session.max-views", 1, 1_000);
    public static final Key<Integer> CONCURRENT_SESSIONS = integer("session.concurrent", 1, 100_000);
    public static final Key<Double> VIEW_TO_CART = share("funnel.view-to-cart");
    public static final Key<Double> CART_TO_PURCHASE = share("funnel.cart-to-purchase");
    public static final Key<Double> ABANDONED_BASKET_SHARE = share("funnel.abandoned-basket-share");
    public static final Key<Double> CLICK_SHARE = share("mix.click-share");
    public static final Key<Double> SEARCH_SHARE = share("mix.search-share");
    public static final Key<Double> WISHLIST_SHARE = share("mix.wishlist-share");
    public static final Key<Double> CONSENT_SHARE = share("mix.consent-share");
    public static final Key<Double> ANONYMOUS_SHARE = share("anonymous.share");
    public static final Key<Double> LOGIN_SHARE = share("anonymous.login-share");
    // --- records besides sessions
    public static final Key<Double> CATALOG_UPDATE_SHARE = share("records.catalog-update-share");
    public static final Key<Double> BAD_RECORD_SHARE = share("records.bad-share");
    public static final Key<Double> DUPLICATE_SHARE = share("records.duplicate-share");
    // --- the bench runner
    public static final Key<Double> RATE = number("bench.rate", 0.001, 100_000_000);
    public static final Key<Duration> WARMUP = duration("bench.warmup", false);
    public static final Key<Duration> DURATION = duration("bench.duration", true);
    public static final Key<Integer> PARALLELISM = integer("bench.parallelism", 1, 1_024);
    public static final Key<Integer> GENERATOR_THREADS = integer("bench.generator-threads", 1, 1_024);
    public static final Key<Integer> WEB_PORT = integer("bench.web-port", 0, 65_535);
    public static final Key<Double> SEARCH_START_RATE = number("bench.rate-search.start-rate", 0.001, 100_000_000);
    public static final Key<Double> SEARCH_STEP_FACTOR = number("bench.rate-search.step-factor", 1.0001, 100);
    public static final Key<Double> SEARCH_MAX_RATE = number("bench.rate-search.max-rate", 0.001, 100_000_000);

    /** Every key, in the order of the file. */
    public static final List<Key<?>> ALL = Collections.unmodifiableList(KEYS);

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    private static final Pattern DURATION_TEXT = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private final String name;
    private final Map<String, String> text;
    private final Map<Key<?>, Object> values;

    private Workload(String name, Map<String, String> text, Map<Key<?>, Object> values) {
        this.name = name;
        this.text = text;
        this.values = values;
    }

    /**
     * The workload with these values (dotted keys, as text); every key must be given.
     *
     * @throws IllegalArgumentException naming the workload and the key: an unknown or missing key, a value
     *     that is not of its type or out of its range, or values that contradict each other
     */
    public static Workload of(String name, Map<String, String> values) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("workload name '" + name + "' must be lower-case letters, digits, '-' or '_'");
        }
        for (String k : values.keySet()) {
            if (KEYS.stream().noneMatch(key -> key.name.equals(k))) {
                throw new IllegalArgumentException(
                        "workload '" + name + "': unknown key '" + k + "'" + didYouMean(k) + "; keys are "
                                + KEYS.stream().map(Key::name).toList());
            }
        }
        Map<String, String> text = new LinkedHashMap<>();
        Map<Key<?>, Object> typed = new LinkedHashMap<>();
        for (Key<?> key : KEYS) {
            String v = values.get(key.name);
            if (v == null) {
                throw new IllegalArgumentException("workload '" + name + "': missing key '" + key.name + "'");
            }
            v = v.trim();
            try {
                typed.put(key, key.parser.apply(v));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "workload '" + name + "': bad value for '" + key.name + "': '" + v + "' — " + e.getMessage());
            }
            text.put(key.name, v);
        }
        Workload w = new Workload(name, Collections.unmodifiableMap(text), Collections.unmodifiableMap(typed));
        w.checkConsistent();
        return w;
    }

    /** This workload with some keys changed (e.g. {@code bench.rate} from the command line), checked again. */
    public Workload with(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(text);
        merged.putAll(overrides);
        return of(name, merged);
    }

    /** This workload with one key changed. */
    public Workload with(String key, String value) {
        return with(Map.of(key, value));
    }

    private void checkConsistent() {
        if (minViews() > maxViews()) {
            throw conflict(MIN_VIEWS + " (" + minViews() + ") must not exceed " + MAX_VIEWS + " (" + maxViews() + ")");
        }
        if (cartToPurchase() > 1 - abandonedBasketShare() + 1e-12) {
            throw conflict(CART_TO_PURCHASE + " (" + cartToPurchase() + ") cannot exceed 1 - " + ABANDONED_BASKET_SHARE
                    + " (" + (1 - abandonedBasketShare()) + "): only baskets that are not abandoned are bought");
        }
        double special = badRecordShare() + catalogUpdateShare() + duplicateShare();
        if (special > 0.5) {
            throw conflict(BAD_RECORD_SHARE + " + " + CATALOG_UPDATE_SHARE + " + " + DUPLICATE_SHARE + " is " + special
                    + ", must be at most 0.5");
        }
        double leaves = Math.pow(categoryFanOut(), categoryDepth());
        if (leaves > 1_000_000) {
            throw conflict(CATEGORY_FAN_OUT + "^" + CATEGORY_DEPTH + " gives " + (long) leaves
                    + " leaf categories, at most 1000000");
        }
        if (generatorThreads() > customers()) {
            throw conflict(GENERATOR_THREADS + " (" + generatorThreads() + ") exceeds " + CUSTOMERS + " (" + customers()
                    + "): every part needs customers of its own");
        }
        if (searchStartRate() > searchMaxRate()) {
            throw conflict(SEARCH_START_RATE + " (" + searchStartRate() + ") exceeds " + SEARCH_MAX_RATE
                    + " (" + searchMaxRate() + ")");
        }
    }

    private IllegalArgumentException conflict(String what) {
        return new IllegalArgumentException("workload '" + name + "': " + what);
    }

    public String name() {
        return name;
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Key<T> key) {
        return (T) values.get(key);
    }

    /** Every key and its value as written (dotted keys, in file order): for reports. */
    public Map<String, String> toMap() {
        return text;
    }

    /** Seed of every random choice: the same seed and keys give byte-identical output. */
    public long seed() {
        return get(SEED);
    }

    public int customers() {
        return get(CUSTOMERS);
    }

    public int items() {
        return get(ITEMS);
    }

    public int categoryDepth() {
        return get(CATEGORY_DEPTH);
    }

    public int categoryFanOut() {
        return get(CATEGORY_FAN_OUT);
    }

    public int brands() {
        return get(BRANDS);
    }

    public double zipfExponent() {
        return get(ZIPF_EXPONENT);
    }

    public int minViews() {
        return get(MIN_VIEWS);
    }

    public int maxViews() {
        return get(MAX_VIEWS);
    }

    /** Sessions in progress at once, over all parts (each part runs its share side by side). */
    public int concurrentSessions() {
        return get(CONCURRENT_SESSIONS);
    }

    public double viewToCart() {
        return get(VIEW_TO_CART);
    }

    public double cartToPurchase() {
        return get(CART_TO_PURCHASE);
    }

    public double abandonedBasketShare() {
        return get(ABANDONED_BASKET_SHARE);
    }

    public double clickShare() {
        return get(CLICK_SHARE);
    }

    public double searchShare() {
        return get(SEARCH_SHARE);
    }

    public double wishlistShare() {
        return get(WISHLIST_SHARE);
    }

    public double consentShare() {
        return get(CONSENT_SHARE);
    }

    public double anonymousShare() {
        return get(ANONYMOUS_SHARE);
    }

    public double loginShare() {
        return get(LOGIN_SHARE);
    }

    public double catalogUpdateShare() {
        return get(CATALOG_UPDATE_SHARE);
    }

    public double badRecordShare() {
        return get(BAD_RECORD_SHARE);
    }

    public double duplicateShare() {
        return get(DUPLICATE_SHARE);
    }

    /** Target rate of the whole run, events per second over all generator threads. */
    public double rate() {
        return get(RATE);
    }

    public Duration warmup() {
        return get(WARMUP);
    }

    public Duration duration() {
        return get(DURATION);
    }

    public int parallelism() {
        return get(PARALLELISM);
    }

    public int generatorThreads() {
        return get(GENERATOR_THREADS);
    }

    public double searchStartRate() {
        return get(SEARCH_START_RATE);
    }

    public double searchStepFactor() {
        return get(SEARCH_STEP_FACTOR);
    }

    public double searchMaxRate() {
        return get(SEARCH_MAX_RATE);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Workload other && name.equals(other.name) && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + text.hashCode();
    }

    @Override
    public String toString() {
        return "Workload " + name + " " + text;
    }

    // --- key declarations

    private static <T> Key<T> key(String name, Function<String, T> parser) {
        Key<T> k = new Key<>(name, parser);
        KEYS.add(k);
        return k;
    }

    private static Key<Integer> integer(String name, int min, int max) {
        return key(name, s -> {
            long v;
            try {
                v = Long.parseLong(s.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a whole number in " + min + ".." + max);
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException("expected a whole number in " + min + ".." + max);
            }
            return (int) v;
        });
    }

    private static Key<Double> number(String name, double min, double max) {
        return key(name, s -> {
            double v;
            try {
                v = Double.parseDouble(s.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a number in " + fmt(min) + ".." + fmt(max));
            }
            if (!(v >= min && v <= max)) { // also rejects NaN
                throw new IllegalArgumentException("expected a number in " + fmt(min) + ".." + fmt(max));
            }
            return v;
        });
    }

    private static Key<Double> share(String name) {
        return number(name, 0, 1);
    }

    private static Key<Duration> duration(String name, boolean positive) {
        return key(name, s -> {
            Matcher m = DURATION_TEXT.matcher(s.toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("expected a duration like 500ms, 5s, 2m or 1h");
            }
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
            if (positive && d.isZero()) {
                throw new IllegalArgumentException("must be longer than 0");
            }
            return d;
        });
    }

    private static long anyLong(String s) {
        try {
            return Long.parseLong(s.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number (64 bit)");
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static String didYouMean(String unknown) {
        List<String> names = new ArrayList<>();
        for (Key<?> k : KEYS) {
            names.add(k.name);
        }
        return DidYouMean.hint(unknown, names, Math.max(2, unknown.length() / 4));
    }

}
