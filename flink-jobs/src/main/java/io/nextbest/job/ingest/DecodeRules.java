package io.nextbest.job.ingest;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.messages.RuleUpdate;
import io.nextbest.job.rules.RuleException;
import io.nextbest.job.rules.RuleParser;
import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.Rule;
import java.nio.charset.StandardCharsets;

/**
 * Decodes {@code rules} records: a schema-valid rule whose definition parses for its kind, or a
 * tombstone. A rule that fails goes to dead-letter here, before it can reach the customer stage, so
 * the rules in force stay as they were.
 */
public class DecodeRules extends DecodeRecords<RuleUpdate> {
    private static final long serialVersionUID = 1L;

    public DecodeRules(NextbestConfig config, WallClock clock) {
        super(InputKind.RULES, config, clock);
    }

    @Override
    protected RuleUpdate decode(RawRecord raw) throws InvalidMessageException {
        if (raw.value == null) {
            return new RuleUpdate(checkKey(raw, null, "ruleId"), null).from(raw.topic, raw.partition, raw.offset,
                    raw.timestamp);
        }
        Rule rule = Topics.RULES.codec().decode(raw.value);
        checkKey(raw, rule.ruleId(), "ruleId");
        checkTime(rule.updatedAt(), false);
        try {
            RuleParser.parse(rule);
        } catch (RuleException e) {
            throw new InvalidMessageException(e.reason(), e.getMessage());
        }
        return new RuleUpdate(rule.ruleId(), new String(raw.value, StandardCharsets.UTF_8)).from(raw.topic,
                raw.partition, raw.offset, raw.timestamp);
    }
}
