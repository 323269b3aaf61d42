package io.nextbest.job.ranking;

import io.nextbest.job.catalog.CatalogEntry;
import io.nextbest.job.explore.ExplorationPool;
import io.nextbest.job.messages.CatalogUpdate;
import io.nextbest.job.messages.FeatureTrending;
import io.nextbest.job.messages.NeighbourUpdate;
import io.nextbest.job.messages.RankingRequest;
import io.nextbest.job.messages.ReplicaUpdate;
import io.nextbest.job.messages.TrendingSnapshot;
import io.nextbest.job.rules.RuleBook;
import io.nextbest.job.similarity.NeighbourRows;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a customer-stage instance ranks from, on its heap, fed by the broadcast input ({@link
 * ReplicaUpdate}): one {@link ItemReplica} per item (catalog entry with deletions kept as marks,
 * warm flag, the item's record of the neighbour index), the exploration pool, the trending lists
 * (global and per feature, resolved to replicas when they arrive) and the rule book. Ranking
 * follows references from here: no per-candidate lookups.
 *
 * <p>None of it is written to checkpoints. After a restore it is rebuilt: the catalog and the index
 * from their compacted topics (read from the beginning at every start), trending by the board's
 * first publication, warm items by the impression counter's republication; the rules live in the
 * stage's broadcast state (few and small). No Flink types: unit-tested directly.
 *
 * <p>The index: a cosine is computed when it is asked for, from the anchor's dot product and the
 * two items' norms as each last published them, so it is never older than one publish interval
 * (plus the combiner's flush) for either item, whichever changed last. With the asking customer's
 * vector the cosine leaves that customer's own evidence out, exactly (see {@link #top}).
 */
public final class Replicas {
    private final Map<String, ItemReplica> items = new HashMap<>();
    private final ExplorationPool pool = new ExplorationPool();
    /** Content feature → id, for the content cosines of {@link HybridRanker} (ids index its scratch array). */
    private final Map<String, Integer> featureIds = new HashMap<>();
    private final Map<String, TrendingList> byFeature = new HashMap<>();
    private TrendingList trending;
    private RuleBook rules = RuleBook.of(List.of());
    private int catalogItems;
    private int published;
    private int warmItems;
    private long neighbourSlots;
    /** Marks of the ranking in progress on the replicas (candidates, exclusions, the asking vector). */
    private long generation;
    /** Where explored items come from: the pool (tests put their own). */
    private Explorer explorer = (request, count, ok) -> pool.pick(request.subjectKey(), request.eventTime, count, ok);

    /** Picks items to explore for a list. */
    @FunctionalInterface
    interface Explorer {
        /** Up to {@code count} distinct items passing {@code ok}. */
        List<String> pick(RankingRequest request, int count, Predicate<String> ok);
    }

    /** A trending list resolved to replicas: items best first, their log2 scores, the newest event time counted. */
    public record TrendingList(ItemReplica[] items, double[] logScores, long asOf) {}

    /** Applies a change of anything but the rules (which the stage keeps in broadcast state, see {@link #rules}). */
    public void apply(ReplicaUpdate u) {
        if (u.neighbours != null) {
            NeighbourUpdate n = u.neighbours;
            putNeighbours(n.itemId, n.squaredNorm, n.neighbours, n.dots, n.asOf);
        } else if (u.catalog != null) {
            apply(u.catalog);
        } else if (u.trending != null) {
            TrendingSnapshot t = u.trending; // one publisher, one ordered channel: the newest list replaces the last
            if (trending != null) {
                for (ItemReplica r : trending.items()) {
                    r.trendRank = 0;
                    r.trendLog = Double.NaN;
                }
            }
            trending = new TrendingList(resolve(t.items), t.logScores, t.asOf);
            for (int k = 0; k < t.items.length; k++) { // each item knows its place: ranking reads it from there
                trending.items()[k].trendRank = k + 1;
                trending.items()[k].trendLog = t.logScores[k];
            }
        } else if (u.featureTrending != null) {
            FeatureTrending f = u.featureTrending;
            byFeature.put(f.feature, new TrendingList(resolve(f.items), f.logScores, f.asOf));
        } else if (u.propensity != null) {
            propensities.put(u.propensity.key(), new long[] {u.propensity.trials, u.propensity.successes});
        } else if (u.clickThrough != null) {
            ItemReplica r = item(u.clickThrough.itemId, true);
            r.ctrPlacements = u.clickThrough.placements;
            r.ctrImpressions = u.clickThrough.impressions;
            r.ctrClicks = u.clickThrough.clicks;
        } else if (u.warmth != null && u.warmth.warm) {
            ItemReplica r = item(u.warmth.itemId, true);
            if (!r.warm) {
                r.warm = true;
                warmItems++;
            }
            pool.remove(r.id);
        }
    }

    private void apply(CatalogUpdate u) {
        ItemReplica r = item(u.itemId, true);
        if (r.entry == null) {
            catalogItems++;
        }
        r.entry = u.isDeletion() ? CatalogEntry.deletion() : u.entry;
        int[] ids = new int[r.entry.features.length];
        for (int k = 0; k < ids.length; k++) {
            ids[k] = featureIds.computeIfAbsent(r.entry.features[k], f -> featureIds.size());
        }
        r.featureIds = ids;
        if (r.entry.available() && !r.warm) {
            pool.add(r.id);
        } else {
            pool.remove(r.id);
        }
    }

    /** Replaces an item's record of the index: its squared norm and neighbours (best first) with their dot products. */
    public void putNeighbours(String item, double squaredNorm, String[] neighbours, double[] dots, long asOf) {
        ItemReplica e = item(item, true);
        if (!e.published) {
            e.published = true;
            published++;
        }
        neighbourSlots += neighbours.length - e.neighbours.length;
        e.squaredNorm = squaredNorm;
        e.neighbours = neighbours.length == 0 ? ItemReplica.NONE : resolve(neighbours);
        e.dots = dots.length == 0 ? ItemReplica.NO_DOTS : dots;
        e.asOf = asOf;
    }

    private ItemReplica[] resolve(String[] ids) {
        ItemReplica[] out = new ItemReplica[ids.length];
        for (int k = 0; k < ids.length; k++) {
            out[k] = item(ids[k], true);
        }
        return out;
    }

    /** The item's replica; a new, empty one if nothing has named it and {@code create}. */
    ItemReplica item(String id, boolean create) {
        ItemReplica r = items.get(id);
        if (r == null && create) {
            r = new ItemReplica(id);
            items.put(id, r);
        }
        return r;
    }

    /** The item's replica, null if nothing has named it. */
    public ItemReplica item(String id) {
        return items.get(id);
    }

    // ---- the neighbour index ----

    /**
     * Marks the asking customer's vector (items and decayed weights) for the {@link #top} calls of one
     * list; returns the mark to pass them, 0 for none (plain cosines).
     */
    public long markOwn(String[] ownItems, double[] ownWeights) {
        if (ownItems == null || ownItems.length == 0) {
            return 0;
        }
        long mark = nextGeneration();
        for (int k = 0; k < ownItems.length; k++) {
            ItemReplica r = items.get(ownItems[k]);
            if (r != null) {
                r.ownGeneration = mark;
                r.ownWeight = ownWeights[k];
            }
        }
        return mark;
    }

    /**
     * The {@code k} neighbours of {@code item} with the highest cosine, best first (ties by id), from
     * its published dot products and each side's newest norm; neighbours that have not published (norm
     * 0) are left out. With {@code own} (a {@link #markOwn} mark) the asking customer u's products are
     * taken out of the sums: cos_−u(i,j) = (dot(i,j) − u_i·u_j) / √((‖r_i‖² − u_i²)(‖r_j‖² − u_j²)), and
     * pairs left without evidence from others are skipped.
     */
    public AnchorNeighbours top(String item, int k, long own, double anchorWeight) {
        ItemReplica a = items.get(item);
        if (a == null || a.squaredNorm <= 0) {
            return new AnchorNeighbours(item, anchorWeight, ItemReplica.NONE, ItemReplica.NO_DOTS);
        }
        double ownHere = own != 0 && a.ownGeneration == own ? a.ownWeight : 0;
        double norm = a.squaredNorm - ownHere * ownHere;
        int n = a.neighbours.length;
        ItemReplica[] found = new ItemReplica[n];
        double[] cos = new double[n];
        int m = 0;
        if (norm > NeighbourRows.RESIDUE * a.squaredNorm) {
            for (int j = 0; j < n; j++) {
                ItemReplica b = a.neighbours[j];
                if (b.squaredNorm <= 0) {
                    continue;
                }
                double ownThere = own != 0 && b.ownGeneration == own ? b.ownWeight : 0;
                double dot = a.dots[j] - ownHere * ownThere;
                double other = b.squaredNorm - ownThere * ownThere;
                if (dot > NeighbourRows.RESIDUE * a.dots[j] && other > NeighbourRows.RESIDUE * b.squaredNorm) {
                    double c = Math.min(1, dot / Math.sqrt(norm * other)); // norms and dots of different flushes
                    int at = m++; // insertion by cosine (descending), ties by id: the lists are short
                    while (at > 0 && (cos[at - 1] < c || cos[at - 1] == c && found[at - 1].id.compareTo(b.id) > 0)) {
                        found[at] = found[at - 1];
                        cos[at] = cos[at - 1];
                        at--;
                    }
                    found[at] = b;
                    cos[at] = c;
                }
            }
        }
        int out = Math.min(k, m);
        return new AnchorNeighbours(item, anchorWeight, out == n ? found : java.util.Arrays.copyOf(found, out),
                out == n ? cos : java.util.Arrays.copyOf(cos, out));
    }

    // ---- what ranking reads ----

    /** The rules in force (parsed by the stage from its broadcast state). */
    /** Learned trials and successes per action and segment (the propensity learner's totals). */
    private final java.util.Map<String, long[]> propensities = new java.util.HashMap<>();
    /** The action catalog in force, sorted by id (the stage parses it from its broadcast state). */
    private java.util.List<io.nextbest.job.action.ActionDef> actions = java.util.List.of();

    /** {trials, successes} of {@code actionId} among customers of {@code segment}; null if none learned yet. */
    public long[] propensity(String actionId, String segment) {
        return propensities.get(actionId + "\n" + segment);
    }

    public int propensityCount() {
        return propensities.size();
    }

    public void actions(java.util.List<io.nextbest.job.action.ActionDef> catalog) {
        this.actions = java.util.List.copyOf(catalog);
    }

    public java.util.List<io.nextbest.job.action.ActionDef> actions() {
        return actions;
    }

    public void rules(RuleBook book) {
        this.rules = book;
    }

    public RuleBook rules() {
        return rules;
    }

    /** The catalog entry of an item (a deletion mark if deleted), null if the catalog never named it. */
    public CatalogEntry catalog(String itemId) {
        ItemReplica r = items.get(itemId);
        return r == null ? null : r.entry;
    }

    /** The content features of an item the catalog knows and has not deleted, else null. */
    public String[] features(String itemId) {
        CatalogEntry e = catalog(itemId);
        return e == null || e.deleted ? null : e.features;
    }

    /** The id of a content feature some catalog item has, -1 if none has it. */
    int featureId(String feature) {
        Integer id = featureIds.get(feature);
        return id == null ? -1 : id;
    }

    int featureCount() {
        return featureIds.size();
    }

    /** The global trending list, null before the first publication. */
    public TrendingList trending() {
        return trending;
    }

    /** The trending list of one content feature (e.g. {@code category:a/b}), null if none. */
    public TrendingList trending(String feature) {
        return byFeature.get(feature);
    }

    /** Up to {@code count} items of the exploration pool passing {@code ok}, the same for one customer on one day. */
    public List<String> explore(RankingRequest request, int count, Predicate<String> ok) {
        return explorer.pick(request, count, ok);
    }

    /** Explores from {@code explorer} instead of the pool (tests). */
    void explorer(Explorer explorer) {
        this.explorer = explorer;
    }

    /** A new mark for the ranking in progress. */
    long nextGeneration() {
        return ++generation;
    }

    public int catalogSize() {
        return catalogItems;
    }

    /** Items that have published a neighbour record. */
    public int indexSize() {
        return published;
    }

    /** Neighbour references held over all items (what the index's memory grows with). */
    public long neighbourSlots() {
        return neighbourSlots;
    }

    public int poolSize() {
        return pool.size();
    }

    public int warmItems() {
        return warmItems;
    }

    public int trendingFeatures() {
        return byFeature.size();
    }

    /** Every item replica (memory measurements). */
    public int items() {
        return items.size();
    }
}
