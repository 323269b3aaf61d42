package io.nextbest.generator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named workloads of a workloads file ({@code workloads.yaml} on the class path by default). The
 * file has two sections: {@code defaults}, which gives every key, and {@code workloads}, a map from
 * name to the keys in which that workload differs. Everything is checked when the file is loaded.
 */
public final class Workloads {
    /** The class-path resource of the checked-in workloads. */
    public static final String RESOURCE = "/workloads.yaml";

    private static final ObjectMapper YAML = new ObjectMapper(
            new YAMLFactory().enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS));

    private final Map<String, Workload> byName;

    private Workloads(Map<String, Workload> byName) {
        this.byName = byName;
    }

    /** The checked-in workloads (smoke, small, medium, large, …). */
    public static Workloads load() {
        try (InputStream in = Workloads.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " not on the class path");
            }
            return parse(YAML.readTree(in), RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** The workloads of a file laid out like {@code workloads.yaml}. */
    public static Workloads load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("workloads file not found: " + file.toAbsolutePath());
        }
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read workloads file " + file + ": " + e.getMessage(), e);
        }
        return parse(root, file.toString());
    }

    /** The names, in the order of the file. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** The workload of that name; an unknown name is an {@link IllegalArgumentException} listing the known ones. */
    public Workload get(String name) {
        Workload w = byName.get(name);
        if (w == null) {
            throw new IllegalArgumentException("unknown workload '" + name + "'; known: " + names());
        }
        return w;
    }

    /** All workloads, in the order of the file. */
    public List<Workload> all() {
        return List.copyOf(byName.values());
    }

    private static Workloads parse(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + " must hold a YAML mapping with 'defaults' and 'workloads'");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String top = it.next();
            if (!top.equals("defaults") && !top.equals("workloads")) {
                throw new IllegalArgumentException(
                        source + ": unknown section '" + top + "', expected 'defaults' and 'workloads'");
            }
        }
        Map<String, String> defaults = new LinkedHashMap<>();
        JsonNode d = root.get("defaults");
        if (d != null && !d.isNull()) {
            flatten("defaults", "", d, defaults);
            for (String key : defaults.keySet()) {
                if (Workload.ALL.stream().noneMatch(k -> k.name().equals(key))) {
                    throw new IllegalArgumentException(source + ": 'defaults' has an unknown key '" + key + "'");
                }
            }
        }
        JsonNode ws = root.get("workloads");
        if (ws == null || !ws.isObject() || ws.isEmpty()) {
            throw new IllegalArgumentException(source + ": 'workloads' must map names to workloads");
        }
        Map<String, Workload> byName = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = ws.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            Map<String, String> values = new LinkedHashMap<>(defaults);
            if (!e.getValue().isNull()) {
                flatten(name, "", e.getValue(), values);
            }
            byName.put(name, Workload.of(name, values));
        }
        return new Workloads(Collections.unmodifiableMap(byName));
    }

    /** Nested mappings become dotted keys ({@code funnel: {view-to-cart: 0.1}} → {@code funnel.view-to-cart}). */
    private static void flatten(String workload, String prefix, JsonNode node, Map<String, String> out) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("workload '" + workload + "': "
                    + (prefix.isEmpty() ? "must be a mapping of keys" : "'" + prefix + "' must be a mapping of keys"));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                flatten(workload, key, v, out);
            } else if (v.isValueNode() && !v.isNull()) {
                out.put(key, v.asText());
            } else {
                throw new IllegalArgumentException("workload '" + workload + "': key '" + key + "' needs a single value");
            }
        }
    }
}
