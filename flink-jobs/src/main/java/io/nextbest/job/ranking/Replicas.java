package io.nextbest.job.ranking;

import io.nextbest.job.catalog.CatalogEntry;
import io.nextbest.job.catalog.CatalogUpdate;
import io.nextbest.job.explore.ExplorationPool;
import io.nextbest.job.rules.RuleBook;
import io.nextbest.job.similarity.AnchorNeighbours;
import io.nextbest.job.similarity.NeighbourIndex;
import io.nextbest.job.similarity.NeighbourUpdate;
import io.nextbest.job.trending.FeatureTrending;
import io.nextbest.job.trending.TrendingSnapshot;
import io.nextbest.schemas.messages.Reason;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What every customer-stage instance ranks from, held on its heap and fed by the broadcast input
 * ({@link ReplicaUpdate}): the catalog (deletions kept as marks), the items shown often enough to
 * stop exploring them, the exploration pool, the neighbour index, the trending lists (global and per
 * feature) and the rule book. None of it is written to checkpoints: after a restore it is rebuilt —
 * the catalog and the index from their compacted topics (read from the beginning at every start),
 * trending by the board's first publication, warm items by the impression counter's republication;
 * the rules live in broadcast state (few and small). No Flink types: unit-tested directly.
 */
public final class Replicas {
    private final Map<String, CatalogEntry> catalog = new HashMap<>();
    private final Set<String> warm = new HashSet<>();
    private final ExplorationPool pool = new ExplorationPool();
    private final NeighbourIndex index = new NeighbourIndex();
    private final Map<String, FeatureTrending> byFeature = new HashMap<>();
    private TrendingSnapshot trending;
    private RuleBook rules = RuleBook.of(List.of());

    /** Applies a change of anything but the rules (which the stage keeps in broadcast state, see {@link #rules}). */
    public void apply(ReplicaUpdate u) {
        if (u.neighbours != null) {
            NeighbourUpdate n = u.neighbours;
            index.put(n.itemId, n.squaredNorm, n.neighbours, n.dots, n.asOf);
        } else if (u.catalog != null) {
            apply(u.catalog);
        } else if (u.trending != null) {
            trending = u.trending; // one publisher, one ordered channel: the newest list replaces the last
        } else if (u.featureTrending != null) {
            byFeature.put(u.featureTrending.feature, u.featureTrending);
        } else if (u.warmth != null && u.warmth.warm) {
            warm.add(u.warmth.itemId);
            pool.remove(u.warmth.itemId);
        }
    }

    private void apply(CatalogUpdate u) {
        CatalogEntry entry = u.isDeletion() ? CatalogEntry.deletion() : u.entry;
        catalog.put(u.itemId, entry);
        if (entry.available() && !warm.contains(u.itemId)) {
            pool.add(u.itemId);
        } else {
            pool.remove(u.itemId);
        }
    }

    /** The rules in force (parsed by the stage from its broadcast state). */
    public void rules(RuleBook book) {
        this.rules = book;
    }

    public RuleBook rules() {
        return rules;
    }

    /** The catalog entry of an item (a deletion mark if deleted), null if the catalog never named it. */
    public CatalogEntry catalog(String itemId) {
        return catalog.get(itemId);
    }

    /** The content features of an item the catalog knows and has not deleted, else null. */
    public String[] features(String itemId) {
        CatalogEntry e = catalog.get(itemId);
        return e == null || e.deleted ? null : e.features;
    }

    public NeighbourIndex index() {
        return index;
    }

    public TrendingSnapshot trending() {
        return trending;
    }

    public int catalogSize() {
        return catalog.size();
    }

    public int poolSize() {
        return pool.size();
    }

    public int warmItems() {
        return warm.size();
    }

    public int trendingFeatures() {
        return byFeature.size();
    }

    /** The inputs of one ranking: these replicas and the anchors' neighbours. */
    public RankingInputs inputs(List<AnchorNeighbours> parts, Reason exploreReason) {
        return new RankingInputs(trending, parts, catalog::get, feature -> {
            FeatureTrending f = byFeature.get(feature);
            return f == null ? null : new RankingInputs.TrendingList(f.items, f.logScores);
        }, RankingInputs.Rules.of(rules), new RankingInputs.Explorer() {
            @Override
            public List<String> pick(io.nextbest.job.customer.RankingRequest request, int count,
                    Predicate<String> ok) {
                return pool.pick(request.subjectKey(), request.eventTime, count, ok);
            }

            @Override
            public Reason reason() {
                return exploreReason;
            }
        });
    }
}
