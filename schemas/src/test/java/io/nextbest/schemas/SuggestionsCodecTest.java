package io.nextbest.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nextbest.schemas.messages.Reason;
import io.nextbest.schemas.messages.Signal;
import io.nextbest.schemas.messages.SuggestedItem;
import io.nextbest.schemas.messages.Suggestions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written encoder of suggestions writes what data binding writes, numbers to 12 significant digits. */
class SuggestionsCodecTest {

    @Test
    void randomListsEncodeAsDataBindingDoesAndDecodeBackWithinTwelveDigits() throws Exception {
        Random random = new Random(3);
        JsonCodec<Suggestions> binding = new JsonCodec<>(Suggestions.class);
        SuggestionsCodec codec = new SuggestionsCodec();
        for (int n = 0; n < 500; n++) {
            Suggestions s = random(random);
            byte[] ours = codec.encode(s);
            String json = new String(ours, StandardCharsets.UTF_8);
            assertThat(SchemaValidation.violations("suggestions", json)).as(json).isEmpty();
            JsonNode a = Json.MAPPER.readTree(ours);
            JsonNode b = Json.MAPPER.readTree(binding.encode(s));
            assertThat(fieldNames(a)).isEqualTo(fieldNames(b)); // the same fields, in the same order
            Suggestions back = codec.decode(ours);
            assertThat(back.customerId()).isEqualTo(s.customerId());
            assertThat(back.sessionId()).isEqualTo(s.sessionId());
            assertThat(back.generatedAt()).isEqualTo(s.generatedAt());
            assertThat(back.items()).hasSameSizeAs(s.items());
            for (int i = 0; i < s.items().size(); i++) {
                SuggestedItem x = s.items().get(i);
                SuggestedItem y = back.items().get(i);
                assertThat(y.itemId()).isEqualTo(x.itemId());
                assertThat(y.rank()).isEqualTo(x.rank());
                assertThat(y.score()).isCloseTo(x.score(), org.assertj.core.data.Offset.offset(5e-12 * Math.abs(x.score())));
                for (int k = 0; k < x.reasons().size(); k++) {
                    Reason r = x.reasons().get(k);
                    Reason q = y.reasons().get(k);
                    assertThat(q.signal()).isEqualTo(r.signal());
                    assertThat(q.text()).isEqualTo(r.text());
                    assertThat(q.relatedItemId()).isEqualTo(r.relatedItemId());
                    if (r.value() == null) {
                        assertThat(q.value()).isNull();
                    } else {
                        assertThat(q.value()).isCloseTo(r.value(),
                                org.assertj.core.data.Offset.offset(5e-12 * Math.abs(r.value())));
                    }
                }
            }
            assertThat(ours.length).isLessThanOrEqualTo(binding.encode(s).length);
        }
    }

    @Test
    void numbersKeepTwelveSignificantDigits() {
        assertThat(SuggestionsCodec.significant(0.12345678901234567)).isEqualTo(0.123456789012);
        assertThat(SuggestionsCodec.significant(123456.78901234567)).isEqualTo(123456.789012);
        assertThat(SuggestionsCodec.significant(-2.5e-7)).isEqualTo(-2.5e-7);
        assertThat(SuggestionsCodec.significant(1.0)).isEqualTo(1.0);
        assertThat(SuggestionsCodec.significant(0)).isZero();
        assertThat(SuggestionsCodec.significant(9.9999999999999)).isEqualTo(10.0);
        assertThat(SuggestionsCodec.significant(1.2345678901234567e20)).isEqualTo(1.23456789012e20);
    }

    private static Suggestions random(Random random) {
        List<SuggestedItem> items = new ArrayList<>();
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
            List<Reason> reasons = new ArrayList<>();
            for (int k = 0; k <= random.nextInt(3); k++) {
                Signal signal = Signal.values()[random.nextInt(Signal.values().length)];
                reasons.add(new Reason(signal, "because \"" + i + "\" é ✓ " + k,
                        random.nextBoolean() ? null : random.nextDouble() * Math.pow(10, random.nextInt(9) - 4),
                        random.nextBoolean() ? null : "rel-" + k));
            }
            items.add(new SuggestedItem("item-" + i, i + 1, random.nextDouble() * 3, reasons));
        }
        boolean anonymous = random.nextBoolean();
        return new Suggestions(anonymous ? null : "C-" + random.nextInt(99), anonymous || random.nextBoolean()
                ? "S-" + random.nextInt(9) : null, 1 + random.nextInt(1000), "evt-" + random.nextInt(9999), "home",
                "hybrid", "default", Instant.ofEpochMilli(1_700_000_000_000L + random.nextInt()),
                Instant.ofEpochMilli(1_700_000_000_000L + random.nextInt(1000)), items);
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        walk(n, "$", out);
        return out;
    }

    private static void walk(JsonNode n, String path, List<String> out) {
        if (n.isObject()) {
            n.fieldNames().forEachRemaining(f -> {
                out.add(path + "." + f);
                walk(n.get(f), path + "." + f, out);
            });
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                walk(n.get(i), path + "[" + i + "]", out);
            }
        }
    }
}
