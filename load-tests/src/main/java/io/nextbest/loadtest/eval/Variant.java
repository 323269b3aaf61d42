package io.nextbest.loadtest.eval;

/** Which scored events a figure covers. */
public enum Variant {
    /** Every scored event. */
    ALL("all"),
    /** Scored events on an item the customer had never interacted with before. */
    NOVEL("novel");

    private final String label;

    Variant(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
