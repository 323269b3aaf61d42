package io.nextbest.job.similarity;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.customer.CustomerProfile;
import io.nextbest.job.customer.CustomerSettings;
import io.nextbest.job.customer.CustomerState;
import io.nextbest.job.customer.SimilarityVector;
import io.nextbest.schemas.messages.Channel;
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
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The oracle: on random streams (many customers and items, all event types, window evictions,
 * weights that rise and fall, decay), the cosine kept incrementally from the customers' weight
 * changes equals the cosine recomputed in one batch from the final windowed, weighted, decayed
 * matrix — for every pair, within 1e-9 relative. The matrix holds each customer's newest
 * {@code similarity.window-size} items of the window; erased customers leave it.
 */
class IncrementalCosineOracleTest {
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();

    @ParameterizedTest(name = "seed {0}, {1}, window {2}, similarity window {3}, half-life {4} ms")
    @CsvSource({
        "1, max, 5, 5, 3600000",
        "2, sum, 5, 5, 3600000",
        "3, max, 12, 12, 0",
        "4, sum, 3, 3, 600000",
        "5, max, 30, 30, 86400000",
        "6, max, 30, 10, 3600000",
        "7, sum, 20, 4, 0"
    })
    void incrementalCosineEqualsBatch(long seed, String combine, int window, int vectorSize, long halfLifeMs) {
        NextbestConfig config = NextbestConfig.builder()
                .set("customer.weight-combine", combine)
                .set("customer.window-size", Integer.toString(window))
                .set("customer.dedup-event-ids", "0")
                .build();
        DecayedWeights decay = new DecayedWeights(T0, halfLifeMs);
        IncrementalCosine incremental = new IncrementalCosine();
        CustomerProfile profile = new CustomerProfile(new CustomerSettings(config));
        SimilarityVector vector = new SimilarityVector(vectorSize, decay);

        Random random = new Random(seed);
        int customers = 80;
        int items = 30;
        Map<String, CustomerState> states = new HashMap<>();
        InteractionType[] types = InteractionType.values();
        long t = T0;
        for (int n = 0; n < 20_000; n++) {
            t += random.nextInt(5_000); // ~14 hours in all: several half-lives
            String customer = "c" + random.nextInt(customers);
            String item = "i" + (int) Math.floor(Math.pow(random.nextDouble(), 2) * items); // skewed
            CustomerState s = states.computeIfAbsent(customer, k -> new CustomerState());
            String[] beforeItems = vector.items(s);
            double[] beforeWeights = vector.weights(s);
            if (random.nextInt(20) == 0) {
                profile.apply(s, new Transaction("e" + n, TransactionType.ORDER, "o" + n, customer, Instant.ofEpochMilli(t),
                        List.of(new OrderLine(item, 1, 10.0)), 10.0, "EUR", Channel.WEB));
            } else {
                InteractionType type = types[random.nextInt(types.length)];
                profile.apply(s, new Interaction("e" + n, type, customer, null,
                        type == InteractionType.SEARCH ? null : item, type == InteractionType.SEARCH ? "q" : null,
                        Instant.ofEpochMilli(t), Channel.WEB, null, null, null));
            }
            SimilarityDeltas.apply(vector.change(beforeItems, beforeWeights, s, 0), incremental);
            if (random.nextInt(500) == 0) { // erasure takes the customer out of the matrix
                SimilarityDeltas.apply(vector.removal(s, 0), incremental);
                states.remove(customer);
            }
        }

        // batch: the decayed matrix of the final windows
        Map<String, Map<String, Double>> columns = new HashMap<>(); // item → customer → r̃
        states.forEach((customer, s) -> {
            String[] vectorItems = vector.items(s);
            double[] vectorWeights = vector.weights(s);
            for (int k = 0; k < vectorItems.length; k++) {
                columns.computeIfAbsent(vectorItems[k], x -> new HashMap<>()).put(customer, vectorWeights[k]);
            }
        });
        TreeSet<String> all = new TreeSet<>(columns.keySet());
        List<String> checked = new ArrayList<>();
        for (String i : all) {
            double ni = squaredNorm(columns.get(i));
            assertThat(incremental.squaredNorm(i)).as("‖%s‖²", i).isCloseTo(ni, relative(ni));
            for (String j : all) {
                if (i.compareTo(j) >= 0) {
                    continue;
                }
                double dot = 0;
                for (Map.Entry<String, Double> e : columns.get(i).entrySet()) {
                    Double other = columns.get(j).get(e.getKey());
                    if (other != null) {
                        dot += e.getValue() * other;
                    }
                }
                double batch = dot / Math.sqrt(ni * squaredNorm(columns.get(j)));
                double inc = incremental.cosine(i, j);
                assertThat(inc).as("cos(%s,%s)", i, j).isCloseTo(batch, org.assertj.core.data.Offset.offset(1e-9 * Math.max(Math.abs(batch), 1e-3)));
                assertThat(incremental.dot(i, j)).as("dot rows agree").isEqualTo(incremental.dot(j, i));
                if (dot != 0) {
                    checked.add(i + "," + j);
                }
            }
        }
        assertThat(checked).as("pairs with a non-zero similarity").hasSizeGreaterThan(100);
    }

    private static double squaredNorm(Map<String, Double> column) {
        double s = 0;
        for (double v : column.values()) {
            s += v * v;
        }
        return s;
    }

    private static org.assertj.core.data.Offset<Double> relative(double expected) {
        return org.assertj.core.data.Offset.offset(1e-9 * Math.max(Math.abs(expected), 1e-12));
    }
}
