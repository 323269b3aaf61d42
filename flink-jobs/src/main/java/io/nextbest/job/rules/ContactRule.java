package io.nextbest.job.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.nextbest.schemas.messages.RuleKind;

/**
 * A contact rule (abandoned-basket outreach). Its definition is kept as it came, any object; ranking
 * ignores it. The triggers stage will give it a format of its own.
 */
public final class ContactRule extends ParsedRule {
    private static final long serialVersionUID = 1L;

    private final JsonNode definition;

    ContactRule(Envelope e, JsonNode definition) {
        super(e);
        this.definition = definition.deepCopy();
    }

    /** A copy of the definition object (the rule itself stays unchanged). */
    public JsonNode definition() {
        return definition.deepCopy();
    }

    @Override
    public RuleKind kind() {
        return RuleKind.CONTACT;
    }

    @Override
    public String type() {
        return "contact";
    }
}
