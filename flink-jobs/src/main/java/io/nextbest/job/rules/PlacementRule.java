package io.nextbest.job.rules;

import io.nextbest.schemas.messages.RuleKind;

/** {@code {"placement":"home","listSize":8}}: the length of the lists made for that placement. */
public final class PlacementRule extends ParsedRule {
    private static final long serialVersionUID = 1L;

    private final String placement;
    private final int listSize;

    PlacementRule(Envelope e, String placement, int listSize) {
        super(e);
        this.placement = placement;
        this.listSize = listSize;
    }

    public String placement() {
        return placement;
    }

    public int listSize() {
        return listSize;
    }

    @Override
    public RuleKind kind() {
        return RuleKind.PLACEMENT;
    }

    @Override
    public String type() {
        return "placement";
    }
}
