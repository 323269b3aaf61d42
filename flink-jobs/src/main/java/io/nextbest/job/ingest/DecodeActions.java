package io.nextbest.job.ingest;

import io.nextbest.job.action.ActionParser;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.messages.ActionUpdate;
import io.nextbest.job.rules.RuleException;
import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.Action;
import java.nio.charset.StandardCharsets;

/**
 * Decodes {@code actions} records: a schema-valid action whose eligibility, value, cost, cooldown and track step
 * parse (docs/decisioning.md), or a tombstone. An action that fails goes to dead-letter here, before it can reach the
 * customer stage, so the catalog in force stays as it was.
 */
public class DecodeActions extends DecodeRecords<ActionUpdate> {
    private static final long serialVersionUID = 1L;

    private final double contactCost;

    public DecodeActions(NextbestConfig config, WallClock clock) {
        super(InputKind.ACTIONS, config, clock);
        this.contactCost = config.get(Settings.ACTIONS_CONTACT_COST);
    }

    @Override
    protected ActionUpdate decode(RawRecord raw) throws InvalidMessageException {
        if (raw.value == null) {
            return new ActionUpdate(checkKey(raw, null, "actionId"), null);
        }
        Action action = Topics.ACTIONS.codec().decode(raw.value);
        checkKey(raw, action.actionId(), "actionId");
        checkTime(action.updatedAt(), false);
        try {
            ActionParser.parse(action, contactCost);
        } catch (RuleException e) {
            throw new InvalidMessageException(e.reason(), e.getMessage());
        }
        return new ActionUpdate(action.actionId(), new String(raw.value, StandardCharsets.UTF_8));
    }
}
