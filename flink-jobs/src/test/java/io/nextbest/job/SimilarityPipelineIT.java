package io.nextbest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.customer.CustomerProfile;
import io.nextbest.job.customer.CustomerSettings;
import io.nextbest.job.customer.CustomerState;
import io.nextbest.job.customer.SimilarityVector;
import io.nextbest.job.similarity.DecayedWeights;
import io.nextbest.job.testing.Events;
import io.nextbest.job.testing.JobHandle;
import io.nextbest.job.testing.JobKit;
import io.nextbest.job.testing.TopicReader;
import io.nextbest.schemas.SchemaValidation;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.Channel;
import io.nextbest.schemas.messages.CustomerEvent;
import io.nextbest.schemas.messages.CustomerEventType;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.ItemNeighbours;
import io.nextbest.schemas.messages.Reason;
import io.nextbest.schemas.messages.Signal;
import io.nextbest.schemas.messages.SuggestedItem;
import io.nextbest.schemas.messages.Suggestions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The similarity oracle end to end: the real job (MiniCluster, parallelism 2, RocksDB, checkpoints
 * every 500 ms, real Kafka) learns from a random stream (customers, items, all weighted event types
 * with weights that rise and fall, window evictions, decay, an erasure). First, the published
 * {@code item-neighbours} lists: each item's newest list holds its squared norm and the dot product
 * with every item it shares a customer with, equal to the batch values (1e-9 relative). Then, once
 * the lists have been read back into the rankers' index, every customer sends one probe event that
 * changes no weight. Each probe's list gives, in its collaborative reasons,
 * the cosine of the customer's window items with every item similar to them, at full precision —
 * over the other customers' vectors, as lists leave the customer's own products out. Each must
 * equal the cosine recomputed in one batch from the final windowed, weighted, decayed matrix
 * without that customer's column (within 1e-9 relative), and every pair with a non-zero batch
 * cosine must be there. Caps
 * are off: unlimited neighbour candidates, all anchors, all neighbours.
 */
class SimilarityPipelineIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int CUSTOMERS = 30;
    private static final int ITEMS = 20;
    private static final int EVENTS = 1200;

    @RegisterExtension
    static final JobKit KIT = JobKit.withSlots(2);

    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(6));

    @Test
    void cosinesInTheListsEqualTheBatchRecomputation() throws Exception {
        NextbestConfig config = KIT.config(s -> s
                .set("customer.window-size", "6")
                .set("customer.weights.wishlist", "0") // the probe: a list, no weight change
                .set("similarity.window-size", "4")
                .set("similarity.half-life", "1h")
                .set("similarity.landmark", t0.toString())
                .set("similarity.max-candidates", "0")
                .set("similarity.neighbours", "1000")
                .set("similarity.flush-interval", "100ms")
                .set("similarity.publish-interval", "100ms")
                .set("ranking.weight.trending", "0") // the score: collaborative only
                .set("content.enabled", "false")
                .set("ranking.anchors", "100")
                .set("ranking.others-only", "true") // the stricter check: cosines without the customer's column
                .set("ranking.list-size", "100")
                .set("ranking.reasons-per-item", "16")
                .set("ranking.exclude-basket", "false")
                .set("ranking.exclude-purchased", "false"));

        // the model: the customer stage's own logic (oracle-tested on its own) gives the final windows
        CustomerProfile profile = new CustomerProfile(new CustomerSettings(config));
        DecayedWeights decay = new DecayedWeights(t0.toEpochMilli(), Duration.ofHours(1).toMillis());
        SimilarityVector vector = new SimilarityVector(4, decay);
        Map<String, CustomerState> model = new TreeMap<>();

        try (JobHandle job = KIT.start(config, 2)) {
            TopicReader suggestions = job.suggestions();
            TopicReader published = job.reader("item-neighbours");
            Random random = new Random(42);
            InteractionType[] types = {InteractionType.VIEW, InteractionType.VIEW, InteractionType.CLICK,
                InteractionType.ADD_TO_CART, InteractionType.REMOVE_FROM_CART};
            int lists = 0;
            List<String> tombstones = new ArrayList<>();
            for (int n = 0; n < EVENTS; n++) {
                if (n == EVENTS / 2) { // erase two customers once their events so far are in
                    suggestions.awaitCount(lists, WAIT);
                    for (String gone : List.of("c1", "c2")) {
                        job.send(Events.of(Topics.CUSTOMERS, new CustomerEvent("erase-" + gone, CustomerEventType.ERASE,
                                gone, t0.plusSeconds(10L * n), null, null, null, null), "erase-" + gone));
                        model.remove(gone);
                        lists++; // the erasure's tombstone on suggestions (null value, key: the customer)
                        tombstones.add(gone);
                    }
                    Thread.sleep(3000); // the erase travels on another topic; let it land first
                }
                String customer = "c" + random.nextInt(CUSTOMERS);
                String item = "i" + (int) Math.floor(Math.pow(random.nextDouble(), 1.5) * ITEMS); // skewed
                InteractionType type = types[random.nextInt(types.length)];
                Instant t = t0.plusSeconds(10L * n); // 3h20m in all: several half-lives
                Interaction event = new Interaction("e" + n, type, customer, null, item, null, t, Channel.WEB, null, null,
                        null);
                job.send(Events.of(Topics.INTERACTIONS, event, event.eventId()));
                profile.apply(model.computeIfAbsent(customer, k -> new CustomerState()), event);
                lists++;
            }
            suggestions.awaitCount(lists, WAIT);
            // the last pair updates are summed for 100 ms, applied, published within 100 ms: wait until the
            // item stage has nothing more to say, then give the job's own reader of the topic time to catch up
            List<ConsumerRecord<byte[], byte[]>> lists2 = published.awaitQuiet(Duration.ofSeconds(2), WAIT);
            Thread.sleep(1500);

            Batch all = new Batch(model, vector);
            Map<String, ItemNeighbours> newest = new TreeMap<>();
            for (ConsumerRecord<byte[], byte[]> r : lists2) {
                assertThat(SchemaValidation.violations("item-neighbours", new String(r.value(), StandardCharsets.UTF_8)))
                        .isEmpty();
                ItemNeighbours n = Topics.ITEM_NEIGHBOURS.codec().decode(r.value());
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(n.itemId());
                newest.put(n.itemId(), n);
            }
            int dotsChecked = 0;
            for (String item : all.items()) {
                ItemNeighbours n = newest.get(item);
                assertThat(n).as("a published list of %s", item).isNotNull();
                double norm = all.squaredNorm(item);
                assertThat(n.squaredNorm()).as("‖%s‖²", item).isCloseTo(norm, org.assertj.core.data.Offset.offset(1e-9 * norm));
                assertThat(n.neighbours()).extracting(ItemNeighbours.Neighbour::itemId).as("neighbours of %s", item)
                        .containsExactlyInAnyOrderElementsOf(all.similarTo(null, item));
                for (ItemNeighbours.Neighbour j : n.neighbours()) {
                    double dot = all.dot(item, j.itemId());
                    assertThat(j.dot()).as("dot(%s,%s)", item, j.itemId())
                            .isCloseTo(dot, org.assertj.core.data.Offset.offset(1e-9 * dot));
                    dotsChecked++;
                }
            }
            assertThat(newest.keySet()).as("items without a customer left publish an empty list")
                    .allMatch(i -> all.items().contains(i) || newest.get(i).neighbours().isEmpty()
                            && newest.get(i).squaredNorm() == 0);
            assertThat(dotsChecked).as("dot products checked").isGreaterThan(100);

            // probes: one wishlist event per customer (weight 0)
            Instant probeTime = t0.plusSeconds(10L * EVENTS + 60);
            Map<String, String> probeOf = new HashMap<>();
            for (String customer : model.keySet()) {
                String id = "probe-" + customer;
                job.send(Events.of(Topics.INTERACTIONS, new Interaction(id, InteractionType.WISHLIST, customer, null, "i0",
                        null, probeTime, Channel.WEB, null, null, null), id));
                probeOf.put(id, customer);
            }
            List<ConsumerRecord<byte[], byte[]>> records = suggestions.awaitCount(lists + probeOf.size(), WAIT);
            assertThat(records).hasSize(lists + probeOf.size());

            Batch batch = new Batch(model, vector);
            int pairsChecked = 0;
            List<String> tombstonesRead = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                if (r.value() == null) {
                    tombstonesRead.add(new String(r.key(), StandardCharsets.UTF_8));
                    continue;
                }
                String json = new String(r.value(), StandardCharsets.UTF_8);
                Suggestions s = JobHandle.list(r);
                String customer = probeOf.get(s.triggerEventId());
                if (customer == null) {
                    continue;
                }
                assertThat(SchemaValidation.violations("suggestions", json)).isEmpty();
                CustomerState state = model.get(customer);
                // cosine(anchor, item) from the reasons, for every anchor = every item of the window
                Map<String, Map<String, Double>> seen = new TreeMap<>();
                double top = Double.NaN; // Σ a·cos of the first item: the hybrid score scales it to 1
                for (SuggestedItem item : s.items()) {
                    double score = 0;
                    for (Reason reason : item.reasons()) {
                        if (reason.signal() != Signal.COLLABORATIVE) {
                            continue;
                        }
                        String anchor = reason.relatedItemId();
                        seen.computeIfAbsent(anchor, k -> new TreeMap<>()).put(item.itemId(), reason.value());
                        double want = batch.cosineWithout(customer, anchor, item.itemId());
                        assertThat(reason.value()).as("cos(%s,%s) for %s", anchor, item.itemId(), customer)
                                .isCloseTo(want, org.assertj.core.data.Offset.offset(1e-9 * Math.max(want, 1e-3)));
                        score += anchorWeight(state, anchor, probeTime.toEpochMilli()) * reason.value();
                        pairsChecked++;
                    }
                    if (item.reasons().get(0).signal() == Signal.COLLABORATIVE) {
                        if (Double.isNaN(top)) {
                            top = score;
                        }
                        assertThat(item.score()).as("score of %s for %s", item.itemId(), customer)
                                .isCloseTo(score / top, org.assertj.core.data.Offset.offset(1e-9));
                    }
                }
                for (String anchor : state.window.items) {
                    assertThat(seen.getOrDefault(anchor, Map.of()).keySet())
                            .as("items similar to %s, for %s", anchor, customer)
                            .isEqualTo(batch.similarTo(customer, anchor));
                }
            }
            assertThat(pairsChecked).as("cosines checked").isGreaterThan(500);
            assertThat(tombstonesRead).as("one tombstone per erased customer").containsExactlyInAnyOrderElementsOf(tombstones);
        }
    }

    /** a_j = r(u,j)·2^(−(t − t_j)/anchorHalfLife), as the customer stage weighs its anchors. */
    private static double anchorWeight(CustomerState s, String item, long now) {
        for (int k = 0; k < s.window.items.length; k++) {
            if (s.window.items[k].equals(item)) {
                double halfLife = Settings.RANKING_ANCHOR_HALF_LIFE.parse(
                        Settings.RANKING_ANCHOR_HALF_LIFE.defaultValue()).toMillis();
                return s.window.weights[k] * Math.pow(2, -Math.max(0, now - s.window.times[k]) / halfLife);
            }
        }
        throw new AssertionError(item + " not in the window");
    }

    /** Norms, dot products and cosines of the final matrix, computed in one go. */
    private static final class Batch {
        private final Map<String, Map<String, Double>> columns = new HashMap<>(); // item → customer → weight

        Batch(Map<String, CustomerState> customers, SimilarityVector vector) {
            customers.forEach((customer, s) -> {
                String[] items = vector.items(s);
                double[] weights = vector.weights(s);
                for (int k = 0; k < items.length; k++) {
                    columns.computeIfAbsent(items[k], x -> new HashMap<>()).put(customer, weights[k]);
                }
            });
        }

        java.util.Set<String> items() {
            return columns.keySet();
        }

        double squaredNorm(String i) {
            return squaredNorm(columns.getOrDefault(i, Map.of()), null);
        }

        double dot(String i, String j) {
            Map<String, Double> a = columns.getOrDefault(i, Map.of());
            Map<String, Double> b = columns.getOrDefault(j, Map.of());
            double dot = 0;
            for (Map.Entry<String, Double> e : a.entrySet()) {
                Double other = b.get(e.getKey());
                if (other != null) {
                    dot += e.getValue() * other;
                }
            }
            return dot;
        }

        /** The cosine over every customer's vector but {@code customer}'s: what a list of theirs shows. */
        double cosineWithout(String customer, String i, String j) {
            Map<String, Double> a = columns.getOrDefault(i, Map.of());
            Map<String, Double> b = columns.getOrDefault(j, Map.of());
            double dot = 0;
            for (Map.Entry<String, Double> e : a.entrySet()) {
                Double other = b.get(e.getKey());
                if (other != null && !e.getKey().equals(customer)) {
                    dot += e.getValue() * other;
                }
            }
            return dot == 0 ? 0 : dot / Math.sqrt(squaredNorm(a, customer) * squaredNorm(b, customer));
        }

        TreeSet<String> similarTo(String customer, String i) {
            TreeSet<String> out = new TreeSet<>();
            for (String j : columns.keySet()) {
                if (!j.equals(i) && cosineWithout(customer, i, j) > 0) {
                    out.add(j);
                }
            }
            return out;
        }

        private static double squaredNorm(Map<String, Double> column, String without) {
            double s = 0;
            for (Map.Entry<String, Double> e : column.entrySet()) {
                if (!e.getKey().equals(without)) {
                    s += e.getValue() * e.getValue();
                }
            }
            return s;
        }
    }
}
