package io.nextbest.job.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One configuration key: its name, default, how its text is parsed and checked, and its doc.
 * All keys are declared in {@link Settings}; {@code config/nextbest.yaml} documents each.
 */
public final class Option<T> implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern DURATION = Pattern.compile("^(\\d+)\\s*(ms|s|m|h|d)$");

    private final String key;
    private final String defaultValue;
    private final String doc;
    private final transient Function<String, T> parser;

    private Option(String key, String defaultValue, String doc, Function<String, T> parser) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.doc = doc;
        this.parser = parser;
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    /** Parses a value, or throws a {@link ConfigException} naming this key and the value. */
    public T parse(String text) {
        try {
            return parser.apply(text.trim());
        } catch (RuntimeException e) {
            throw new ConfigException("bad value for '" + key + "': '" + text + "' — " + e.getMessage());
        }
    }

    /** A value read by {@code parser}, which throws IllegalArgumentException with the reason when the text is bad. */
    public static <T> Option<T> parsed(String key, String def, String doc, Function<String, T> parser) {
        return new Option<>(key, def, doc, parser);
    }

    public static Option<String> string(String key, String def, String doc) {
        return new Option<>(key, def, doc, s -> s);
    }

    public static Option<String> nonEmpty(String key, String def, String doc) {
        return new Option<>(key, def, doc, s -> {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("must not be empty");
            }
            return s;
        });
    }

    public static Option<Integer> integer(String key, int def, int min, int max, String doc) {
        return new Option<>(key, Integer.toString(def), doc, s -> {
            int v;
            try {
                v = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a whole number");
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException("expected " + min + ".." + max);
            }
            return v;
        });
    }

    public static Option<Double> number(String key, double def, double min, double max, String doc) {
        return new Option<>(key, format(def), doc, s -> {
            double v;
            try {
                v = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a number");
            }
            if (!(v >= min && v <= max)) {
                throw new IllegalArgumentException("expected a number in " + format(min) + ".." + format(max));
            }
            return v;
        });
    }

    public static Option<Boolean> bool(String key, boolean def, String doc) {
        return new Option<>(key, Boolean.toString(def), doc, s -> {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "true":
                    return true;
                case "false":
                    return false;
                default:
                    throw new IllegalArgumentException("expected true or false");
            }
        });
    }

    /** A duration like {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 30d}; at least {@code min}. */
    public static Option<Duration> duration(String key, String def, Duration min, String doc) {
        return new Option<>(key, def, doc, s -> {
            Duration d = parseDuration(s);
            if (d.compareTo(min) < 0) {
                throw new IllegalArgumentException("must be at least " + min.toMillis() + "ms");
            }
            return d;
        });
    }

    /**
     * Like {@link #duration} but {@code off} means no limit (returned as {@code null}). YAML 1.1
     * reads a bare {@code off} as the boolean false, so {@code false} means off too.
     */
    public static Option<Duration> durationOrOff(String key, String def, String doc) {
        return new Option<>(key, def, doc,
                s -> s.equalsIgnoreCase("off") || s.equalsIgnoreCase("false") ? null : parseDuration(s));
    }

    /** An ISO-8601 instant in UTC, e.g. {@code 2026-01-01T00:00:00Z}. */
    public static Option<java.time.Instant> instant(String key, String def, String doc) {
        return new Option<>(key, def, doc, s -> {
            try {
                return java.time.Instant.parse(s);
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("expected an instant like 2026-01-01T00:00:00Z");
            }
        });
    }

    public static <E extends Enum<E>> Option<E> choice(String key, E def, Class<E> type, String doc) {
        return new Option<>(key, wire(def), doc, s -> {
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(s.replace('-', '_'))) {
                    return e;
                }
            }
            throw new IllegalArgumentException("expected one of " + Arrays.stream(type.getEnumConstants())
                    .map(Option::wire).toList());
        });
    }

    /** An enum constant as written in the configuration: lower case, words joined by hyphens (per-stage). */
    static String wire(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h} or {@code 30d}. */
    public static Duration parseDuration(String s) {
        Matcher m = DURATION.matcher(s.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a duration like 250ms, 10s, 5m, 1h or 30d");
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms":
                return Duration.ofMillis(n);
            case "s":
                return Duration.ofSeconds(n);
            case "m":
                return Duration.ofMinutes(n);
            case "h":
                return Duration.ofHours(n);
            default:
                return Duration.ofDays(n);
        }
    }

    private static String format(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
