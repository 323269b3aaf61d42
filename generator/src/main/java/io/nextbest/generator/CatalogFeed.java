package io.nextbest.generator;

import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.CatalogItem;
import java.util.NoSuchElementException;

/**
 * The initial catalog of a workload: one {@code catalog} record per item, in item order (category
 * path from the tree, brand, list price, tags, stock, margin), all stamped {@code updatedAt}. Send it
 * before the session traffic; the generator's orders use these list prices. Finite.
 */
public final class CatalogFeed implements EventSource {
    private final SyntheticCatalog catalog;
    private final long updatedAtMs;
    private long position;

    /** The feed stamped {@link Schedule#FIXED_START_MS}. */
    public CatalogFeed(Workload w) {
        this(w, Schedule.FIXED_START_MS, 0);
    }

    /**
     * @param updatedAtMs the {@code updatedAt} of every item, epoch milliseconds (e.g. the run's start)
     * @param skip items to skip, to resume
     */
    public CatalogFeed(Workload w, long updatedAtMs, long skip) {
        if (skip < 0) {
            throw new IllegalArgumentException("skip must be >= 0, is " + skip);
        }
        this.catalog = SyntheticCatalog.of(w);
        this.updatedAtMs = updatedAtMs;
        this.position = Math.min(skip, catalog.size());
    }

    /** Items in the feed. */
    public int size() {
        return catalog.size();
    }

    @Override
    public boolean hasNext() {
        return position < catalog.size();
    }

    @Override
    public InputEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the catalog has " + catalog.size() + " items");
        }
        CatalogItem item = catalog.item((int) position++, updatedAtMs);
        return new InputEvent(Topics.CATALOG.name(), item.itemId(), Topics.CATALOG.codec().encode(item), null, null,
                item.itemId(), "catalog", updatedAtMs);
    }

    @Override
    public long position() {
        return position;
    }
}
