package io.nextbest.job.rules;

import io.nextbest.job.catalog.CatalogEntry;
import io.nextbest.job.messages.RankingRequest;
import io.nextbest.schemas.InputCodecs;
import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.messages.Rule;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Test helpers: rule messages decoded the way the job decodes them, requests and catalog entries. */
final class Rules {
    static final String UPDATED = "\"updatedAt\":\"2026-11-01T09:00:00Z\"";

    private Rules() {}

    /** A rule message decoded by the topic's codec (so it passed the schema), not yet parsed. */
    static Rule message(String json) {
        try {
            return InputCodecs.RULES.decode(json.getBytes(StandardCharsets.UTF_8));
        } catch (InvalidMessageException e) {
            throw new IllegalArgumentException("test rule does not decode: " + e.getMessage() + ": " + json, e);
        }
    }

    /** An enabled rule of that kind and definition, valid always and for everyone. */
    static Rule message(String ruleId, String kind, String definition) {
        return message(ruleId, kind, definition, "");
    }

    /** As above, with extra envelope fields, e.g. {@code "validFrom":"…","segments":[…]}. */
    static Rule message(String ruleId, String kind, String definition, String envelope) {
        return message("{\"ruleId\":\"" + ruleId + "\",\"kind\":\"" + kind + "\",\"enabled\":true,"
                + (envelope.isEmpty() ? "" : envelope + ",") + "\"definition\":" + definition + "," + UPDATED + "}");
    }

    static ParsedRule parse(String ruleId, String kind, String definition) throws RuleException {
        return RuleParser.parse(message(ruleId, kind, definition));
    }

    static ParsedRule parse(String ruleId, String kind, String definition, String envelope) throws RuleException {
        return RuleParser.parse(message(ruleId, kind, definition, envelope));
    }

    static RankingRequest request(String eventTime, String... segments) {
        RankingRequest r = new RankingRequest();
        r.customerId = "C-1";
        r.placement = "home";
        r.eventTime = Instant.parse(eventTime).toEpochMilli();
        r.segments = segments;
        return r;
    }

    static CatalogEntry item(String category, double price, double margin) {
        CatalogEntry e = new CatalogEntry();
        e.category = category;
        e.features = new String[0];
        e.price = price;
        e.margin = margin;
        e.inStock = true;
        return e;
    }
}
