package io.nextbest.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The job's packages, read from the imports (and fully qualified names) of its main sources: their graph has no
 * cycle, and only the packages above the customer stage use it. Messages between stages live in {@code
 * io.nextbest.job.messages}, which depends on no stage.
 */
class PackageGraphTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern REF = Pattern.compile("\\b(io\\.nextbest\\.[a-z.]+)\\.[A-Z]\\w*");
    private static final Pattern STRING = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"");

    /** package → the packages of this project it refers to (outside comments). */
    static Map<String, Set<String>> graph() throws IOException {
        Map<String, Set<String>> g = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (Path f : files) {
            String pkg = SOURCES.relativize(f.getParent()).toString().replace('/', '.').replace('\\', '.');
            Set<String> deps = g.computeIfAbsent(pkg, k -> new TreeSet<>());
            for (String ref : references(f)) {
                if (!ref.equals(pkg) && !ref.startsWith("io.nextbest.schemas")) {
                    deps.add(ref);
                }
            }
        }
        return g;
    }

    /**
     * The packages of this project a source file names (imports and qualified names), outside comments and string
     * literals (a test that checks a file for a class name, e.g. a Dockerfile's entry point, does not use the class).
     */
    static Set<String> references(Path file) throws IOException {
        Set<String> refs = new TreeSet<>();
        for (String line : Files.readAllLines(file)) {
            String code = line.strip();
            if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) {
                continue;
            }
            Matcher m = REF.matcher(STRING.matcher(code).replaceAll("\"\""));
            while (m.find()) {
                refs.add(m.group(1));
            }
        }
        return refs;
    }

    @Test
    void thePackageGraphHasNoCycle() throws IOException {
        Map<String, Set<String>> g = graph();
        assertThat(g).containsKeys("io.nextbest.job.customer", "io.nextbest.job.messages", "io.nextbest.job.ranking");
        List<String> cycles = new ArrayList<>();
        for (String start : g.keySet()) { // a path from a package back to itself
            Deque<List<String>> todo = new ArrayDeque<>();
            todo.add(List.of(start));
            Set<String> seen = new TreeSet<>();
            while (!todo.isEmpty()) {
                List<String> path = todo.poll();
                for (String next : g.getOrDefault(path.get(path.size() - 1), Set.of())) {
                    if (next.equals(start)) {
                        List<String> cycle = new ArrayList<>(path);
                        cycle.add(start);
                        cycles.add(String.join(" → ", cycle));
                    } else if (seen.add(next)) {
                        List<String> longer = new ArrayList<>(path);
                        longer.add(next);
                        todo.add(longer);
                    }
                }
            }
        }
        assertThat(cycles).as("package cycles").isEmpty();
    }

    @Test
    void onlyTheJobsAssemblyAndTheReplayUseTheCustomerPackage() throws IOException {
        Map<String, Set<String>> g = graph();
        List<String> users = g.entrySet().stream().filter(e -> e.getValue().contains("io.nextbest.job.customer"))
                .map(Map.Entry::getKey).toList();
        assertThat(users).containsExactlyInAnyOrder("io.nextbest.job", "io.nextbest.job.replay");
    }

    @Test
    void messagesDependOnNoStage() throws IOException {
        assertThat(graph().get("io.nextbest.job.messages")).as("packages the messages refer to")
                .isSubsetOf("io.nextbest.job.catalog", "io.nextbest.job.config");
    }
}
