package io.nextbest.job.rules;

import java.io.Serializable;
import java.util.List;
import java.util.Set;

/**
 * Category paths matched as prefixes at level boundaries: {@code electronics} matches {@code electronics}
 * and {@code electronics/phones}, not {@code electronicsX}. Few prefixes are compared directly (no
 * allocation); many are looked up by the category's ancestors in a hash set.
 */
public final class CategoryPrefixes implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Up to this many prefixes, a linear scan beats building the ancestors' substrings. */
    static final int LINEAR_MAX = 8;

    private final String[] prefixes;
    private final Set<String> set;

    public CategoryPrefixes(List<String> prefixes) {
        this.prefixes = prefixes.toArray(new String[0]);
        this.set = Set.copyOf(prefixes);
    }

    public List<String> asList() {
        return List.of(prefixes);
    }

    /** Whether {@code category} (a full path joined by '/') is one of the prefixes or lies under one. */
    public boolean matches(String category) {
        if (category == null) {
            return false;
        }
        if (prefixes.length <= LINEAR_MAX) {
            for (String p : prefixes) {
                if (isAtOrUnder(category, p)) {
                    return true;
                }
            }
            return false;
        }
        if (set.contains(category)) {
            return true;
        }
        for (int i = category.indexOf('/'); i > 0; i = category.indexOf('/', i + 1)) {
            if (set.contains(category.substring(0, i))) {
                return true;
            }
        }
        return false;
    }

    /** {@code path} equals {@code prefix} or continues it with '/'. */
    static boolean isAtOrUnder(String path, String prefix) {
        return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }
}
