package io.nextbest.job.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.schemas.messages.Channel;
import io.nextbest.schemas.messages.Feedback;
import io.nextbest.schemas.messages.FeedbackType;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.OrderLine;
import io.nextbest.schemas.messages.Transaction;
import io.nextbest.schemas.messages.TransactionType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AttributionTest {
    static final long MIN = 60_000;
    static final long T0 = Instant.parse("2026-12-06T10:00:00Z").toEpochMilli();

    private final Attribution attribution = new Attribution(30 * MIN, 60 * MIN, 16);

    /** Applies inputs in order to one subject's state; returns every change, in order. */
    private List<ArmCounts> run(Attribution a, List<AttributionInput> inputs) {
        List<ArmCounts> out = new ArrayList<>();
        AttributionState s = null;
        for (AttributionInput in : inputs) {
            s = a.apply(s, in, out::add);
        }
        return out;
    }

    static AttributionInput list(String subject, long seq, String variant, long time, String... items) {
        AttributionInput in = new AttributionInput();
        in.list = new ShownList(subject, seq, "exp", variant, "home", time, items);
        return in;
    }

    static AttributionInput feedback(FeedbackType type, String subject, String item, Long seq, long time) {
        return feedback(type, subject, item, seq, time, null);
    }

    static AttributionInput feedback(FeedbackType type, String subject, String item, Long seq, long time,
            String variant) {
        AttributionInput in = new AttributionInput();
        in.feedback = new Feedback("f-" + type + item + time, type, subject, null, Instant.ofEpochMilli(time), item,
                "home", seq, null, variant, null);
        return in;
    }

    static AttributionInput cart(String subject, String item, long time) {
        AttributionInput in = new AttributionInput();
        in.addToCart = new Interaction("c-" + item + time, InteractionType.ADD_TO_CART, subject, null, item, null,
                Instant.ofEpochMilli(time), Channel.WEB, null, 1, 10.0);
        return in;
    }

    static AttributionInput order(String subject, long time, double total, OrderLine... lines) {
        AttributionInput in = new AttributionInput();
        in.order = new Transaction("o-" + time, TransactionType.ORDER, "order-" + time, subject,
                Instant.ofEpochMilli(time), List.of(lines), total, "EUR", Channel.WEB);
        return in;
    }

    /** Sums changes per arm over all windows. */
    static Map<String, ArmCounts> totals(List<ArmCounts> changes) {
        Map<String, ArmCounts> t = new TreeMap<>();
        for (ArmCounts c : changes) {
            t.computeIfAbsent(c.arm(), k -> new ArmCounts(c.experimentId, c.variant, 0)).add(c);
        }
        return t;
    }

    @Test
    void theRulesOfDocsExperimentsOnOneCustomer() {
        List<ArmCounts> out = run(attribution, List.of(
                order("c1", T0 - MIN, 50, new OrderLine("A", 1, 50)),      // before exposure: nothing (no state yet)
                list("c1", 1, "v1", T0, "A", "B"),                           // exposed to v1 in window 10:00
                list("c1", 2, "v1", T0 + MIN, "C"),
                feedback(FeedbackType.IMPRESSION, "c1", "A", 1L, T0 + 2 * MIN),
                feedback(FeedbackType.CLICK, "c1", "B", null, T0 + 3 * MIN),  // newest list showing B: seq 1
                feedback(FeedbackType.CLICK, "c1", "C", null, T0 + 40 * MIN), // seq 2 made 39 min before: outside 30 min
                feedback(FeedbackType.DISMISS, "c1", "C", 2L, T0 + 40 * MIN), // by sequence: no window
                cart("c1", "B", T0 + 20 * MIN),
                order("c1", T0 + 70 * MIN, 30, new OrderLine("B", 1, 30)),  // window 11:00; B shown 70 min ago: not attributed
                order("c1", T0 + 75 * MIN, 20, new OrderLine("Z", 2, 10))));
        Map<String, ArmCounts> t = totals(out);
        ArmCounts v1 = t.get("exp/v1");
        assertThat(t).containsOnlyKeys("exp/v1");
        assertThat(v1.lists).isEqualTo(2);
        assertThat(v1.exposedCustomers).isEqualTo(1);
        assertThat(v1.impressions).isEqualTo(1);
        assertThat(v1.clicks).isEqualTo(1);
        assertThat(v1.clickers).isEqualTo(1);
        assertThat(v1.dismissals).isEqualTo(1);
        assertThat(v1.addToCarts).isEqualTo(1);
        assertThat(v1.attributedOrders).isZero();
        assertThat(v1.orders).isEqualTo(2);
        assertThat(v1.converters).isEqualTo(1);
        assertThat(v1.revenue).isEqualTo(50);
        assertThat(v1.revenueSquares).isCloseTo(50.0 * 50.0, within(1e-9)); // one customer: (30 + 20)^2
        // the orders fell in the 11:00 window, the lists in the 10:00 one
        assertThat(out.stream().filter(c -> c.orders > 0).map(c -> c.windowStart)).containsOnly(T0 + 60 * MIN);
        assertThat(out.stream().filter(c -> c.lists > 0).map(c -> c.windowStart)).containsOnly(T0);
    }

    @Test
    void anOrderOfAShownItemIsAttributedToTheArmOfTheListThatShowedIt() {
        Map<String, ArmCounts> t = totals(run(attribution, List.of(
                list("c1", 1, "control", T0, "A", "B"),
                order("c1", T0 + 5 * MIN, 45, new OrderLine("A", 2, 15), new OrderLine("B", 1, 10),
                        new OrderLine("Q", 1, 5)))));
        ArmCounts control = t.get("exp/control");
        assertThat(control.attributedOrders).isEqualTo(1);
        assertThat(control.attributedRevenue).isEqualTo(40);
        assertThat(control.revenue).isEqualTo(45);
    }

    @Test
    void aCustomerWithoutAListOfAnExperimentKeepsNoState() {
        AttributionState s = attribution.apply(null, feedback(FeedbackType.CLICK, "c9", "A", 3L, T0), c -> {
            throw new AssertionError("nothing to attribute");
        });
        assertThat(s).isNull();
        assertThat(attribution.apply(null, order("c9", T0, 10), c -> {
            throw new AssertionError("nothing to attribute");
        })).isNull();
    }

    @Test
    void feedbackThatOvertookItsListWaitsForIt() {
        List<ArmCounts> out = run(attribution, List.of(
                feedback(FeedbackType.IMPRESSION, "c1", "A", 1L, T0 + 1, "v1"),  // the list is not here yet
                feedback(FeedbackType.CLICK, "c1", "A", 1L, T0 + 2),
                feedback(FeedbackType.CLICK, "c1", "B", 7L, T0 + 2),       // names a list that never comes
                list("c1", 1, "v1", T0, "A", "B"),
                list("c1", 2, "v1", T0 + 40 * MIN, "C"),                   // the sequence 7 feedback is too old now
                list("c1", 7, "v1", T0 + 41 * MIN, "B"),
                feedback(FeedbackType.IMPRESSION, "c1", "C", 1L, T0 + 42 * MIN))); // list 1 is known: attributed
        Map<String, ArmCounts> t = totals(out);
        assertThat(t.get("exp/v1").impressions).isEqualTo(2);
        assertThat(t.get("exp/v1").clicks).isEqualTo(1);
        assertThat(t.get("exp/v1").clickers).isEqualTo(1);
        assertThat(t.get("exp/v1").lists).isEqualTo(3);
    }

    @Test
    void feedbackOnListsOutsideExperimentsKeepsNoState() {
        assertThat(attribution.apply(null, feedback(FeedbackType.CLICK, "c9", "A", 3L, T0, "default"), c -> {
            throw new AssertionError("nothing to attribute");
        })).isNull();
    }

    @Test
    void feedbackNamingAForgottenListDoesNotWait() {
        AttributionState s = null;
        List<ArmCounts> out = new ArrayList<>();
        for (AttributionInput in : List.of(list("c1", 5, "v1", T0, "A"),
                feedback(FeedbackType.CLICK, "c1", "A", 2L, T0 + 1))) {
            s = attribution.apply(s, in, out::add);
        }
        assertThat(s.pending).isEmpty();
        assertThat(totals(out).get("exp/v1").clicks).isZero();
    }

    @Test
    void onlyTheNewestListsAreRemembered() {
        Attribution two = new Attribution(30 * MIN, 60 * MIN, 2);
        Map<String, ArmCounts> t = totals(run(two, List.of(
                list("c1", 1, "v1", T0, "A"), list("c1", 2, "v1", T0 + 1, "B"), list("c1", 3, "v1", T0 + 2, "C"),
                feedback(FeedbackType.IMPRESSION, "c1", "A", 1L, T0 + 3),   // forgotten
                feedback(FeedbackType.IMPRESSION, "c1", "B", 2L, T0 + 3),
                feedback(FeedbackType.CLICK, "c1", "A", null, T0 + 3))));   // no remembered list shows A
        assertThat(t.get("exp/v1").impressions).isEqualTo(1);
        assertThat(t.get("exp/v1").clicks).isZero();
        assertThat(t.get("exp/v1").exposedCustomers).isEqualTo(1);
    }

    /**
     * The oracle: random histories of many customers, attributed event by event, against totals recomputed in one
     * batch pass over each customer's whole history, written from the rules of docs/experiments.md.
     */
    @Test
    void streamingTotalsEqualABatchRecomputationOfTheRules() {
        Random random = new Random(7);
        String[] items = {"A", "B", "C", "D", "E", "F"};
        List<ArmCounts> streamed = new ArrayList<>();
        Map<String, ArmCounts> expected = new TreeMap<>();
        for (int c = 0; c < 300; c++) {
            String subject = "c" + c;
            String variant = c % 3 == 0 ? "control" : "v1";
            List<AttributionInput> history = new ArrayList<>();
            long time = T0 + random.nextInt(120) * MIN;
            long seq = 0;
            for (int e = 0; e < 25; e++) {
                time += random.nextInt(20) * MIN;
                int kind = random.nextInt(6);
                String item = items[random.nextInt(items.length)];
                switch (kind) {
                    case 0 -> history.add(list(subject, ++seq, variant, time, items[random.nextInt(6)],
                            items[random.nextInt(6)], items[random.nextInt(6)]));
                    case 1 -> history.add(feedback(FeedbackType.IMPRESSION, subject, item,
                            seq > 0 && random.nextBoolean() ? (long) 1 + random.nextInt((int) seq) : null, time));
                    case 2 -> history.add(feedback(FeedbackType.CLICK, subject, item, null, time));
                    case 3 -> history.add(cart(subject, item, time));
                    case 4 -> history.add(order(subject, time, 5 + random.nextInt(100), new OrderLine(item, 1, 7),
                            new OrderLine(items[random.nextInt(6)], 2, 3)));
                    default -> history.add(feedback(FeedbackType.DISMISS, subject, item, null, time));
                }
            }
            streamed.addAll(run(new Attribution(30 * MIN, 60 * MIN, 1000), history));
            oracle(history, expected);
        }
        Map<String, ArmCounts> actual = totals(streamed);
        assertThat(actual).containsOnlyKeys(expected.keySet());
        for (String arm : expected.keySet()) {
            ArmCounts e = expected.get(arm);
            ArmCounts a = actual.get(arm);
            assertThat(a.exposedCustomers).as(arm).isPositive();
            assertThat(a.toString().replaceAll("@\\d+", "")).as(arm).isEqualTo(e.toString().replaceAll("@\\d+", ""));
        }
    }

    /** The rules, recomputed from a customer's whole history at once. */
    private static void oracle(List<AttributionInput> history, Map<String, ArmCounts> totals) {
        List<ShownList> lists = new ArrayList<>();
        Long exposedAt = null;
        String arm = null;
        boolean clicked = false;
        boolean converted = false;
        double revenue = 0;
        for (AttributionInput in : history) {
            if (in.list != null) {
                lists.add(in.list);
                ArmCounts t = arm(totals, in.list.variant);
                t.lists++;
                if (exposedAt == null) {
                    exposedAt = in.list.time;
                    arm = in.list.variant;
                    t.exposedCustomers++;
                }
                continue;
            }
            if (exposedAt == null) {
                continue;
            }
            if (in.feedback != null) {
                long time = in.feedback.timestamp().toEpochMilli();
                ShownList l = in.feedback.suggestionSequence() != null
                        ? lists.stream().filter(x -> x.sequence == in.feedback.suggestionSequence()).findFirst().orElse(null)
                        : showing(lists, in.feedback.itemId(), time);
                if (l == null) {
                    continue;
                }
                ArmCounts t = arm(totals, l.variant);
                switch (in.feedback.type()) {
                    case IMPRESSION -> t.impressions++;
                    case DISMISS -> t.dismissals++;
                    default -> {
                        t.clicks++;
                        if (!clicked) {
                            clicked = true;
                            arm(totals, arm).clickers++;
                        }
                    }
                }
            } else if (in.addToCart != null) {
                ShownList l = showing(lists, in.addToCart.itemId(), in.addToCart.timestamp().toEpochMilli());
                if (l != null) {
                    arm(totals, l.variant).addToCarts++;
                }
            } else {
                long time = in.order.timestamp().toEpochMilli();
                if (exposedAt <= time) {
                    ArmCounts t = arm(totals, arm);
                    t.orders++;
                    t.revenueSquares += (revenue + in.order.total()) * (revenue + in.order.total()) - revenue * revenue;
                    revenue += in.order.total();
                    t.revenue += in.order.total();
                    if (!converted) {
                        converted = true;
                        t.converters++;
                    }
                }
                Map<String, Double> byArm = new HashMap<>();
                for (OrderLine line : in.order.lines()) {
                    ShownList l = showing(lists, line.itemId(), time);
                    if (l != null) {
                        byArm.merge(l.variant, line.quantity() * line.unitPrice(), Double::sum);
                    }
                }
                byArm.forEach((v, value) -> {
                    arm(totals, v).attributedOrders++;
                    arm(totals, v).attributedRevenue += value;
                });
            }
        }
    }

    /** Newest list (by time, then sequence) at most 30 minutes before, showing the item. */
    private static ShownList showing(List<ShownList> lists, String item, long time) {
        return lists.stream()
                .filter(l -> l.time <= time && time - l.time <= 30 * MIN && List.of(l.items).contains(item))
                .max((a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.sequence, b.sequence))
                .orElse(null);
    }

    private static ArmCounts arm(Map<String, ArmCounts> totals, String variant) {
        return totals.computeIfAbsent("exp/" + variant, k -> new ArmCounts("exp", variant, 0));
    }

    /**
     * A decision of an experiment on the decisioning exposes its customer like a first list; the orders after it count
     * for its arm (orders, revenue, converter), the orders before it do not, and no feedback on suggestions can name it.
     */
    @Test
    void aDecisionOfAnExperimentOnTheDecisioningIsAnExposureWhoseLaterOrdersCount() {
        Attribution a = new Attribution(30 * 60_000L, 3_600_000L, 16);
        List<ArmCounts> out = new java.util.ArrayList<>();
        long t = 1_800_000_000_000L;
        AttributionState s = a.apply(null, order("C-1", t - 1000, 99.0, new OrderLine("X", 1, 99.0)), out::add);
        assertThat(s).as("an order before any exposure: nothing kept").isNull();
        io.nextbest.schemas.messages.NextBestAction d = new io.nextbest.schemas.messages.NextBestAction("C-1/nba/1", "C-1",
                Instant.ofEpochMilli(t), io.nextbest.schemas.messages.DecisionCause.EVENT, "e1",
                io.nextbest.schemas.messages.ActionOutcome.NOTHING, null, null, null, null, null,
                io.nextbest.schemas.messages.NothingReason.CONTROL_GROUP, "none", "exp-nba", "control", List.of(),
                List.of("nothing"), null);
        s = a.apply(s, AttributionInput.ofDecision(d, "next-best-action", 1), out::add);
        s = a.apply(s, AttributionInput.ofDecision(d, "next-best-action", 2), out::add);
        s = a.apply(s, order("C-1", t + 1000, 40.0, new OrderLine("Y", 2, 20.0)), out::add);
        ArmCounts control = totals(out).get("exp-nba/control");
        assertThat(control.lists).isEqualTo(2);
        assertThat(control.exposedCustomers).isEqualTo(1);
        assertThat(control.orders).isEqualTo(1);
        assertThat(control.revenue).isEqualTo(40.0);
        assertThat(control.converters).isEqualTo(1);
        assertThat(control.attributedOrders).as("a decision shows no items").isZero();
        assertThat(AttributionInput.ofDecision(new io.nextbest.schemas.messages.NextBestAction("C-2/nba/1", "C-2",
                Instant.ofEpochMilli(t), io.nextbest.schemas.messages.DecisionCause.EVENT, null,
                io.nextbest.schemas.messages.ActionOutcome.NOTHING, null, null, null, null, null,
                io.nextbest.schemas.messages.NothingReason.NO_ELIGIBLE_ACTION, "thompson", null, null, List.of(),
                List.of("nothing"), null), "next-best-action", 1)).as("outside any experiment").isNull();
    }
}
