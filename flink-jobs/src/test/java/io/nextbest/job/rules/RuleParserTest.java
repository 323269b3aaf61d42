package io.nextbest.job.rules;

import static io.nextbest.job.rules.Rules.message;
import static io.nextbest.job.rules.Rules.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.schemas.DeadLetterReason;
import io.nextbest.schemas.messages.RuleKind;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleParserTest {

    // ---- each kind and type ----

    @Test
    void boughtWithinFilter() throws Exception {
        ParsedRule r = parse("recent-buys", "filter", "{\"type\":\"bought-within\",\"days\":30}");

        assertThat(r).isInstanceOfSatisfying(FilterRule.BoughtWithin.class, f -> assertThat(f.days()).isEqualTo(30));
        assertThat(r.ruleId()).isEqualTo("recent-buys");
        assertThat(r.kind()).isEqualTo(RuleKind.FILTER);
        assertThat(r.type()).isEqualTo("bought-within");
        assertThat(r.enabled()).isTrue();
        assertThat(r.validFrom()).isNull();
        assertThat(r.validTo()).isNull();
        assertThat(r.segments()).isNull();
        assertThat(r.updatedAt()).isEqualTo(Instant.parse("2026-11-01T09:00:00Z"));
    }

    @Test
    void aWholeNumberWrittenWithAFractionIsAnIntegerAsInJsonSchema() throws Exception {
        assertThat(parse("r", "filter", "{\"type\":\"bought-within\",\"days\":30.0}"))
                .isInstanceOfSatisfying(FilterRule.BoughtWithin.class, f -> assertThat(f.days()).isEqualTo(30));
    }

    @Test
    void priceRangeFilterWithEitherOrBothBounds() throws Exception {
        assertThat(parse("p", "filter", "{\"type\":\"price-range\",\"min\":5,\"max\":500}"))
                .isInstanceOfSatisfying(FilterRule.PriceRange.class, f -> {
                    assertThat(f.min()).isEqualTo(5.0);
                    assertThat(f.max()).isEqualTo(500.0);
                });
        assertThat(parse("p", "filter", "{\"type\":\"price-range\",\"min\":9.99}"))
                .isInstanceOfSatisfying(FilterRule.PriceRange.class, f -> {
                    assertThat(f.min()).isEqualTo(9.99);
                    assertThat(f.max()).isEqualTo(Double.POSITIVE_INFINITY);
                });
        assertThat(parse("p", "filter", "{\"type\":\"price-range\",\"max\":20}"))
                .isInstanceOfSatisfying(FilterRule.PriceRange.class, f -> {
                    assertThat(f.min()).isEqualTo(Double.NEGATIVE_INFINITY);
                    assertThat(f.max()).isEqualTo(20.0);
                });
        assertThat(parse("p", "filter", "{\"type\":\"price-range\",\"min\":20,\"max\":20}"))
                .isInstanceOfSatisfying(FilterRule.PriceRange.class, f -> assertThat(f.max()).isEqualTo(f.min()));
    }

    @Test
    void categoryFilterWithSegments() throws Exception {
        ParsedRule r = parse("c", "filter",
                "{\"type\":\"category\",\"allow\":[\"electronics\",\"books\"],\"deny\":[\"electronics/refurbished\"]}",
                "\"segments\":[\"tier:high\",\"lifecycle:loyal\"]");

        assertThat(r).isInstanceOfSatisfying(FilterRule.Category.class, f -> {
            assertThat(f.allow()).containsExactly("electronics", "books");
            assertThat(f.deny()).containsExactly("electronics/refurbished");
        });
        assertThat(r.segments()).containsExactlyInAnyOrder("tier:high", "lifecycle:loyal");
        assertThat(parse("c", "filter", "{\"type\":\"category\",\"deny\":[\"adult\"]}"))
                .isInstanceOfSatisfying(FilterRule.Category.class, f -> {
                    assertThat(f.allow()).isNull();
                    assertThat(f.deny()).containsExactly("adult");
                });
    }

    @Test
    void doNotRecommendFilter() throws Exception {
        assertThat(parse("dnr", "filter", "{\"type\":\"do-not-recommend\",\"items\":[\"i1\",\"i2\"]}"))
                .isInstanceOfSatisfying(FilterRule.DoNotRecommend.class,
                        f -> assertThat(f.items()).containsExactlyInAnyOrder("i1", "i2"));
    }

    @Test
    void marginBoost() throws Exception {
        ParsedRule r = parse("margin-boost", "boost", "{\"type\":\"margin\",\"weight\":0.5}");

        assertThat(r.kind()).isEqualTo(RuleKind.BOOST);
        assertThat(r).isInstanceOfSatisfying(BoostRule.Margin.class, b -> assertThat(b.weight()).isEqualTo(0.5));
    }

    @Test
    void promoteBoostWithWindow() throws Exception {
        ParsedRule r = parse("xmas-tv", "boost",
                "{\"type\":\"promote\",\"items\":[\"TV-1\"],\"categories\":[\"electronics/tv\"],\"factor\":1.5}",
                "\"validFrom\":\"2026-12-01T00:00:00Z\",\"validTo\":\"2026-12-24T00:00:00Z\",\"description\":\"TVs\"");

        assertThat(r).isInstanceOfSatisfying(BoostRule.Promote.class, b -> {
            assertThat(b.items()).containsExactly("TV-1");
            assertThat(b.categories()).containsExactly("electronics/tv");
            assertThat(b.factor()).isEqualTo(1.5);
        });
        assertThat(r.validFrom()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(r.validTo()).isEqualTo(Instant.parse("2026-12-24T00:00:00Z"));
        assertThat(r.description()).isEqualTo("TVs");
        assertThat(parse("p", "boost", "{\"type\":\"promote\",\"items\":[\"a\"],\"factor\":2}"))
                .isInstanceOfSatisfying(BoostRule.Promote.class, b -> assertThat(b.categories()).isNull());
    }

    @Test
    void placementRule() throws Exception {
        ParsedRule r = parse("home-8", "placement", "{\"placement\":\"home\",\"listSize\":8}");

        assertThat(r.kind()).isEqualTo(RuleKind.PLACEMENT);
        assertThat(r).isInstanceOfSatisfying(PlacementRule.class, p -> {
            assertThat(p.placement()).isEqualTo("home");
            assertThat(p.listSize()).isEqualTo(8);
        });
    }

    @Test
    void contactRulesKeepAnyObject() throws Exception {
        String definition = "{\"quietHours\":{\"from\":\"21:00\",\"to\":\"08:00\"},\"maxPerWindow\":1,\"channels\":[\"email\"]}";
        ParsedRule r = parse("quiet", "contact", definition);

        assertThat(r.kind()).isEqualTo(RuleKind.CONTACT);
        assertThat(r).isInstanceOfSatisfying(ContactRule.class,
                c -> assertThat(c.definition()).isEqualTo(message("quiet", "contact", definition).definition()));
        assertThat(parse("empty", "contact", "{}")).isInstanceOf(ContactRule.class);
    }

    @Test
    void disabledRulesAreParsedAndKept() throws Exception {
        ParsedRule r = RuleParser.parse(message("""
                {"ruleId":"off","kind":"filter","enabled":false,"definition":{"type":"bought-within","days":7},\
                "updatedAt":"2026-11-01T09:00:00Z"}"""));

        assertThat(r.enabled()).isFalse();
        assertThat(r).isInstanceOf(FilterRule.BoughtWithin.class);
    }

    @Test
    void theContactRuleIsACopy() throws Exception {
        var msg = message("quiet", "contact", "{\"a\":1}");
        ContactRule r = (ContactRule) RuleParser.parse(msg);
        ((com.fasterxml.jackson.databind.node.ObjectNode) msg.definition()).put("a", 2);
        ((com.fasterxml.jackson.databind.node.ObjectNode) r.definition()).put("a", 3);

        assertThat(r.definition()).isEqualTo(new ObjectMapper().readTree("{\"a\":1}"));
    }

    // ---- rejections ----

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // kind   | definition | envelope | reason | message
        "filter   | {} | | schema_violation | definition.type: missing, a filter rule needs a type, one of bought-within, price-range, category, do-not-recommend",
        "filter   | {\"type\":\"price-rnage\",\"min\":1} | | schema_violation | definition.type: must be one of bought-within, price-range, category, do-not-recommend, got \"price-rnage\" (did you mean 'price-range'?)",
        "filter   | {\"type\":7} | | schema_violation | definition.type: must be one of bought-within, price-range, category, do-not-recommend, got 7",
        "filter   | {\"type\":\"bought-within\",\"days\":-3} | | invalid_value | definition.days: must be an integer 1..3650, got -3",
        "filter   | {\"type\":\"bought-within\",\"days\":0} | | invalid_value | definition.days: must be an integer 1..3650, got 0",
        "filter   | {\"type\":\"bought-within\",\"days\":3651} | | invalid_value | definition.days: must be an integer 1..3650, got 3651",
        "filter   | {\"type\":\"bought-within\",\"days\":1e30} | | invalid_value | definition.days: must be an integer 1..3650, got 1.0E30",
        "filter   | {\"type\":\"bought-within\",\"days\":\"30\"} | | schema_violation | definition.days: must be an integer 1..3650, got \"30\"",
        "filter   | {\"type\":\"bought-within\",\"days\":1.5} | | schema_violation | definition.days: must be an integer 1..3650, got 1.5",
        "filter   | {\"type\":\"bought-within\",\"days\":null} | | schema_violation | definition.days: must be an integer 1..3650, got null",
        "filter   | {\"type\":\"bought-within\"} | | schema_violation | definition.days: missing, must be an integer 1..3650",
        "filter   | {\"type\":\"bought-within\",\"dayz\":30} | | schema_violation | definition.dayz: unknown field of a bought-within filter (known: type, days) (did you mean 'days'?)",
        "filter   | {\"type\":\"price-range\"} | | schema_violation | definition: a price-range filter needs min, max or both",
        "filter   | {\"type\":\"price-range\",\"min\":-5} | | invalid_value | definition.min: must be a price ≥ 0, got -5",
        "filter   | {\"type\":\"price-range\",\"max\":\"500\"} | | schema_violation | definition.max: must be a price ≥ 0, got \"500\"",
        "filter   | {\"type\":\"price-range\",\"min\":600,\"max\":500} | | invalid_value | definition.min: must not exceed max (500), got 600",
        "filter   | {\"type\":\"price-range\",\"min\":5.5,\"max\":2.25} | | invalid_value | definition.min: must not exceed max (2.25), got 5.5",
        "filter   | {\"type\":\"price-range\",\"min\":1,\"currency\":\"EUR\"} | | schema_violation | definition.currency: unknown field of a price-range filter (known: type, min, max)",
        "filter   | {\"type\":\"category\"} | | schema_violation | definition: a category filter needs allow, deny or both",
        "filter   | {\"type\":\"category\",\"allow\":[]} | | invalid_value | definition.allow: must list at least one category path (or be left out), got []",
        "filter   | {\"type\":\"category\",\"allow\":\"electronics\"} | | schema_violation | definition.allow: must be a list of category paths, got \"electronics\"",
        "filter   | {\"type\":\"category\",\"deny\":[3]} | | schema_violation | definition.deny[0]: must be a category path like \"electronics/phones\" (1..8 levels of 1..128 characters, joined by '/'), got 3",
        "filter   | {\"type\":\"category\",\"allow\":[\"electronics//phones\"]} | | invalid_value | definition.allow[0]: must be a category path like \"electronics/phones\" (1..8 levels of 1..128 characters, joined by '/'), got \"electronics//phones\" (an empty level)",
        "filter   | {\"type\":\"category\",\"allow\":[\"books\",\"/electronics\"]} | | invalid_value | definition.allow[1]: must be a category path like \"electronics/phones\" (1..8 levels of 1..128 characters, joined by '/'), got \"/electronics\" (an empty level)",
        "filter   | {\"type\":\"category\",\"deny\":[\"a/b/c/d/e/f/g/h/i\"]} | | invalid_value | definition.deny[0]: must be a category path like \"electronics/phones\" (1..8 levels of 1..128 characters, joined by '/'), got \"a/b/c/d/e/f/g/h/i\" (9 levels)",
        "filter   | {\"type\":\"category\",\"allow\":[\"a\",\"b\",\"a\"]} | | invalid_value | definition.allow[2]: duplicate of allow[0] \"a\"",
        "filter   | {\"type\":\"category\",\"allow\":[\"books\",\"electronics/phones\"],\"deny\":[\"toys\",\"electronics\"]} | | invalid_value | definition.allow[1]: \"electronics/phones\" is at or under deny[1] \"electronics\", and deny wins: it would allow nothing",
        "filter   | {\"type\":\"do-not-recommend\"} | | schema_violation | definition.items: missing, must be a list of item ids",
        "filter   | {\"type\":\"do-not-recommend\",\"items\":[]} | | invalid_value | definition.items: must list at least one item id (or be left out), got []",
        "filter   | {\"type\":\"do-not-recommend\",\"items\":[\"i1\",\"\"]} | | invalid_value | definition.items[1]: must be an item id (1..128 characters, no control characters), got \"\" (empty)",
        "filter   | {\"type\":\"do-not-recommend\",\"items\":[\"i1\",\"i1\"]} | | invalid_value | definition.items[1]: duplicate of items[0] \"i1\"",
        "boost    | {\"type\":\"popular\"} | | schema_violation | definition.type: must be one of margin, promote, got \"popular\"",
        "boost    | {\"type\":\"margin\"} | | schema_violation | definition.weight: missing, must be a number -1..99",
        "boost    | {\"type\":\"margin\",\"weight\":120} | | invalid_value | definition.weight: must be a number -1..99, got 120",
        "boost    | {\"type\":\"margin\",\"weight\":-1.5} | | invalid_value | definition.weight: must be a number -1..99, got -1.5",
        "boost    | {\"type\":\"margin\",\"weight\":true} | | schema_violation | definition.weight: must be a number -1..99, got true",
        "boost    | {\"type\":\"promote\",\"items\":[\"a\"]} | | schema_violation | definition.factor: missing, must be a number 0..100",
        "boost    | {\"type\":\"promote\",\"items\":[\"a\"],\"factor\":-1} | | invalid_value | definition.factor: must be a number 0..100, got -1",
        "boost    | {\"type\":\"promote\",\"items\":[\"a\"],\"factor\":101} | | invalid_value | definition.factor: must be a number 0..100, got 101",
        "boost    | {\"type\":\"promote\",\"factor\":1.5} | | schema_violation | definition: a promote boost needs items, categories or both",
        "boost    | {\"type\":\"promote\",\"categories\":[\"tv\",\"\"],\"factor\":1.5} | | invalid_value | definition.categories[1]: must be a category path like \"electronics/phones\" (1..8 levels of 1..128 characters, joined by '/'), got \"\" (empty)",
        "boost    | {\"type\":\"promote\",\"category\":[\"tv\"],\"factor\":1.5} | | schema_violation | definition.category: unknown field of a promote boost (known: type, items, categories, factor) (did you mean 'categories'?)",
        "placement| {} | | schema_violation | definition.placement: missing, must be a placement name like \"home\" (1..64 characters, no control characters)",
        "placement| {\"placement\":\"\",\"listSize\":8} | | invalid_value | definition.placement: must be a placement name like \"home\" (1..64 characters, no control characters), got \"\" (empty)",
        "placement| {\"placement\":\"home\"} | | schema_violation | definition.listSize: missing, must be an integer 1..100",
        "placement| {\"placement\":\"home\",\"listSize\":0} | | invalid_value | definition.listSize: must be an integer 1..100, got 0",
        "placement| {\"placement\":\"home\",\"listSize\":101} | | invalid_value | definition.listSize: must be an integer 1..100, got 101",
        "placement| {\"type\":\"placement\",\"placement\":\"home\",\"listSize\":8} | | schema_violation | definition.type: unknown field of a placement rule (known: placement, listSize)",
        "filter   | {\"type\":\"bought-within\",\"days\":30} | `\"validFrom\":\"2026-12-01T00:00:00Z\",\"validTo\":\"2026-12-01T00:00:00Z\"` | invalid_value | validTo: must be after validFrom (2026-12-01T00:00:00Z), got 2026-12-01T00:00:00Z",
        "filter   | {\"type\":\"bought-within\",\"days\":30} | `\"validFrom\":\"2026-12-01T00:00:00Z\",\"validTo\":\"2026-11-01T00:00:00Z\"` | invalid_value | validTo: must be after validFrom (2026-12-01T00:00:00Z), got 2026-11-01T00:00:00Z",
        "filter   | {\"type\":\"bought-within\",\"days\":30} | `\"segments\":[]` | invalid_value | segments: must list at least one segment (leave it out for every customer), got []",
        "filter   | {\"type\":\"bought-within\",\"days\":30} | `\"segments\":[\"tier:high\",\"\"]` | invalid_value | segments[1]: must be a segment like \"tier:high\" (not empty), got \"\"",
        "filter   | {\"type\":\"bought-within\",\"days\":30} | `\"segments\":[\"tier:high\",\"known\",\"tier:high\"]` | invalid_value | segments[2]: duplicate of segments[0] \"tier:high\"",
        "filter   | {\"type\":\"bought-within\",\"days\":-3} | `\"enabled\":false` | invalid_value | definition.days: must be an integer 1..3650, got -3",
    })
    void rejectsWithAReasonNamingTheField(String kind, String definition, String envelope, String reason, String expected) {
        String json = "{\"ruleId\":\"bad-rule\",\"kind\":\"" + kind + "\","
                + (envelope == null || !envelope.contains("enabled") ? "\"enabled\":true," : "")
                + (envelope == null ? "" : envelope + ",") + "\"definition\":" + definition + "," + Rules.UPDATED + "}";

        RuleException e = catchThrowableOfType(RuleException.class, () -> RuleParser.parse(message(json)));

        assertThat(e).as(json).isNotNull();
        assertThat(e.getMessage()).isEqualTo(expected);
        assertThat(e.reason().wire()).isEqualTo(reason);
        assertThat(e.ruleId()).isEqualTo("bad-rule");
    }

    @Test
    void longBadValuesAreCutInTheMessage() {
        String longId = "x".repeat(200);
        RuleException e = catchThrowableOfType(RuleException.class,
                () -> parse("r", "filter", "{\"type\":\"do-not-recommend\",\"items\":[\"" + longId + "\"]}"));

        assertThat(e.getMessage()).isEqualTo("definition.items[0]: must be an item id (1..128 characters, no control "
                + "characters), got \"" + "x".repeat(58) + "… (200 characters)");
        assertThat(e.reason()).isEqualTo(DeadLetterReason.INVALID_VALUE);
    }

    @Test
    void rulesBuiltInCodeWithoutRequiredPartsAreRejectedToo() {
        var ok = message("r", "filter", "{\"type\":\"bought-within\",\"days\":30}");
        var noKind = new io.nextbest.schemas.messages.Rule("r", null, true, null, null, null, null, ok.definition(),
                ok.updatedAt());
        var noDefinition = new io.nextbest.schemas.messages.Rule("r", RuleKind.FILTER, true, null, null, null, null,
                null, ok.updatedAt());
        var noUpdatedAt = new io.nextbest.schemas.messages.Rule("r", RuleKind.FILTER, true, null, null, null, null,
                ok.definition(), null);
        var nullSegment = new io.nextbest.schemas.messages.Rule("r", RuleKind.FILTER, true, null, null, null,
                java.util.Arrays.asList("a", null), ok.definition(), ok.updatedAt());

        assertThat(catchThrowableOfType(RuleException.class, () -> RuleParser.parse(noKind)))
                .hasMessage("kind: missing, must be one of filter, boost, placement, contact, experiment");
        assertThat(catchThrowableOfType(RuleException.class, () -> RuleParser.parse(noDefinition)))
                .hasMessage("definition: must be an object, got nothing");
        assertThat(catchThrowableOfType(RuleException.class, () -> RuleParser.parse(noUpdatedAt)))
                .hasMessage("updatedAt: missing");
        assertThat(catchThrowableOfType(RuleException.class, () -> RuleParser.parse(nullSegment)))
                .hasMessage("segments[1]: must be a segment like \"tier:high\" (not empty), got null");
    }

    @Test
    void segmentsKeepTheirValues() throws Exception {
        ParsedRule r = parse("s", "placement", "{\"placement\":\"home\",\"listSize\":4}",
                "\"segments\":[\"anonymous\",\"known\"]");

        assertThat(r.segments()).isEqualTo(Set.of("anonymous", "known"));
    }
}
