package io.nextbest.job.rules;

import io.nextbest.schemas.messages.Reason;
import java.util.List;

/** The product of the boosts that applied to an item (1.0 when none), and one reason per boost. */
public record Boost(double factor, List<Reason> reasons) {
    public static final Boost NONE = new Boost(1.0, List.of());

    public Boost {
        reasons = List.copyOf(reasons);
    }
}
