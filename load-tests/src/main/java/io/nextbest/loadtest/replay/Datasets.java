package io.nextbest.loadtest.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The data set mappings of {@code datasets.yaml} (on the class path) and where the data sets are.
 * The files themselves are never part of the repository.
 */
public final class Datasets {
    /** Class-path resource with the mappings. */
    public static final String RESOURCE = "/datasets.yaml";
    /** System property naming the datasets folder. */
    public static final String FOLDER_PROPERTY = "nextbest.datasets";
    /** Environment variable naming the datasets folder (when the property is unset). */
    public static final String FOLDER_ENV = "NEXTBEST_DATASETS";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Map<String, DatasetMapping> mappings;

    private Datasets(Map<String, DatasetMapping> mappings) {
        this.mappings = Collections.unmodifiableMap(mappings);
    }

    /** The mappings of {@code datasets.yaml} on the class path. */
    public static Datasets load() {
        try (InputStream in = Datasets.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "datasets.yaml");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** The mappings of a YAML file of the same form. */
    public static Datasets load(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Parses the YAML text of a mappings file: a top-level {@code datasets} mapping of name → entry.
     *
     * @param source named in errors
     */
    public static Datasets parse(String yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + " is not valid YAML: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || !root.has("datasets") || !root.get("datasets").isObject()) {
            throw new IllegalArgumentException(source + ": expected a top-level 'datasets' mapping of name to entry");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!key.equals("datasets")) {
                throw new IllegalArgumentException(source + ": unknown top-level key '" + key + "'; expected only 'datasets'");
            }
        }
        Map<String, DatasetMapping> mappings = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.get("datasets").properties()) {
            if (!e.getKey().matches("[a-z0-9][a-z0-9_-]{0,31}")) {
                throw new IllegalArgumentException(source + ": dataset name '" + e.getKey()
                        + "' must be 1..32 lower-case letters, digits, '-' or '_' (it starts every event id)");
            }
            try {
                mappings.put(e.getKey(), DatasetMapping.fromYaml(e.getKey(), e.getValue()));
            } catch (DatasetMapping.MappingException ex) {
                throw new IllegalArgumentException(source + ": " + ex.getMessage(), ex);
            }
        }
        return new Datasets(mappings);
    }

    public Set<String> names() {
        return mappings.keySet();
    }

    /** The mapping of a data set; an unknown name is an error that lists the known ones. */
    public DatasetMapping get(String name) {
        DatasetMapping m = mappings.get(name);
        if (m == null) {
            throw new IllegalArgumentException("unknown dataset '" + name + "'; known: " + mappings.keySet());
        }
        return m;
    }

    /**
     * The datasets folder: system property {@value #FOLDER_PROPERTY}, else environment variable
     * {@value #FOLDER_ENV}, else the first {@code shared/datasets} beside the working directory or
     * one of its parents. Empty when none exists.
     */
    public static Optional<Path> folder() {
        return folder(System.getProperty(FOLDER_PROPERTY), System.getenv(FOLDER_ENV), Path.of("").toAbsolutePath());
    }

    /**
     * As {@link #folder()}, with its inputs given. A property or variable that names a missing folder
     * is an error rather than a silent fallback.
     */
    static Optional<Path> folder(String property, String env, Path workingDirectory) {
        String[] given = {property, env};
        String[] origin = {"-D" + FOLDER_PROPERTY, FOLDER_ENV};
        for (int i = 0; i < given.length; i++) {
            if (given[i] != null && !given[i].isBlank()) {
                Path p = Path.of(given[i]).toAbsolutePath().normalize();
                if (!Files.isDirectory(p)) {
                    throw new IllegalArgumentException("datasets folder " + p + " (from " + origin[i] + ") is not a directory");
                }
                return Optional.of(p);
            }
        }
        for (Path dir = workingDirectory.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("datasets");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
