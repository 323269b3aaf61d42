package io.nextbest.job.ingest;

import io.nextbest.job.catalog.CatalogEntry;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.messages.CatalogUpdate;
import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.CatalogItem;

/**
 * Decodes {@code catalog} records: an upsert (schema-valid item whose record key, if any, is its
 * itemId) or a tombstone (null value, the key names the item). Items may have changed long ago, so
 * only a time ahead of the clock is refused, not an old one.
 */
public class DecodeCatalog extends DecodeRecords<CatalogUpdate> {
    private static final long serialVersionUID = 1L;

    public DecodeCatalog(NextbestConfig config, WallClock clock) {
        this(InputKind.CATALOG, config, clock);
    }

    /** For {@link InputKind#CATALOG} or its replica feed {@link InputKind#CATALOG_REPLICA}. */
    public DecodeCatalog(InputKind kind, NextbestConfig config, WallClock clock) {
        super(kind, config, clock);
    }

    @Override
    protected CatalogUpdate decode(RawRecord raw) throws InvalidMessageException {
        if (raw.value == null) {
            return new CatalogUpdate(checkKey(raw, null, "itemId"), null);
        }
        CatalogItem item = Topics.CATALOG.codec().decode(raw.value);
        checkKey(raw, item.itemId(), "itemId");
        checkTime(item.updatedAt(), false);
        return new CatalogUpdate(item.itemId(), CatalogEntry.of(item));
    }
}
