package io.nextbest.job.messages;

import io.nextbest.job.catalog.CatalogEntry;

/** An upsert of an item ({@link #entry} set) or its deletion (a tombstone: {@link #entry} null). A Flink POJO. */
public class CatalogUpdate {
    public String itemId;
    public CatalogEntry entry;

    public CatalogUpdate() {}

    public CatalogUpdate(String itemId, CatalogEntry entry) {
        this.itemId = itemId;
        this.entry = entry;
    }

    public boolean isDeletion() {
        return entry == null;
    }
}
