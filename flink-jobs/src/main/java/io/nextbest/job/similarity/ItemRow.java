package io.nextbest.job.similarity;

import java.nio.charset.StandardCharsets;

/**
 * The item stage's state per item: its neighbour candidates and the dot product with each
 * (bounded by {@code similarity.max-candidates}). Its own squared norm lives in the broadcast norm
 * table, beside every other item's. A Flink POJO.
 *
 * <p>In state the neighbours' ids are one UTF-8 byte array, joined by NUL (ids never hold control
 * characters): one array copy to read or write instead of one string at a time, which was the
 * largest cost of a row update. {@link #pack} before writing, {@link #unpack} after reading.
 */
public class ItemRow {
    private static final byte[] NO_BYTES = new byte[0];
    private static final String[] NO_IDS = new String[0];

    /** The neighbours' ids as stored. */
    public byte[] ids = NO_BYTES;
    public double[] dots = new double[0];
    /**
     * Per pair, the largest magnitude its dot product was summed from since the pair entered: a
     * sum that falls to about 1e-12 of it is a rounding residue and the pair is gone.
     */
    public double[] scales = new double[0];
    /** Event time (ms) of the newest change summed into the row. */
    public long asOf;
    /** The neighbours' ids, decoded (not stored). */
    public transient String[] others = NO_IDS;

    public ItemRow() {}

    public ItemRow(String[] others, double[] dots) {
        this(others, dots, dots.clone());
    }

    public ItemRow(String[] others, double[] dots, double[] scales) {
        this.others = others;
        this.dots = dots;
        this.scales = scales;
    }

    /** Encodes {@link #others} into {@link #ids}, for writing to state. */
    public ItemRow pack() {
        ids = others.length == 0 ? NO_BYTES : String.join("\0", others).getBytes(StandardCharsets.UTF_8);
        return this;
    }

    /** Decodes {@link #ids} into {@link #others}, after reading from state. */
    public ItemRow unpack() {
        others = ids.length == 0 ? NO_IDS : new String(ids, StandardCharsets.UTF_8).split("\0", -1);
        return this;
    }
}
