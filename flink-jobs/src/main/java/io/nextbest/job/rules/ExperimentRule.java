package io.nextbest.job.rules;

import io.nextbest.schemas.messages.RuleKind;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An experiment (docs/experiments.md): on its placements, between its start and end, each customer (or anonymous
 * session) falls into one arm — the control group or one of the variants — by a hash of (experiment id, the list's
 * key) into {@value #BUCKETS} buckets: deterministic and sticky, the same on every instance and after every
 * restart, and independent between experiments. The control group takes {@code control.share} of the buckets; the
 * variants split the rest by their weights.
 */
public final class ExperimentRule extends ParsedRule {
    private static final long serialVersionUID = 1L;

    /** Buckets of the assignment hash: shares are honoured to 1/10,000. */
    public static final int BUCKETS = 10_000;
    /** The name of the control group's arm, as lists carry it in {@code variant}. */
    public static final String CONTROL = "control";

    /** How an arm's lists are made. */
    public enum Strategy {
        /** The hybrid ranking, with the arm's setting overrides. */
        PERSONALISED("personalised"),
        /** Trending only: no collaborative or content scores (the fallback a shop without Nextbest would show). */
        TRENDING_ONLY("trending-only"),
        /** No suggestions: an empty list. */
        NONE("none");

        private final String wire;

        Strategy(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        static final List<String> WIRES = List.of("personalised", "trending-only", "none");

        static Strategy of(String wire) {
            for (Strategy s : values()) {
                if (s.wire.equals(wire)) {
                    return s;
                }
            }
            throw new IllegalArgumentException(wire);
        }
    }

    /** An arm: its name (the list's {@code variant}), strategy and job-setting overrides (key → value as text). */
    public record Arm(String name, Strategy strategy, Map<String, String> settings) implements Serializable {}

    private final List<String> placements;
    private final double controlShare;
    private final Arm control;
    private final List<Arm> variants;
    private final double[] weights;
    /** Upper bucket bound (exclusive) of each arm: control first, then the variants in order. */
    private final int[] upper;

    /** Exposed customers (all arms) the experiment was planned for; 0: not planned (the report cannot tell peeking). */
    private final int plannedCustomers;

    ExperimentRule(Envelope e, List<String> placements, double controlShare, Arm control, List<Arm> variants,
            double[] weights, int plannedCustomers) {
        super(e);
        this.plannedCustomers = plannedCustomers;
        this.placements = List.copyOf(placements);
        this.controlShare = controlShare;
        this.control = control;
        this.variants = List.copyOf(variants);
        this.weights = weights.clone();
        this.upper = new int[variants.size() + 1];
        int controlBuckets = (int) Math.round(controlShare * BUCKETS);
        upper[0] = controlBuckets;
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double cumulative = 0;
        for (int i = 0; i < variants.size(); i++) {
            cumulative += weights[i];
            upper[i + 1] = i == variants.size() - 1 ? BUCKETS
                    : controlBuckets + (int) Math.round((BUCKETS - controlBuckets) * cumulative / total);
        }
    }

    /** The bucket of a list's key (customer id, else session id) in this experiment: 0..{@value #BUCKETS} − 1. */
    public static int bucket(String experimentId, String subjectKey) {
        UUID u = UUID.nameUUIDFromBytes((experimentId + "\n" + subjectKey).getBytes(StandardCharsets.UTF_8));
        return (int) Math.floorMod(u.getMostSignificantBits(), (long) BUCKETS);
    }

    /** The arm of a list's key (customer id, else session id). */
    public Arm assign(String subjectKey) {
        int b = bucket(ruleId(), subjectKey);
        if (b < upper[0]) {
            return control;
        }
        for (int i = 1; i < upper.length; i++) {
            if (b < upper[i]) {
                return variants.get(i - 1);
            }
        }
        return variants.get(variants.size() - 1);
    }

    /** Exposed customers (all arms together) the experiment was planned to run for; 0 if not given. */
    public int plannedCustomers() {
        return plannedCustomers;
    }

    public List<String> placements() {
        return placements;
    }

    public boolean covers(String placement) {
        return placement != null && placements.contains(placement);
    }

    public double controlShare() {
        return controlShare;
    }

    public Arm control() {
        return control;
    }

    public List<Arm> variants() {
        return variants;
    }

    /**
     * The configured share of traffic of each arm, control first (what the sample-ratio check compares the observed
     * split with).
     */
    public List<Double> shares() {
        List<Double> out = new ArrayList<>();
        out.add(controlShare);
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        for (double w : weights) {
            out.add((1 - controlShare) * w / total);
        }
        return out;
    }

    /** Whether both are enabled, share a placement and their windows ([start, end)) intersect. */
    public boolean overlaps(ExperimentRule other) {
        if (!enabled() || !other.enabled()) {
            return false;
        }
        boolean shared = placements.stream().anyMatch(other.placements::contains);
        return shared && validFrom().isBefore(other.validTo()) && other.validFrom().isBefore(validTo());
    }

    /** The placement both cover, for the reason of a refusal (null if none). */
    public String sharedPlacement(ExperimentRule other) {
        return placements.stream().filter(other.placements::contains).findFirst().orElse(null);
    }

    @Override
    public RuleKind kind() {
        return RuleKind.EXPERIMENT;
    }

    @Override
    public String type() {
        return "experiment";
    }
}
