package io.nextbest.job.ranking;

import io.nextbest.job.catalog.CatalogEntry;
import io.nextbest.job.customer.RankingRequest;
import io.nextbest.job.rules.RuleBook;
import io.nextbest.job.similarity.AnchorNeighbours;
import io.nextbest.job.trending.TrendingSnapshot;
import io.nextbest.schemas.messages.Reason;
import java.util.List;
import java.util.function.Predicate;

/**
 * The inputs of one ranking: the shared state of the ranking stage (trending lists, catalog,
 * rules, exploration pool) and the neighbour lists gathered for the request.
 */
public record RankingInputs(
        TrendingSnapshot trending,
        List<AnchorNeighbours> parts,
        Catalog catalog,
        FeatureTrends byFeature,
        Rules rules,
        Explorer explorer) {

    public RankingInputs(TrendingSnapshot trending) {
        this(trending, List.of());
    }

    public RankingInputs(TrendingSnapshot trending, List<AnchorNeighbours> parts) {
        this(trending, parts, id -> null, f -> null, Rules.NONE, Explorer.NONE);
    }

    /** The catalog as the ranking stage knows it: null for an item it has never named. */
    @FunctionalInterface
    public interface Catalog {
        CatalogEntry get(String itemId);
    }

    /** The trending items of one content feature (e.g. {@code category:a/b}), best first; null if none. */
    @FunctionalInterface
    public interface FeatureTrends {
        TrendingList get(String feature);
    }

    /** Items and log2 trending scores, best first. */
    public record TrendingList(String[] items, double[] logScores) {}

    /** The business rules in force. */
    public interface Rules {
        /** The id of a rule that makes the item ineligible for this request, or null. */
        String excludedBy(String itemId, CatalogEntry item, RankingRequest request);

        /** The product of the boosts that apply (1: none). */
        double factor(String itemId, CatalogEntry item, RankingRequest request);

        /** One reason per boost that applies (asked only for the items that make the list). */
        List<Reason> boostReasons(String itemId, CatalogEntry item, RankingRequest request);

        /** Items in this placement's list. */
        int listSize(String placement, int defaultSize, RankingRequest request);

        /** The rules of a {@link RuleBook}. */
        static Rules of(RuleBook book) {
            return new Rules() {
                @Override
                public String excludedBy(String itemId, CatalogEntry item, RankingRequest request) {
                    return book.excludedBy(itemId, item, request);
                }

                @Override
                public double factor(String itemId, CatalogEntry item, RankingRequest request) {
                    return book.factor(itemId, item, request);
                }

                @Override
                public List<Reason> boostReasons(String itemId, CatalogEntry item, RankingRequest request) {
                    return book.boost(itemId, item, request).reasons();
                }

                @Override
                public int listSize(String placement, int defaultSize, RankingRequest request) {
                    return book.listSize(placement, defaultSize, request);
                }
            };
        }

        Rules NONE = new Rules() {
            @Override
            public String excludedBy(String itemId, CatalogEntry item, RankingRequest request) {
                return null;
            }

            @Override
            public double factor(String itemId, CatalogEntry item, RankingRequest request) {
                return 1;
            }

            @Override
            public List<Reason> boostReasons(String itemId, CatalogEntry item, RankingRequest request) {
                return List.of();
            }

            @Override
            public int listSize(String placement, int defaultSize, RankingRequest request) {
                return defaultSize;
            }
        };
    }

    /** The exploration pool: items few shoppers have been shown. */
    public interface Explorer {
        /** Up to {@code count} distinct items passing {@code acceptable}, the same for one customer on one day. */
        List<String> pick(RankingRequest request, int count, Predicate<String> acceptable);

        /** The reason an explored item carries. */
        Reason reason();

        Explorer NONE = new Explorer() {
            @Override
            public List<String> pick(RankingRequest request, int count, Predicate<String> acceptable) {
                return List.of();
            }

            @Override
            public Reason reason() {
                return new Reason(io.nextbest.schemas.messages.Signal.EXPLORE, "explore", null, null);
            }
        };
    }
}
