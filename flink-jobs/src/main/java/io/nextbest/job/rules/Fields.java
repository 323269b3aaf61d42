package io.nextbest.job.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.nextbest.schemas.DidYouMean;
import io.nextbest.schemas.DeadLetterReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads the fields of one JSON object of a rule (the definition) strictly, with messages of the form
 * {@code definition.days: must be an integer 1..3650, got -3}. A missing, unknown or mistyped field is a
 * {@code schema_violation}; a value of the right type out of its range an {@code invalid_value}.
 */
public final class Fields {
    /** Longest rendering of a bad value in a message. */
    private static final int MAX_SHOWN = 60;

    private final String ruleId;
    private final JsonNode node;
    private final String path;

    public Fields(String ruleId, JsonNode node, String path) {
        this.ruleId = ruleId;
        this.node = node;
        this.path = path;
    }

    /** A check of one string value: null if fine, else what is wrong (shown after the expectation). */
    public interface StringCheck {
        String problem(String value);
    }

    /** The {@code type} discriminator: required, one of {@code types}. */
    public String type(String of, List<String> types) throws RuleException {
        String expectation = "one of " + String.join(", ", types);
        JsonNode v = node.get("type");
        if (v == null) {
            throw schema("type", "missing, " + of + " needs a type, " + expectation);
        }
        if (!v.isTextual() || !types.contains(v.textValue())) {
            String hint = v.isTextual() ? DidYouMean.hint(v.textValue(), types, 3) : "";
            throw schema("type", "must be " + expectation + ", got " + shown(v) + hint);
        }
        return v.textValue();
    }

    /** Rejects the first field not among {@code known}; {@code what} names the object, e.g. "a bought-within filter". */
    public void only(String what, String... known) throws RuleException {
        List<String> names = Arrays.asList(known);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!names.contains(name)) {
                throw schema(name, "unknown field of " + what + " (known: " + String.join(", ", names) + ")"
                        + DidYouMean.hint(name, names, 3));
            }
        }
    }

    public boolean has(String name) {
        return node.get(name) != null;
    }

    /** A nested object, as fields of its own (its path under this one); null when absent and not required. */
    public Fields object(String name, boolean required) throws RuleException {
        JsonNode v = node.get(name);
        if (v == null) {
            if (required) {
                throw schema(name, "missing, must be an object");
            }
            return null;
        }
        if (!v.isObject()) {
            throw schema(name, "must be an object, got " + shown(v));
        }
        return new Fields(ruleId, v, path + "." + name);
    }

    /** A required list of 1..{@code maxItems} objects, each as fields of its own ({@code name[i]}). */
    public List<Fields> objects(String name, int maxItems) throws RuleException {
        JsonNode v = node.get(name);
        if (v == null) {
            throw schema(name, "missing, must be a list of objects");
        }
        if (!v.isArray()) {
            throw schema(name, "must be a list of objects, got " + shown(v));
        }
        if (v.isEmpty() || v.size() > maxItems) {
            throw invalid(name, "must list 1.." + maxItems + " objects, got " + v.size());
        }
        List<Fields> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isObject()) {
                throw schema(name + "[" + i + "]", "must be an object, got " + shown(v.get(i)));
            }
            out.add(new Fields(ruleId, v.get(i), path + "." + name + "[" + i + "]"));
        }
        return out;
    }

    /** The field names of this object, in order. */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** An optional boolean; null when absent. */
    public Boolean bool(String name) throws RuleException {
        JsonNode v = node.get(name);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            throw schema(name, "must be true or false, got " + shown(v));
        }
        return v.booleanValue();
    }

    /** The path of this object, e.g. {@code eligibility.any[1]}. */
    public String path() {
        return path;
    }

    /** A field's value as text (a number or a string as written), for settings parsed by their own option. */
    public String text(String name) throws RuleException {
        JsonNode v = node.get(name);
        if (v == null || !(v.isNumber() || v.isTextual() || v.isBoolean())) {
            throw schema(name, "must be a number, a string or a boolean, got " + (v == null ? "nothing" : shown(v)));
        }
        return v.isTextual() ? v.textValue() : v.asText();
    }

    /** A required integer in {@code min..max}; like JSON Schema, 30.0 is an integer. */
    public int integer(String name, int min, int max) throws RuleException {
        String expectation = "an integer " + min + ".." + max;
        JsonNode v = node.get(name);
        if (v == null) {
            throw schema(name, "missing, must be " + expectation);
        }
        boolean whole = v.isIntegralNumber() || (v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue()));
        if (!whole) {
            throw schema(name, "must be " + expectation + ", got " + shown(v));
        }
        if (!v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw invalid(name, "must be " + expectation + ", got " + shown(v));
        }
        return (int) v.longValue();
    }

    /** A number in {@code min..max} described by {@code expectation}; null when absent and not required. */
    public Double number(String name, double min, double max, String expectation, boolean required) throws RuleException {
        JsonNode v = node.get(name);
        if (v == null) {
            if (required) {
                throw schema(name, "missing, must be " + expectation);
            }
            return null;
        }
        if (!v.isNumber()) {
            throw schema(name, "must be " + expectation + ", got " + shown(v));
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d) || d < min || d > max) {
            throw invalid(name, "must be " + expectation + ", got " + shown(v));
        }
        return d;
    }

    /** A required string passing {@code check}. */
    public String string(String name, String expectation, StringCheck check) throws RuleException {
        JsonNode v = node.get(name);
        if (v == null) {
            throw schema(name, "missing, must be " + expectation);
        }
        return checked(name, v, expectation, check);
    }

    /**
     * An optional list of 1..{@code maxItems} distinct strings, each passing {@code check}; null when absent.
     * {@code noun} names one element ("item id"), {@code expectation} describes one in full.
     */
    public List<String> strings(String name, String noun, int maxItems, String expectation, StringCheck check)
            throws RuleException {
        JsonNode v = node.get(name);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            throw schema(name, "must be a list of " + noun + "s, got " + shown(v));
        }
        if (v.isEmpty()) {
            throw invalid(name, "must list at least one " + noun + " (or be left out), got []");
        }
        if (v.size() > maxItems) {
            throw invalid(name, "must list at most " + maxItems + " " + noun + "s, got " + v.size());
        }
        List<String> out = new ArrayList<>(v.size());
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < v.size(); i++) {
            String element = name + "[" + i + "]";
            String s = checked(element, v.get(i), expectation, check);
            Integer first = seen.putIfAbsent(s, i);
            if (first != null) {
                throw invalid(element, "duplicate of " + name + "[" + first + "] " + quoted(s));
            }
            out.add(s);
        }
        return out;
    }

    private String checked(String name, JsonNode v, String expectation, StringCheck check) throws RuleException {
        if (!v.isTextual()) {
            throw schema(name, "must be " + expectation + ", got " + shown(v));
        }
        String problem = check.problem(v.textValue());
        if (problem != null) {
            throw invalid(name, "must be " + expectation + ", got " + shown(v) + " (" + problem + ")");
        }
        return v.textValue();
    }

    public RuleException schema(String name, String message) {
        return new RuleException(ruleId, DeadLetterReason.SCHEMA_VIOLATION, at(name) + message);
    }

    public RuleException invalid(String name, String message) {
        return new RuleException(ruleId, DeadLetterReason.INVALID_VALUE, at(name) + message);
    }

    /** The object itself, e.g. for "needs min, max or both". */
    public RuleException schemaOfObject(String message) {
        return new RuleException(ruleId, DeadLetterReason.SCHEMA_VIOLATION, path + ": " + message);
    }

    private String at(String name) {
        return path + "." + name + ": ";
    }

    /** The value as JSON, cut to {@value #MAX_SHOWN} characters. */
    public static String shown(JsonNode v) {
        String s = v.toString();
        return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN - 1) + "…";
    }

    public static String quoted(String s) {
        String q = "\"" + s + "\"";
        return q.length() <= MAX_SHOWN ? q : q.substring(0, MAX_SHOWN - 1) + "…";
    }
}
