package io.nextbest.job.catalog;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared copy per distinct category, brand, tag and price band in a JVM: a catalog repeats a
 * few thousand such strings across a million items. Weakly bounded: strings are never removed,
 * which is fine for the vocabulary of one catalog (see docs/content.md for its size).
 */
public final class Interner {
    private static final ConcurrentHashMap<String, String> POOL = new ConcurrentHashMap<>();

    private Interner() {}

    public static String intern(String s) {
        if (s == null) {
            return null;
        }
        String prior = POOL.putIfAbsent(s, s);
        return prior == null ? s : prior;
    }

    public static int size() {
        return POOL.size();
    }
}
