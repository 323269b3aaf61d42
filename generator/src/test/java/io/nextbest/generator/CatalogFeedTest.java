package io.nextbest.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.SchemaValidation;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.CatalogItem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CatalogFeedTest {
    private static final Workload SMALL = Workloads.load().get("small");

    @Test
    void theFeedHasEveryItemOnceWithItsCategoryPathBrandPriceAndStock() throws InvalidMessageException {
        long updatedAt = Schedule.FIXED_START_MS + 123;
        CatalogFeed feed = new CatalogFeed(SMALL, updatedAt, 0);
        assertThat(feed.size()).isEqualTo(SMALL.items());
        Set<String> ids = new HashSet<>();
        Set<String> roots = new HashSet<>();
        Set<List<String>> leaves = new HashSet<>();
        Set<String> brands = new HashSet<>();
        int outOfStock = 0;
        int tagged = 0;
        while (feed.hasNext()) {
            long position = feed.position();
            InputEvent e = feed.next();
            CatalogItem item = Topics.CATALOG.codec().decode(e.value());
            assertThat(e.topic()).isEqualTo("catalog");
            assertThat(e.key()).isEqualTo(item.itemId()).isEqualTo(e.itemId());
            assertThat(e.action()).isEqualTo("catalog");
            assertThat(e.eventId()).isNull();
            assertThat(e.customerKey()).isNull();
            assertThat(e.eventTimeMs()).isEqualTo(updatedAt);
            assertThat(item.updatedAt().toEpochMilli()).isEqualTo(updatedAt);
            assertThat(item.itemId()).isEqualTo(String.format("i%06d", position + 1));
            assertThat(ids.add(item.itemId())).isTrue();
            assertThat(item.categoryPath()).hasSize(SMALL.categoryDepth());
            for (int level = 1; level < item.categoryPath().size(); level++) {
                assertThat(item.categoryPath().get(level)).startsWith(item.categoryPath().get(level - 1) + "-");
            }
            roots.add(item.categoryPath().get(0));
            leaves.add(item.categoryPath());
            brands.add(item.brand());
            assertThat(item.price()).isGreaterThan(0);
            assertThat(item.currency()).isEqualTo("EUR");
            assertThat(item.margin()).isBetween(0.0, 1.0);
            assertThat(item.title()).contains(item.brand());
            outOfStock += item.inStock() ? 0 : 1;
            tagged += item.tags().isEmpty() ? 0 : 1;
            if (position < 200) {
                assertThat(SchemaValidation.violations("catalog", new String(e.value(), StandardCharsets.UTF_8))).isEmpty();
            }
        }
        assertThat(ids).hasSize(SMALL.items());
        assertThat(roots).hasSize(SMALL.categoryFanOut());
        assertThat(leaves).hasSize((int) Math.pow(SMALL.categoryFanOut(), SMALL.categoryDepth())); // 10k items fill 125 leaves
        assertThat(brands).hasSize(SMALL.brands());
        assertThat(outOfStock).isBetween(SMALL.items() / 100, SMALL.items() / 20);
        assertThat(tagged).isBetween(SMALL.items() / 2, SMALL.items() * 3 / 4);
        assertThat(feed.position()).isEqualTo(SMALL.items());
        assertThatThrownBy(feed::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void theFeedIsDeterministicAndResumes() {
        List<byte[]> all = new ArrayList<>();
        new CatalogFeed(SMALL, 0, 0).forEachRemaining(e -> all.add(e.value()));
        CatalogFeed resumed = new CatalogFeed(SMALL, 0, 9_990);
        assertThat(resumed.position()).isEqualTo(9_990);
        for (int i = 9_990; i < SMALL.items(); i++) {
            assertThat(resumed.next().value()).isEqualTo(all.get(i));
        }
        assertThat(resumed.hasNext()).isFalse();
        assertThat(new CatalogFeed(SMALL.with("seed", "8"), 0, 0).next().value()).isNotEqualTo(all.get(0));
    }
}
