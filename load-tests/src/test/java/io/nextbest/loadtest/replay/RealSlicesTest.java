package io.nextbest.loadtest.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.generator.InputEvent;
import io.nextbest.loadtest.Premise;
import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real slices of shared/datasets, when present (skipped otherwise): every row maps or is
 * accounted for, every value decodes with the job's codecs, and the counts match the data sets'
 * README.
 */
class RealSlicesTest {
    private static Path folder;

    @BeforeAll
    static void findFolder() {
        folder = Datasets.folder().orElse(null);
    }

    private static DatasetReplay open(String dataset, ReplayOptions options) {
        folder = Premise.datasets();
        DatasetMapping m = Datasets.load().get(dataset);
        for (String f : m.files()) {
            Premise.datasetFile(f);
        }
        return DatasetReplay.open(m, folder, options);
    }

    /** Drains a replay: decodes every value, checks time order and id uniqueness; returns the customers. */
    private static Set<String> drainStrictly(DatasetReplay replay) throws InvalidMessageException {
        Set<String> ids = new HashSet<>();
        Set<String> customers = new HashSet<>();
        long last = Long.MIN_VALUE;
        long n = 0;
        while (replay.hasNext()) {
            InputEvent e = replay.next();
            n++;
            Object decoded = Topics.byName(e.topic()).orElseThrow().codec().decode(e.value());
            assertThat(decoded).isNotNull();
            assertThat(e.eventTimeMs()).isGreaterThanOrEqualTo(last);
            last = e.eventTimeMs();
            if (e.eventId() != null) {
                assertThat(ids.add(e.eventId())).as("unique event id %s", e.eventId()).isTrue();
                customers.add(e.customerKey());
            }
        }
        assertThat(n).isEqualTo(replay.size());
        return customers;
    }

    @Test
    void taobao() throws Exception {
        DatasetReplay replay = open("taobao", ReplayOptions.defaults());
        Set<String> customers = drainStrictly(replay);
        ReplayStats s = replay.stats();
        // The README says 84,474 rows; the file has 84,475 complete lines (wc -l agrees).
        assertThat(s.rowsRead()).isEqualTo(84_475);
        assertThat(s.skipped()).containsExactly(Map.entry(SkipReason.OUTSIDE_TIME_WINDOW, 35L));
        assertThat(s.rowsMapped()).isEqualTo(84_440);
        assertThat(customers).hasSize(815);
        assertThat(s.customers()).isEqualTo(815);
        assertThat(s.actions()).containsExactly(Map.entry("view", 75_837L), Map.entry("add_to_cart", 4_497L),
                Map.entry("wishlist", 2_356L), Map.entry("order", 1_750L));
        assertThat(Instant.ofEpochMilli(s.firstEventMs())).isAfterOrEqualTo("2017-11-24T16:00:00Z");
        assertThat(Instant.ofEpochMilli(s.lastEventMs())).isBefore("2017-12-03T16:00:00Z");
    }

    @Test
    void rees46() throws Exception {
        DatasetReplay replay = open("rees46", ReplayOptions.defaults().withCatalog(true));
        drainStrictly(replay);
        ReplayStats s = replay.stats();
        assertThat(s.rowsRead()).isEqualTo(17_434);
        assertThat(s.skipped()).isEmpty();
        assertThat(s.actions()).containsExactly(Map.entry("view", 17_055L), Map.entry("add_to_cart", 165L),
                Map.entry("order", 214L));
        assertThat(s.catalogRecords()).isEqualTo(s.items());
        assertThat(Instant.ofEpochMilli(s.firstEventMs())).isEqualTo("2019-10-01T00:00:00Z");
        assertThat(Instant.ofEpochMilli(s.lastEventMs())).isEqualTo("2019-10-01T02:50:00Z"); // 3 hours of traffic
    }

    @Test
    void jdata() throws Exception {
        DatasetReplay replay = open("jdata", ReplayOptions.defaults());
        Set<String> customers = drainStrictly(replay);
        ReplayStats s = replay.stats();
        assertThat(s.rowsRead()).isEqualTo(3 * 29_999);
        assertThat(s.files()).extracting(ReplayStats.FileStats::rows).containsExactly(29_999L, 29_999L, 29_999L);
        assertThat(s.skipped()).isEmpty();
        assertThat(s.actions()).containsOnlyKeys("view", "click", "add_to_cart", "remove_from_cart", "wishlist", "order");
        assertThat(customers).allSatisfy(c -> assertThat(c).matches("\\d+")); // 266079.0 became 266079
    }

    @Test
    void aShiftedReplayEndsAtTheGivenInstant() throws Exception {
        Instant now = Instant.parse("2026-11-23T15:12:00Z");
        DatasetReplay replay = open("taobao",
                ReplayOptions.defaults().withCustomerLimit(50).withShift(ReplayOptions.TimeShift.endAt(now)));
        assertThat(drainStrictly(replay)).hasSize(50);
        assertThat(replay.stats().lastEventMs()).isEqualTo(now.toEpochMilli());
    }
}
