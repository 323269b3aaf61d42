package io.nextbest.job.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository's Markdown links stay inside the repository and resolve: every relative link names a file that
 * exists and, with a {@code #anchor} into a Markdown file, a heading that exists there. The README's first screen
 * keeps exactly the two set-up commands (demo, tests).
 */
class DocLinksTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#+ (.*)$");

    @Test
    void everyLinkResolvesInsideTheRepository() throws IOException {
        List<String> bad = new ArrayList<>();
        for (Path md : markdownFiles()) {
            String text = Files.readString(md);
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String link = m.group(1);
                if (link.matches("^[a-z]+:.*")) {
                    bad.add(ROOT.relativize(md) + ": points outside the repository: " + link);
                    continue;
                }
                int hash = link.indexOf('#');
                String file = hash < 0 ? link : link.substring(0, hash);
                Path target = file.isEmpty() ? md : md.getParent().resolve(file).normalize();
                if (!Files.exists(target)) {
                    bad.add(ROOT.relativize(md) + ": no such file: " + link);
                } else if (hash >= 0 && target.toString().endsWith(".md")
                        && !anchors(Files.readString(target)).contains(link.substring(hash + 1))) {
                    bad.add(ROOT.relativize(md) + ": no such heading: " + link);
                }
            }
        }
        assertThat(bad).isEmpty();
    }

    @Test
    void theReadmeOpensWithTheTwoCommands() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
        int fence = lines.indexOf("```bash");
        assertThat(fence).as("the first code block").isBetween(0, 20);
        assertThat(lines.subList(fence + 1, fence + 4)).satisfiesExactly(
                l -> assertThat(l).startsWith("bin/nextbest demo "),
                l -> assertThat(l).startsWith("./mvnw verify "),
                l -> assertThat(l).isEqualTo("```"));
        assertThat(lines.size()).as("README lines (read in five minutes)").isLessThanOrEqualTo(180);
    }

    static List<Path> markdownFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(ROOT)) {
            return walk.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/node_modules/")
                            && !p.toString().contains("/.git/") && !p.toString().contains("/reports/"))
                    .toList();
        }
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
    static List<String> anchors(String markdown) {
        List<String> out = new ArrayList<>();
        Matcher m = HEADING.matcher(markdown);
        while (m.find()) {
            out.add(m.group(1).strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}_\\- ]", "")
                    .replace(' ', '-'));
        }
        return out;
    }
}
