package io.nextbest.generator;

import java.nio.charset.StandardCharsets;

/**
 * Derives independent random seeds from a workload seed, a purpose and coordinates (part, session,
 * slot …), so that any piece of the output can be regenerated on its own: SplitMix64's finaliser
 * over the coordinates, each folded in with a distinct constant. No arrays: it runs once per event.
 */
final class Seeds {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Seeds() {}

    static long derive(long seed, long purpose, long a) {
        return fold(start(seed, purpose), a);
    }

    static long derive(long seed, long purpose, long a, long b) {
        return fold(fold(start(seed, purpose), a), b);
    }

    static long derive(long seed, long purpose, long a, long b, long c) {
        return fold(fold(fold(start(seed, purpose), a), b), c);
    }

    /** A uniform double in [0, 1) from a mixed value. */
    static double unit(long mixed) {
        return (mixed >>> 11) * 0x1.0p-53;
    }

    /** A 64-bit hash of an id (a customer, an action), to derive seeds from. */
    static long hash(String s) {
        long h = 1125899906842597L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = 31 * h + b;
        }
        return h;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long start(long seed, long purpose) {
        return mix(seed ^ mix(purpose * GOLDEN + 0x632BE59BD9B4E019L));
    }

    private static long fold(long h, long c) {
        return mix(h + GOLDEN + mix(c ^ 0xD1B54A32D192ED03L));
    }
}
