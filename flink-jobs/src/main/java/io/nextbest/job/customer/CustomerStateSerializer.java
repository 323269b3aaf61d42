package io.nextbest.job.customer;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Writes a {@link CustomerState} flat, group after group in the order of its fields, lengths as
 * variable-length ints: no per-field null flags or subclass tags (the POJO serializer writes those
 * for each of the seven groups), and one read and one write of one value per event. The first byte
 * is the format version, so that a later format can still read this one.
 */
public final class CustomerStateSerializer extends TypeSerializerSingleton<CustomerState> {
    private static final long serialVersionUID = 1L;

    /**
     * 4: an anonymous session's expiry (touched, expires) before the arbitration's group; 3: the arbitration's group at
     * the end; 2: dismissed items and the experiment assignment key at the end; formats 1 to 3 (without them) are still
     * read.
     */
    static final int FORMAT = 4;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public CustomerState createInstance() {
        return new CustomerState();
    }

    @Override
    public CustomerState copy(CustomerState from) {
        try {
            DataOutputSerializer out = new DataOutputSerializer(256);
            serialize(from, out);
            return deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        } catch (IOException e) {
            throw new IllegalStateException("copying a customer state in memory", e);
        }
    }

    @Override
    public CustomerState copy(CustomerState from, CustomerState reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(CustomerState s, DataOutputView out) throws IOException {
        out.writeByte(FORMAT);
        CustomerState.Window w = s.window;
        strings(w.items, out);
        doubles(w.weights, out);
        longs(w.times, out);
        CustomerState.Basket b = s.basket;
        strings(b.items, out);
        ints(b.quantities, out);
        doubles(b.prices, out);
        out.writeLong(b.updatedAt);
        CustomerState.Purchases p = s.purchases;
        strings(p.items, out);
        longs(p.at, out);
        out.writeLong(p.lastAt);
        out.writeInt(p.count);
        out.writeDouble(p.monetary);
        out.writeInt(p.discountedOrders);
        CustomerState.Content c = s.content;
        strings(c.features, out);
        doubles(c.weights, out);
        out.writeLong(c.time);
        longs(s.seen.eventIds, out);
        out.writeInt(s.seen.next);
        CustomerState.Contact k = s.contact;
        out.writeBoolean(k.known);
        out.writeInt(k.consentFlags);
        out.writeBoolean(k.optedOut);
        out.writeBoolean(k.timeZone != null);
        if (k.timeZone != null) {
            StringValue.writeString(k.timeZone, out);
        }
        longs(k.times, out);
        length(k.types.length, out);
        out.write(k.types);
        CustomerState.Trigger t = s.trigger;
        out.writeLong(t.basketAt);
        out.writeLong(t.dueAt);
        out.writeLong(t.wallAt);
        out.writeLong(t.watermark);
        out.writeInt(t.sent);
        longs(t.abandonedItems, out);
        out.writeInt(t.abandonedNext);
        out.writeLong(s.lastSeen);
        out.writeLong(s.sequence);
        strings(s.dismissed.items, out);
        longs(s.dismissed.until, out);
        out.writeBoolean(s.assignmentKey != null);
        if (s.assignmentKey != null) {
            StringValue.writeString(s.assignmentKey, out);
        }
        boolean expiring = s.touchedAt != 0 || s.expiresAt != 0; // one byte for a known customer
        out.writeBoolean(expiring);
        if (expiring) {
            out.writeLong(s.touchedAt);
            out.writeLong(s.expiresAt);
        }
        io.nextbest.job.action.ActionState a = s.actions;
        out.writeBoolean(!a.isEmpty());
        if (a.isEmpty()) {
            return;
        }
        strings(a.proposalIds, out);
        strings(a.proposalActions, out);
        longs(a.proposalExpires, out);
        doubles(a.proposalValues, out);
        strings(a.actedIds, out);
        longs(a.actedAt, out);
        strings(a.tracks, out);
        strings(a.trackSteps, out);
        longs(a.trackAt, out);
        strings(a.pendingIds, out);
        strings(a.pendingActions, out);
        strings(a.pendingSegments, out);
        longs(a.pendingAt, out);
        out.writeLong(a.decisions);
        out.writeLong(a.timerAt);
    }

    @Override
    public CustomerState deserialize(DataInputView in) throws IOException {
        int format = in.readUnsignedByte();
        if (format < 1 || format > FORMAT) {
            throw new IOException("customer state in format " + format + ", this version reads formats 1.." + FORMAT);
        }
        CustomerState s = new CustomerState();
        CustomerState.Window w = s.window;
        w.items = strings(in);
        w.weights = doubles(in);
        w.times = longs(in);
        CustomerState.Basket b = s.basket;
        b.items = strings(in);
        b.quantities = ints(in);
        b.prices = doubles(in);
        b.updatedAt = in.readLong();
        CustomerState.Purchases p = s.purchases;
        p.items = strings(in);
        p.at = longs(in);
        p.lastAt = in.readLong();
        p.count = in.readInt();
        p.monetary = in.readDouble();
        p.discountedOrders = in.readInt();
        CustomerState.Content c = s.content;
        c.features = strings(in);
        c.weights = doubles(in);
        c.time = in.readLong();
        s.seen.eventIds = longs(in);
        s.seen.next = in.readInt();
        CustomerState.Contact k = s.contact;
        k.known = in.readBoolean();
        k.consentFlags = in.readInt();
        k.optedOut = in.readBoolean();
        k.timeZone = in.readBoolean() ? StringValue.readString(in) : null;
        k.times = longs(in);
        k.types = new byte[length(in)];
        in.readFully(k.types);
        CustomerState.Trigger t = s.trigger;
        t.basketAt = in.readLong();
        t.dueAt = in.readLong();
        t.wallAt = in.readLong();
        t.watermark = in.readLong();
        t.sent = in.readInt();
        t.abandonedItems = longs(in);
        t.abandonedNext = in.readInt();
        s.lastSeen = in.readLong();
        s.sequence = in.readLong();
        if (format >= 2) {
            s.dismissed.items = strings(in);
            s.dismissed.until = longs(in);
            s.assignmentKey = in.readBoolean() ? StringValue.readString(in) : null;
        }
        if (format >= 4 && in.readBoolean()) {
            s.touchedAt = in.readLong();
            s.expiresAt = in.readLong();
        }
        if (format >= 3 && in.readBoolean()) {
            io.nextbest.job.action.ActionState a = s.actions;
            a.proposalIds = strings(in);
            a.proposalActions = strings(in);
            a.proposalExpires = longs(in);
            a.proposalValues = doubles(in);
            a.actedIds = strings(in);
            a.actedAt = longs(in);
            a.tracks = strings(in);
            a.trackSteps = strings(in);
            a.trackAt = longs(in);
            a.pendingIds = strings(in);
            a.pendingActions = strings(in);
            a.pendingSegments = strings(in);
            a.pendingAt = longs(in);
            a.decisions = in.readLong();
            a.timerAt = in.readLong();
        }
        return s;
    }

    @Override
    public CustomerState deserialize(CustomerState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<CustomerState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer has no configuration: its snapshot only names it. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<CustomerState> {
        public Snapshot() {
            super(CustomerStateSerializer::new);
        }
    }

    // ---- arrays, length first ----

    private static void length(int n, DataOutputView out) throws IOException {
        while ((n & ~0x7f) != 0) {
            out.writeByte((n & 0x7f) | 0x80);
            n >>>= 7;
        }
        out.writeByte(n);
    }

    private static int length(DataInputView in) throws IOException {
        int n = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            int b = in.readUnsignedByte();
            n |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return n;
            }
        }
        throw new IOException("customer state: a length longer than 5 bytes");
    }

    private static void strings(String[] a, DataOutputView out) throws IOException {
        length(a.length, out);
        for (String x : a) {
            StringValue.writeString(x, out);
        }
    }

    private static String[] strings(DataInputView in) throws IOException {
        String[] a = new String[length(in)];
        for (int i = 0; i < a.length; i++) {
            a[i] = StringValue.readString(in);
        }
        return a;
    }

    private static void doubles(double[] a, DataOutputView out) throws IOException {
        length(a.length, out);
        for (double x : a) {
            out.writeDouble(x);
        }
    }

    private static double[] doubles(DataInputView in) throws IOException {
        double[] a = new double[length(in)];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readDouble();
        }
        return a;
    }

    private static void longs(long[] a, DataOutputView out) throws IOException {
        length(a.length, out);
        for (long x : a) {
            out.writeLong(x);
        }
    }

    private static long[] longs(DataInputView in) throws IOException {
        long[] a = new long[length(in)];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readLong();
        }
        return a;
    }

    private static void ints(int[] a, DataOutputView out) throws IOException {
        length(a.length, out);
        for (int x : a) {
            out.writeInt(x);
        }
    }

    private static int[] ints(DataInputView in) throws IOException {
        int[] a = new int[length(in)];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readInt();
        }
        return a;
    }
}
