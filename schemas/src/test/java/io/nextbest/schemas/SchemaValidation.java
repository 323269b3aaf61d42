package io.nextbest.schemas;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Validates messages against the JSON Schemas of the message contract (draft 2020-12), loaded from the
 * classpath at {@code /schemas/<type>.schema.json}. Compiled schemas are cached; the class is thread-safe.
 *
 * <p>Tests of other modules use it (through the schemas test-jar) to check the messages the job writes:
 * <pre>{@code assertThat(SchemaValidation.violations("suggestions", json)).isEmpty();}</pre>
 *
 * <p>Formats are asserted ({@code date-time}), and {@code pattern} follows ECMA-262 semantics for {@code $}
 * (end of input only; plain {@link java.util.regex} would also accept a trailing line terminator).
 */
public final class SchemaValidation {

    /** The message types, each named like its topic, in the order of docs/topics.md. */
    public static final List<String> TYPES = List.of(
            "interactions", "transactions", "catalog", "customers", "rules", "feedback", "actions", "action-proposals",
            "suggestions", "item-neighbours", "trending", "basket-triggers", "trigger-decisions", "customer-updates", "experiment-metrics",
            "next-best-actions", "action-propensities", "dead-letter");

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .regularExpressionFactory(new EcmaEndAnchorRegularExpressionFactory())
            .locale(Locale.ENGLISH)
            .pathType(PathType.JSON_PATH)
            .build();

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private SchemaValidation() {
    }

    /** Classpath location of the schema of a message type. */
    public static String schemaResource(String type) {
        return "/schemas/" + type + ".schema.json";
    }

    /** The compiled schema of a message type (cached). */
    public static JsonSchema schema(String type) {
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("unknown message type '" + type + "', expected one of " + TYPES);
        }
        return SCHEMAS.computeIfAbsent(type, SchemaValidation::load);
    }

    /**
     * The schema violations of one message, as readable, sorted messages such as
     * {@code "$: required property 'itemId' not found"} or
     * {@code "$.lines[0].quantity: must have a minimum value of 1"}; empty when the message is valid.
     * Text that is not exactly one JSON value yields a single violation starting with {@code "not JSON: "}.
     *
     * @param type the message type (topic name), e.g. {@code "interactions"}
     * @param json the message, one JSON object
     */
    public static Set<String> violations(String type, String json) {
        JsonSchema schema = schema(type);
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return Set.of("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || node.isMissingNode()) {
            return Set.of("not JSON: no content");
        }
        return violations(schema, node);
    }

    /** Like {@link #violations(String, String)}, for a message already parsed. */
    public static Set<String> violations(String type, JsonNode message) {
        return violations(schema(type), message);
    }

    private static Set<String> violations(JsonSchema schema, JsonNode message) {
        Set<ValidationMessage> messages = schema.validate(message);
        Set<String> out = new TreeSet<>();
        for (ValidationMessage m : messages) {
            out.add(m.getMessage());
        }
        return Collections.unmodifiableSet(out);
    }

    private static JsonSchema load(String type) {
        String resource = schemaResource(type);
        try (InputStream in = SchemaValidation.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema not found on the classpath: " + resource);
            }
            JsonSchema schema = FACTORY.getSchema(in, CONFIG);
            schema.initializeValidators();
            return schema;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /**
     * {@link java.util.regex} with ECMA-262's meaning of {@code $}: an unescaped {@code $} outside a character
     * class matches only at the end of input (as {@code \z}), so {@code "EUR\n"} does not match {@code ^[A-Z]{3}$}.
     * Like the library's default, a pattern matches when it is found anywhere in the string.
     */
    static final class EcmaEndAnchorRegularExpressionFactory implements RegularExpressionFactory {
        @Override
        public RegularExpression getRegularExpression(String regex) {
            Pattern pattern = Pattern.compile(toJava(regex));
            return value -> pattern.matcher(value).find();
        }

        static String toJava(String regex) {
            StringBuilder out = new StringBuilder(regex.length() + 4);
            boolean inClass = false;
            for (int i = 0; i < regex.length(); i++) {
                char c = regex.charAt(i);
                if (c == '\\' && i + 1 < regex.length()) {
                    out.append(c).append(regex.charAt(++i));
                } else if (inClass) {
                    if (c == ']') {
                        inClass = false;
                    }
                    out.append(c);
                } else if (c == '[') {
                    inClass = true;
                    out.append(c);
                } else if (c == '$') {
                    out.append("\\z");
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
    }
}
