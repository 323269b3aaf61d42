package io.nextbest.job.rules;

import static io.nextbest.job.rules.Rules.item;
import static io.nextbest.job.rules.Rules.parse;
import static io.nextbest.job.rules.Rules.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.catalog.CatalogEntry;
import io.nextbest.job.messages.RankingRequest;
import io.nextbest.schemas.messages.Reason;
import io.nextbest.schemas.messages.Signal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RuleBookTest {
    static final String NOW = "2026-12-02T12:00:00Z";
    static final long NOW_MS = Instant.parse(NOW).toEpochMilli();
    static final long DAY = Duration.ofDays(1).toMillis();
    static final double UNKNOWN = Double.NaN;

    static RuleBook book(ParsedRule... rules) {
        return RuleBook.of(List.of(rules));
    }

    @Test
    void theEmptyBookChangesNothing() {
        RankingRequest r = request(NOW);

        assertThat(RuleBook.EMPTY.excludedBy("i", item("a", 1, 0.5), r)).isNull();
        assertThat(RuleBook.EMPTY.boost("i", item("a", 1, 0.5), r)).isSameAs(Boost.NONE);
        assertThat(Boost.NONE.factor()).isEqualTo(1.0);
        assertThat(Boost.NONE.reasons()).isEmpty();
        assertThat(RuleBook.EMPTY.listSize("home", 20, r)).isEqualTo(20);
        assertThat(RuleBook.EMPTY.size()).isZero();
        assertThat(RuleBook.of(List.of())).isSameAs(RuleBook.EMPTY);
    }

    // ---- filters ----

    @Test
    void boughtWithinCountsPurchasesFromExactlyNDaysBefore() throws Exception {
        RuleBook b = book(parse("recent", "filter", "{\"type\":\"bought-within\",\"days\":30}"));
        RankingRequest r = request(NOW);
        r.purchased = new String[] {"old", "edge", "recent", "late"};
        r.purchasedAt = new long[] {NOW_MS - 30 * DAY - 1, NOW_MS - 30 * DAY, NOW_MS - DAY, NOW_MS + 1000};

        assertThat(b.excludedBy("old", null, r)).isNull();
        assertThat(b.excludedBy("edge", null, r)).isEqualTo("recent");
        assertThat(b.excludedBy("recent", null, r)).isEqualTo("recent");
        assertThat(b.excludedBy("late", null, r)).as("bought after the event (a late event)").isEqualTo("recent");
        assertThat(b.excludedBy("never", item("a", 1, 0), r)).isNull();
        assertThat(b.excludedBy("edge", null, request(NOW))).as("no purchases").isNull();
    }

    @Test
    void priceRangeBoundsAreInclusiveAndItemsWithoutCatalogEntryPass() throws Exception {
        RuleBook b = book(parse("price", "filter", "{\"type\":\"price-range\",\"min\":5,\"max\":500}"));
        RankingRequest r = request(NOW);

        assertThat(b.excludedBy("i", item("a", 5, UNKNOWN), r)).isNull();
        assertThat(b.excludedBy("i", item("a", 500, UNKNOWN), r)).isNull();
        assertThat(b.excludedBy("i", item("a", 4.99, UNKNOWN), r)).isEqualTo("price");
        assertThat(b.excludedBy("i", item("a", 500.01, UNKNOWN), r)).isEqualTo("price");
        assertThat(b.excludedBy("i", null, r)).isNull();

        RuleBook onlyMax = book(parse("cheap", "filter", "{\"type\":\"price-range\",\"max\":20}"));
        assertThat(onlyMax.excludedBy("i", item("a", 0, UNKNOWN), r)).isNull();
        assertThat(onlyMax.excludedBy("i", item("a", 21, UNKNOWN), r)).isEqualTo("cheap");
    }

    @Test
    void categoryPrefixesMatchAtLevelBoundaries() throws Exception {
        RuleBook b = book(parse("only-electronics", "filter", "{\"type\":\"category\",\"allow\":[\"electronics\"]}"));
        RankingRequest r = request(NOW);

        assertThat(b.excludedBy("i", item("electronics", 1, UNKNOWN), r)).isNull();
        assertThat(b.excludedBy("i", item("electronics/phones", 1, UNKNOWN), r)).isNull();
        assertThat(b.excludedBy("i", item("electronics/phones/android", 1, UNKNOWN), r)).isNull();
        assertThat(b.excludedBy("i", item("electronicsX", 1, UNKNOWN), r)).isEqualTo("only-electronics");
        assertThat(b.excludedBy("i", item("electronics-outlet/phones", 1, UNKNOWN), r)).isEqualTo("only-electronics");
        assertThat(b.excludedBy("i", item("books/electronics", 1, UNKNOWN), r)).isEqualTo("only-electronics");
        assertThat(b.excludedBy("i", item("Electronics", 1, UNKNOWN), r)).as("case-sensitive").isEqualTo("only-electronics");
        assertThat(b.excludedBy("i", null, r)).as("no catalog entry").isNull();
    }

    @Test
    void denyWinsOverAllow() throws Exception {
        RuleBook b = book(parse("cat", "filter",
                "{\"type\":\"category\",\"allow\":[\"electronics\",\"books\"],\"deny\":[\"electronics/refurbished\"]}"));
        RankingRequest r = request(NOW);

        assertThat(b.excludedBy("i", item("electronics/phones", 1, UNKNOWN), r)).isNull();
        assertThat(b.excludedBy("i", item("books", 1, UNKNOWN), r)).isNull();
        assertThat(b.excludedBy("i", item("electronics/refurbished", 1, UNKNOWN), r)).isEqualTo("cat");
        assertThat(b.excludedBy("i", item("electronics/refurbished/phones", 1, UNKNOWN), r)).isEqualTo("cat");
        assertThat(b.excludedBy("i", item("electronics/refurbishedX", 1, UNKNOWN), r)).isNull();
        assertThat(b.excludedBy("i", item("toys", 1, UNKNOWN), r)).isEqualTo("cat");

        RuleBook denyOnly = book(parse("no-adult", "filter", "{\"type\":\"category\",\"deny\":[\"adult\"]}"));
        assertThat(denyOnly.excludedBy("i", item("adult/x", 1, UNKNOWN), r)).isEqualTo("no-adult");
        assertThat(denyOnly.excludedBy("i", item("toys", 1, UNKNOWN), r)).isNull();
    }

    @Test
    void categoryRulesPerSegment() throws Exception {
        RuleBook b = book(
                parse("anon-no-adult", "filter", "{\"type\":\"category\",\"deny\":[\"adult\"]}", "\"segments\":[\"anonymous\"]"),
                parse("high-premium", "filter", "{\"type\":\"category\",\"allow\":[\"premium\"]}", "\"segments\":[\"tier:high\"]"));
        CatalogEntry adult = item("adult/books", 10, UNKNOWN);
        CatalogEntry premium = item("premium/watches", 10, UNKNOWN);

        assertThat(b.excludedBy("i", adult, request(NOW, "anonymous"))).isEqualTo("anon-no-adult");
        assertThat(b.excludedBy("i", premium, request(NOW, "anonymous"))).isNull();
        assertThat(b.excludedBy("i", adult, request(NOW, "known", "tier:high"))).isEqualTo("high-premium");
        assertThat(b.excludedBy("i", premium, request(NOW, "known", "tier:high"))).isNull();
        assertThat(b.excludedBy("i", adult, request(NOW, "known", "tier:low"))).isNull();
    }

    @Test
    void manyCategoryPrefixesBehaveLikeFew() throws Exception {
        StringBuilder allow = new StringBuilder("\"electronics\"");
        for (int i = 0; i < 20; i++) {
            allow.append(",\"c").append(i).append("/sub\"");
        }
        RuleBook b = book(parse("many", "filter", "{\"type\":\"category\",\"allow\":[" + allow + "]}"));
        RankingRequest r = request(NOW);

        assertThat(b.excludedBy("i", item("electronics/phones", 1, UNKNOWN), r)).isNull();
        assertThat(b.excludedBy("i", item("c7/sub", 1, UNKNOWN), r)).isNull();
        assertThat(b.excludedBy("i", item("c7/sub/deeper", 1, UNKNOWN), r)).isNull();
        assertThat(b.excludedBy("i", item("c7", 1, UNKNOWN), r)).isEqualTo("many");
        assertThat(b.excludedBy("i", item("c7/subX", 1, UNKNOWN), r)).isEqualTo("many");
        assertThat(b.excludedBy("i", item("electronicsX", 1, UNKNOWN), r)).isEqualTo("many");
    }

    @Test
    void doNotRecommendWorksWithoutCatalogEntry() throws Exception {
        RuleBook b = book(parse("dnr", "filter", "{\"type\":\"do-not-recommend\",\"items\":[\"i1\",\"i2\"]}"));

        assertThat(b.excludedBy("i1", null, request(NOW))).isEqualTo("dnr");
        assertThat(b.excludedBy("i2", item("a", 1, UNKNOWN), request(NOW))).isEqualTo("dnr");
        assertThat(b.excludedBy("i3", null, request(NOW))).isNull();
    }

    @Test
    void allFiltersApplyAndTheSmallestRuleIdIsNamed() throws Exception {
        RuleBook b = RuleBook.of(List.of(
                parse("z-dnr", "filter", "{\"type\":\"do-not-recommend\",\"items\":[\"i1\",\"i2\"]}"),
                parse("a-price", "filter", "{\"type\":\"price-range\",\"max\":100}")));
        RankingRequest r = request(NOW);

        assertThat(b.excludedBy("i1", item("a", 500, UNKNOWN), r)).isEqualTo("a-price");
        assertThat(b.excludedBy("i1", item("a", 50, UNKNOWN), r)).isEqualTo("z-dnr");
        assertThat(b.excludedBy("i3", item("a", 500, UNKNOWN), r)).isEqualTo("a-price");
        assertThat(b.excludedBy("i3", item("a", 50, UNKNOWN), r)).isNull();
    }

    // ---- common semantics ----

    @Test
    void validityWindowsIncludeTheirStartAndExcludeTheirEnd() throws Exception {
        String window = "\"validFrom\":\"2026-12-01T00:00:00Z\",\"validTo\":\"2026-12-24T00:00:00Z\"";
        RuleBook b = book(
                parse("f", "filter", "{\"type\":\"do-not-recommend\",\"items\":[\"i1\"]}", window),
                parse("p", "boost", "{\"type\":\"promote\",\"items\":[\"i1\"],\"factor\":2}", window),
                parse("s", "placement", "{\"placement\":\"home\",\"listSize\":8}", window));
        long from = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();
        long to = Instant.parse("2026-12-24T00:00:00Z").toEpochMilli();

        for (long t : new long[] {from - 1, from, to - 1, to}) {
            RankingRequest r = request(NOW);
            r.eventTime = t;
            boolean inside = t >= from && t < to;
            assertThat(b.excludedBy("i1", null, r)).as("filter at %s", t).isEqualTo(inside ? "f" : null);
            assertThat(b.boost("i1", null, r).factor()).as("boost at %s", t).isEqualTo(inside ? 2.0 : 1.0);
            assertThat(b.listSize("home", 20, r)).as("placement at %s", t).isEqualTo(inside ? 8 : 20);
        }
    }

    @Test
    void openEndedWindowsAndFractionsOfAMillisecond() throws Exception {
        RuleBook from = book(parse("f", "filter", "{\"type\":\"do-not-recommend\",\"items\":[\"i1\"]}",
                "\"validFrom\":\"2026-12-01T00:00:00.0005Z\""));
        RuleBook to = book(parse("f", "filter", "{\"type\":\"do-not-recommend\",\"items\":[\"i1\"]}",
                "\"validTo\":\"2026-12-01T00:00:00.0005Z\""));
        long ms = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();
        RankingRequest r = request(NOW);

        r.eventTime = ms;
        assertThat(from.excludedBy("i1", null, r)).as("before the start").isNull();
        assertThat(to.excludedBy("i1", null, r)).as("before the end").isEqualTo("f");
        r.eventTime = ms + 1;
        assertThat(from.excludedBy("i1", null, r)).isEqualTo("f");
        assertThat(to.excludedBy("i1", null, r)).isNull();
        r.eventTime = Long.MAX_VALUE / 2;
        assertThat(from.excludedBy("i1", null, r)).as("no end").isEqualTo("f");
    }

    @Test
    void segmentsRestrictARuleToCustomersWithAtLeastOneOfThem() throws Exception {
        RuleBook b = book(parse("dnr", "filter", "{\"type\":\"do-not-recommend\",\"items\":[\"i1\"]}",
                "\"segments\":[\"tier:high\",\"lifecycle:loyal\"]"));

        assertThat(b.excludedBy("i1", null, request(NOW, "tier:high"))).isEqualTo("dnr");
        assertThat(b.excludedBy("i1", null, request(NOW, "known", "lifecycle:loyal", "tier:mid"))).isEqualTo("dnr");
        assertThat(b.excludedBy("i1", null, request(NOW, "known", "tier:mid"))).isNull();
        assertThat(b.excludedBy("i1", null, request(NOW))).isNull();
        RankingRequest noSegments = request(NOW);
        noSegments.segments = null;
        assertThat(b.excludedBy("i1", null, noSegments)).isNull();
        assertThat(book(parse("all", "filter", "{\"type\":\"do-not-recommend\",\"items\":[\"i1\"]}"))
                .excludedBy("i1", null, noSegments)).as("no segments on the rule: everyone").isEqualTo("all");
    }

    @Test
    void disabledRulesDoNothingButAreKept() throws Exception {
        RuleBook b = RuleBook.of(List.of(
                RuleParser.parse(disabled("f", "filter", "{\"type\":\"do-not-recommend\",\"items\":[\"i1\"]}")),
                RuleParser.parse(disabled("b", "boost", "{\"type\":\"promote\",\"items\":[\"i1\"],\"factor\":3}")),
                RuleParser.parse(disabled("p", "placement", "{\"placement\":\"home\",\"listSize\":3}"))));
        RankingRequest r = request(NOW);

        assertThat(b.excludedBy("i1", null, r)).isNull();
        assertThat(b.boost("i1", null, r)).isSameAs(Boost.NONE);
        assertThat(b.listSize("home", 20, r)).isEqualTo(20);
        assertThat(b.size()).isEqualTo(3);
        assertThat(b.get("f").enabled()).isFalse();
    }

    private static io.nextbest.schemas.messages.Rule disabled(String id, String kind, String definition) {
        return Rules.message("{\"ruleId\":\"" + id + "\",\"kind\":\"" + kind + "\",\"enabled\":false,\"definition\":"
                + definition + "," + Rules.UPDATED + "}");
    }

    // ---- boosts ----

    @Test
    void boostsMultiplyWithOneReasonEachInRuleIdOrder() throws Exception {
        RuleBook b = book(
                parse("xmas-tv", "boost", "{\"type\":\"promote\",\"categories\":[\"electronics/tv\"],\"factor\":1.5}",
                        "\"validTo\":\"2026-12-24T00:00:00Z\""),
                parse("margin-boost", "boost", "{\"type\":\"margin\",\"weight\":0.5}"));
        RankingRequest r = request(NOW);

        Boost both = b.boost("TV-1", item("electronics/tv/oled", 999, 0.42), r);

        assertThat(both.factor()).isCloseTo(1.21 * 1.5, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(both.reasons()).containsExactly(
                new Reason(Signal.RULE, "margin 0.42 (rule margin-boost, ×1.21)", 1.21, null),
                new Reason(Signal.RULE, "promoted by rule xmas-tv until 2026-12-24T00:00:00Z (×1.50)", 1.5, null));

        Boost marginOnly = b.boost("P-1", item("books", 10, 0.2), r);
        assertThat(marginOnly.factor()).isEqualTo(1.1);
        assertThat(marginOnly.reasons()).extracting(Reason::text).containsExactly("margin 0.20 (rule margin-boost, ×1.10)");

        Boost unknownMargin = b.boost("TV-2", item("electronics/tv", 500, UNKNOWN), r);
        assertThat(unknownMargin.factor()).isEqualTo(1.5);
        assertThat(unknownMargin.reasons()).extracting(Reason::text)
                .containsExactly("promoted by rule xmas-tv until 2026-12-24T00:00:00Z (×1.50)");

        assertThat(b.factor("TV-1", item("electronics/tv/oled", 999, 0.42), r)).isEqualTo(both.factor());
        assertThat(b.boost("X", null, r)).as("not in the catalog, not listed").isSameAs(Boost.NONE);
        assertThat(b.boost("X", item("books", 10, 0), r)).as("margin 0 changes nothing").isSameAs(Boost.NONE);
    }

    @Test
    void promoteByItemIdWithoutCatalogEntryAndWithoutEnd() throws Exception {
        RuleBook b = book(parse("push-a", "boost", "{\"type\":\"promote\",\"items\":[\"A\"],\"factor\":2}"));

        Boost boost = b.boost("A", null, request(NOW));

        assertThat(boost.factor()).isEqualTo(2.0);
        assertThat(boost.reasons()).containsExactly(new Reason(Signal.RULE, "promoted by rule push-a (×2.00)", 2.0, null));
        assertThat(b.boost("B", null, request(NOW))).isSameAs(Boost.NONE);
    }

    @Test
    void aNegativeMarginWeightDemotesAndAPromoteFactorBelowOneToo() throws Exception {
        RuleBook b = book(
                parse("low-margin-first", "boost", "{\"type\":\"margin\",\"weight\":-1}"),
                parse("sink", "boost", "{\"type\":\"promote\",\"items\":[\"A\"],\"factor\":0.25}"));

        Boost boost = b.boost("A", item("a", 1, 0.5), request(NOW));

        assertThat(boost.factor()).isEqualTo(0.125);
        assertThat(boost.reasons()).extracting(Reason::value).containsExactly(0.5, 0.25);
    }

    @Test
    void reasonTextsStayWithin200Characters() throws Exception {
        String id = "r".repeat(127);
        RuleBook b = book(
                parse(id + "1", "boost", "{\"type\":\"promote\",\"items\":[\"A\"],\"factor\":99.999}",
                        "\"validTo\":\"2026-12-24T00:00:00.123456789Z\""),
                parse(id + "2", "boost", "{\"type\":\"margin\",\"weight\":99}"));

        List<Reason> reasons = b.boost("A", item("a", 1, 1), request(NOW)).reasons();

        assertThat(reasons).hasSize(2).allSatisfy(reason -> assertThat(reason.text()).hasSizeLessThanOrEqualTo(200));
        assertThat(reasons.get(0).text()).endsWith(" until 2026-12-24T00:00:00.123456789Z (×100.00)");
        assertThat(BoostRule.clip("x".repeat(300))).hasSize(200).endsWith("x…");
    }

    // ---- placement ----

    @Test
    void theSmallestRuleIdWinsAmongMatchingPlacementRules() throws Exception {
        ParsedRule a = parse("a-home", "placement", "{\"placement\":\"home\",\"listSize\":8}",
                "\"segments\":[\"tier:high\"]");
        ParsedRule b = parse("b-home", "placement", "{\"placement\":\"home\",\"listSize\":5}");
        ParsedRule c = parse("c-basket", "placement", "{\"placement\":\"basket\",\"listSize\":3}");
        RuleBook book = RuleBook.of(List.of(c, b, a));

        assertThat(book.listSize("home", 20, request(NOW, "tier:high"))).isEqualTo(8);
        assertThat(book.listSize("home", 20, request(NOW, "tier:low"))).as("a-home is not for this customer").isEqualTo(5);
        assertThat(book.listSize("basket", 20, request(NOW))).isEqualTo(3);
        assertThat(book.listSize("product", 20, request(NOW))).isEqualTo(20);
        assertThat(book.listSize(null, 20, request(NOW))).isEqualTo(20);
        assertThat(book.without("b-home").listSize("home", 20, request(NOW))).isEqualTo(20);
    }

    // ---- the book ----

    @Test
    void withReplacesOrAddsAndWithoutRemovesLeavingTheOriginalAlone() throws Exception {
        RuleBook one = book(parse("b", "filter", "{\"type\":\"do-not-recommend\",\"items\":[\"i1\"]}"));
        RuleBook two = one.with(parse("a", "filter", "{\"type\":\"do-not-recommend\",\"items\":[\"i2\"]}"));
        RuleBook replaced = two.with(parse("b", "filter", "{\"type\":\"do-not-recommend\",\"items\":[\"i3\"]}"));
        RankingRequest r = request(NOW);

        assertThat(two.rules()).extracting(ParsedRule::ruleId).containsExactly("a", "b");
        assertThat(replaced.size()).isEqualTo(2);
        assertThat(replaced.excludedBy("i1", null, r)).isNull();
        assertThat(replaced.excludedBy("i3", null, r)).isEqualTo("b");
        assertThat(one.excludedBy("i1", null, r)).isEqualTo("b");
        assertThat(two.without("a").rules()).extracting(ParsedRule::ruleId).containsExactly("b");
        assertThat(two.without("nope")).isSameAs(two);
        assertThat(one.without("b")).isSameAs(RuleBook.EMPTY);
        assertThat(two.get("a")).isNotNull();
        assertThat(two.get("c")).isNull();
        assertThat(two.with(parse("c", "contact", "{}")).size()).isEqualTo(3);
    }

    @Test
    void ofKeepsTheLastOfTwoRulesWithTheSameId() throws Exception {
        RuleBook b = RuleBook.of(List.of(
                parse("x", "placement", "{\"placement\":\"home\",\"listSize\":4}"),
                parse("x", "placement", "{\"placement\":\"home\",\"listSize\":6}")));

        assertThat(b.size()).isEqualTo(1);
        assertThat(b.listSize("home", 20, request(NOW))).isEqualTo(6);
    }

    @Test
    void aSerializedBookAppliesTheSameRules() throws Exception {
        RuleBook b = book(
                parse("cat", "filter", "{\"type\":\"category\",\"allow\":[\"electronics\"]}", "\"segments\":[\"known\"]"),
                parse("promo", "boost", "{\"type\":\"promote\",\"items\":[\"A\"],\"factor\":2}",
                        "\"validTo\":\"2026-12-24T00:00:00Z\""),
                parse("quiet", "contact", "{\"quietHours\":{\"from\":\"21:00\"}}"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(b);
        }
        RuleBook copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (RuleBook) in.readObject();
        }

        assertThat(copy.size()).isEqualTo(3);
        assertThat(copy.excludedBy("B", item("books", 1, UNKNOWN), request(NOW, "known"))).isEqualTo("cat");
        assertThat(copy.boost("A", null, request(NOW))).isEqualTo(b.boost("A", null, request(NOW)));
        assertThat(((ContactRule) copy.get("quiet")).definition()).isEqualTo(((ContactRule) b.get("quiet")).definition());
    }

    /**
     * The book caches the rules of the last request; on random interleaved (and mutated) requests its answers
     * equal those of each rule evaluated on its own.
     */
    @Test
    void cachedAnswersEqualRuleByRuleEvaluation() throws Exception {
        Random random = new Random(11);
        String[] segments = {"tier:high", "tier:low", "known", "anonymous"};
        String[] categories = {"a", "a/b", "a/b/c", "ab", "b", "b/a"};
        List<ParsedRule> rules = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String envelope = "\"validFrom\":\"2026-12-0" + (1 + random.nextInt(3)) + "T00:00:00Z\"";
            if (random.nextBoolean()) {
                envelope += ",\"segments\":[\"" + segments[random.nextInt(segments.length)] + "\"]";
            }
            String id = "r" + random.nextInt(100);
            rules.add(switch (i % 4) {
                case 0 -> parse(id, "filter", "{\"type\":\"bought-within\",\"days\":" + (1 + random.nextInt(5)) + "}", envelope);
                case 1 -> parse(id, "filter", "{\"type\":\"category\",\"deny\":[\"" + categories[random.nextInt(6)] + "\"]}", envelope);
                case 2 -> parse(id, "boost", "{\"type\":\"promote\",\"categories\":[\"" + categories[random.nextInt(6)]
                        + "\"],\"factor\":" + (1 + random.nextInt(3)) + "}", envelope);
                default -> parse(id, "boost", "{\"type\":\"margin\",\"weight\":0." + random.nextInt(10) + "}", envelope);
            });
        }
        RuleBook book = RuleBook.of(rules);
        List<ParsedRule> kept = book.rules();
        List<RankingRequest> requests = new ArrayList<>();
        for (int q = 0; q < 8; q++) {
            RankingRequest r = request("2026-12-0" + (1 + random.nextInt(4)) + "T12:00:00Z",
                    segments[random.nextInt(4)], segments[random.nextInt(4)]);
            r.purchased = new String[] {"i0", "i1", "i2"};
            r.purchasedAt = new long[] {r.eventTime - random.nextInt(6) * DAY, r.eventTime - random.nextInt(6) * DAY,
                    r.eventTime - random.nextInt(6) * DAY};
            requests.add(r);
        }
        int excluded = 0;
        int boosted = 0;
        for (int n = 0; n < 2000; n++) {
            RankingRequest r = requests.get(random.nextInt(requests.size()));
            if (random.nextInt(50) == 0) {
                r.eventTime += DAY; // a reused, changed request must not get the old answers
            }
            String itemId = "i" + random.nextInt(5);
            CatalogEntry item = random.nextInt(5) == 0 ? null
                    : item(categories[random.nextInt(6)], 1, random.nextBoolean() ? UNKNOWN : random.nextDouble());

            String expectedExclusion = null;
            double expectedFactor = 1.0;
            for (ParsedRule rule : kept) {
                if (!rule.appliesTo(r)) {
                    continue;
                }
                if (rule instanceof FilterRule f && expectedExclusion == null
                        && f.excludes(itemId, item, f.prepare(r))) {
                    expectedExclusion = f.ruleId();
                }
                if (rule instanceof BoostRule boost) {
                    expectedFactor *= boost.factor(itemId, item);
                }
            }
            assertThat(book.excludedBy(itemId, item, r)).isEqualTo(expectedExclusion);
            assertThat(book.boost(itemId, item, r).factor()).isEqualTo(expectedFactor);
            assertThat(book.factor(itemId, item, r)).isEqualTo(expectedFactor);
            assertThat(book.forRequest(r).excludedBy(itemId, item)).isEqualTo(expectedExclusion);
            excluded += expectedExclusion == null ? 0 : 1;
            boosted += expectedFactor == 1.0 ? 0 : 1;
        }
        assertThat(excluded).as("excluded").isBetween(200, 1800);
        assertThat(boosted).as("boosted").isBetween(200, 1800);
    }
}
