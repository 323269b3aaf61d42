package io.nextbest.loadtest;

import io.nextbest.job.catalog.CatalogEntry;
import io.nextbest.job.catalog.Interner;
import io.nextbest.job.config.ConfigException;
import io.nextbest.job.explore.ExplorationPool;
import io.nextbest.loadtest.workload.SyntheticCatalog;
import io.nextbest.loadtest.workload.Workload;
import io.nextbest.loadtest.workload.Workloads;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * {@code bin/nextbest catalog-memory}: what a catalog of N items costs the job. Builds the
 * workload's synthetic catalog (category paths, brands, prices, tags, margins) and holds it the way
 * the job does on every parallel instance — the ranking stage's broadcast map of
 * {@link CatalogEntry}, the feature map of the attach-features step, the exploration pool — and
 * measures the live heap of each after full garbage collections, and the bytes each instance
 * writes to a checkpoint for the ranking stage's copy.
 */
public final class CatalogMemoryCommand {
    private CatalogMemoryCommand() {}

    public static final String USAGE = String.join("\n",
            "  bin/nextbest catalog-memory [--items N] [--workload NAME] [--set key=value …]",
            "           heap and checkpoint bytes of an N-item catalog (default 1,000,000 items of the 'large'",
            "           workload's catalog shape), as each parallel instance holds it");

    public static void run(String[] args, PrintStream out) throws Exception {
        CommandLine c = CommandLine.parse(args, List.of("items", "workload", "set"));
        String name = c.options.getOrDefault("workload", "large");
        int items;
        try {
            items = Integer.parseInt(c.options.getOrDefault("items", "1000000").replace("_", ""));
        } catch (NumberFormatException e) {
            throw new ConfigException("--items: not a whole number: " + c.options.get("items"));
        }
        Workloads all = Workloads.load();
        if (!all.names().contains(name)) {
            throw new ConfigException("unknown workload '" + name + "' (known: " + String.join(", ", all.names()) + ")");
        }
        Workload w = all.get(name).with(CommandLine.assignments(c.sets)).with(Map.of("items", Integer.toString(items)));
        out.printf("catalog-memory: %,d items shaped like workload '%s' (heap max %,d MB)%n", items, name,
                Runtime.getRuntime().maxMemory() >> 20);
        SyntheticCatalog catalog = SyntheticCatalog.of(w);
        long empty = liveHeap();
        String[] ids = new String[items];
        for (int i = 0; i < items; i++) {
            ids[i] = catalog.itemId(i);
        }
        long base = liveHeap();
        long idBytes = base - empty; // the strings, plus the 4 B/item of the array that holds them here

        Map<String, CatalogEntry> ranking = new HashMap<>();
        for (int i = 0; i < items; i++) {
            ranking.put(ids[i], CatalogEntry.of(catalog.item(i, 0)));
        }
        long afterRanking = liveHeap();
        Map<String, String[]> features = new HashMap<>();
        for (Map.Entry<String, CatalogEntry> e : ranking.entrySet()) {
            features.put(e.getKey(), e.getValue().features.clone()); // as restored: its own array, shared strings
        }
        long afterFeatures = liveHeap();
        ExplorationPool pool = new ExplorationPool();
        for (String id : ids) {
            pool.add(id);
        }
        long afterPool = liveHeap();

        TypeSerializer<CatalogEntry> serializer = TypeInformation.of(CatalogEntry.class)
                .createSerializer(new SerializerConfigImpl());
        DataOutputSerializer buf = new DataOutputSerializer(1 << 16);
        long checkpoint = 0;
        for (Map.Entry<String, CatalogEntry> e : ranking.entrySet()) {
            buf.clear();
            buf.writeUTF(e.getKey());
            serializer.serialize(e.getValue(), buf);
            checkpoint += buf.length();
        }
        out.printf("  %-48s %,8.1f MB  %5.0f B/item%n", "item ids (strings; each operator has its own)", mb(idBytes),
                (double) idBytes / items);
        row(out, "ranking stage: catalog entries (broadcast)", afterRanking - base, items);
        row(out, "attach features: features per item (broadcast)", afterFeatures - afterRanking, items);
        row(out, "ranking stage: exploration pool", afterPool - afterFeatures, items);
        // the ranking stage (entries + pool) and attach-features are different operators: each holds its own ids
        row(out, "per slot (both operators, their ids included)", afterPool - base + 2 * idBytes, items);
        out.printf("  distinct interned strings (categories, brands, bands, tags): %,d%n", Interner.size());
        row(out, "checkpoint: ranking stage's catalog, per instance", checkpoint, items);
        out.printf("  (%d items kept alive: %d %d %d)%n", items, ranking.size(), features.size(), pool.size());
    }

    private static void row(PrintStream out, String what, long bytes, int items) {
        out.printf("  %-48s %,8.1f MB  %5.0f B/item%n", what, mb(bytes), (double) bytes / items);
    }

    private static double mb(long bytes) {
        return bytes / 1048576.0;
    }

    /** Used heap after full garbage collections, in bytes. */
    static long liveHeap() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
