package io.nextbest.job.replay;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.messages.NeighbourUpdate;
import io.nextbest.job.messages.ReplicaUpdate;
import io.nextbest.job.messages.WindowChange;
import io.nextbest.job.ranking.Replicas;
import io.nextbest.job.similarity.ItemRow;
import io.nextbest.job.similarity.ItemStage;
import io.nextbest.job.similarity.NeighbourRows;
import io.nextbest.job.similarity.PairDeltaCombiner;
import io.nextbest.job.similarity.SimilarityDeltas;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The similarity path of the job (pair-delta combiner → item stage → {@code item-neighbours} → the customer
 * stage's index replica) in one process, without Flink, for the evaluator's replay: window changes are summed
 * per item and pair as the combiner sums them ({@link PairDeltaCombiner#add}, residues left out), applied to
 * the rows and the norm table with the item stage's own functions ({@link NeighbourRows#apply}, {@link
 * ItemStage#applyNorm}), and the changed items' lists ({@link NeighbourRows#published}) go into the replica.
 *
 * <p>The schedule is the caller's, in event time: {@link #flush} where the combiner would flush, {@link
 * #publish} where the item stage would publish. Nothing reaches the replica between those calls, so a list
 * ranked in between sees the index as of the last publication, never a later event.
 */
public final class SimilarityReplay implements SimilarityDeltas.Sink {
    private final int cap;
    private final int published;

    /** Buffered (combiner): item → other → {sum, scale}, and item → {sum, scale} of norm changes. */
    private final Map<String, Map<String, double[]>> pairs = new LinkedHashMap<>();
    private final Map<String, double[]> normDeltas = new LinkedHashMap<>();
    private long bufferedAsOf;
    private long bufferedPosition = -1;

    /** Item stage: rows, the norm table, and the items changed since the last publication. */
    private final Map<String, ItemRow> rows = new HashMap<>();
    private final Map<String, double[]> norms = new HashMap<>();
    private final Map<String, Long> changed = new LinkedHashMap<>();
    private long appliedPosition = -1;

    /** The newest stream position behind the published index (-1: none). */
    private long publishedPosition = -1;
    private long eventTime;
    private long listsPublished;

    public SimilarityReplay(NextbestConfig config) {
        this.cap = config.get(Settings.SIMILARITY_MAX_CANDIDATES);
        this.published = ItemStage.publishedNeighbours(config);
    }

    /** Buffers one customer's window change, made by the event at {@code position}. */
    public void add(WindowChange change, long position) {
        if (change == null || change.isNoop()) {
            return;
        }
        eventTime = change.eventTime;
        bufferedAsOf = Math.max(bufferedAsOf, change.eventTime);
        bufferedPosition = Math.max(bufferedPosition, position);
        SimilarityDeltas.apply(change, this);
    }

    @Override
    public void norm(String item, double squaredNormDelta) {
        PairDeltaCombiner.add(normDeltas.computeIfAbsent(item, k -> new double[2]), squaredNormDelta);
    }

    @Override
    public void dot(String item, String other, double dotDelta) {
        PairDeltaCombiner.add(pairs.computeIfAbsent(item, k -> new HashMap<>()).computeIfAbsent(other,
                k -> new double[2]), dotDelta);
    }

    /** The combiner's flush reaching the item stage: norms, then rows, as sums without rounding residues. */
    public void flush() {
        PairDeltaCombiner.Sums n = PairDeltaCombiner.Sums.of(normDeltas);
        for (int k = 0; k < n.keys().length; k++) {
            ItemStage.applyNorm(norms, n.keys()[k], n.deltas()[k], n.scales()[k]);
            mark(n.keys()[k]); // its own norm is in its list: publish again
        }
        normDeltas.clear();
        for (Map.Entry<String, Map<String, double[]>> e : pairs.entrySet()) {
            PairDeltaCombiner.Sums s = PairDeltaCombiner.Sums.of(e.getValue());
            if (s.keys().length == 0) {
                continue;
            }
            ItemRow current = rows.get(e.getKey());
            ItemRow updated = NeighbourRows.apply(current == null ? new ItemRow() : current, s.keys(), s.deltas(),
                    s.scales(), cap).row();
            updated.asOf = Math.max(current == null ? 0 : current.asOf, bufferedAsOf);
            if (updated.others.length == 0) {
                rows.remove(e.getKey());
            } else {
                rows.put(e.getKey(), updated);
            }
            mark(e.getKey());
        }
        pairs.clear();
        appliedPosition = Math.max(appliedPosition, bufferedPosition);
    }

    private void mark(String item) {
        changed.put(item, bufferedAsOf);
    }

    /** The item stage's publication: every item changed since the last one, into the replica. */
    public void publish(Replicas replicas) {
        for (Map.Entry<String, Long> e : changed.entrySet()) {
            ItemRow r = rows.get(e.getKey());
            if (r == null) {
                r = new ItemRow();
            }
            replicas.apply(ReplicaUpdate.of(NeighbourUpdate.of(NeighbourRows.published(r, e.getKey(),
                    this::squaredNorm, published, Math.max(r.asOf, e.getValue()), eventTime))));
            listsPublished++;
        }
        changed.clear();
        publishedPosition = Math.max(publishedPosition, appliedPosition);
    }

    private double squaredNorm(String item) {
        double[] n = norms.get(item);
        return n == null ? 0 : n[0];
    }

    /** The newest stream position whose window change the published index holds (-1: none). */
    public long publishedPosition() {
        return publishedPosition;
    }

    /** Neighbour lists published so far. */
    public long listsPublished() {
        return listsPublished;
    }

    /** True if window changes wait in the buffer or applied changes wait for publication. */
    public boolean pending() {
        return !pairs.isEmpty() || !normDeltas.isEmpty() || !changed.isEmpty();
    }
}
