package io.nextbest.job.explore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nextbest.schemas.messages.Reason;
import io.nextbest.schemas.messages.Signal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ExplorationPoolTest {

    static final long T = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
    static final long DAY = 86_400_000L;

    @Test
    void theSamePoolBuiltInAnyOrderGivesTheSamePicks() {
        List<String> items = skus(1000);
        ExplorationPool inOrder = pool(items);
        List<String> shuffled = new ArrayList<>(items);
        Collections.shuffle(shuffled, new Random(7));
        ExplorationPool fromShuffled = pool(shuffled);
        // a third with a history: extra items added and removed again, some items added twice
        ExplorationPool withHistory = new ExplorationPool();
        Collections.shuffle(shuffled, new Random(8));
        for (int i = 0; i < shuffled.size(); i++) {
            withHistory.add(shuffled.get(i));
            withHistory.add("GONE-" + i);
            if (i % 3 == 0) {
                withHistory.add(shuffled.get(i / 2));
            }
        }
        for (int i = 0; i < shuffled.size(); i++) {
            withHistory.remove("GONE-" + i);
        }

        assertThat(fromShuffled.inOrder()).isEqualTo(inOrder.inOrder());
        assertThat(withHistory.inOrder()).isEqualTo(inOrder.inOrder());
        for (int c = 0; c < 200; c++) {
            String customer = "C-" + c;
            List<String> expected = inOrder.pick(customer, T, 3, x -> true);
            assertThat(expected).hasSize(3);
            assertThat(fromShuffled.pick(customer, T, 3, x -> true)).isEqualTo(expected);
            assertThat(withHistory.pick(customer, T, 3, x -> true)).isEqualTo(expected);
        }
    }

    /** Pinned: the hash, the generator and the draw are part of what makes runs reproduce across versions. */
    @Test
    void picksArePinned() {
        ExplorationPool pool = pool(skus(100));
        assertThat(pool.pick("C-1", T, 3, x -> true)).containsExactly(PINNED_C1);
        assertThat(pool.pick("C-2", T, 3, x -> true)).containsExactly(PINNED_C2);
        assertThat(ExplorationPool.hash64("SKU-1")).isEqualTo(PINNED_HASH);
    }

    // from an independent reimplementation (Python) of the documented steps: FNV-1a + fmix64 per id, order by
    // (unsigned hash, id), seed = mix64(hash(key) ^ mix64(day·φ + c)), SplitMix64 draws, Fisher–Yates by rank
    static final String[] PINNED_C1 = {"SKU-33", "SKU-32", "SKU-6"};
    static final String[] PINNED_C2 = {"SKU-91", "SKU-39", "SKU-51"};
    static final long PINNED_HASH = -5920676352265831997L;

    @Test
    void picksAreTheSameAllDayAndChangeWithTheDayAndTheCustomer() {
        ExplorationPool pool = pool(skus(1000));
        long midnight = Math.floorDiv(T, DAY) * DAY;
        int sameNextDay = 0;
        int sameOtherCustomer = 0;
        for (int c = 0; c < 100; c++) {
            String customer = "C-" + c;
            List<String> today = pool.pick(customer, midnight, 3, x -> true);
            assertThat(pool.pick(customer, midnight + DAY - 1, 3, x -> true)).isEqualTo(today);
            assertThat(pool.pick(customer, T, 3, x -> true)).isEqualTo(today);
            if (pool.pick(customer, midnight + DAY, 3, x -> true).equals(today)) {
                sameNextDay++;
            }
            if (pool.pick("S-" + c, midnight, 3, x -> true).equals(today)) {
                sameOtherCustomer++;
            }
        }
        assertThat(sameNextDay).isZero();
        assertThat(sameOtherCustomer).isZero();
        // before 1970 too: the UTC day is floored
        assertThat(pool.pick("C-1", -1, 3, x -> true)).isEqualTo(pool.pick("C-1", -DAY, 3, x -> true))
                .isNotEqualTo(pool.pick("C-1", 0, 3, x -> true));
    }

    @Test
    void onlyAcceptableItemsArePickedAndTheWorkIsBounded() {
        ExplorationPool pool = pool(skus(1000));
        // every third item acceptable: three picks, all acceptable
        for (int c = 0; c < 50; c++) {
            List<String> picks = pool.pick("C-" + c, T, 3, x -> number(x) % 3 == 0);
            assertThat(picks).hasSize(3).allMatch(x -> number(x) % 3 == 0);
        }
        // nothing acceptable: exactly count × 16 probes, each a different item
        List<String> probed = new ArrayList<>();
        assertThat(pool.pick("C-1", T, 3, x -> probed.add(x) && false)).isEmpty();
        assertThat(probed).hasSize(3 * ExplorationPool.PROBES_PER_PICK).doesNotHaveDuplicates();
        // a pool no larger than that is tried whole: the only two acceptable items are found
        ExplorationPool small = pool(skus(40));
        AtomicInteger calls = new AtomicInteger();
        assertThat(small.pick("C-1", T, 3, x -> {
            calls.incrementAndGet();
            return x.equals("SKU-17") || x.equals("SKU-33");
        })).containsExactlyInAnyOrder("SKU-17", "SKU-33");
        assertThat(calls).hasValue(40);
        // when enough are accepted, probing stops
        calls.set(0);
        assertThat(small.pick("C-1", T, 3, x -> calls.incrementAndGet() > 0)).hasSize(3);
        assertThat(calls).hasValue(3);
    }

    @Test
    void aSmallPoolGivesWhatItHasAndPicksAreDistinct() {
        assertThat(pool(List.of("a", "b", "c")).pick("C-1", T, 5, x -> true)).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(new ExplorationPool().pick("C-1", T, 5, x -> true)).isEmpty();
        assertThat(pool(List.of("a")).pick("C-1", T, 0, x -> true)).isEmpty();

        ExplorationPool twelve = pool(skus(12));
        for (int c = 0; c < 200; c++) {
            assertThat(twelve.pick("C-" + c, T, 10, x -> true)).hasSize(10).doesNotHaveDuplicates();
        }
    }

    @Test
    void removedItemsAreNeverPicked() {
        ExplorationPool pool = pool(skus(10));
        assertThat(pool.add("SKU-3")).isFalse();
        assertThat(pool.size()).isEqualTo(10);
        for (int i = 0; i < 10; i += 2) {
            assertThat(pool.remove("SKU-" + i)).isTrue();
        }
        assertThat(pool.remove("SKU-0")).isFalse();
        assertThat(pool.remove("SKU-99")).isFalse();
        assertThat(pool.remove(null)).isFalse();
        assertThat(pool.size()).isEqualTo(5);
        assertThat(pool.contains("SKU-0")).isFalse();
        assertThat(pool.contains("SKU-1")).isTrue();
        assertThat(pool.contains(null)).isFalse();
        for (int c = 0; c < 100; c++) {
            assertThat(pool.pick("C-" + c, T, 10, x -> true))
                    .containsExactlyInAnyOrder("SKU-1", "SKU-3", "SKU-5", "SKU-7", "SKU-9");
        }
        for (int i = 1; i < 10; i += 2) {
            pool.remove("SKU-" + i);
        }
        assertThat(pool.size()).isZero();
        assertThat(pool.inOrder()).isEmpty();
        assertThat(pool.pick("C-1", T, 3, x -> true)).isEmpty();
    }

    /** Every item of a small pool is picked about as often as the others, over many customers. */
    @Test
    void picksAreRoughlyUniform() {
        ExplorationPool pool = pool(skus(10));
        Map<String, Integer> times = new HashMap<>();
        int customers = 20_000;
        for (int c = 0; c < customers; c++) {
            for (String item : pool.pick("C-" + c, T + c * 7_919L, 3, x -> true)) {
                times.merge(item, 1, Integer::sum);
            }
        }
        double mean = customers * 3 / 10.0; // 6000; σ of a count ≈ √(20000·0.3·0.7) ≈ 65
        assertThat(times).hasSize(10);
        assertThat(times.values()).allSatisfy(n -> assertThat(n).isBetween((int) (mean * 0.9), (int) (mean * 1.1)));
        // and over a large pool: the first pick of each customer, counted per tenth of the order
        ExplorationPool large = pool(skus(10_000));
        List<String> order = large.inOrder();
        Map<String, Integer> rank = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            rank.put(order.get(i), i);
        }
        int[] tenths = new int[10];
        for (int c = 0; c < customers; c++) {
            tenths[rank.get(large.pick("C-" + c, T, 1, x -> true).get(0)) / 1000]++;
        }
        assertThat(IntStream.of(tenths).boxed().toList()).allSatisfy(n -> assertThat(n).isBetween(1800, 2200)); // mean 2000, σ ≈ 42
    }

    /** Against a sorted-set oracle, through random adds and removes with many hash collisions. */
    @Test
    void theOrderIsByHashThenIdEvenWhenHashesCollide() {
        ToLongFunction<String> fewHashes = s -> ExplorationPool.hash64(Integer.toString(number(s) % 7));
        Comparator<String> byHashThenId = Comparator.<String>comparingLong(
                        s -> fewHashes.applyAsLong(s) ^ Long.MIN_VALUE) // unsigned order
                .thenComparing(Comparator.naturalOrder());
        for (int bits : new int[] {0, 1, 3, 12}) {
            ExplorationPool pool = new ExplorationPool(fewHashes, bits);
            TreeSet<String> oracle = new TreeSet<>(byHashThenId);
            Random random = new Random(bits);
            for (int op = 0; op < 5_000; op++) {
                String id = "SKU-" + random.nextInt(300);
                if (random.nextInt(3) == 0) {
                    assertThat(pool.remove(id)).isEqualTo(oracle.remove(id));
                } else {
                    assertThat(pool.add(id)).isEqualTo(oracle.add(id));
                }
            }
            List<String> expected = new ArrayList<>(oracle);
            assertThat(pool.size()).isEqualTo(expected.size());
            assertThat(pool.inOrder()).isEqualTo(expected);
            for (int i = 0; i < expected.size(); i++) {
                assertThat(pool.itemAt(i)).isEqualTo(expected.get(i));
            }
            for (int i = 0; i < 300; i++) {
                assertThat(pool.contains("SKU-" + i)).isEqualTo(oracle.contains("SKU-" + i));
            }
            // built in another order, the same picks
            List<String> shuffled = new ArrayList<>(expected);
            Collections.shuffle(shuffled, new Random(99));
            ExplorationPool rebuilt = new ExplorationPool(fewHashes, bits);
            shuffled.forEach(rebuilt::add);
            for (int c = 0; c < 20; c++) {
                assertThat(rebuilt.pick("C-" + c, T, 4, x -> true)).isEqualTo(pool.pick("C-" + c, T, 4, x -> true));
            }
        }
    }

    @Test
    void slotsAreTheShareOfTheListRoundedToNearestAtLeastOne() {
        assertThat(ExplorationPool.slots(0.1, 10)).isEqualTo(1);
        assertThat(ExplorationPool.slots(0.1, 20)).isEqualTo(2);
        assertThat(ExplorationPool.slots(0.1, 14)).isEqualTo(1); // 1.4
        assertThat(ExplorationPool.slots(0.1, 15)).isEqualTo(2); // 1.5: half up
        assertThat(ExplorationPool.slots(0.35, 10)).isEqualTo(4); // 3.5, though 0.35 × 10 is 3.4999… in binary
        assertThat(ExplorationPool.slots(0.15, 10)).isEqualTo(2); // 1.5
        assertThat(ExplorationPool.slots(0.1, 4)).isEqualTo(1); // 0.4, at least one
        assertThat(ExplorationPool.slots(0.01, 2)).isEqualTo(1); // 0.02, at least one
        assertThat(ExplorationPool.slots(0.1, 1)).isZero(); // a one-item list: rounding only
        assertThat(ExplorationPool.slots(0.5, 1)).isEqualTo(1);
        assertThat(ExplorationPool.slots(0.0, 10)).isZero();
        assertThat(ExplorationPool.slots(0.3, 0)).isZero();
        assertThat(ExplorationPool.slots(1.0, 10)).isEqualTo(10);
        assertThat(ExplorationPool.slots(0.25, 100)).isEqualTo(25);
        assertThatThrownBy(() -> ExplorationPool.slots(1.5, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExplorationPool.slots(Double.NaN, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExplorationPool.slots(0.1, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theReasonNamesTheThreshold() {
        assertThat(ExplorationPool.reasonText(100))
                .isEqualTo("explore: shown to few shoppers yet (under 100 impressions)");
        assertThat(ExplorationPool.reason(250)).isEqualTo(new Reason(Signal.EXPLORE,
                "explore: shown to few shoppers yet (under 250 impressions)", null, null));
    }

    /**
     * Rough heap per item: the pool's own structure (ids shared with the catalog), and with the id
     * strings. Printed for the docs; asserted loosely, so a regression to a map of boxed entries shows.
     */
    @Test
    void memoryOfAMillionItems() throws InterruptedException {
        int n = 1_000_000;
        long empty = usedAfterGc();
        List<String> ids = IntStream.range(0, n).mapToObj(i -> "SKU-" + (10_000_000 + i))
                .collect(Collectors.toCollection(() -> new ArrayList<>(n)));
        long withIds = usedAfterGc();
        ExplorationPool pool = new ExplorationPool();
        long started = System.nanoTime();
        ids.forEach(pool::add);
        long addNs = System.nanoTime() - started;
        long withPool = usedAfterGc();
        started = System.nanoTime();
        int picked = 0;
        for (int c = 0; c < 100_000; c++) {
            picked += pool.pick("C-" + c, T, 2, x -> true).size();
        }
        long pickNs = System.nanoTime() - started;
        assertThat(picked).isEqualTo(200_000);
        assertThat(pool.size()).isEqualTo(n);
        double poolBytes = (withPool - withIds) / (double) n;
        double idBytes = (withIds - empty) / (double) n;
        System.out.printf("ExplorationPool, 1M items: %.1f bytes/item for the pool (ids shared),"
                + " %.1f bytes/item for the ids (list + 12-char strings); add %.0f ns/item, pick of 2 %.0f ns%n",
                poolBytes, idBytes, addNs / (double) n, pickNs / 100_000.0);
        assertThat(poolBytes).isLessThan(40);
        assertThat(pool.contains(ids.get(n - 1))).isTrue();
    }

    static long usedAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    static List<String> skus(int n) {
        return IntStream.range(0, n).mapToObj(i -> "SKU-" + i).toList();
    }

    static ExplorationPool pool(List<String> items) {
        ExplorationPool pool = new ExplorationPool();
        items.forEach(pool::add);
        return pool;
    }

    static int number(String sku) {
        return Integer.parseInt(sku.substring(sku.indexOf('-') + 1));
    }
}
