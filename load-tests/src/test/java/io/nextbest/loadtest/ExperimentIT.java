package io.nextbest.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.generator.ResponseModel;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.loadtest.experiment.ExperimentReport;
import io.nextbest.loadtest.experiment.ExperimentReport.Metric;
import io.nextbest.loadtest.experiment.ExperimentStats.Comparison;
import io.nextbest.loadtest.harness.EmbeddedJob;
import io.nextbest.loadtest.harness.TopicReader;
import io.nextbest.schemas.Topic;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.CatalogItem;
import io.nextbest.schemas.messages.Channel;
import io.nextbest.schemas.messages.ExperimentMetrics;
import io.nextbest.schemas.messages.Feedback;
import io.nextbest.schemas.messages.FeedbackType;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.OrderLine;
import io.nextbest.schemas.messages.Rule;
import io.nextbest.schemas.messages.RuleKind;
import io.nextbest.schemas.messages.SuggestedItem;
import io.nextbest.schemas.messages.Suggestions;
import io.nextbest.schemas.messages.Transaction;
import io.nextbest.schemas.messages.TransactionType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19's proof on simulated shoppers with a known truth, through the real job and Kafka: each shopper has a
 * hidden taste (one of four categories, {@link ResponseModel}), views two items of it, and answers the list made
 * after the second view: sees its first three items, clicks each with probability 0.3 if it matches the taste, else
 * 0.03, and orders a clicked match with probability 0.5. Two experiments run side by side on their own placements:
 *
 * <ul>
 *   <li>an A/A test ({@code exp-aa}: control and a twin, both personalised): no significant difference, no
 *       sample-ratio mismatch;
 *   <li>an A/B test ({@code exp-ab}: control trending-only, variant personalised, which shows more of each shopper's
 *       taste): the report finds the effect, and the (99.9 %) interval covers its true value — the mean over each arm's
 *       shoppers of the model's chance that the shopper clicks, given the list the job actually showed it; the same
 *       counts read against a skewed plan (70/30 where the job split 50/50) are a sample-ratio mismatch.
 * </ul>
 * The counts the job publishes on experiment-metrics are checked against what the simulation sent, and {@code
 * bin/nextbest experiment-report} is run against the broker. Everything the shoppers do is a function of the seed and
 * the lists the job shows them.
 */
class ExperimentIT {
    static final List<String> TASTES = List.of("red", "blue", "green", "gold");
    static final int ITEMS_PER_CATEGORY = 12;
    static final int SHOPPERS = 800;
    /**
     * Seed 22. A single A/A run is one draw: at alpha 0.05 one seed in twenty shows a "significant" difference (19
     * would, at p = 0.095 for clicks, be near that line). Once the replicas are warm (the test waits for that), the
     * personalised lists' first three items all match the taste, so the A/A outcome is a function of the seed: with
     * 22, p = 0.86 (click rate) and 0.91 (conversion rate), the same in every run, far from the line. That the
     * false-positive rate over many draws is 5 % is {@code ExperimentStatsTest}'s to show.
     */
    static final ResponseModel MODEL = new ResponseModel(22, 3, 0.3, 0.03, 0.5);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path out;

    /** What the simulation did and knows, per experiment arm. */
    static final class Arm {
        final AtomicLong shoppers = new AtomicLong();
        final AtomicLong impressions = new AtomicLong();
        final AtomicLong clicks = new AtomicLong();
        final AtomicLong orders = new AtomicLong();
        /** Σ over the arm's shoppers of the model's chance that the shopper clicks at least once. */
        double truth;
    }

    @Test
    void anAaTestFindsNothingAndAnAbTestFindsItsPlantedEffect() throws Exception {
        // trending weighs little beside the shopper's own evidence: a personalised list's first three items are of the
        // shopper's taste whatever the timing, so the A/A arms' outcomes are a function of the seed (the trending-only
        // arm ranks by trending alone, whatever its weight)
        NextbestConfig base = NextbestConfig.builder().setAll(EvaluateCommand.REPLAY_SETTINGS)
                .set("ranking.weight.trending", "0.01")
                .set("exploration.share", "0")
                .set("experiments.metrics-flush", "300ms")
                .set("job.checkpoint-interval", "2s")
                .build();
        Instant now = Instant.now();
        try (EmbeddedJob job = EmbeddedJob.start(base, "exp.", "experiment-it", "experiment-it");
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaClients.producer(job.bootstrapServers(), 5));
                TopicReader<ExperimentMetrics> metrics = new TopicReader<>(job.bootstrapServers(),
                        job.topic("experiment-metrics"), Topics.EXPERIMENT_METRICS)) {
            Map<String, Arm> arms = new ConcurrentHashMap<>();
            Map<String, String> experimentOf = Map.of("aa", "exp-aa", "ab", "exp-ab");
            Map<String, Boolean> answered = new ConcurrentHashMap<>();
            Map<String, Suggestions> probes = new ConcurrentHashMap<>();
            java.util.Set<String> probeArms = ConcurrentHashMap.newKeySet();
            try (TopicReader<Suggestions> lists = new TopicReader<>(job.bootstrapServers(), job.topic("suggestions"),
                    Topics.SUGGESTIONS, s -> {
                        if (s.customerId().startsWith("probe-")) {
                            probes.put(s.customerId(), s);
                            if (s.experimentId() != null) { // a probe is exposed like a shopper, but answers nothing
                                probeArms.add(s.experimentId() + "/" + s.variant());
                            }
                        } else if (s.sequence() == 2 && s.experimentId() != null
                                && answered.putIfAbsent(s.customerId(), true) == null) {
                            answer(job, producer, s, arms, now);
                        }
                    }, false)) {
                for (int c = 0; c < TASTES.size(); c++) {
                    for (int i = 0; i < ITEMS_PER_CATEGORY; i++) {
                        send(job, producer, Topics.CATALOG, new CatalogItem(item(c, i), TASTES.get(c) + " " + i,
                                List.of(TASTES.get(c)), TASTES.get(c) + "-brand", 10 + i, "EUR", List.of(), true, null,
                                now));
                    }
                }
                // the probes' item, in a category of its own: the probes' views link no two items of the tastes
                send(job, producer, Topics.CATALOG, new CatalogItem("probe-0", "probe", List.of("probe"), "probe-brand",
                        10, "EUR", List.of(), true, null, now));
                send(job, producer, Topics.RULES, experiment("exp-aa", "aa", now, "{\"share\":0.5}",
                        "{\"name\":\"twin\",\"weight\":1}"));
                send(job, producer, Topics.RULES, experiment("exp-ab", "ab", now,
                        "{\"share\":0.5,\"strategy\":\"trending-only\"}", "{\"name\":\"personalised\",\"weight\":1}"));
                producer.flush();
                // warm-up, on a placement of no experiment: five shoppers per category view all its items, so that the
                // category boards and the neighbours exist before the shoppers come (their lists do not depend on how
                // far the replicas got)
                for (int c = 0; c < TASTES.size(); c++) {
                    for (int k = 0; k < 5; k++) {
                        for (int i = 0; i < ITEMS_PER_CATEGORY; i++) {
                            view(job, producer, "warm-" + c + "-" + k, item(c, i), "warm", now, "warm-" + c + "-" + k + "-" + i);
                        }
                    }
                }
                // the rules and the catalog reached the customer stage: a probe's list is in each experiment and full;
                // and the replicas are warm: a probe that viewed an item of a category gets three of that category first
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                for (int round = 0; ; round++) {
                    for (String placement : List.of("aa", "ab")) {
                        view(job, producer, "probe-" + placement, "probe-0", placement, now,
                                "probe-" + placement + "-" + round);
                    }
                    for (String taste : TASTES) {
                        view(job, producer, "probe-" + taste, taste + "-0", "warm", now, "probe-" + taste + "-" + round);
                    }
                    producer.flush();
                    Thread.sleep(300);
                    Suggestions aa = probes.get("probe-aa");
                    Suggestions ab = probes.get("probe-ab");
                    boolean warm = TASTES.stream().allMatch(t -> {
                        Suggestions p = probes.get("probe-" + t);
                        return p != null && p.items().size() >= 3
                                && p.items().subList(0, 3).stream().allMatch(i -> categoryOf(i.itemId()).equals(t));
                    });
                    if (aa != null && ab != null && "exp-aa".equals(aa.experimentId()) && "exp-ab".equals(ab.experimentId())
                            && aa.items().size() >= 10 && ab.items().size() >= 10 && warm) {
                        break;
                    }
                    assertThat(System.nanoTime()).as("the experiments, the catalog and warm replicas reach the job")
                            .isLessThan(deadline);
                }
                // the shoppers: two views each of their taste, on their experiment's placement
                for (int s = 0; s < SHOPPERS; s++) {
                    for (String placement : List.of("aa", "ab")) {
                        String shopper = placement + "-" + s;
                        int taste = TASTES.indexOf(MODEL.taste(shopper, TASTES));
                        int first = Math.floorMod((shopper + "/1").hashCode(), ITEMS_PER_CATEGORY);
                        int second = (first + 1 + Math.floorMod((shopper + "/2").hashCode(), ITEMS_PER_CATEGORY - 1))
                                % ITEMS_PER_CATEGORY;
                        view(job, producer, shopper, item(taste, first), placement, now, shopper + "-v1");
                        view(job, producer, shopper, item(taste, second), placement, now, shopper + "-v2");
                    }
                    if (s % 100 == 99) {
                        producer.flush();
                        Thread.sleep(200);
                    }
                }
                producer.flush();
                deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (answered.size() < 2 * SHOPPERS) {
                    assertThat(System.nanoTime()).as("every shopper gets a second list: " + answered.size())
                            .isLessThan(deadline);
                    Thread.sleep(200);
                }
                producer.flush();
            }

            // the job's counts equal what the shoppers did
            Map<String, ExperimentReport.Result> results = new ConcurrentHashMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (true) {
                boolean settled = true;
                for (String id : List.of("exp-aa", "exp-ab")) {
                    ExperimentReport.Result r = ExperimentReport.analyse(plan(id, 0.5), metrics.records(), 0.05, 0.8,
                            null);
                    results.put(id, r);
                    for (var e : r.arms().entrySet()) {
                        Arm sim = arms.get(id + "/" + e.getKey());
                        long probe = probeArms.contains(id + "/" + e.getKey()) ? 1 : 0;
                        settled &= sim != null && e.getValue().exposed() == sim.shoppers.get() + probe
                                && e.getValue().clicks() == sim.clicks.get()
                                && e.getValue().impressions() == sim.impressions.get()
                                && e.getValue().orders() == sim.orders.get();
                    }
                }
                if (settled) {
                    break;
                }
                assertThat(System.nanoTime()).as("experiment-metrics agrees with the simulation: " + results + " vs "
                        + simulated(arms) + " (probes in " + probeArms + ")").isLessThan(deadline);
                Thread.sleep(500);
            }

            // A/A: no difference, no mismatch
            ExperimentReport.Result aa = results.get("exp-aa");
            assertThat(aa.exposed()).isEqualTo(SHOPPERS + 1); // and the probe
            assertThat(aa.sampleRatio().mismatch()).isFalse();
            for (Metric m : List.of(Metric.CLICK_RATE, Metric.CONVERSION_RATE)) {
                Comparison c = aa.comparison("twin", m);
                System.out.printf("A/A %s: %s%n", m, c);
                assertThat(c.significant()).as("A/A " + m + ": " + c).isFalse();
                assertThat(c.pValue()).as("A/A " + m).isGreaterThan(0.05);
            }

            // A/B: the planted effect is found, and the interval covers its true value
            ExperimentReport.Result ab = results.get("exp-ab");
            assertThat(ab.sampleRatio().mismatch()).isFalse();
            Comparison clicks = ab.comparison("personalised", Metric.CLICK_RATE);
            Arm control = arms.get("exp-ab/control");
            Arm variant = arms.get("exp-ab/personalised");
            double trueControl = control.truth / control.shoppers.get();
            double trueVariant = variant.truth / variant.shoppers.get();
            System.out.printf("A/B click rate: true %.4f vs %.4f (uplift %.3f); measured %s%n", trueControl, trueVariant,
                    trueVariant / trueControl - 1, clicks);
            assertThat(trueVariant).as("the personalised arm shows more of the shoppers' taste").isGreaterThan(
                    trueControl * 1.2);
            assertThat(clicks.significant()).isTrue();
            assertThat(clicks.pValue()).isLessThan(0.05);
            assertThat(clicks.difference()).isPositive();
            // the true value inside the interval: the 99.9 % one, so that the check fails by chance once in a thousand
            // runs rather than once in twenty (the trending-only arm's lists, and so its draws, depend on timing)
            Comparison wide = ExperimentReport.analyse(plan("exp-ab", 0.5), metrics.records(), 0.001, 0.8, null)
                    .comparison("personalised", Metric.CLICK_RATE);
            assertThat(trueVariant - trueControl).isBetween(wide.low(), wide.high());
            assertThat(trueVariant / trueControl - 1).isBetween(wide.relativeLow(), wide.relativeHigh());
            assertThat(ab.comparison("personalised", Metric.CONVERSION_RATE).relativeUplift()).isPositive();

            // a skewed assignment: the same counts against a plan of 70/30 are a sample-ratio mismatch
            ExperimentReport.Result skewed = ExperimentReport.analyse(plan("exp-ab", 0.7), metrics.records(), 0.05,
                    0.8, null);
            assertThat(skewed.sampleRatio().mismatch()).isTrue();

            // the command, against the broker: Markdown, JSON and the charts
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            Path dir = ExperimentReportCommand.run(new String[] {"--experiment", "exp-ab", "--set",
                "kafka.bootstrap-servers=" + job.bootstrapServers(), "--set", "kafka.topic-prefix=exp.", "--out",
                out.resolve("ab").toString()}, new PrintStream(console, true, StandardCharsets.UTF_8));
            for (String f : List.of("report.md", "report.json", "uplift-clickRate.png", "uplift-conversionRate.png")) {
                assertThat(dir.resolve(f)).as(f).isNotEmptyFile();
            }
            JsonNode figures = JSON.readTree(dir.resolve("report.json").toFile()).get("figures");
            assertThat(figures.get("exposedCustomers").asLong()).isEqualTo(SHOPPERS + 1);
            assertThat(figures.get("sampleRatioMismatch").asBoolean()).isFalse();
            assertThat(figures.get("personalised.clickRate.significant").asBoolean()).isTrue();
            assertThat(figures.get("personalised.clickRate.pValue").asDouble()).isEqualTo(clicks.pValue());
            assertThat(figures.get("peeked").asBoolean()).isTrue(); // planned for 2,000: read at 800
            assertThat(Files.readString(dir.resolve("report.md"))).contains("PEEKING", "Variants against control");
            assertThat(console.toString(StandardCharsets.UTF_8)).contains("click rate", "significant");
        }
    }

    /** The shopper's answer to its second list: impressions, clicks and orders, with the list's sequence. */
    private static void answer(EmbeddedJob job, KafkaProducer<byte[], byte[]> producer, Suggestions s,
            Map<String, Arm> arms, Instant now) {
        String shopper = s.customerId();
        String taste = MODEL.taste(shopper, TASTES);
        List<String> items = s.items().stream().map(SuggestedItem::itemId).toList();
        ResponseModel.Answer a = MODEL.answer(shopper, taste, s.sequence(), items, ExperimentIT::categoryOf);
        Arm arm = arms.computeIfAbsent(s.experimentId() + "/" + s.variant(), k -> new Arm());
        synchronized (arm) {
            arm.shoppers.incrementAndGet();
            arm.truth += MODEL.clickProbability(taste, List.of(items), ExperimentIT::categoryOf);
        }
        Instant t = now.plusSeconds(1);
        int n = 0;
        for (String item : a.impressions()) {
            send(job, producer, Topics.FEEDBACK, new Feedback(shopper + "-i" + n++, FeedbackType.IMPRESSION, shopper,
                    null, t, item, s.placement(), s.sequence(), null, s.variant(), null));
            arm.impressions.incrementAndGet();
        }
        for (String item : a.clicks()) {
            send(job, producer, Topics.FEEDBACK, new Feedback(shopper + "-c" + n++, FeedbackType.CLICK, shopper, null,
                    t.plusSeconds(1), item, s.placement(), s.sequence(), null, s.variant(), null));
            arm.clicks.incrementAndGet();
        }
        for (String item : a.orders()) {
            double price = 10 + Integer.parseInt(item.substring(item.indexOf('-') + 1));
            send(job, producer, Topics.TRANSACTIONS, new Transaction(shopper + "-o" + n++, TransactionType.ORDER,
                    shopper + "-order-" + n, shopper, t.plusSeconds(2), List.of(new OrderLine(item, 1, price)), price,
                    "EUR", Channel.WEB));
            arm.orders.incrementAndGet();
        }
    }

    static String simulated(Map<String, Arm> arms) {
        StringBuilder b = new StringBuilder();
        arms.forEach((k, a) -> b.append(k).append("{shoppers=").append(a.shoppers).append(", impressions=")
                .append(a.impressions).append(", clicks=").append(a.clicks).append(", orders=").append(a.orders)
                .append("} "));
        return b.toString();
    }

    static String item(int category, int i) {
        return TASTES.get(category) + "-" + i;
    }

    static String categoryOf(String item) {
        return item.substring(0, item.indexOf('-'));
    }

    static ExperimentReport.Plan plan(String id, double controlShare) {
        String variant = id.equals("exp-aa") ? "twin" : "personalised";
        return new ExperimentReport.Plan(id, List.of("control", variant), List.of(controlShare, 1 - controlShare),
                2_000, null, null);
    }

    static Rule experiment(String id, String placement, Instant now, String control, String variant) throws Exception {
        return new Rule(id, RuleKind.EXPERIMENT, true, "experiment IT", now.minusSeconds(3600), now.plusSeconds(86_400),
                null, JSON.readTree("{\"placements\":[\"" + placement + "\"],\"plannedCustomers\":2000,\"control\":"
                        + control + ",\"variants\":[" + variant + "]}"), now);
    }

    static void view(EmbeddedJob job, KafkaProducer<byte[], byte[]> producer, String customer, String item,
            String placement, Instant now, String eventId) {
        send(job, producer, Topics.INTERACTIONS, new Interaction(eventId, InteractionType.VIEW, customer, null, item,
                null, now, Channel.WEB, placement, null, null));
    }

    static <T> void send(EmbeddedJob job, KafkaProducer<byte[], byte[]> producer, Topic<T> topic, T message) {
        producer.send(new ProducerRecord<>(job.topic(topic.name()), topic.keyBytes(message),
                topic.codec().encode(message)));
    }
}
