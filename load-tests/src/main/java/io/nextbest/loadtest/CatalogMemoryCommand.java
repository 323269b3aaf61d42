package io.nextbest.loadtest;

import io.nextbest.job.catalog.CatalogEntry;
import io.nextbest.job.catalog.Interner;
import io.nextbest.job.config.ConfigException;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.messages.CatalogUpdate;
import io.nextbest.job.messages.ReplicaUpdate;
import io.nextbest.job.ranking.Replicas;
import io.nextbest.job.similarity.ItemStage;
import io.nextbest.generator.SyntheticCatalog;
import io.nextbest.generator.Workload;
import io.nextbest.generator.Workloads;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.ItemNeighbours;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * {@code bin/nextbest catalog-memory}: what a catalog of N items costs the job. Builds the
 * workload's synthetic catalog (category paths, brands, prices, tags, margins) and a neighbour
 * index for it ({@code similarity.neighbours} neighbours per item, plus {@code similarity.window-size}
 * with {@code ranking.others-only}, drawn from a skewed popularity), holds them the way the job does
 * — every customer-stage instance its {@link Replicas} (catalog entries, exploration pool, neighbour
 * records), every item-stage instance the table of squared norms — and measures the live heap of
 * each after full garbage collections, and the bytes a checkpoint writes for them: none for the
 * replicas (rebuilt from their topics), the norm table once (instance 0 only).
 */
public final class CatalogMemoryCommand {
    private CatalogMemoryCommand() {}

    public static final String USAGE = String.join("\n",
            "  bin/nextbest catalog-memory [--items N] [--workload NAME] [--set key=value …] [--job key=value …]",
            "           heap per instance and checkpoint bytes of the replicas (catalog, neighbour index) and",
            "           the norm table for an N-item catalog (default 1,000,000 items of the 'large' workload's",
            "           catalog shape); --job sets job settings (similarity.neighbours, ranking.others-only, …)");

    public static void run(String[] args, PrintStream out) throws Exception {
        CommandLine c = CommandLine.parse(args, List.of("items", "workload", "set", "job"));
        if (c.help) {
            out.println(USAGE);
            return;
        }
        String name = c.options.getOrDefault("workload", "large");
        int items;
        try {
            items = Integer.parseInt(c.options.getOrDefault("items", "1000000").replace("_", ""));
        } catch (NumberFormatException e) {
            throw new ConfigException("--items: not a whole number: " + c.options.get("items"));
        }
        if (items < 1) {
            throw new ConfigException("--items: at least 1, not " + items);
        }
        Workloads all = Workloads.load();
        if (!all.names().contains(name)) {
            throw new ConfigException("unknown workload '" + name + "' (known: " + String.join(", ", all.names()) + ")");
        }
        Workload w = all.get(name).with(CommandLine.assignments(c.sets)).with(Map.of("items", Integer.toString(items)));
        NextbestConfig job = NextbestConfig.builder().setAll(c.jobSettings).build();
        int m = job.get(Settings.SIMILARITY_NEIGHBOURS)
                + (job.get(Settings.RANKING_OTHERS_ONLY) ? job.get(Settings.SIMILARITY_WINDOW_SIZE) : 0);
        out.printf("catalog-memory: %,d items shaped like workload '%s', %d neighbours per item (heap max %,d MB)%n",
                items, name, m, Runtime.getRuntime().maxMemory() >> 20);
        SyntheticCatalog catalog = SyntheticCatalog.of(w);
        long empty = liveHeap();
        String[] ids = new String[items];
        for (int i = 0; i < items; i++) {
            ids[i] = catalog.itemId(i);
        }
        long base = liveHeap();
        long idBytes = base - empty; // the strings, plus the 4 B/item of the array that holds them here

        // the customer stage: one Replicas per instance
        Replicas replicas = new Replicas();
        for (int i = 0; i < items; i++) {
            replicas.apply(ReplicaUpdate.of(new CatalogUpdate(ids[i], CatalogEntry.of(catalog.item(i, 0)))));
        }
        long afterCatalog = liveHeap();
        Random random = new Random(1);
        long topicBytes = 0;
        for (int i = 0; i < items; i++) {
            String[] neighbours = new String[Math.min(m, items - 1)];
            double[] dots = new double[neighbours.length];
            for (int k = 0; k < neighbours.length; k++) {
                int j = (int) (Math.pow(random.nextDouble(), 3) * items); // popular items are everyone's neighbours
                neighbours[k] = ids[j == i ? (j + 1) % items : j];
                dots[k] = 1 + random.nextDouble() * 20;
            }
            double norm = 50 + random.nextDouble() * 100;
            replicas.putNeighbours(ids[i], norm, neighbours, dots, 1_700_000_000_000L);
            if (i < 1000) { // the record the item stage publishes: what a restore re-reads, per item
                List<ItemNeighbours.Neighbour> list = new ArrayList<>(neighbours.length);
                for (int k = 0; k < neighbours.length; k++) {
                    list.add(new ItemNeighbours.Neighbour(neighbours[k], dots[k] / Math.sqrt(norm * 100), dots[k]));
                }
                topicBytes += Topics.ITEM_NEIGHBOURS.codec().encode(new ItemNeighbours(ids[i], norm, list,
                        Instant.ofEpochMilli(1_700_000_000_000L), Instant.ofEpochMilli(1_700_000_000_001L))).length
                        + ids[i].length();
            }
        }
        long afterIndex = liveHeap();

        // the item stage: the squared norm of every item, on every instance
        Map<String, double[]> norms = new HashMap<>();
        for (String id : ids) {
            norms.put(id, new double[] {50 + random.nextDouble() * 100, 1});
        }
        long afterNorms = liveHeap();
        TypeSerializer<ItemStage.NormEntry> serializer = TypeInformation.of(ItemStage.NormEntry.class)
                .createSerializer(new SerializerConfigImpl());
        DataOutputSerializer buf = new DataOutputSerializer(1 << 16);
        long normCheckpoint = 0;
        for (Map.Entry<String, double[]> e : norms.entrySet()) {
            buf.clear();
            ItemStage.NormEntry entry = new ItemStage.NormEntry();
            entry.item = e.getKey();
            entry.squaredNorm = e.getValue()[0];
            entry.scale = e.getValue()[1];
            serializer.serialize(entry, buf);
            normCheckpoint += buf.length();
        }

        out.printf("  %-58s %,9.1f MB  %5.0f B/item%n", "item ids (strings; each operator has its own)", mb(idBytes),
                (double) idBytes / items);
        out.println("  heap, per customer-stage instance:");
        row(out, "    catalog replica (entries, features, exploration pool)", afterCatalog - base, items);
        row(out, "    neighbour index replica (" + m + " neighbours per item)", afterIndex - afterCatalog, items);
        row(out, "    together, with their ids", afterIndex - empty, items);
        out.println("  heap, per item-stage instance:");
        row(out, "    norm table (every item's squared norm), with its ids", afterNorms - afterIndex + idBytes, items);
        out.println("  checkpoint, per checkpoint:");
        row(out, "    replicas (rebuilt from catalog and item-neighbours)", 0, items);
        row(out, "    norm table (instance 0 only, whatever the parallelism)", normCheckpoint, items);
        out.printf("  %-58s %,9.1f MB  %5.0f B/item%n", "item-neighbours topic (compacted; re-read at a start)",
                mb(topicBytes * items / Math.min(items, 1000)), (double) topicBytes / Math.min(items, 1000));
        out.printf("  distinct interned strings (categories, brands, bands, tags): %,d%n", Interner.size());
        out.printf("  (kept alive: %d items, %d norms, %d neighbour slots)%n", replicas.items(), norms.size(),
                replicas.neighbourSlots());
    }

    private static void row(PrintStream out, String what, long bytes, int items) {
        out.printf("  %-58s %,9.1f MB  %5.0f B/item%n", what, mb(bytes), (double) bytes / items);
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
