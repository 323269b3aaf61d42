package io.nextbest.loadtest.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.nextbest.schemas.messages.Channel;
import io.nextbest.schemas.messages.InteractionType;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How one CSV layout maps onto the engine's input messages: one entry of {@code datasets.yaml}
 * (the keys are documented there). Built only through {@link #fromYaml}, which checks every key and
 * names the data set and the key in its error.
 *
 * @param name the data set's name (the key of its entry), the first part of its event ids
 * @param files CSV files relative to the datasets folder, in replay order
 * @param header whether the first line of every file names the columns
 * @param columns where each field comes from; {@link Field#required()} ones are always present
 * @param windowFrom with {@code windowTo}: rows outside [from, to) are skipped; both null when unset
 * @param clean cleaning steps per field (after trimming), absent for fields without any
 * @param eventTypes raw event type (after cleaning) → action
 */
public record DatasetMapping(
        String name,
        String description,
        List<String> files,
        boolean header,
        char delimiter,
        char quote,
        Map<Field, ColumnRef> columns,
        String categoryPathSeparator,
        TimeFormat timeFormat,
        ZoneId timeZone,
        Instant windowFrom,
        Instant windowTo,
        Map<Field, List<Cleaning>> clean,
        Map<String, Action> eventTypes,
        String currency,
        Channel channel) {

    public DatasetMapping {
        files = List.copyOf(files);
        columns = Collections.unmodifiableMap(enumMap(columns));
        clean = Collections.unmodifiableMap(enumMap(clean));
        eventTypes = Collections.unmodifiableMap(new LinkedHashMap<>(eventTypes));
    }

    private static <V> EnumMap<Field, V> enumMap(Map<Field, V> m) {
        EnumMap<Field, V> copy = new EnumMap<>(Field.class);
        copy.putAll(m);
        return copy;
    }

    /** The fields a row can carry, with their key under {@code columns}. */
    public enum Field {
        CUSTOMER("customer", true),
        ITEM("item", true),
        EVENT_TYPE("event-type", true),
        TIME("time", true),
        PRICE("price", false),
        QUANTITY("quantity", false),
        SESSION("session", false),
        CATEGORY("category", false),
        CATEGORY_PATH("category-path", false),
        BRAND("brand", false);

        private final String key;
        private final boolean required;

        Field(String key, boolean required) {
            this.key = key;
            this.required = required;
        }

        public String key() {
            return key;
        }

        public boolean required() {
            return required;
        }

        static Field byKey(String key) {
            for (Field f : values()) {
                if (f.key.equals(key)) {
                    return f;
                }
            }
            return null;
        }
    }

    /** Our action for a raw event type: one of the interaction types (but search) or an order. */
    public enum Action {
        VIEW("view", InteractionType.VIEW),
        CLICK("click", InteractionType.CLICK),
        ADD_TO_CART("add_to_cart", InteractionType.ADD_TO_CART),
        REMOVE_FROM_CART("remove_from_cart", InteractionType.REMOVE_FROM_CART),
        WISHLIST("wishlist", InteractionType.WISHLIST),
        ORDER("order", null);

        private final String wire;
        private final InteractionType interactionType;

        Action(String wire, InteractionType interactionType) {
            this.wire = wire;
            this.interactionType = interactionType;
        }

        /** The action name of {@link io.nextbest.generator.InputEvent#action()}. */
        public String wire() {
            return wire;
        }

        /** The interaction type, null for an order. */
        public InteractionType interactionType() {
            return interactionType;
        }

        static Action byWire(String wire) {
            for (Action a : values()) {
                if (a.wire.equals(wire)) {
                    return a;
                }
            }
            return null;
        }
    }

    /** A cleaning step for raw values. */
    public enum Cleaning {
        /** "266079.0" → "266079": a whole number written as a float. Other values are left as they are. */
        STRIP_ZERO_FRACTION("strip-zero-fraction"),
        /** Lower case (Locale.ROOT). */
        LOWERCASE("lowercase");

        private static final Pattern ZERO_FRACTION = Pattern.compile("(-?\\d+)\\.0+");
        private final String key;

        Cleaning(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        public String apply(String value) {
            switch (this) {
                case STRIP_ZERO_FRACTION:
                    return ZERO_FRACTION.matcher(value).matches() ? value.substring(0, value.indexOf('.')) : value;
                case LOWERCASE:
                    return value.toLowerCase(java.util.Locale.ROOT);
                default:
                    throw new AssertionError(this);
            }
        }

        static Cleaning byKey(String key) {
            for (Cleaning c : values()) {
                if (c.key.equals(key)) {
                    return c;
                }
            }
            return null;
        }
    }

    /** A column given by 0-based index or, with a header, by name (exactly one of the two). */
    public record ColumnRef(int index, String name) {
        public static ColumnRef of(int index) {
            return new ColumnRef(index, null);
        }

        public static ColumnRef of(String name) {
            return new ColumnRef(-1, name);
        }

        @Override
        public String toString() {
            return name != null ? "'" + name + "'" : "#" + index;
        }
    }

    /** How the time column is written. */
    public record TimeFormat(Kind kind, String pattern, DateTimeFormatter formatter) {
        public enum Kind {
            UNIX_SECONDS,
            UNIX_MILLIS,
            ISO_INSTANT,
            PATTERN
        }

        static TimeFormat parse(String text) {
            switch (text) {
                case "unix-seconds":
                    return new TimeFormat(Kind.UNIX_SECONDS, text, null);
                case "unix-millis":
                    return new TimeFormat(Kind.UNIX_MILLIS, text, null);
                case "iso-instant":
                    return new TimeFormat(Kind.ISO_INSTANT, text, null);
                default:
                    return new TimeFormat(Kind.PATTERN, text, DateTimeFormatter.ofPattern(text, java.util.Locale.ROOT));
            }
        }

        /**
         * Epoch milliseconds of a raw time value.
         *
         * @param zone the zone of pattern times that name none
         * @throws DateTimeException or NumberFormatException when the value does not fit the format
         */
        public long toEpochMilli(String value, ZoneId zone) {
            switch (kind) {
                case UNIX_SECONDS:
                    return value.indexOf('.') < 0
                            ? Math.multiplyExact(Long.parseLong(value), 1000L)
                            : new java.math.BigDecimal(value).movePointRight(3).setScale(0, java.math.RoundingMode.FLOOR)
                                    .longValueExact();
                case UNIX_MILLIS:
                    return Long.parseLong(value);
                case ISO_INSTANT:
                    return OffsetDateTime.parse(value).toInstant().toEpochMilli();
                case PATTERN:
                    TemporalAccessor t = formatter.withZone(zone).parse(value);
                    if (!t.isSupported(ChronoField.INSTANT_SECONDS)) {
                        throw new DateTimeException("pattern '" + pattern + "' does not give a date and a time");
                    }
                    return Instant.from(t).toEpochMilli();
                default:
                    throw new AssertionError(kind);
            }
        }
    }

    /** A mapping entry that cannot be used; the message names the data set and the key. */
    public static final class MappingException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        MappingException(String dataset, String key, String problem) {
            super("dataset '" + dataset + "', key '" + key + "': " + problem);
        }
    }

    private static final Set<String> KEYS = Set.of(
            "description", "files", "header", "delimiter", "quote", "columns", "category-path-separator",
            "time-format", "time-zone", "time-window", "clean", "event-types", "currency", "channel");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    /** The column a field comes from, null when unmapped. */
    public ColumnRef column(Field field) {
        return columns.get(field);
    }

    /** Whether {@code epochMilli} lies in the time window (always true without one). */
    public boolean inWindow(long epochMilli) {
        return (windowFrom == null || epochMilli >= windowFrom.toEpochMilli())
                && (windowTo == null || epochMilli < windowTo.toEpochMilli());
    }

    /** Trims and cleans a raw value of a field. */
    public String clean(Field field, String raw) {
        String v = raw.strip();
        List<Cleaning> steps = clean.get(field);
        if (steps != null) {
            for (Cleaning c : steps) {
                v = c.apply(v);
            }
        }
        return v;
    }

    /** Reads one entry of {@code datasets.yaml}. */
    public static DatasetMapping fromYaml(String name, JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new MappingException(name, "", "expected a mapping of keys, got " + kind(node));
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new MappingException(name, key, "unknown key; known keys are " + new java.util.TreeSet<>(KEYS));
            }
        }
        String description = optionalText(name, node, "description", "");
        List<String> files = files(name, node.get("files"));
        boolean header = bool(name, node.get("header"), "header");
        char delimiter = character(name, node, "delimiter", ',');
        char quote = character(name, node, "quote", '"');
        if (quote == delimiter) {
            throw new MappingException(name, "quote", "must differ from the delimiter");
        }
        Map<Field, ColumnRef> columns = columns(name, node.get("columns"), header);
        String separator = optionalText(name, node, "category-path-separator", ".");
        if (separator.isEmpty()) {
            throw new MappingException(name, "category-path-separator", "must not be empty");
        }
        String timeFormatText = requiredText(name, node, "time-format");
        TimeFormat timeFormat;
        try {
            timeFormat = TimeFormat.parse(timeFormatText);
        } catch (IllegalArgumentException e) {
            throw new MappingException(name, "time-format", "'" + timeFormatText
                    + "' is neither unix-seconds, unix-millis, iso-instant nor a date-time pattern (" + e.getMessage() + ")");
        }
        ZoneId zone;
        String zoneText = optionalText(name, node, "time-zone", "UTC");
        try {
            zone = ZoneId.of(zoneText);
        } catch (DateTimeException e) {
            throw new MappingException(name, "time-zone", "'" + zoneText + "' is not a time zone id like UTC or Europe/Berlin");
        }
        Instant from = null;
        Instant to = null;
        JsonNode window = node.get("time-window");
        if (window != null && !window.isNull()) {
            if (!window.isObject()) {
                throw new MappingException(name, "time-window", "expected {from, to}, got " + kind(window));
            }
            for (Iterator<String> it = window.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!key.equals("from") && !key.equals("to")) {
                    throw new MappingException(name, "time-window." + key, "unknown key; expected from and to");
                }
            }
            from = instant(name, window, "from");
            to = instant(name, window, "to");
            if (from != null && to != null && !from.isBefore(to)) {
                throw new MappingException(name, "time-window", "from " + from + " is not before to " + to);
            }
        }
        Map<Field, List<Cleaning>> clean = clean(name, node.get("clean"), columns);
        Map<String, Action> eventTypes = eventTypes(name, node.get("event-types"));
        String currency = optionalText(name, node, "currency", "EUR");
        if (!CURRENCY.matcher(currency).matches()) {
            throw new MappingException(name, "currency", "'" + currency + "' is not an ISO 4217 code like EUR");
        }
        String channelText = optionalText(name, node, "channel", "web");
        Channel channel = Channel.BY_WIRE.get(channelText);
        if (channel == null) {
            throw new MappingException(name, "channel", "'" + channelText + "' is not one of " + Channel.BY_WIRE.keySet());
        }
        return new DatasetMapping(name, description, files, header, delimiter, quote, columns, separator, timeFormat,
                zone, from, to, clean, eventTypes, currency, channel);
    }

    private static List<String> files(String name, JsonNode node) {
        if (node == null || node.isNull()) {
            throw new MappingException(name, "files", "missing: list the CSV files relative to the datasets folder");
        }
        if (!node.isArray() || node.isEmpty()) {
            throw new MappingException(name, "files", "expected a non-empty list of file names, got " + kind(node));
        }
        List<String> files = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode f = node.get(i);
            if (!f.isTextual() || f.textValue().isBlank()) {
                throw new MappingException(name, "files[" + i + "]", "expected a file name, got " + kind(f));
            }
            String file = f.textValue();
            if (file.startsWith("/") || file.contains("..")) {
                throw new MappingException(name, "files[" + i + "]", "'" + file + "' must be relative to the datasets folder");
            }
            files.add(file);
        }
        return files;
    }

    private static Map<Field, ColumnRef> columns(String name, JsonNode node, boolean header) {
        if (node == null || !node.isObject()) {
            throw new MappingException(name, "columns", node == null ? "missing" : "expected a mapping, got " + kind(node));
        }
        Map<Field, ColumnRef> columns = new EnumMap<>(Field.class);
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String key = "columns." + e.getKey();
            Field field = Field.byKey(e.getKey());
            if (field == null) {
                List<String> known = new ArrayList<>();
                for (Field f : Field.values()) {
                    known.add(f.key);
                }
                throw new MappingException(name, key, "unknown field; known fields are " + known);
            }
            JsonNode v = e.getValue();
            if (v.isInt()) {
                if (v.intValue() < 0) {
                    throw new MappingException(name, key, "column index " + v.intValue() + " is negative (indexes start at 0)");
                }
                columns.put(field, ColumnRef.of(v.intValue()));
            } else if (v.isTextual() && !v.textValue().isBlank()) {
                if (!header) {
                    throw new MappingException(name, key, "column name '" + v.textValue()
                            + "' needs header: true; give a 0-based index instead");
                }
                columns.put(field, ColumnRef.of(v.textValue()));
            } else {
                throw new MappingException(name, key, "expected a 0-based column index or a header name, got " + kind(v));
            }
        }
        for (Field f : Field.values()) {
            if (f.required && !columns.containsKey(f)) {
                throw new MappingException(name, "columns." + f.key, "missing: every data set maps customer, item, event-type and time");
            }
        }
        return columns;
    }

    private static Map<Field, List<Cleaning>> clean(String name, JsonNode node, Map<Field, ColumnRef> columns) {
        Map<Field, List<Cleaning>> clean = new EnumMap<>(Field.class);
        if (node == null || node.isNull()) {
            return clean;
        }
        if (!node.isObject()) {
            throw new MappingException(name, "clean", "expected a mapping of column key to steps, got " + kind(node));
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String key = "clean." + e.getKey();
            Field field = Field.byKey(e.getKey());
            if (field == null || !columns.containsKey(field)) {
                throw new MappingException(name, key, "not a mapped column key; mapped: " + keys(columns.keySet()));
            }
            JsonNode steps = e.getValue();
            List<JsonNode> list = new ArrayList<>();
            if (steps.isArray()) {
                steps.forEach(list::add);
            } else {
                list.add(steps);
            }
            List<Cleaning> cleanings = new ArrayList<>();
            for (JsonNode s : list) {
                Cleaning c = s.isTextual() ? Cleaning.byKey(s.textValue()) : null;
                if (c == null) {
                    List<String> known = new ArrayList<>();
                    for (Cleaning k : Cleaning.values()) {
                        known.add(k.key);
                    }
                    throw new MappingException(name, key, "unknown step " + s + "; known steps are " + known);
                }
                cleanings.add(c);
            }
            clean.put(field, List.copyOf(cleanings));
        }
        return clean;
    }

    private static Map<String, Action> eventTypes(String name, JsonNode node) {
        if (node == null || !node.isObject() || node.isEmpty()) {
            throw new MappingException(name, "event-types", node == null
                    ? "missing: map each raw event type to view, click, add_to_cart, remove_from_cart, wishlist or order"
                    : "expected a non-empty mapping of raw type to action, got " + kind(node));
        }
        Map<String, Action> types = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode v = e.getValue();
            Action a = v.isTextual() ? Action.byWire(v.textValue()) : null;
            if (a == null) {
                List<String> known = new ArrayList<>();
                for (Action k : Action.values()) {
                    known.add(k.wire);
                }
                throw new MappingException(name, "event-types." + e.getKey(), "unknown action " + v + "; expected one of "
                        + known + (v.isTextual() && v.textValue().equals("search") ? " (search needs a query, which no row has)" : ""));
            }
            types.put(e.getKey(), a);
        }
        return types;
    }

    private static Instant instant(String name, JsonNode window, String key) {
        JsonNode v = window.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new MappingException(name, "time-window." + key, "expected an ISO-8601 time with offset, got " + kind(v));
        }
        try {
            return OffsetDateTime.parse(v.textValue()).toInstant();
        } catch (DateTimeParseException e) {
            throw new MappingException(name, "time-window." + key, "'" + v.textValue()
                    + "' is not an ISO-8601 time with offset like 2017-11-25T00:00:00+08:00");
        }
    }

    private static boolean bool(String name, JsonNode v, String key) {
        if (v == null || v.isNull()) {
            throw new MappingException(name, key, "missing: true if the files start with a header line, else false");
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual()) {
            switch (v.textValue().toLowerCase(java.util.Locale.ROOT)) {
                case "yes":
                case "true":
                    return true;
                case "no":
                case "false":
                    return false;
                default:
                    break;
            }
        }
        throw new MappingException(name, key, "expected true or false, got " + kind(v));
    }

    private static char character(String name, JsonNode node, String key, char dflt) {
        String s = optionalText(name, node, key, String.valueOf(dflt));
        if (s.length() != 1 || s.charAt(0) == '\n' || s.charAt(0) == '\r') {
            throw new MappingException(name, key, "expected one character, got '" + s + "'");
        }
        return s.charAt(0);
    }

    private static String requiredText(String name, JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw new MappingException(name, key, "missing");
        }
        return optionalText(name, node, key, null);
    }

    private static String optionalText(String name, JsonNode node, String key, String dflt) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isTextual()) {
            throw new MappingException(name, key, "expected a string, got " + kind(v));
        }
        return v.textValue();
    }

    private static List<String> keys(Set<Field> fields) {
        List<String> keys = new ArrayList<>();
        for (Field f : fields) {
            keys.add(f.key);
        }
        return keys;
    }

    private static String kind(JsonNode v) {
        if (v == null || v.isNull()) {
            return "nothing";
        }
        if (v.isValueNode()) {
            return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + v;
        }
        return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
