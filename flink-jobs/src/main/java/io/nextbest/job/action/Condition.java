package io.nextbest.job.action;

import io.nextbest.job.rules.CategoryPrefixes;
import io.nextbest.job.rules.Fields;
import io.nextbest.job.rules.RuleException;
import io.nextbest.job.rules.RuleParser;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.LifecycleStage;
import io.nextbest.schemas.messages.ValueTier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * An eligibility condition over a customer's {@link Facts}: a conjunction of clauses, each of which may nest
 * {@code all}, {@code any} and {@code not}, so that business rules form a tree. The JSON form is in
 * docs/decisioning.md#eligibility. {@link #failure} says why a customer is not eligible, in words.
 */
public interface Condition {
    /** Null if the customer meets the condition, else why not (e.g. {@code lifecycle is prospect, needs one of [new]}). */
    String failure(Facts f);

    /** Everyone. */
    Condition ALWAYS = f -> null;

    /** Most clauses in one condition (all levels), most nesting levels. */
    int MAX_CLAUSES = 64;
    int MAX_DEPTH = 4;

    /** The clause names of the JSON form, in documentation order. */
    List<String> CLAUSES = List.of("lifecycle", "valueTier", "segments", "known", "consent", "orders", "monetary",
            "daysSinceLastOrder", "basketValue", "basketLines", "viewedCategory", "all", "any", "not");

    /** Parses an eligibility object; {@code f} is null for none (everyone). */
    static Condition parse(Fields f) throws RuleException {
        return f == null ? ALWAYS : new Parser().parse(f, 1);
    }

    /** Counts clauses over the whole tree, so that a huge condition is refused. */
    final class Parser {
        private int clauses;

        Condition parse(Fields f, int depth) throws RuleException {
            if (depth > MAX_DEPTH) {
                throw f.schemaOfObject("conditions nest at most " + MAX_DEPTH + " levels deep");
            }
            f.only("a condition", CLAUSES.toArray(new String[0]));
            List<String> names = f.names();
            if (names.isEmpty()) {
                throw f.schemaOfObject("an empty condition; leave it out to mean everyone");
            }
            List<Condition> all = new ArrayList<>();
            for (String name : names) {
                if (++clauses > MAX_CLAUSES) {
                    throw f.invalid(name, "a condition has at most " + MAX_CLAUSES + " clauses");
                }
                all.add(clause(f, name, depth));
            }
            return all.size() == 1 ? all.get(0) : new All(all);
        }

        private Condition clause(Fields f, String name, int depth) throws RuleException {
            switch (name) {
                case "lifecycle": {
                    List<String> v = f.strings(name, "lifecycle stage", 4, "one of " + LifecycleStage.BY_WIRE.keySet(),
                            s -> LifecycleStage.BY_WIRE.containsKey(s) ? null : "unknown stage");
                    return new OneOf("lifecycle", v, x -> x.lifecycle().wire());
                }
                case "valueTier": {
                    List<String> v = f.strings(name, "value tier", 4, "one of " + ValueTier.BY_WIRE.keySet(),
                            s -> ValueTier.BY_WIRE.containsKey(s) ? null : "unknown tier");
                    return new OneOf("value tier", v, x -> x.tier().wire());
                }
                case "segments": {
                    List<String> v = f.strings(name, "segment", 100, "a segment like \"tier:high\" (not empty)",
                            s -> s.isEmpty() ? "empty" : null);
                    return new Segments(v);
                }
                case "known": {
                    boolean want = f.bool(name);
                    return x -> x.known() == want ? null : (want ? "anonymous, needs a known customer" : "known, needs an anonymous visitor");
                }
                case "consent": {
                    List<String> v = f.strings(name, "channel", 4, "one of " + ContactChannel.BY_WIRE.keySet(),
                            s -> ContactChannel.BY_WIRE.containsKey(s) ? null : "unknown channel");
                    return new Consent(v);
                }
                case "orders":
                    return range(f, name, "orders", 0, 1e9, Facts::orders, false);
                case "monetary":
                    return range(f, name, "monetary value", 0, 1e12, Facts::monetary, true);
                case "daysSinceLastOrder":
                    return range(f, name, "days since the last order", 0, 36500,
                            x -> x.daysSinceLastOrder() == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : x.daysSinceLastOrder(), false);
                case "basketValue":
                    return range(f, name, "basket value", 0, 1e12, Facts::basketValue, true);
                case "basketLines":
                    return range(f, name, "basket lines", 0, 1000, Facts::basketLines, false);
                case "viewedCategory": {
                    List<String> v = f.strings(name, "category path", 100, "a category path like \"electronics/phones\"",
                            RuleParser::categoryProblem);
                    return new ViewedCategory(new CategoryPrefixes(v));
                }
                case "all":
                case "any": {
                    List<Condition> parts = new ArrayList<>();
                    for (Fields part : f.objects(name, MAX_CLAUSES)) {
                        parts.add(parse(part, depth + 1));
                    }
                    return name.equals("all") ? new All(parts) : new Any(parts);
                }
                case "not": {
                    Condition inner = parse(f.object(name, true), depth + 1);
                    return x -> inner.failure(x) == null ? "meets the excluded condition (" + f.path() + ".not)" : null;
                }
                default:
                    throw new IllegalStateException(name);
            }
        }

        private static Condition range(Fields f, String name, String what, double lo, double hi,
                ToDoubleFunction<Facts> get, boolean money) throws RuleException {
            Fields r = f.object(name, true);
            r.only("a range", "min", "max");
            String expectation = "a number " + fmt(lo) + ".." + fmt(hi);
            Double min = r.number("min", lo, hi, expectation, false);
            Double max = r.number("max", lo, hi, expectation, false);
            if (min == null && max == null) {
                throw r.schemaOfObject("needs min, max or both");
            }
            if (min != null && max != null && min > max) {
                throw r.invalid("min", "must not exceed max " + fmt(max) + ", got " + fmt(min));
            }
            return new Range(what, min == null ? Double.NEGATIVE_INFINITY : min,
                    max == null ? Double.POSITIVE_INFINITY : max, get, money);
        }
    }

    /** Every part holds; the first that does not says why. */
    record All(List<Condition> parts) implements Condition {
        @Override
        public String failure(Facts f) {
            for (Condition c : parts) {
                String why = c.failure(f);
                if (why != null) {
                    return why;
                }
            }
            return null;
        }
    }

    /** At least one part holds; if none, every part's reason is given. */
    record Any(List<Condition> parts) implements Condition {
        @Override
        public String failure(Facts f) {
            List<String> why = new ArrayList<>(parts.size());
            for (Condition c : parts) {
                String w = c.failure(f);
                if (w == null) {
                    return null;
                }
                why.add(w);
            }
            return "none of: " + String.join("; ", why);
        }
    }

    record OneOf(String what, List<String> allowed, java.util.function.Function<Facts, String> get) implements Condition {
        @Override
        public String failure(Facts f) {
            String v = get.apply(f);
            return allowed.contains(v) ? null : what + " is " + v + ", needs one of " + allowed;
        }
    }

    record Segments(List<String> any) implements Condition {
        @Override
        public String failure(Facts f) {
            for (String s : any) {
                if (f.hasSegment(s)) {
                    return null;
                }
            }
            return "in none of the segments " + any;
        }
    }

    record Consent(List<String> channels) implements Condition {
        @Override
        public String failure(Facts f) {
            for (String c : channels) {
                if (f.consents(ContactChannel.BY_WIRE.get(c))) {
                    return null;
                }
            }
            return "no consent on any of " + channels;
        }
    }

    record ViewedCategory(CategoryPrefixes prefixes) implements Condition {
        @Override
        public String failure(Facts f) {
            for (String c : f.categories()) {
                if (prefixes.matches(c)) {
                    return null;
                }
            }
            return "viewed nothing recently in " + prefixes.asList();
        }
    }

    record Range(String what, double min, double max, ToDoubleFunction<Facts> get, boolean money) implements Condition {
        @Override
        public String failure(Facts f) {
            double v = get.applyAsDouble(f);
            if (v >= min && v <= max) {
                return null;
            }
            String shown = v == Double.POSITIVE_INFINITY ? "unknown (never)" : money ? String.format(Locale.ROOT, "%.2f", v) : fmt(v);
            return what + " is " + shown + ", needs " + (min == Double.NEGATIVE_INFINITY ? "at most " + fmt(max)
                    : max == Double.POSITIVE_INFINITY ? "at least " + fmt(min) : fmt(min) + ".." + fmt(max));
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
