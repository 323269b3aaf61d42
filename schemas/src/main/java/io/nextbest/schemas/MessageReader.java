package io.nextbest.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the fields of one JSON object the way its schema in {@code schemas/} describes them, and
 * says precisely what is wrong when a field breaks the contract. The decoders of the input topics
 * are written with it; {@code DecoderAgreesWithSchemaTest} checks that they accept and reject the
 * same examples as the JSON Schemas.
 */
public final class MessageReader {
    private static final Pattern TIME =
            Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z$");
    private static final Pattern CURRENCY = Pattern.compile("^[A-Z]{3}$");
    private static final int MAX_ID = 128;

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
            tree = Json.MAPPER.readTree(value);
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
        if (!TIME.matcher(s).matches()) {
            throw violation(at(name) + " '" + s + "' is not an ISO-8601 UTC time like 2026-11-23T15:12:00Z");
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw violation(at(name) + " '" + s + "' is not a valid time");
        }
    }

    public int requiredInt(String name, long min, long max) throws InvalidMessageException {
        return required(name, optionalInt(name, min, max));
    }

    /** An integer; out of range is {@link DeadLetterReason#INVALID_VALUE} (e.g. a negative quantity). */
    public Integer optionalInt(String name, long min, long max) throws InvalidMessageException {
        JsonNode v = field(name);
        if (v == null) {
            return null;
        }
        boolean wholeNumber = v.isIntegralNumber()
                || (v.isNumber() && Double.isFinite(v.doubleValue()) && v.doubleValue() == Math.rint(v.doubleValue()));
        if (!wholeNumber) {
            throw violation(at(name) + " must be an integer");
        }
        if (!v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw new InvalidMessageException(
                    DeadLetterReason.INVALID_VALUE, at(name) + " is " + v.asText() + ", must be in " + min + ".." + max);
        }
        return (int) v.longValue();
    }

    public long requiredLong(String name, long min) throws InvalidMessageException {
        JsonNode v = required(name, field(name));
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw violation(at(name) + " must be an integer");
        }
        if (v.longValue() < min) {
            throw new InvalidMessageException(DeadLetterReason.INVALID_VALUE, at(name) + " must be ≥ " + min);
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

    /** Objects of an array, each as a reader of its own. */
    public List<MessageReader> requiredObjects(String name, int minItems, int maxItems) throws InvalidMessageException {
        return required(name, optionalArray(name, minItems, maxItems, JsonNode::isObject, "objects"));
    }

    /** An object-valued field, kept as a tree (for open objects such as rule definitions). */
    public JsonNode requiredObjectTree(String name) throws InvalidMessageException {
        JsonNode v = required(name, field(name));
        if (!v.isObject()) {
            throw violation(at(name) + " must be an object");
        }
        return v;
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
