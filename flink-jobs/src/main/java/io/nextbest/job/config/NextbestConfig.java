package io.nextbest.job.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.nextbest.schemas.DidYouMean;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The job's configuration: defaults from {@link Settings}, then a YAML file, then {@code key=value}
 * overrides. Every key is checked once, here; an unknown key or a bad value fails with a message
 * that names it.
 */
public final class NextbestConfig implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Map<String, Option<?>> BY_KEY = new LinkedHashMap<>();

    static {
        for (Option<?> o : Settings.ALL) {
            if (BY_KEY.put(o.key(), o) != null) {
                throw new IllegalStateException("duplicate option " + o.key());
            }
        }
    }

    private final Map<String, String> values;
    private final Map<String, String> kafkaProperties;

    private NextbestConfig(Map<String, String> values, Map<String, String> kafkaProperties) {
        this.values = values;
        this.kafkaProperties = kafkaProperties;
    }

    public static NextbestConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this configuration, to override some keys. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.values.putAll(values);
        b.kafka.putAll(kafkaProperties);
        return b;
    }

    public <T> T get(Option<T> option) {
        return option.parse(values.get(option.key()));
    }

    /** Extra Kafka client properties from {@code kafka.properties.*}. */
    public Properties kafkaProperties() {
        Properties p = new Properties();
        p.putAll(kafkaProperties);
        return p;
    }

    /** Every resolved key and value (plus the Kafka properties), sorted: shown in the Flink UI. */
    public Map<String, String> toMap() {
        Map<String, String> m = new TreeMap<>(values);
        m.replaceAll((k, v) -> isSecret(k) && !v.isEmpty() ? "******" : v);
        kafkaProperties.forEach((k, v) -> m.put(Settings.KAFKA_PROPERTIES_PREFIX + k, isSecret(k) ? "******" : v));
        return m;
    }

    /** The full name of a topic of the contract, with the configured prefix. */
    public String topic(String name) {
        return get(Settings.KAFKA_TOPIC_PREFIX) + name;
    }

    /**
     * Whether a key's value is a secret, never shown (Flink UI, reports, logs): passwords, JAAS configurations (which
     * hold the SASL password), secrets, API keys, tokens, and a PEM private key given inline.
     */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.contains("password") || k.contains("jaas") || k.contains("secret") || k.contains("api-key")
                || k.contains("token") || k.contains("credential") || k.endsWith("ssl.keystore.key");
    }

    /** Collects layers of settings; {@link #build()} validates them all. */
    public static final class Builder {
        private final Map<String, String> values = new LinkedHashMap<>();
        private final Map<String, String> kafka = new LinkedHashMap<>();

        private Builder() {
            for (Option<?> o : Settings.ALL) {
                values.put(o.key(), o.defaultValue());
            }
        }

        /** Reads a YAML file of nested sections; keys are joined with dots. */
        public Builder file(Path path) {
            if (!Files.isRegularFile(path)) {
                throw new ConfigException("config file not found: " + path.toAbsolutePath());
            }
            JsonNode root;
            try {
                // Bare yes/no/on/off stay words (YAML 1.1 would make them booleans): 'off' must mean off.
                root = new ObjectMapper(new YAMLFactory()
                        .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS))
                        .readTree(path.toFile());
            } catch (IOException e) {
                throw new ConfigException("cannot read config file " + path + ": " + e.getMessage());
            }
            if (root == null || root.isNull() || root.isMissingNode()) {
                return this;
            }
            if (!root.isObject()) {
                throw new ConfigException("config file " + path + " must hold a YAML mapping");
            }
            flatten("", root, path.toString());
            return this;
        }

        /** One override like {@code ingest.max-record-bytes=1024}. */
        public Builder set(String assignment) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("expected key=value, got '" + assignment + "'");
            }
            return set(assignment.substring(0, eq).trim(), assignment.substring(eq + 1));
        }

        public Builder set(String key, String value) {
            if (key.startsWith(Settings.KAFKA_PROPERTIES_PREFIX)
                    && key.length() > Settings.KAFKA_PROPERTIES_PREFIX.length()) {
                kafka.put(key.substring(Settings.KAFKA_PROPERTIES_PREFIX.length()), value);
                return this;
            }
            Option<?> o = BY_KEY.get(key);
            if (o == null) {
                throw new ConfigException("unknown configuration key '" + key + "'" + DidYouMean.hint(key, BY_KEY.keySet(), 3));
            }
            o.parse(value); // fail fast, naming the key
            values.put(key, value);
            return this;
        }

        public Builder setAll(List<String> assignments) {
            assignments.forEach(this::set);
            return this;
        }

        public NextbestConfig build() {
            for (Map.Entry<String, String> e : values.entrySet()) {
                BY_KEY.get(e.getKey()).parse(e.getValue());
            }
            NextbestConfig c = new NextbestConfig(
                    Collections.unmodifiableMap(new LinkedHashMap<>(values)),
                    Collections.unmodifiableMap(new LinkedHashMap<>(kafka)));
            if (c.get(Settings.TIER_HIGH) < c.get(Settings.TIER_MID)) {
                throw new ConfigException("'" + Settings.TIER_HIGH.key() + "' must not be below '"
                        + Settings.TIER_MID.key() + "'");
            }
            if (c.get(Settings.LIFECYCLE_LOYAL) < c.get(Settings.LIFECYCLE_ACTIVE)) {
                throw new ConfigException("'" + Settings.LIFECYCLE_LOYAL.key() + "' must not be below '"
                        + Settings.LIFECYCLE_ACTIVE.key() + "'");
            }
            if (c.get(Settings.TRENDING_TOP_N) > c.get(Settings.TRENDING_BOARD_SIZE)) {
                throw new ConfigException("'" + Settings.TRENDING_TOP_N.key() + "' must not exceed '"
                        + Settings.TRENDING_BOARD_SIZE.key() + "'");
            }
            return c;
        }

        private void flatten(String prefix, JsonNode node, String source) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = prefix + e.getKey();
                JsonNode v = e.getValue();
                if (v.isObject()) {
                    flatten(key + ".", v, source);
                } else if (v.isNull()) {
                    throw new ConfigException("'" + key + "' in " + source + " has no value");
                } else if (v.isArray()) {
                    throw new ConfigException("'" + key + "' in " + source + " is a list; expected a single value");
                } else {
                    set(key, v.asText());
                }
            }
        }
    }
}
