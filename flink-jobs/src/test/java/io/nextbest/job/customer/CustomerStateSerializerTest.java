package io.nextbest.job.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Random;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** {@link CustomerStateSerializer}: every field survives, copies are deep, the snapshot restores it. */
class CustomerStateSerializerTest {
    /** Doubles equal bit for bit (NaN, the unknown price, equals itself). */
    private static final java.util.Comparator<double[]> SAME_BITS = (a, b) -> java.util.Arrays.equals(a, b) ? 0 : 1;

    private final CustomerStateSerializer serializer = new CustomerStateSerializer();

    @Test
    void randomStatesSurviveARoundTripFieldByField() throws IOException {
        Random r = new Random(7);
        for (int n = 0; n < 500; n++) {
            CustomerState s = random(r);
            CustomerState back = roundTrip(s);
            assertThat(back).usingRecursiveComparison().withComparatorForType(SAME_BITS, double[].class).isEqualTo(s);
            assertThat(serializer.copy(s)).usingRecursiveComparison().withComparatorForType(SAME_BITS, double[].class)
                    .isEqualTo(s);
        }
        CustomerState empty = new CustomerState();
        assertThat(roundTrip(empty)).usingRecursiveComparison().isEqualTo(empty);
    }

    @Test
    void aCopyIsDeepAndCopyingBytesIsFaithful() throws IOException {
        CustomerState s = random(new Random(1));
        CustomerState copy = serializer.copy(s);
        copy.window.items[0] = "changed";
        copy.basket.quantities[0] = -1;
        assertThat(s.window.items[0]).isNotEqualTo("changed");
        assertThat(s.basket.quantities[0]).isNotEqualTo(-1);

        DataOutputSerializer once = new DataOutputSerializer(64);
        serializer.serialize(s, once);
        DataOutputSerializer twice = new DataOutputSerializer(64);
        serializer.copy(new DataInputDeserializer(once.getCopyOfBuffer()), twice);
        assertThat(twice.getCopyOfBuffer()).isEqualTo(once.getCopyOfBuffer());
    }

    @Test
    void itsSnapshotRestoresAnEqualSerializerThatReadsWhatItWrote() throws IOException {
        TypeSerializerSnapshot<CustomerState> snapshot = serializer.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<CustomerState> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        TypeSerializer<CustomerState> restored = read.restoreSerializer();
        assertThat(restored).isEqualTo(serializer);
        assertThat(read.resolveSchemaCompatibility(serializer.snapshotConfiguration()).isCompatibleAsIs()).isTrue();
    }

    @Test
    void stateWrittenInFormatOneIsStillRead() throws IOException {
        CustomerState s = random(new Random(3));
        s.dismissed.items = new String[0];
        s.dismissed.until = new long[0];
        s.assignmentKey = null;
        s.touchedAt = 0;
        s.expiresAt = 0;
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(s, out);
        byte[] two = out.getCopyOfBuffer();
        // format 1 is format 2 without its tail: no dismissed items (2 empty arrays) and no assignment key (1 byte)
        byte[] one = java.util.Arrays.copyOf(two, two.length - 3);
        one[0] = 1;
        assertThat(serializer.deserialize(new DataInputDeserializer(one))).usingRecursiveComparison()
                .withComparatorForType(SAME_BITS, double[].class).isEqualTo(s);
    }

    @Test
    void stateWrittenInFormatThreeIsStillRead() throws IOException {
        CustomerState s = random(new Random(5));
        s.touchedAt = 0;
        s.expiresAt = 0;
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(s, out);
        byte[] four = out.getCopyOfBuffer();
        // format 3 is format 4 without the expiry's flag, the byte before the (empty) arbitration group's flag
        assertThat(four[four.length - 2]).isZero();
        byte[] three = new byte[four.length - 1];
        System.arraycopy(four, 0, three, 0, four.length - 2);
        three[three.length - 1] = four[four.length - 1];
        three[0] = 3;
        assertThat(serializer.deserialize(new DataInputDeserializer(three))).usingRecursiveComparison()
                .withComparatorForType(SAME_BITS, double[].class).isEqualTo(s);
        CustomerState expiring = random(new Random(5));
        expiring.contact.known = false;
        expiring.touchedAt = 11;
        expiring.expiresAt = 12;
        assertThat(roundTrip(expiring).touchedAt).isEqualTo(11);
        assertThat(roundTrip(expiring).expiresAt).isEqualTo(12);
    }

    @Test
    void anUnknownFormatIsRefusedWithItsNumber() {
        byte[] bytes = {9};
        assertThatThrownBy(() -> serializer.deserialize(new DataInputDeserializer(bytes)))
                .isInstanceOf(IOException.class).hasMessageContaining("format 9");
    }

    private CustomerState roundTrip(CustomerState s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(s, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    static CustomerState random(Random r) {
        CustomerState s = new CustomerState();
        int w = 1 + r.nextInt(40);
        s.window.items = ids(r, w);
        s.window.weights = doubles(r, w);
        s.window.times = longs(r, w);
        int b = 1 + r.nextInt(5);
        s.basket.items = ids(r, b);
        s.basket.quantities = r.ints(b, 1, 9).toArray();
        s.basket.prices = doubles(r, b);
        s.basket.prices[0] = Double.NaN;
        s.basket.updatedAt = r.nextLong();
        int p = r.nextInt(4);
        s.purchases.items = ids(r, p);
        s.purchases.at = longs(r, p);
        s.purchases.lastAt = r.nextLong();
        s.purchases.count = r.nextInt(50);
        s.purchases.monetary = r.nextDouble() * 1000;
        s.purchases.discountedOrders = r.nextInt(5);
        int f = r.nextInt(24);
        s.content.features = ids(r, f);
        s.content.weights = doubles(r, f);
        s.content.time = r.nextLong();
        s.seen.eventIds = longs(r, r.nextInt(200)); // lengths past 127 take two bytes
        s.seen.next = r.nextInt(200);
        s.contact.known = r.nextBoolean();
        s.contact.consentFlags = r.nextInt(8);
        s.contact.optedOut = r.nextBoolean();
        s.contact.timeZone = r.nextBoolean() ? "Europe/Zürich" : null;
        int c = r.nextInt(3);
        s.contact.times = longs(r, c);
        s.contact.types = new byte[c];
        r.nextBytes(s.contact.types);
        s.trigger.basketAt = r.nextLong();
        s.trigger.dueAt = r.nextLong();
        s.trigger.wallAt = r.nextLong();
        s.trigger.watermark = Long.MIN_VALUE;
        s.trigger.sent = r.nextInt(9);
        s.trigger.abandonedItems = longs(r, r.nextInt(20));
        s.trigger.abandonedNext = r.nextInt(20);
        s.lastSeen = r.nextLong();
        s.sequence = r.nextLong();
        int d = r.nextInt(4);
        s.dismissed.items = ids(r, d);
        s.dismissed.until = longs(r, d);
        s.assignmentKey = r.nextBoolean() ? "session-" + r.nextInt(1000) : null;
        if (!s.contact.known) {
            s.touchedAt = r.nextLong();
            s.expiresAt = r.nextBoolean() ? r.nextLong() : 0;
        }
        return s;
    }

    private static String[] ids(Random r, int n) {
        String[] a = new String[n];
        for (int i = 0; i < n; i++) {
            a[i] = "SKU-" + r.nextInt(100_000) + (r.nextInt(10) == 0 ? "-ü€" : "");
        }
        return a;
    }

    private static double[] doubles(Random r, int n) {
        return r.doubles(n).toArray();
    }

    private static long[] longs(Random r, int n) {
        return r.longs(n).toArray();
    }
}
