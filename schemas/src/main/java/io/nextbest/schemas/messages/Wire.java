package io.nextbest.schemas.messages;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** Helpers for enums that have a wire name distinct from their Java name. */
public final class Wire {
    private Wire() {}

    /** An unmodifiable map from wire name to constant, in declaration order. */
    public static <E> Map<String, E> index(E[] values, Function<E, String> wireName) {
        Map<String, E> m = new LinkedHashMap<>();
        for (E v : values) {
            m.put(wireName.apply(v), v);
        }
        return Collections.unmodifiableMap(m);
    }
}
