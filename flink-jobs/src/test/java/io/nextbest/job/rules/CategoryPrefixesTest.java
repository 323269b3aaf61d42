package io.nextbest.job.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CategoryPrefixesTest {

    /** The definition: some prefix's levels are the first levels of the path. */
    static boolean byLevels(String category, List<String> prefixes) {
        List<String> levels = Arrays.asList(category.split("/"));
        for (String p : prefixes) {
            List<String> pl = Arrays.asList(p.split("/"));
            if (pl.size() <= levels.size() && levels.subList(0, pl.size()).equals(pl)) {
                return true;
            }
        }
        return false;
    }

    /** Both strategies (a scan for few prefixes, ancestor look-ups for many) agree with the definition. */
    @Test
    void scanAndLookUpAgreeWithMatchingLevelByLevel() {
        Random random = new Random(3);
        String[] names = {"a", "ab", "b", "a-b", "c"};
        for (int round = 0; round < 300; round++) {
            List<String> prefixes = new ArrayList<>();
            int n = 1 + random.nextInt(round % 2 == 0 ? CategoryPrefixes.LINEAR_MAX : 30);
            while (prefixes.size() < n) {
                String p = path(random, names);
                if (!prefixes.contains(p)) {
                    prefixes.add(p);
                }
                if (prefixes.size() >= 5 * 5 * 5) {
                    break;
                }
            }
            CategoryPrefixes matcher = new CategoryPrefixes(prefixes);
            for (int k = 0; k < 50; k++) {
                String category = path(random, names);
                assertThat(matcher.matches(category)).as("%s in %s", category, prefixes)
                        .isEqualTo(byLevels(category, prefixes));
            }
        }
        assertThat(new CategoryPrefixes(List.of("a")).matches(null)).isFalse();
    }

    private static String path(Random random, String[] names) {
        int levels = 1 + random.nextInt(3);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            if (i > 0) {
                s.append('/');
            }
            s.append(names[random.nextInt(names.length)]);
        }
        return s.toString();
    }
}
