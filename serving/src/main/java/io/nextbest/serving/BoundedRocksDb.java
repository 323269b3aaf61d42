package io.nextbest.serving;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of all the service's RocksDB stores together ({@code serving.rocksdb-memory-mb}), the
 * recipe of Kafka Streams' memory-management guide: one LRU block cache shared by every store instance (the
 * partitions of the lists, the global tables), index and filter blocks kept in it, and the memtables charged to it
 * through one write-buffer manager (at most a quarter of it). Without this, Kafka Streams gives each store instance
 * its own 50 MB cache and three 16 MB memtables, so memory grows with the number of partitions a replica holds.
 */
public final class BoundedRocksDb implements RocksDBConfigSetter {
    /** The Kafka Streams configuration key that carries the bound (bytes) to the setter. */
    public static final String MEMORY_BYTES = "nextbest.rocksdb.memory.bytes";
    private static final double MEMTABLE_SHARE = 0.25;
    private static final double INDEX_FILTER_SHARE = 0.1; // the cache's high-priority pool

    /** One cache and write-buffer manager per bound in this JVM (replicas in one test JVM with one bound share them). */
    private static final Map<Long, Shared> SHARED = new ConcurrentHashMap<>();

    private record Shared(Cache cache, WriteBufferManager writeBuffers) {}

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Shared s = shared(bytes(configs));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(s.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(s.writeBuffers());
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and the write-buffer manager are shared by every store: not closed with one of them
    }

    /** Bytes the shared block cache of this bound holds now (memtables included), or 0 before any store opened. */
    public static long usage(long boundBytes) {
        Shared s = SHARED.get(boundBytes);
        return s == null ? 0 : s.cache().getUsage();
    }

    private static Shared shared(long bytes) {
        return SHARED.computeIfAbsent(bytes, b -> {
            LRUCache cache = new LRUCache(b, -1, false, INDEX_FILTER_SHARE);
            return new Shared(cache, new WriteBufferManager((long) (b * MEMTABLE_SHARE), cache));
        });
    }

    private static long bytes(Map<String, Object> configs) {
        Object v = configs.get(MEMORY_BYTES);
        if (v == null) {
            throw new IllegalStateException(MEMORY_BYTES + " is not set (ServingService sets it from serving.rocksdb-memory-mb)");
        }
        return Long.parseLong(v.toString());
    }
}
