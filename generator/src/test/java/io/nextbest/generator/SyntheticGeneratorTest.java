package io.nextbest.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.schemas.Codec;
import io.nextbest.schemas.DeadLetterReason;
import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.SchemaValidation;
import io.nextbest.schemas.Topic;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.CatalogItem;
import io.nextbest.schemas.messages.CustomerEvent;
import io.nextbest.schemas.messages.CustomerEventType;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.OrderLine;
import io.nextbest.schemas.messages.Transaction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SyntheticGeneratorTest {

    private static final Workloads WORKLOADS = Workloads.load();
    private static final Workload SMOKE = WORKLOADS.get("smoke");
    /** The event count the statistical checks run on. */
    private static final int N = 50_000;
    /** One unskipped run of the smoke workload, shared by the checks that only read it. */
    private static final List<InputEvent> SMOKE_RUN = take(new SyntheticGenerator(SMOKE, 0, 1, 0), N);

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedOthers() {
        List<InputEvent> again = take(new SyntheticGenerator(SMOKE, 0, 1, 0), 20_000);
        for (int i = 0; i < again.size(); i++) {
            assertSame(again.get(i), SMOKE_RUN.get(i), i);
        }
        List<InputEvent> otherSeed = take(new SyntheticGenerator(SMOKE.with("seed", "43"), 0, 1, 0), 1_000);
        long equal = 0;
        for (int i = 0; i < otherSeed.size(); i++) {
            equal += Arrays.equals(otherSeed.get(i).value(), SMOKE_RUN.get(i).value()) ? 1 : 0;
        }
        assertThat(equal).isZero();
    }

    @Test
    void eventTimeFollowsTheScheduleNotTheWallClock() {
        Schedule schedule = Schedule.of(Schedule.FIXED_START_MS, SMOKE.rate());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            InputEvent e = SMOKE_RUN.get(i);
            if (e.eventId() == null || seen.add(e.eventId())) { // a duplicate keeps the time of its first sending
                assertThat(e.eventTimeMs()).as("event %d", i).isEqualTo(schedule.eventTimeMs(i));
            }
        }
        assertThat(SMOKE_RUN.get(1000).eventTimeMs() - SMOKE_RUN.get(0).eventTimeMs()).isEqualTo(1000); // 1000/s

        // another start and rate: the same records, stamped on that schedule
        long start = Instant.parse("2026-11-23T15:00:00Z").toEpochMilli();
        List<InputEvent> fast = take(new SyntheticGenerator(SMOKE, 0, 1, 0, new Schedule(start, 4000, 0)), 2_000);
        assertThat(fast.get(0).eventTimeMs()).isEqualTo(start);
        assertThat(fast.get(1999).eventTimeMs()).isEqualTo(start + 499); // 1999 / 4000 s
        Schedule resumedAt = new Schedule(start, 4000, 500); // a run that resumes at 500 counts from there
        assertThat(resumedAt.eventTimeMs(500)).isEqualTo(start);
        assertThat(resumedAt.eventTimeMs(4500)).isEqualTo(start + 1000);
        assertThat(fast).extracting(InputEvent::eventId).containsExactlyElementsOf(
                SMOKE_RUN.subList(0, 2_000).stream().map(InputEvent::eventId).toList());
    }

    @Test
    void pacingMovesTheScheduleOnFromTheNextRecordAndChangesNothingElse() {
        long start = Instant.parse("2026-11-23T15:00:00Z").toEpochMilli();
        SyntheticGenerator g = new SyntheticGenerator(SMOKE, 0, 1, 0, Schedule.of(start, 1000));
        List<InputEvent> paced = new java.util.ArrayList<>(take(g, 1_000)); // 1,000/s for a second
        g.pace(start + 5_000, 100); // then, five seconds later, 100/s
        paced.addAll(take(g, 300));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < paced.size(); i++) {
            InputEvent e = paced.get(i);
            if (e.eventId() == null || seen.add(e.eventId())) { // a duplicate keeps the time of its first sending
                long expected = i < 1_000 ? start + i : start + 5_000 + (i - 1_000) * 10L;
                assertThat(e.eventTimeMs()).as("event %d", i).isEqualTo(expected);
            }
        }
        assertThat(paced).extracting(InputEvent::eventId).containsExactlyElementsOf(
                SMOKE_RUN.subList(0, 1_300).stream().map(InputEvent::eventId).toList());
    }

    @Test
    void resumingAtAnyPositionContinuesExactlyAsAnUnskippedRun() {
        SplittableRandom r = new SplittableRandom(5);
        int checked = 0;
        for (int trial = 0; trial < 40; trial++) {
            int n = trial == 0 ? 0 : trial == 1 ? 1 : r.nextInt(N - 500);
            SyntheticGenerator resumed = new SyntheticGenerator(SMOKE, 0, 1, n);
            assertThat(resumed.position()).isEqualTo(n);
            for (int i = n; i < n + 300; i++) {
                assertSame(resumed.next(), SMOKE_RUN.get(i), i);
                checked++;
            }
            assertThat(resumed.position()).isEqualTo(n + 300);
        }
        assertThat(checked).isEqualTo(40 * 300);

        // a part of several, on its own schedule
        Schedule schedule = Schedule.of(Schedule.FIXED_START_MS + 77, 333.3);
        List<InputEvent> whole = take(new SyntheticGenerator(SMOKE, 2, 3, 0, schedule), 12_000);
        SyntheticGenerator resumed = new SyntheticGenerator(SMOKE, 2, 3, 9_876, schedule);
        for (int i = 9_876; i < 12_000; i++) {
            assertSame(resumed.next(), whole.get(i), i);
        }
    }

    @Test
    void partsUseDisjointCustomerRangesAndTogetherLookLikeOnePart() {
        int parts = 3;
        Map<String, Long> mixOfParts = new TreeMap<>();
        int[] bucketsOfParts = new int[10];
        Set<String> customersSeen = new HashSet<>();
        for (int p = 0; p < parts; p++) {
            SyntheticGenerator g = new SyntheticGenerator(SMOKE, p, parts, 0);
            long from = g.customerFrom();
            long to = from + g.customerCount();
            assertThat(from).isEqualTo((long) SMOKE.customers() * p / parts);
            for (InputEvent e : take(g, N / parts)) {
                mixOfParts.merge(e.action(), 1L, Long::sum);
                for (String c : customersOf(e)) {
                    long index = Long.parseLong(c.substring(1)) - 1;
                    assertThat(index).as("customer %s of part %d", c, p).isBetween(from, to - 1);
                    customersSeen.add(c);
                    bucketsOfParts[(int) (index * 10 / SMOKE.customers())]++;
                }
            }
        }
        // every part reaches its whole range (about 3500 customer draws: 1 - e^-1.75 of 2000 customers)
        assertThat(customersSeen.size()).isGreaterThan(SMOKE.customers() * 3 / 4);

        Map<String, Long> mixOfOne = new TreeMap<>();
        int[] bucketsOfOne = new int[10];
        for (InputEvent e : SMOKE_RUN.subList(0, N / parts * parts)) {
            mixOfOne.merge(e.action(), 1L, Long::sum);
            for (String c : customersOf(e)) {
                bucketsOfOne[(int) ((Long.parseLong(c.substring(1)) - 1) * 10 / SMOKE.customers())]++;
            }
        }
        assertThat(mixOfParts.keySet()).isEqualTo(mixOfOne.keySet());
        for (String action : mixOfOne.keySet()) {
            double one = mixOfOne.get(action) / (double) (N / parts * parts);
            double several = mixOfParts.get(action) / (double) (N / parts * parts);
            assertThat(several).as(action).isCloseTo(one, within(5 * Math.sqrt(one * (1 - one) / (N / 2.0)) + 1e-4));
        }
        int totalParts = Arrays.stream(bucketsOfParts).sum();
        int totalOne = Arrays.stream(bucketsOfOne).sum();
        for (int b = 0; b < 10; b++) {
            assertThat(bucketsOfParts[b] / (double) totalParts).as("customer decile %d", b).isCloseTo(0.1, within(0.02));
            assertThat(bucketsOfOne[b] / (double) totalOne).as("customer decile %d", b).isCloseTo(0.1, within(0.02));
        }
    }

    @Test
    void everyValidRecordDecodesWithItsTopicsCodecAndAgreesWithItsInputEvent() {
        Map<String, Integer> perTopic = new TreeMap<>();
        for (int i = 0; i < SMOKE_RUN.size(); i++) {
            InputEvent e = SMOKE_RUN.get(i);
            if (e.action().equals(InputEvent.BROKEN)) {
                continue;
            }
            perTopic.merge(e.topic(), 1, Integer::sum);
            Topic<?> topic = Topics.byName(e.topic()).orElseThrow();
            Object message = decode(topic, e.value(), i);
            assertThat(keyOf(topic, message)).as("key of %d", i).isEqualTo(e.key());
            if (message instanceof Interaction m) {
                assertThat(e.eventId()).isEqualTo(m.eventId());
                assertThat(e.customerKey()).isEqualTo(m.customerId() != null ? m.customerId() : m.sessionId());
                assertThat(e.itemId()).isEqualTo(m.itemId());
                assertThat(e.action()).isEqualTo(m.type().wire());
                assertThat(e.eventTimeMs()).isEqualTo(m.timestamp().toEpochMilli());
                assertThat(m.sessionId()).startsWith("s");
            } else if (message instanceof Transaction m) {
                assertThat(e.eventId()).isEqualTo(m.eventId());
                assertThat(e.customerKey()).isEqualTo(m.customerId());
                assertThat(e.itemId()).isEqualTo(m.lines().size() == 1 ? m.lines().get(0).itemId() : null);
                assertThat(e.action()).isEqualTo(m.type().wire());
                assertThat(e.eventTimeMs()).isEqualTo(m.timestamp().toEpochMilli());
                double total = m.lines().stream().mapToDouble(l -> l.quantity() * l.unitPrice()).sum();
                assertThat(m.total()).isCloseTo(total, within(0.005));
            } else if (message instanceof CustomerEvent m) {
                assertThat(e.eventId()).isEqualTo(m.eventId());
                assertThat(e.customerKey()).isEqualTo(m.customerId());
                assertThat(e.itemId()).isNull();
                assertThat(e.action()).isEqualTo(m.type().wire());
                assertThat(e.eventTimeMs()).isEqualTo(m.timestamp().toEpochMilli());
            } else if (message instanceof CatalogItem m) {
                assertThat(e.eventId()).isNull();
                assertThat(e.customerKey()).isNull();
                assertThat(e.itemId()).isEqualTo(m.itemId());
                assertThat(e.action()).isEqualTo("catalog");
                assertThat(e.eventTimeMs()).isEqualTo(m.updatedAt().toEpochMilli());
                assertThat(m.categoryPath()).hasSize(SMOKE.categoryDepth());
            } else {
                fail("unexpected message " + message);
            }
            if (perTopic.get(e.topic()) <= 100) { // the JSON Schemas agree (slower, so on a sample of each topic)
                assertThat(SchemaValidation.violations(e.topic(), new String(e.value(), StandardCharsets.UTF_8)))
                        .as("schema violations of %d", i).isEmpty();
            }
        }
        assertThat(perTopic).containsOnlyKeys("interactions", "transactions", "customers", "catalog");
        Map<String, Long> actions = new TreeMap<>();
        SMOKE_RUN.forEach(e -> actions.merge(e.action(), 1L, Long::sum));
        assertThat(actions).containsOnlyKeys("view", "click", "add_to_cart", "remove_from_cart", "wishlist", "search",
                "order", "identify", "consent", "catalog", "broken");
    }

    @Test
    void brokenRecordsOfEveryKindAreRejected() {
        // far enough for the job's clock check: GeneratorMeetsJobTest (load-tests) compares with its setting
        long farFutureMs = SyntheticGenerator.FAR_FUTURE.toMillis();
        Set<DeadLetterReason> reasons = EnumSet.noneOf(DeadLetterReason.class);
        Set<String> topics = new HashSet<>();
        int farFuture = 0;
        for (InputEvent e : SMOKE_RUN) {
            if (!e.action().equals(InputEvent.BROKEN)) {
                continue;
            }
            assertThat(e.eventId()).isNull();
            assertThat(e.customerKey()).isNull();
            assertThat(e.key()).startsWith("c");
            topics.add(e.topic());
            Codec<?> codec = Topics.byName(e.topic()).orElseThrow().codec();
            try {
                Object message = codec.decode(e.value());
                // the only kind the codec accepts: the job's clock check rejects it
                Instant stamped = message instanceof Interaction m ? m.timestamp()
                        : message instanceof Transaction m ? m.timestamp()
                        : ((CustomerEvent) message).timestamp();
                assertThat(stamped.toEpochMilli() - e.eventTimeMs()).isEqualTo(farFutureMs);
                farFuture++;
            } catch (InvalidMessageException rejected) {
                reasons.add(rejected.reason());
            }
        }
        assertThat(reasons).containsExactlyInAnyOrder(DeadLetterReason.NOT_JSON, DeadLetterReason.UNKNOWN_TYPE,
                DeadLetterReason.INVALID_VALUE, DeadLetterReason.MISSING_ID);
        assertThat(farFuture).isPositive();
        assertThat(topics).containsExactlyInAnyOrder("interactions", "transactions", "customers");
    }

    @Test
    void observedRatesMatchTheConfiguredOnes() {
        int total = SMOKE_RUN.size();
        Map<String, Long> originals = new HashMap<>(); // action → count, duplicates not counted
        Map<String, byte[]> firstById = new HashMap<>();
        long broken = 0;
        long duplicates = 0;
        long catalog = 0;
        long cartUnits = 0;
        long boughtUnits = 0;
        Map<String, Session> sessions = new LinkedHashMap<>();
        Map<String, Long> lastSessionOfLane = new HashMap<>();
        for (InputEvent e : SMOKE_RUN) {
            if (e.action().equals(InputEvent.BROKEN)) {
                broken++;
                continue;
            }
            if (e.action().equals("catalog")) {
                catalog++;
                continue;
            }
            byte[] first = firstById.putIfAbsent(e.eventId(), e.value());
            if (first != null) {
                assertThat(e.value()).as("a duplicate repeats its record byte for byte").isEqualTo(first);
                duplicates++;
                continue;
            }
            originals.merge(e.action(), 1L, Long::sum);
            Object message = decode(Topics.byName(e.topic()).orElseThrow(), e.value(), -1);
            if (message instanceof Interaction m) {
                Session s = sessions.computeIfAbsent(m.sessionId(), id -> new Session(m.customerId() == null));
                if (m.type().wire().equals("add_to_cart")) {
                    cartUnits += m.quantityOrOne();
                    s.basket.merge(m.itemId(), m.quantityOrOne(), Integer::sum);
                    s.carted = true;
                } else if (m.type().wire().equals("remove_from_cart")) {
                    s.basket.merge(m.itemId(), -m.quantityOrOne(), Integer::sum);
                }
                String[] tag = m.sessionId().substring(1).split("-"); // s<part>-<lane>-<n>
                lastSessionOfLane.merge(tag[1], Long.parseLong(tag[2]), Math::max);
            } else if (message instanceof Transaction m) {
                boughtUnits += m.lines().stream().mapToInt(OrderLine::quantity).sum();
                sessions.get("s" + m.orderId().substring(1)).bought = true; // o<tag> belongs to s<tag>
            }
        }
        // sessions still running when the sample ends are not judged
        sessions.keySet().removeIf(id -> {
            String[] tag = id.substring(1).split("-");
            return lastSessionOfLane.get(tag[1]) == Long.parseLong(tag[2]);
        });

        assertShare("bad records", broken, total, SMOKE.badRecordShare());
        assertShare("duplicates", duplicates, total, SMOKE.duplicateShare());
        assertShare("catalog updates", catalog, total, SMOKE.catalogUpdateShare());
        long views = originals.get("view");
        assertShare("add_to_cart per view", originals.get("add_to_cart"), views, SMOKE.viewToCart());
        assertShare("wishlist per view", originals.get("wishlist"), views, SMOKE.wishlistShare());
        assertShare("click per view", originals.get("click"), views, SMOKE.clickShare());
        // bought / carted units: session-level abandonment makes it vary more than a per-unit share
        assertThat(boughtUnits / (double) cartUnits).as("purchased per carted unit")
                .isCloseTo(SMOKE.cartToPurchase(), within(0.04));

        long anonymous = sessions.values().stream().filter(s -> s.anonymous).count();
        assertShare("anonymous sessions", anonymous, sessions.size(), SMOKE.anonymousShare());
        long carted = sessions.values().stream().filter(s -> s.carted).count();
        long abandoned = sessions.values().stream()
                .filter(s -> s.carted && !s.bought && s.basket.values().stream().anyMatch(q -> q > 0)).count();
        assertShare("abandoned baskets", abandoned, carted, SMOKE.abandonedBasketShare());
        long boughtSessions = sessions.values().stream().filter(s -> s.bought).count();
        assertThat(boughtSessions).isPositive();
        assertThat(sessions.values().stream().filter(s -> s.bought).allMatch(s -> s.carted)).isTrue();
        long views1 = originals.get("view");
        assertThat(views1 / (double) sessions.size()).as("views per session")
                .isCloseTo((SMOKE.minViews() + SMOKE.maxViews()) / 2.0, within(0.5));
    }

    @Test
    void itemPopularityFollowsZipf() {
        Workload small = WORKLOADS.get("small"); // 10k items: the top 1% are 100 items
        SyntheticCatalog catalog = SyntheticCatalog.of(small);
        int[] viewsByRank = new int[small.items()];
        long views = 0;
        SyntheticGenerator g = new SyntheticGenerator(small, 0, 1, 0);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < N; i++) {
            InputEvent e = g.next();
            if (e.action().equals("view") && ids.add(e.eventId())) {
                viewsByRank[catalog.rank(catalog.indexOf(e.itemId()))]++;
                views++;
            }
        }
        int top = small.items() / 100;
        double expected = harmonic(top, small.zipfExponent()) / harmonic(small.items(), small.zipfExponent());
        long topViews = Arrays.stream(viewsByRank, 0, top).sum();
        assertThat(topViews / (double) views).as("share of views on the top 1%% of items")
                .isCloseTo(expected, within(5 * Math.sqrt(expected * (1 - expected) / views)));
        assertThat(viewsByRank[0]).isGreaterThan(viewsByRank[9]).isGreaterThan(viewsByRank[99]);
        // the most popular items are spread over the id space and the categories, not the first ids
        assertThat(catalog.itemId(catalog.indexOf(catalog.itemId(0)))).isEqualTo(catalog.itemId(0));
        Set<String> topCategories = new HashSet<>();
        for (int item = 0; item < small.items(); item++) {
            if (catalog.rank(item) < top) {
                topCategories.add(catalog.categoryPath(item).get(0));
            }
        }
        assertThat(topCategories.size()).isGreaterThan(1);
    }

    @Test
    void ordersPayTheListPricesOfTheCatalogFeed() {
        Map<String, Double> listPrice = new HashMap<>();
        CatalogFeed feed = new CatalogFeed(SMOKE);
        feed.forEachRemaining(e -> listPrice.put(e.itemId(),
                decodeAs(Topics.CATALOG, e.value()).price()));
        int lines = 0;
        for (InputEvent e : SMOKE_RUN) {
            if (e.action().equals("order")) {
                for (OrderLine l : decodeAs(Topics.TRANSACTIONS, e.value()).lines()) {
                    assertThat(l.unitPrice()).isEqualTo(listPrice.get(l.itemId()));
                    lines++;
                }
            }
        }
        assertThat(lines).isPositive();
    }

    @Test
    void anonymousSessionsThatLogInIdentifyTheirSessionBeforeTheyBuy() {
        Map<String, String> customerOfSession = new HashMap<>();
        int identified = 0;
        for (InputEvent e : SMOKE_RUN) {
            if (e.action().equals("identify")) {
                CustomerEvent m = decodeAs(Topics.CUSTOMERS, e.value());
                assertThat(m.type()).isEqualTo(CustomerEventType.IDENTIFY);
                customerOfSession.put(m.sessionId(), m.customerId());
                identified++;
            } else if (e.topic().equals("interactions") && !e.action().equals(InputEvent.BROKEN)) {
                Interaction m = decodeAs(Topics.INTERACTIONS, e.value());
                String linked = customerOfSession.get(m.sessionId());
                if (linked != null) {
                    assertThat(m.customerId()).as("after identify, the session's events name the customer").isEqualTo(linked);
                }
            }
        }
        assertThat(identified).isPositive();
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS)
    void aLargeWorkloadStartsQuicklyAndResumesFarAheadWithoutPerCustomerState() {
        Workload large = WORKLOADS.get("large");
        int parts = large.generatorThreads();
        SyntheticGenerator g = new SyntheticGenerator(large, parts - 1, parts, 0);
        long from = g.customerFrom();
        for (InputEvent e : take(g, 20_000)) {
            for (String c : customersOf(e)) {
                assertThat(Long.parseLong(c.substring(1)) - 1).isBetween(from, from + g.customerCount() - 1);
            }
        }
        assertThat(g.customerFrom() + g.customerCount()).isEqualTo(large.customers());
        SyntheticGenerator far = new SyntheticGenerator(large, 0, parts, 2_000_000);
        assertThat(far.position()).isEqualTo(2_000_000);
        assertThat(far.next().eventTimeMs()).isGreaterThanOrEqualTo(Schedule.FIXED_START_MS);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> new SyntheticGenerator(SMOKE, 3, 3, 0)).hasMessageContaining("part must be in 0..2");
        assertThatThrownBy(() -> new SyntheticGenerator(SMOKE, 0, 0, 0)).hasMessageContaining("parts >= 1");
        assertThatThrownBy(() -> new SyntheticGenerator(SMOKE, 0, 1, -1)).hasMessageContaining("skip must be >= 0");
        assertThatThrownBy(() -> new SyntheticGenerator(SMOKE, 0, 5000, 0)).hasMessageContaining("every part needs one");
    }

    // --- helpers

    private static final class Session {
        final boolean anonymous;
        final Map<String, Integer> basket = new HashMap<>();
        boolean carted;
        boolean bought;

        Session(boolean anonymous) {
            this.anonymous = anonymous;
        }
    }

    /** A share observed on {@code of} trials is within five standard errors of the configured one. */
    private static void assertShare(String what, long count, long of, double expected) {
        double tolerance = 5 * Math.sqrt(expected * (1 - expected) / of) + 1e-9;
        assertThat(count / (double) of).as("%s (%d of %d)", what, count, of).isCloseTo(expected, within(tolerance));
    }

    private static double harmonic(int n, double s) {
        double h = 0;
        for (int r = 1; r <= n; r++) {
            h += Math.pow(r, -s);
        }
        return h;
    }

    /** The customer ids an event names (in its key or body), for the part checks. */
    private static List<String> customersOf(InputEvent e) {
        List<String> out = new ArrayList<>();
        if (e.key() != null && e.key().startsWith("c")) {
            out.add(e.key());
        }
        if (e.customerKey() != null && e.customerKey().startsWith("c") && !e.customerKey().equals(e.key())) {
            out.add(e.customerKey());
        }
        return out;
    }

    private static Object decode(Topic<?> topic, byte[] value, int index) {
        try {
            return topic.codec().decode(value);
        } catch (InvalidMessageException e) {
            throw new AssertionError("record " + index + " on " + topic.name() + " does not decode: " + e.detail()
                    + "\n" + new String(value, StandardCharsets.UTF_8));
        }
    }

    private static <T> T decodeAs(Topic<T> topic, byte[] value) {
        try {
            return topic.codec().decode(value);
        } catch (InvalidMessageException e) {
            throw new AssertionError(e.detail());
        }
    }

    @SuppressWarnings("unchecked")
    private static String keyOf(Topic<?> topic, Object message) {
        byte[] key = ((Topic<Object>) topic).keyBytes(message);
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    static List<InputEvent> take(EventSource source, int n) {
        List<InputEvent> out = new ArrayList<>(n);
        for (int i = 0; i < n && source.hasNext(); i++) {
            out.add(source.next());
        }
        return out;
    }

    private static void assertSame(InputEvent actual, InputEvent expected, long position) {
        assertThat(actual.value()).as("bytes at %d", position).isEqualTo(expected.value());
        assertThat(actual.topic()).as("topic at %d", position).isEqualTo(expected.topic());
        assertThat(actual.key()).as("key at %d", position).isEqualTo(expected.key());
        assertThat(actual.eventId()).as("eventId at %d", position).isEqualTo(expected.eventId());
        assertThat(actual.customerKey()).as("customerKey at %d", position).isEqualTo(expected.customerKey());
        assertThat(actual.itemId()).as("itemId at %d", position).isEqualTo(expected.itemId());
        assertThat(actual.action()).as("action at %d", position).isEqualTo(expected.action());
        assertThat(actual.eventTimeMs()).as("eventTimeMs at %d", position).isEqualTo(expected.eventTimeMs());
    }
}
