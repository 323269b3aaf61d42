package io.nextbest.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.nextbest.schemas.messages.ItemNeighbours;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The streaming codec of item-neighbours writes the bytes data binding writes and reads what it reads. */
class ItemNeighboursCodecTest {
    private final JsonCodec<ItemNeighbours> binding = new JsonCodec<>(ItemNeighbours.class);
    private final ItemNeighboursCodec codec = new ItemNeighboursCodec();

    @Test
    void randomListsEncodeToTheBytesOfDataBindingAndReadBackEqual() throws Exception {
        Random random = new Random(7);
        for (int n = 0; n < 2_000; n++) {
            ItemNeighbours m = random(random);
            byte[] ours = codec.encode(m);
            assertThat(new String(ours, StandardCharsets.UTF_8)).isEqualTo(new String(binding.encode(m), StandardCharsets.UTF_8));
            assertThat(ItemNeighboursCodec.read(ours)).as("read by the fast path").isEqualTo(m);
            assertThat(codec.decode(ours)).isEqualTo(binding.decode(ours));
            assertThat(SchemaValidation.violations("item-neighbours", new String(ours, StandardCharsets.UTF_8))).isEmpty();
        }
    }

    @Test
    void theSchemaExamplesDecodeAsDataBindingDecodesThem() throws Exception {
        for (String name : ExampleFiles.names("item-neighbours")) {
            decodesAsDataBinding(name, ExampleFiles.bytes("item-neighbours", name));
        }
    }

    @Test
    void otherFormsAreLeftToDataBindingWithTheSameResult() throws Exception {
        List<String> forms = List.of(
                // another field order: the fast path reads it
                "{\"updatedAt\":\"2026-11-23T15:12:00Z\",\"asOf\":\"2026-11-23T15:11:59.5Z\",\"neighbours\":[{\"dot\":2,\"similarity\":0.5,\"itemId\":\"b\"}],\"squaredNorm\":4,\"itemId\":\"a\"}",
                // data binding's own: an id as a number, a norm as a string, a time with an offset, a leap second
                "{\"itemId\":7,\"squaredNorm\":4,\"neighbours\":[],\"asOf\":\"2026-11-23T15:12:00Z\",\"updatedAt\":\"2026-11-23T15:12:00Z\"}",
                "{\"itemId\":\"a\",\"squaredNorm\":\"4.5\",\"neighbours\":[],\"asOf\":\"2026-11-23T15:12:00Z\",\"updatedAt\":\"2026-11-23T15:12:00Z\"}",
                "{\"itemId\":\"a\",\"squaredNorm\":4,\"neighbours\":[],\"asOf\":\"2026-11-23T16:12:00+01:00\",\"updatedAt\":\"2026-11-23T15:12:00Z\"}",
                // errors: the same as data binding's
                "{\"itemId\":\"a\",\"squaredNorm\":4,\"neighbours\":[],\"asOf\":\"2026-02-30T15:12:00Z\",\"updatedAt\":\"2026-11-23T15:12:00Z\"}",
                "{\"itemId\":\"a\",\"itemId\":\"b\",\"squaredNorm\":4,\"neighbours\":[],\"asOf\":\"2026-11-23T15:12:00Z\",\"updatedAt\":\"2026-11-23T15:12:00Z\"}",
                "{\"itemId\":\"a\",\"squaredNorm\":null,\"neighbours\":[],\"asOf\":\"2026-11-23T15:12:00Z\",\"updatedAt\":\"2026-11-23T15:12:00Z\"}",
                "{\"itemId\":\"a\",\"squaredNorm\":4,\"neighbours\":[null],\"asOf\":\"2026-11-23T15:12:00Z\",\"updatedAt\":\"2026-11-23T15:12:00Z\"}",
                "{\"itemId\":\"a\",\"squaredNorm\":4,\"neighbours\":[],\"asOf\":\"2026-11-23T15:12:00Z\"}",
                "{\"itemId\":\"a\",\"squaredNorm\":4,\"neighbours\":[],\"asOf\":\"2026-11-23T15:12:00Z\",\"updatedAt\":\"2026-11-23T15:12:00Z\",\"x\":1}",
                "{\"itemId\":\"a\",\"squaredNorm\":NaN,\"neighbours\":[],\"asOf\":\"2026-11-23T15:12:00Z\",\"updatedAt\":\"2026-11-23T15:12:00Z\"}",
                "{\"itemId\":\"a\"",
                "[]",
                "not json");
        for (String form : forms) {
            decodesAsDataBinding(form, form.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(ItemNeighboursCodec.read(forms.get(0).getBytes(StandardCharsets.UTF_8))).isNotNull();
        assertThat(ItemNeighboursCodec.read(forms.get(1).getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void instantsInTheFormInstantWritesParseAsInstantParsesThem() {
        Random random = new Random(11);
        for (int n = 0; n < 20_000; n++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 250_000_000_000L),
                    switch (n % 4) {
                        case 0 -> 0;
                        case 1 -> random.nextInt(1000) * 1_000_000;
                        case 2 -> random.nextInt(1_000_000) * 1000;
                        default -> random.nextInt(1_000_000_000);
                    });
            String s = t.toString();
            Instant parsed = ItemNeighboursCodec.instant(s);
            if (s.length() >= 20 && Character.isDigit(s.charAt(0)) && s.charAt(4) == '-') {
                assertThat(parsed).as(s).isEqualTo(t);
            } else {
                assertThat(parsed).as(s).isNull(); // years beyond four digits: data binding's
            }
        }
        assertThat(ItemNeighboursCodec.instant("2026-11-23T15:12:00.1Z")).isEqualTo(Instant.parse("2026-11-23T15:12:00.1Z"));
        for (String odd : List.of("2026-11-23T24:00:00Z", "2026-11-23T23:59:60Z", "2026-13-01T00:00:00Z",
                "2026-11-23T15:12:00.Z", "2026-11-23T15:12:00.1234567890Z", "2026-11-23 15:12:00Z", "+2026-11-23T15:12:00Z")) {
            assertThat(ItemNeighboursCodec.instant(odd)).as(odd).isNull();
        }
    }

    /** The codec's result is data binding's: the same message, or an error of the same class and message. */
    private void decodesAsDataBinding(String what, byte[] bytes) throws Exception {
        Throwable expectedError = catchThrowable(() -> binding.decode(bytes));
        Throwable error = catchThrowable(() -> codec.decode(bytes));
        if (expectedError == null) {
            assertThat(error).as(what).isNull();
            assertThat(codec.decode(bytes)).as(what).isEqualTo(binding.decode(bytes));
        } else {
            assertThat(error).as(what).isInstanceOf(expectedError.getClass()).hasMessage(expectedError.getMessage());
        }
    }

    private static ItemNeighbours random(Random r) {
        int n = r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(40);
        List<ItemNeighbours.Neighbour> list = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            double sim = r.nextInt(10) == 0 ? 1 : 1e-9 + r.nextDouble() * (1 - 1e-9);
            list.add(new ItemNeighbours.Neighbour("item-" + r.nextInt(1_000_000) + (r.nextBoolean() ? "" : "/\u00e9\"x"),
                    sim, r.nextInt(10) == 0 ? 1 + r.nextInt(100) : (1e-9 + r.nextDouble()) * Math.pow(10, r.nextInt(20) - 10)));
        }
        Instant asOf = Instant.ofEpochMilli(1_700_000_000_000L + r.nextInt(1_000_000_000));
        Instant updated = Instant.ofEpochSecond(1_700_000_000L + r.nextInt(1_000_000), r.nextInt(1_000_000_000));
        return new ItemNeighbours("i" + r.nextInt(100_000), n == 0 ? 0 : r.nextDouble() * 1e3, list, asOf, updated);
    }
}
