package io.nextbest.schemas;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the fields of one JSON object the way its schema in {@code schemas/} describes them, and
 * says precisely what is wrong when a field breaks the contract. The decoders of the input topics
 * are written with it; {@code DecoderAgreesWithSchemaTest} checks that they accept and reject the
 * same examples as the JSON Schemas.
 */
public final class MessageReader {
    // Patterns are used with matches(), which must consume the whole input: unlike find() with '$', a
    // trailing line terminator never matches (the schemas' patterns anchor '$' at the end of input too).
    private static final Pattern TIME =
            Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?Z");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final int MAX_ID = 128;

    /**
     * The days whose last UTC minute had a 61st second (IERS), the only times at which RFC 3339 (and so the
     * schemas' {@code date-time} format) allows a seconds value of 60. None has been announced since.
     */
    private static final Set<LocalDate> LEAP_SECOND_DAYS = Set.of(
            LocalDate.of(1972, 6, 30), LocalDate.of(1972, 12, 31), LocalDate.of(1973, 12, 31),
            LocalDate.of(1974, 12, 31), LocalDate.of(1975, 12, 31), LocalDate.of(1976, 12, 31),
            LocalDate.of(1977, 12, 31), LocalDate.of(1978, 12, 31), LocalDate.of(1979, 12, 31),
            LocalDate.of(1981, 6, 30), LocalDate.of(1982, 6, 30), LocalDate.of(1983, 6, 30),
            LocalDate.of(1985, 6, 30), LocalDate.of(1987, 12, 31), LocalDate.of(1989, 12, 31),
            LocalDate.of(1990, 12, 31), LocalDate.of(1992, 6, 30), LocalDate.of(1993, 6, 30),
            LocalDate.of(1994, 6, 30), LocalDate.of(1995, 12, 31), LocalDate.of(1997, 6, 30),
            LocalDate.of(1998, 12, 31), LocalDate.of(2005, 12, 31), LocalDate.of(2008, 12, 31),
            LocalDate.of(2012, 6, 30), LocalDate.of(2015, 6, 30), LocalDate.of(2016, 12, 31));

    /**
     * Reads exactly one JSON value, like the schema validator: a repeated field name or anything after the
     * value (a second object, garbage) is not JSON.
     */
    private static final ObjectReader READER = Json.MAPPER.reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final JsonNode node;
    private final String path;
    private final Set<String> known = new HashSet<>();

    private MessageReader(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** Parses the bytes; anything but one JSON object is {@link DeadLetterReason#NOT_JSON}. */
    public static MessageReader parse(byte[] value) throws InvalidMessageException {
        if (value == null) {
            throw new InvalidMessageException(DeadLetterReason.NOT_JSON, "record has no value");
        }
        JsonNode tree;
        try {
            tree = READER.readTree(value);
        } catch (JsonProcessingException e) {
            throw new InvalidMessageException(
                    DeadLetterReason.NOT_JSON, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidMessageException(DeadLetterReason.NOT_JSON, "unreadable: " + e.getMessage());
        }
        if (tree == null || tree.isMissingNode()) {
            throw new InvalidMessageException(DeadLetterReason.NOT_JSON, "empty value");
        }
        if (!tree.isObject()) {
            throw new InvalidMessageException(
                    DeadLetterReason.NOT_JSON, "expected a JSON object, got " + tree.getNodeType().name().toLowerCase());
        }
        return new MessageReader(tree, "");
    }

    public boolean has(String name) {
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    /** A required id; its absence is {@link DeadLetterReason#MISSING_ID}. */
    public String requiredId(String name) throws InvalidMessageException {
        String v = optionalId(name);
        if (v == null) {
            throw new InvalidMessageException(DeadLetterReason.MISSING_ID, "missing " + at(name));
        }
        return v;
    }

    public String optionalId(String name) throws InvalidMessageException {
        String v = optionalString(name, 1, MAX_ID);
        if (v != null) {
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c < 0x20 || c == 0x7f) {
                    throw violation(at(name) + " contains a control character");
                }
            }
        }
        return v;
    }

    public String requiredString(String name, int minLength, int maxLength) throws InvalidMessageException {
        return required(name, optionalString(name, minLength, maxLength));
    }

    public String optionalString(String name, int minLength, int maxLength) throws InvalidMessageException {
        JsonNode v = field(name);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw violation(at(name) + " must be a string");
        }
        String s = v.textValue();
        int length = s.codePointCount(0, s.length());
        if (length < minLength || length > maxLength) {
            throw violation(at(name) + " must have " + minLength + ".." + maxLength + " characters, has " + length);
        }
        return s;
    }

    /** The {@code type} field: an unknown value is {@link DeadLetterReason#UNKNOWN_TYPE}. */
    public <E> E type(Map<String, E> byWireName) throws InvalidMessageException {
        String wire = requiredString("type", 1, 64);
        E e = byWireName.get(wire);
        if (e == null) {
            throw new InvalidMessageException(
                    DeadLetterReason.UNKNOWN_TYPE, "unknown type '" + wire + "', expected one of " + byWireName.keySet());
        }
        return e;
    }

    public <E> E requiredEnum(String name, Map<String, E> byWireName) throws InvalidMessageException {
        return required(name, optionalEnum(name, byWireName));
    }

    public <E> E optionalEnum(String name, Map<String, E> byWireName) throws InvalidMessageException {
        String wire = optionalString(name, 1, 64);
        if (wire == null) {
            return null;
        }
        E e = byWireName.get(wire);
        if (e == null) {
            throw violation(at(name) + " '" + wire + "' is not one of " + byWireName.keySet());
        }
        return e;
    }

    public Instant requiredTime(String name) throws InvalidMessageException {
        return required(name, optionalTime(name));
    }

    public Instant optionalTime(String name) throws InvalidMessageException {
        String s = optionalString(name, 1, 64);
        if (s == null) {
            return null;
        }
        Matcher m = TIME.matcher(s);
        if (!m.matches()) {
            throw violation(at(name) + " '" + s + "' is not an ISO-8601 UTC time like 2026-11-23T15:12:00Z");
        }
        int hour = Integer.parseInt(m.group(4));
        int minute = Integer.parseInt(m.group(5));
        int second = Integer.parseInt(m.group(6));
        try {
            LocalDate day = LocalDate.of(
                    Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            boolean leapSecond = second == 60 && hour == 23 && minute == 59 && LEAP_SECOND_DAYS.contains(day);
            if (hour > 23 || minute > 59 || (second > 59 && !leapSecond)) {
                throw violation(at(name) + " '" + s + "' is not a valid time of day");
            }
            // computed from the fields (DateTimeFormatter was a third of the decoding time);
            // a leap second reads as the second before it, as Instant.parse has it
            long seconds = day.toEpochDay() * 86_400L + hour * 3_600L + minute * 60L + Math.min(second, 59);
            String fraction = m.group(7);
            long nanos = 0;
            if (fraction != null) {
                nanos = Long.parseLong(fraction);
                for (int i = fraction.length(); i < 9; i++) {
                    nanos *= 10;
                }
            }
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (DateTimeException e) { // invalid date (Feb 30) or unparsable
            throw violation(at(name) + " '" + s + "' is not a valid time");
        }
    }

    public int requiredInt(String name, int min, int max) throws InvalidMessageException {
        return required(name, optionalInt(name, min, max));
    }

    /** An integer; out of range is {@link DeadLetterReason#INVALID_VALUE} (e.g. a negative quantity). */
    public Integer optionalInt(String name, int min, int max) throws InvalidMessageException {
        Long v = optionalLong(name, min, max);
        return v == null ? null : v.intValue();
    }

    public long requiredLong(String name, long min, long max) throws InvalidMessageException {
        return required(name, optionalLong(name, min, max));
    }

    /**
     * An integer. Like JSON Schema's {@code integer}, a number with a zero fraction (such as {@code 2.0}) is
     * one. Out of range, or beyond a 64-bit integer, is {@link DeadLetterReason#INVALID_VALUE}.
     */
    public Long optionalLong(String name, long min, long max) throws InvalidMessageException {
        JsonNode v = field(name);
        if (v == null) {
            return null;
        }
        boolean wholeNumber = v.isIntegralNumber()
                || (v.isNumber() && Double.isFinite(v.doubleValue()) && v.doubleValue() == Math.rint(v.doubleValue()));
        if (!wholeNumber) {
            if (v.isNumber() && !Double.isFinite(v.doubleValue())) {
                throw new InvalidMessageException(
                        DeadLetterReason.INVALID_VALUE, at(name) + " is " + v.asText() + ", must be an integer");
            }
            throw violation(at(name) + " must be an integer");
        }
        if (!v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw new InvalidMessageException(
                    DeadLetterReason.INVALID_VALUE, at(name) + " is " + v.asText() + ", must be in " + min + ".." + max);
        }
        return v.longValue();
    }

    public double requiredMoney(String name) throws InvalidMessageException {
        return required(name, optionalMoney(name));
    }

    /** A non-negative finite amount; NaN, infinite or negative is {@link DeadLetterReason#INVALID_VALUE}. */
    public Double optionalMoney(String name) throws InvalidMessageException {
        return optionalNumber(name, 0, Double.MAX_VALUE);
    }

    public Double optionalNumber(String name, double min, double max) throws InvalidMessageException {
        JsonNode v = field(name);
        if (v == null) {
            return null;
        }
        if (!v.isNumber()) {
            throw violation(at(name) + " must be a number");
        }
        double d = v.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d) || d < min || d > max) {
            throw new InvalidMessageException(
                    DeadLetterReason.INVALID_VALUE, at(name) + " is " + v.asText() + ", must be a number in " + min + ".." + max);
        }
        return d;
    }

    public String requiredCurrency(String name) throws InvalidMessageException {
        String c = requiredString(name, 3, 3);
        if (!CURRENCY.matcher(c).matches()) {
            throw violation(at(name) + " '" + c + "' is not an ISO 4217 code like EUR");
        }
        return c;
    }

    public boolean requiredBoolean(String name) throws InvalidMessageException {
        return required(name, optionalBoolean(name));
    }

    public Boolean optionalBoolean(String name) throws InvalidMessageException {
        JsonNode v = field(name);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            throw violation(at(name) + " must be true or false");
        }
        return v.booleanValue();
    }

    /** Strings of an array; {@code unique} rejects repeats. */
    public List<String> optionalStrings(String name, int minItems, int maxItems, int minLength, int maxLength, boolean unique)
            throws InvalidMessageException {
        List<MessageReader> items = optionalArray(name, minItems, maxItems, n -> n.isTextual(), "strings");
        if (items == null) {
            return null;
        }
        List<String> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            String s = items.get(i).node.textValue();
            int length = s.codePointCount(0, s.length());
            if (length < minLength || length > maxLength) {
                throw violation(at(name) + "[" + i + "] must have " + minLength + ".." + maxLength + " characters");
            }
            if (unique && out.contains(s)) {
                throw violation(at(name) + " repeats '" + s + "'");
            }
            out.add(s);
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Enum values of an array, by their wire names; {@code unique} rejects repeats. An unknown value is a
     * {@link DeadLetterReason#SCHEMA_VIOLATION}, as in {@link #optionalEnum}.
     */
    public <E> List<E> optionalEnums(String name, int minItems, int maxItems, Map<String, E> byWireName, boolean unique)
            throws InvalidMessageException {
        List<MessageReader> items = optionalArray(name, minItems, maxItems, n -> n.isTextual(), "strings");
        if (items == null) {
            return null;
        }
        List<E> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            String wire = items.get(i).node.textValue();
            E e = byWireName.get(wire);
            if (e == null) {
                throw violation(at(name) + "[" + i + "] '" + wire + "' is not one of " + byWireName.keySet());
            }
            if (unique && out.contains(e)) {
                throw violation(at(name) + " repeats '" + wire + "'");
            }
            out.add(e);
        }
        return Collections.unmodifiableList(out);
    }

    public <E> List<E> requiredEnums(String name, int minItems, int maxItems, Map<String, E> byWireName, boolean unique)
            throws InvalidMessageException {
        return required(name, optionalEnums(name, minItems, maxItems, byWireName, unique));
    }

    /** Objects of an array, each as a reader of its own. */
    public List<MessageReader> requiredObjects(String name, int minItems, int maxItems) throws InvalidMessageException {
        return required(name, optionalArray(name, minItems, maxItems, JsonNode::isObject, "objects"));
    }

    /**
     * An object-valued field, kept as a tree (for open objects such as rule definitions). Its content is
     * free, but must be JSON: a NaN or infinite number anywhere in it is {@link DeadLetterReason#INVALID_VALUE}.
     */
    public JsonNode requiredObjectTree(String name) throws InvalidMessageException {
        return required(name, optionalObjectTree(name));
    }

    /** Like {@link #requiredObjectTree}, for an open object that may be left out. */
    public JsonNode optionalObjectTree(String name) throws InvalidMessageException {
        JsonNode v = field(name);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            throw violation(at(name) + " must be an object");
        }
        rejectNonFiniteNumbers(v, at(name));
        return v;
    }

    private static void rejectNonFiniteNumbers(JsonNode node, String where) throws InvalidMessageException {
        if (node.isNumber()) {
            if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
                throw new InvalidMessageException(
                        DeadLetterReason.INVALID_VALUE, where + " holds " + node.asText() + ", not a finite number");
            }
        } else if (node.isContainerNode()) {
            for (JsonNode child : node) {
                rejectNonFiniteNumbers(child, where);
            }
        }
    }

    /** Rejects fields the reader has not asked for: the schemas close their objects. */
    public void rejectUnknownFields() throws InvalidMessageException {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!known.contains(n)) {
                throw violation("unknown field " + at(n));
            }
        }
    }

    /** Marks a field as allowed without reading it. */
    public void allow(String... names) {
        Collections.addAll(known, names);
    }

    /** A field that must be absent for this message type. */
    public void forbid(String name, String because) throws InvalidMessageException {
        known.add(name);
        if (node.has(name)) {
            throw violation(at(name) + " is not allowed " + because);
        }
    }

    public InvalidMessageException violation(String detail) {
        return new InvalidMessageException(DeadLetterReason.SCHEMA_VIOLATION, detail);
    }

    private List<MessageReader> optionalArray(
            String name, int minItems, int maxItems, Function<JsonNode, Boolean> itemOk, String what)
            throws InvalidMessageException {
        JsonNode v = field(name);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            throw violation(at(name) + " must be an array of " + what);
        }
        if (v.size() < minItems || v.size() > maxItems) {
            throw violation(at(name) + " must have " + minItems + ".." + maxItems + " items, has " + v.size());
        }
        List<MessageReader> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (!itemOk.apply(item)) {
                throw violation(at(name) + "[" + i + "] must be one of " + what);
            }
            out.add(new MessageReader(item, at(name) + "[" + i + "]."));
        }
        return out;
    }

    private JsonNode field(String name) throws InvalidMessageException {
        known.add(name);
        JsonNode v = node.get(name);
        if (v == null) {
            return null;
        }
        if (v.isNull()) {
            throw violation(at(name) + " is null; leave the field out instead");
        }
        return v;
    }

    private <V> V required(String name, V value) throws InvalidMessageException {
        if (value == null) {
            throw violation("missing required field " + at(name));
        }
        return value;
    }

    private String at(String name) {
        return "'" + path + name + "'";
    }

    /** For codecs that need the raw tree (e.g. rules). */
    ObjectNode tree() {
        return (ObjectNode) node;
    }
}
