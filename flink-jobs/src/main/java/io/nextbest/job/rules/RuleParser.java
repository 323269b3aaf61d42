package io.nextbest.job.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.nextbest.job.rules.ParsedRule.Envelope;
import io.nextbest.schemas.DeadLetterReason;
import io.nextbest.schemas.messages.Rule;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns a decoded {@link Rule} message into a {@link ParsedRule}, validating what the JSON Schema leaves
 * open: the window, the segments and the kind's definition (format in {@code docs/rules.md}). Disabled
 * rules are validated like enabled ones, so a rule that is switched on later cannot fail then.
 */
public final class RuleParser {
    static final int MAX_DAYS = 3650;
    static final int MAX_LIST_SIZE = 100;
    static final double MAX_FACTOR = 100;
    /** Margin weights keep 1 + weight × margin in 0..{@value #MAX_FACTOR} for margins 0..1. */
    static final double MIN_WEIGHT = -1;
    static final double MAX_WEIGHT = MAX_FACTOR - 1;
    static final int MAX_ITEMS = 100_000;
    static final int MAX_CATEGORIES = 10_000;
    /** Like the catalog's {@code categoryPath}: 1..8 levels of 1..128 characters. */
    static final int MAX_LEVELS = 8;
    static final int MAX_LEVEL_LENGTH = 128;
    static final int MAX_ID_LENGTH = 128;
    static final int MAX_PLACEMENT_LENGTH = 64;

    static final List<String> FILTER_TYPES = List.of("bought-within", "price-range", "category", "do-not-recommend");
    static final List<String> BOOST_TYPES = List.of("margin", "promote");

    private static final String ITEM_ID = "an item id (1.." + MAX_ID_LENGTH + " characters, no control characters)";
    private static final String CATEGORY_PATH = "a category path like \"electronics/phones\" (1.." + MAX_LEVELS
            + " levels of 1.." + MAX_LEVEL_LENGTH + " characters, joined by '/')";
    private static final String PLACEMENT = "a placement name like \"home\" (1.." + MAX_PLACEMENT_LENGTH
            + " characters, no control characters)";
    private static final String SEGMENT = "a segment like \"tier:high\" (not empty)";

    private RuleParser() {}

    /** Parses and validates one rule message; throws RuleException with a clear reason. */
    public static ParsedRule parse(Rule rule) throws RuleException {
        Objects.requireNonNull(rule, "rule");
        Envelope envelope = envelope(rule);
        Fields d = new Fields(rule.ruleId(), rule.definition(), "definition");
        return switch (rule.kind()) {
            case FILTER -> filter(envelope, d);
            case BOOST -> boost(envelope, d);
            case PLACEMENT -> placement(envelope, d);
            case CONTACT -> new ContactRule(envelope, rule.definition());
            case EXPERIMENT -> experiment(envelope, d);
        };
    }

    private static Envelope envelope(Rule rule) throws RuleException {
        String id = rule.ruleId();
        if (id == null || id.isEmpty()) {
            throw new RuleException(null, DeadLetterReason.SCHEMA_VIOLATION, "ruleId: missing");
        }
        if (rule.kind() == null) {
            throw schema(id, "kind: missing, must be one of filter, boost, placement, contact, experiment");
        }
        JsonNode definition = rule.definition();
        if (definition == null || !definition.isObject()) {
            throw schema(id, "definition: must be an object, got " + (definition == null ? "nothing" : Fields.shown(definition)));
        }
        if (rule.updatedAt() == null) {
            throw schema(id, "updatedAt: missing");
        }
        if (rule.validFrom() != null && rule.validTo() != null && !rule.validTo().isAfter(rule.validFrom())) {
            throw new RuleException(id, DeadLetterReason.INVALID_VALUE, "validTo: must be after validFrom ("
                    + rule.validFrom() + "), got " + rule.validTo());
        }
        return new Envelope(id, rule.enabled(), rule.description(), rule.validFrom(), rule.validTo(),
                segments(id, rule.segments()), rule.updatedAt());
    }

    private static Set<String> segments(String id, List<String> segments) throws RuleException {
        if (segments == null) {
            return null;
        }
        if (segments.isEmpty()) {
            throw new RuleException(id, DeadLetterReason.INVALID_VALUE,
                    "segments: must list at least one segment (leave it out for every customer), got []");
        }
        Set<String> out = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String s = segments.get(i);
            if (s == null) {
                throw schema(id, "segments[" + i + "]: must be " + SEGMENT + ", got null");
            }
            if (s.isBlank()) {
                throw new RuleException(id, DeadLetterReason.INVALID_VALUE,
                        "segments[" + i + "]: must be " + SEGMENT + ", got " + Fields.quoted(s));
            }
            Integer first = seen.putIfAbsent(s, i);
            if (first != null) {
                throw new RuleException(id, DeadLetterReason.INVALID_VALUE,
                        "segments[" + i + "]: duplicate of segments[" + first + "] " + Fields.quoted(s));
            }
            out.add(s);
        }
        return out;
    }

    // ---- experiment ----

    static final int MAX_PLACEMENTS = 20;
    static final int MAX_VARIANTS = 10;
    static final double MAX_CONTROL_SHARE = 0.9;
    static final double MAX_VARIANT_WEIGHT = 1000;
    static final int MAX_PLANNED_CUSTOMERS = 1_000_000_000;
    /** The job settings a variant may override: the ones a single list is ranked with. */
    static final List<String> VARIANT_SETTINGS = List.of("ranking.weight.collaborative", "ranking.weight.content",
            "ranking.weight.trending", "exploration.share", "ranking.max-per-category", "ranking.category-overflow",
            "ranking.weight.click-through", "actions.strategy");
    private static final String VARIANT_NAME = "a variant name (1..64 letters, digits, - and _; not control or default)";

    private static ExperimentRule experiment(Envelope e, Fields d) throws RuleException {
        d.only("an experiment", "placements", "control", "variants", "plannedCustomers");
        if (e.validFrom() == null || e.validTo() == null) {
            throw new RuleException(e.ruleId(), DeadLetterReason.INVALID_VALUE, "validFrom and validTo: an experiment"
                    + " needs both (its start and its end), got " + (e.validFrom() == null ? "no validFrom" : "no validTo"));
        }
        List<String> placements = d.strings("placements", "placement", MAX_PLACEMENTS, PLACEMENT,
                s -> idProblem(s, MAX_PLACEMENT_LENGTH));
        if (placements == null) {
            throw d.schema("placements", "missing, must list the placements the experiment applies to");
        }
        Fields c = d.object("control", true);
        c.only("an experiment's control", "share", "strategy");
        double share = c.number("share", 0, MAX_CONTROL_SHARE, "a share of the traffic 0.." + number(MAX_CONTROL_SHARE),
                true);
        ExperimentRule.Arm control = new ExperimentRule.Arm(ExperimentRule.CONTROL, strategy(c), Map.of());
        List<Fields> vs = d.objects("variants", MAX_VARIANTS);
        List<ExperimentRule.Arm> variants = new java.util.ArrayList<>();
        double[] weights = new double[vs.size()];
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < vs.size(); i++) {
            Fields v = vs.get(i);
            v.only("a variant", "name", "weight", "strategy", "settings");
            String name = v.string("name", VARIANT_NAME, RuleParser::variantNameProblem);
            Integer first = names.putIfAbsent(name, i);
            if (first != null) {
                throw d.invalid("variants[" + i + "].name", "duplicate of variants[" + first + "].name "
                        + Fields.quoted(name));
            }
            weights[i] = v.number("weight", 0, MAX_VARIANT_WEIGHT, "a weight > 0 and ≤ " + number(MAX_VARIANT_WEIGHT),
                    true);
            if (weights[i] <= 0) {
                throw v.invalid("weight", "must be a weight > 0 and ≤ " + number(MAX_VARIANT_WEIGHT) + ", got 0");
            }
            variants.add(new ExperimentRule.Arm(name, strategy(v), settings(v.object("settings", false))));
        }
        int planned = d.has("plannedCustomers") ? d.integer("plannedCustomers", 1, MAX_PLANNED_CUSTOMERS) : 0;
        return new ExperimentRule(e, placements, share, control, variants, weights, planned);
    }

    private static ExperimentRule.Strategy strategy(Fields f) throws RuleException {
        if (!f.has("strategy")) {
            return ExperimentRule.Strategy.PERSONALISED;
        }
        String wire = f.string("strategy", "one of " + String.join(", ", ExperimentRule.Strategy.WIRES),
                s -> ExperimentRule.Strategy.WIRES.contains(s) ? null
                        : "unknown strategy" + io.nextbest.schemas.DidYouMean.hint(s, ExperimentRule.Strategy.WIRES, 3));
        return ExperimentRule.Strategy.of(wire);
    }

    /** A variant's setting overrides, each a setting a list is ranked with and a valid value for it. */
    private static Map<String, String> settings(Fields f) throws RuleException {
        if (f == null) {
            return Map.of();
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String key : f.names()) {
            if (!VARIANT_SETTINGS.contains(key)) {
                throw f.schema(key, "not a setting a variant may change (one of " + String.join(", ", VARIANT_SETTINGS)
                        + ")" + io.nextbest.schemas.DidYouMean.hint(key, VARIANT_SETTINGS, 3));
            }
            String value = f.text(key);
            try {
                io.nextbest.job.config.NextbestConfig.builder().set(key, value).build();
            } catch (io.nextbest.job.config.ConfigException e) {
                throw f.invalid(key, e.getMessage());
            }
            out.put(key, value);
        }
        return out;
    }

    private static String variantNameProblem(String s) {
        if (s.equals(ExperimentRule.CONTROL) || s.equals("default")) {
            return "reserved";
        }
        return s.matches("[A-Za-z0-9_-]{1,64}") ? null : "letters, digits, - and _ only, 1..64 of them";
    }

    // ---- filter ----

    private static FilterRule filter(Envelope e, Fields d) throws RuleException {
        String type = d.type("a filter rule", FILTER_TYPES);
        switch (type) {
            case "bought-within" -> {
                d.only("a bought-within filter", "type", "days");
                return new FilterRule.BoughtWithin(e, d.integer("days", 1, MAX_DAYS));
            }
            case "price-range" -> {
                d.only("a price-range filter", "type", "min", "max");
                Double min = d.number("min", 0, Double.MAX_VALUE, "a price ≥ 0", false);
                Double max = d.number("max", 0, Double.MAX_VALUE, "a price ≥ 0", false);
                if (min == null && max == null) {
                    throw d.schemaOfObject("a price-range filter needs min, max or both");
                }
                if (min != null && max != null && min > max) {
                    throw d.invalid("min", "must not exceed max (" + number(max) + "), got " + number(min));
                }
                return new FilterRule.PriceRange(e, min == null ? Double.NEGATIVE_INFINITY : min,
                        max == null ? Double.POSITIVE_INFINITY : max);
            }
            case "category" -> {
                d.only("a category filter", "type", "allow", "deny");
                List<String> allow = categories(d, "allow");
                List<String> deny = categories(d, "deny");
                if (allow == null && deny == null) {
                    throw d.schemaOfObject("a category filter needs allow, deny or both");
                }
                if (allow != null && deny != null) {
                    for (int i = 0; i < allow.size(); i++) {
                        for (int j = 0; j < deny.size(); j++) {
                            if (CategoryPrefixes.isAtOrUnder(allow.get(i), deny.get(j))) {
                                throw d.invalid("allow[" + i + "]", Fields.quoted(allow.get(i)) + " is at or under deny["
                                        + j + "] " + Fields.quoted(deny.get(j)) + ", and deny wins: it would allow nothing");
                            }
                        }
                    }
                }
                return new FilterRule.Category(e, allow, deny);
            }
            default -> { // "do-not-recommend"
                d.only("a do-not-recommend filter", "type", "items");
                List<String> items = items(d);
                if (items == null) {
                    throw d.schema("items", "missing, must be a list of item ids");
                }
                return new FilterRule.DoNotRecommend(e, items);
            }
        }
    }

    // ---- boost ----

    private static BoostRule boost(Envelope e, Fields d) throws RuleException {
        String type = d.type("a boost rule", BOOST_TYPES);
        if (type.equals("margin")) {
            d.only("a margin boost", "type", "weight");
            double weight = d.number("weight", MIN_WEIGHT, MAX_WEIGHT,
                    "a number " + number(MIN_WEIGHT) + ".." + number(MAX_WEIGHT), true);
            return new BoostRule.Margin(e, weight);
        }
        d.only("a promote boost", "type", "items", "categories", "factor");
        List<String> items = items(d);
        List<String> categories = categories(d, "categories");
        double factor = d.number("factor", 0, MAX_FACTOR, "a number 0.." + number(MAX_FACTOR), true);
        if (items == null && categories == null) {
            throw d.schemaOfObject("a promote boost needs items, categories or both");
        }
        return new BoostRule.Promote(e, items, categories, factor);
    }

    // ---- placement ----

    private static PlacementRule placement(Envelope e, Fields d) throws RuleException {
        d.only("a placement rule", "placement", "listSize");
        String placement = d.string("placement", PLACEMENT, s -> idProblem(s, MAX_PLACEMENT_LENGTH));
        return new PlacementRule(e, placement, d.integer("listSize", 1, MAX_LIST_SIZE));
    }

    // ---- values ----

    private static List<String> items(Fields d) throws RuleException {
        return d.strings("items", "item id", MAX_ITEMS, ITEM_ID, RuleParser::itemProblem);
    }

    private static List<String> categories(Fields d, String name) throws RuleException {
        return d.strings(name, "category path", MAX_CATEGORIES, CATEGORY_PATH, RuleParser::categoryProblem);
    }

    static String itemProblem(String s) {
        return idProblem(s, MAX_ID_LENGTH);
    }

    private static String idProblem(String s, int maxLength) {
        if (s.isEmpty()) {
            return "empty";
        }
        if (s.length() > maxLength) {
            return s.length() + " characters";
        }
        return hasControl(s) ? "a control character" : null;
    }

    public static String categoryProblem(String s) {
        if (s.isEmpty()) {
            return "empty";
        }
        if (hasControl(s)) {
            return "a control character";
        }
        String[] levels = s.split("/", -1);
        if (levels.length > MAX_LEVELS) {
            return levels.length + " levels";
        }
        for (String level : levels) {
            if (level.isEmpty()) {
                return "an empty level";
            }
            if (level.length() > MAX_LEVEL_LENGTH) {
                return "a level of " + level.length() + " characters";
            }
        }
        return null;
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** 500 rather than 500.0; other numbers as Java shows them. */
    static String number(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }

    private static RuleException schema(String id, String message) {
        return new RuleException(id, DeadLetterReason.SCHEMA_VIOLATION, message);
    }
}
