package io.nextbest.job.ranking;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.catalog.CatalogEntry;
import io.nextbest.job.messages.CatalogUpdate;
import io.nextbest.job.messages.FeatureTrending;
import io.nextbest.job.messages.ItemWarmth;
import io.nextbest.job.messages.NeighbourUpdate;
import io.nextbest.job.messages.RankingRequest;
import io.nextbest.job.messages.ReplicaUpdate;
import io.nextbest.job.messages.TrendingSnapshot;
import io.nextbest.schemas.messages.CatalogItem;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the customer stage ranks from, as its broadcast input changes it. */
class ReplicasTest {
    @Test
    void theCatalogKeepsDeletionMarksAndThePoolOnlyItemsInStockAndNotWarm() {
        Replicas r = new Replicas();
        r.apply(ReplicaUpdate.of(catalog("a", true)));
        r.apply(ReplicaUpdate.of(catalog("b", true)));
        r.apply(ReplicaUpdate.of(catalog("c", false)));
        r.apply(ReplicaUpdate.of(new ItemWarmth("d", true))); // warm before the catalog named it
        r.apply(ReplicaUpdate.of(catalog("d", true)));
        assertThat(r.catalogSize()).isEqualTo(4);
        assertThat(r.poolSize()).as("a, b: c is out of stock, d warm").isEqualTo(2);
        assertThat(r.features("a")).contains("category:shoes", "brand:acme");

        r.apply(ReplicaUpdate.of(new CatalogUpdate("a", null))); // deleted
        assertThat(r.catalog("a").deleted).isTrue();
        assertThat(r.features("a")).isNull();
        assertThat(r.poolSize()).isEqualTo(1);
        r.apply(ReplicaUpdate.of(new ItemWarmth("b", true)));
        assertThat(r.poolSize()).isZero();
        assertThat(r.warmItems()).isEqualTo(2);
        assertThat(r.catalog("never")).isNull();
    }

    @Test
    void theNewestTrendingListWinsAndFeatureListsAreKeptPerFeature() {
        Replicas r = new Replicas();
        r.apply(ReplicaUpdate.of(new TrendingSnapshot(new String[] {"a"}, new double[] {1}, 10, 1)));
        r.apply(ReplicaUpdate.of(new TrendingSnapshot(new String[] {"b", "a"}, new double[] {3, 2}, 20, 2)));
        r.apply(ReplicaUpdate.of(new FeatureTrending("brand:acme", new String[] {"a"}, new double[] {2}, 20, 1)));
        r.apply(ReplicaUpdate.of(new FeatureTrending("brand:zeta", new String[] {"z"}, new double[] {1}, 20, 1)));
        assertThat(r.trending().items()).extracting(ItemReplica::id).containsExactly("b", "a");
        assertThat(r.trending().asOf()).isEqualTo(20);
        assertThat(r.trendingFeatures()).isEqualTo(2);
        assertThat(r.trending("brand:acme").items()).extracting(ItemReplica::id).containsExactly("a");
        assertThat(r.trending("brand:acme").items()[0]).as("one replica per item").isSameAs(r.item("a"));
        assertThat(r.trending("brand:none")).isNull();
    }

    @Test
    void neighbourListsFeedTheIndexAndTheExplorerPicksFromThePool() {
        Replicas r = new Replicas();
        r.apply(ReplicaUpdate.of(new NeighbourUpdate("i", 4, new String[] {"a"}, new double[] {1}, 5)));
        r.apply(ReplicaUpdate.of(new NeighbourUpdate("a", 1, new String[] {"i"}, new double[] {1}, 5)));
        assertThat(r.top("i", 5, 0, 1).ids()).containsExactly("a");
        for (String id : List.of("p1", "p2", "p3")) {
            r.apply(ReplicaUpdate.of(catalog(id, true)));
        }
        RankingRequest q = new RankingRequest();
        q.customerId = "C-1";
        q.eventTime = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
        List<String> picks = r.explore(q, 3, x -> true);
        assertThat(picks).containsExactlyInAnyOrder("p1", "p2", "p3");
        assertThat(r.explore(q, 3, x -> true)).as("the same customer, the same day").isEqualTo(picks);
        assertThat(r.catalog("p1").category).isEqualTo("shoes");
    }

    static CatalogUpdate catalog(String id, boolean inStock) {
        return new CatalogUpdate(id, CatalogEntry.of(new CatalogItem(id, "Item " + id, List.of("shoes"), "acme", 20.0,
                "EUR", null, inStock, null, Instant.parse("2026-01-01T00:00:00Z"))));
    }
}
