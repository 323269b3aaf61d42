package io.nextbest.loadtest.eval;

/** Which items a scored list may not contain. */
public enum ListMode {
    /**
     * Every item the customer interacted with before (any kind, however long ago): discovery. The
     * reference evaluator's default; a repeat can never be a hit, hence the novel variant.
     */
    SEEN_EXCLUDED("seen excluded"),
    /** Nothing excluded ("continue shopping"; the reference's {@code --include-seen}). */
    SEEN_INCLUDED("seen included"),
    /**
     * The engine's own rule, basket and recently bought items ({@link Exclusion#like}): the engine's
     * lists as served, and the baselines held to the same rule.
     */
    ENGINE_RULE("engine rule");

    private final String label;

    ListMode(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
