package io.nextbest.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.Topics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ShopperGeneratorTest {
    private static final long NOW = 1_795_000_000_000L;

    private static List<ShopperGenerator.Record> generate(long seed, int n, double bad, double dup) {
        AtomicLong clock = new AtomicLong(NOW);
        ShopperGenerator g = new ShopperGenerator(seed, 50, 40, bad, dup, () -> clock.getAndAdd(10));
        List<ShopperGenerator.Record> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(g.next());
        }
        return out;
    }

    @Test
    void sameSeedSameRecords() {
        List<ShopperGenerator.Record> a = generate(7, 2000, 0.02, 0.01);
        List<ShopperGenerator.Record> b = generate(7, 2000, 0.02, 0.01);
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).topic()).isEqualTo(b.get(i).topic());
            assertThat(a.get(i).key()).isEqualTo(b.get(i).key());
            assertThat(a.get(i).value()).isEqualTo(b.get(i).value());
        }
        assertThat(generate(8, 50, 0.02, 0.01).get(0).value()).isNotEqualTo(a.get(0).value());
    }

    @Test
    void cleanRecordsAreValidAndUniqueAndKeyedByTheirSubject() throws Exception {
        Set<String> eventIds = new HashSet<>();
        for (ShopperGenerator.Record r : generate(1, 5000, 0, 0)) {
            Object message = Topics.byName(r.topic()).orElseThrow().codec().decode(r.value());
            @SuppressWarnings({"unchecked", "rawtypes"})
            byte[] key = ((io.nextbest.schemas.Topic) Topics.byName(r.topic()).orElseThrow()).keyBytes(message);
            assertThat(new String(key, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(r.key());
            String json = new String(r.value(), java.nio.charset.StandardCharsets.UTF_8);
            String id = json.substring(json.indexOf("\"eventId\":\"") + 11);
            assertThat(eventIds.add(id.substring(0, id.indexOf('"')))).as("unique event id").isTrue();
        }
    }

    @Test
    void brokenAndRepeatedRecordsAppearAtTheirShares() {
        List<ShopperGenerator.Record> records = generate(3, 20_000, 0.05, 0.02);
        int broken = 0;
        int repeated = 0;
        for (int i = 0; i < records.size(); i++) {
            ShopperGenerator.Record r = records.get(i);
            try {
                Topics.byName(r.topic()).orElseThrow().codec().decode(r.value());
            } catch (InvalidMessageException e) {
                broken++;
            }
            if (i > 0 && r == records.get(i - 1)) {
                repeated++;
            }
        }
        assertThat(broken / 20_000.0).isBetween(0.04, 0.06);
        assertThat(repeated / 20_000.0).isBetween(0.01, 0.03);
    }
}
