package io.nextbest.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Checks the JSON Schemas of the message contract against their examples: every
 * {@code /schemas/examples/<type>/valid-*.json} validates without a message, every {@code invalid-*.json}
 * (each breaking exactly one rule, named in the file name) fails with at least one.
 */
class SchemaExamplesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SCHEMA_SUFFIX = ".schema.json";

    @Test
    void schemaDirectoryHoldsExactlyTheEighteenMessageTypes() {
        List<String> schemaFiles = list("/schemas").stream()
                .filter(name -> name.endsWith(SCHEMA_SUFFIX))
                .toList();
        List<String> expected = SchemaValidation.TYPES.stream().map(type -> type + SCHEMA_SUFFIX).toList();

        assertThat(schemaFiles).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(list("/schemas/examples")).containsExactlyInAnyOrderElementsOf(SchemaValidation.TYPES);
    }

    @Test
    void everySchemaIsADraft202012SchemaOfAClosedObject() {
        for (String type : SchemaValidation.TYPES) {
            JsonNode schema = readJson(SchemaValidation.schemaResource(type));
            assertThat(schema.path("$schema").asText()).as(type)
                    .isEqualTo("https://json-schema.org/draft/2020-12/schema");
            assertThat(schema.path("$id").asText()).as(type)
                    .isEqualTo("https://nextbest.io/schemas/" + type + SCHEMA_SUFFIX);
            assertThat(schema.path("title").asText()).as(type).isNotBlank();
            assertThat(schema.path("type").asText()).as(type).isEqualTo("object");
            assertThat(schema.path("additionalProperties").isBoolean()
                    && !schema.path("additionalProperties").asBoolean()).as(type + " is closed").isTrue();
            schema.path("properties").properties().forEach(p -> assertThat(p.getValue().path("description")
                    .asText()).as(type + "." + p.getKey() + " has a description").isNotBlank());
            assertThat(SchemaValidation.schema(type)).as(type).isNotNull();
        }
    }

    @Test
    void everyTypeHasAtLeastTwoValidAndFourInvalidExamples() {
        for (String type : SchemaValidation.TYPES) {
            List<String> files = examples(type);
            assertThat(files).as(type + " examples")
                    .allMatch(name -> (name.startsWith("valid-") || name.startsWith("invalid-"))
                            && name.endsWith(".json"));
            assertThat(files.stream().filter(name -> name.startsWith("valid-"))).as(type + " valid examples")
                    .hasSizeGreaterThanOrEqualTo(2);
            assertThat(files.stream().filter(name -> name.startsWith("invalid-"))).as(type + " invalid examples")
                    .hasSizeGreaterThanOrEqualTo(4);
        }
    }

    @TestFactory
    Stream<DynamicNode> examplesAgreeWithTheirSchema() {
        return SchemaValidation.TYPES.stream().map(type -> dynamicContainer(type,
                examples(type).stream().map(name -> dynamicTest(name, () -> check(type, name)))));
    }

    private static void check(String type, String name) {
        String resource = "/schemas/examples/" + type + "/" + name;
        String json = read(resource);
        assertThat(readJson(resource).isObject()).as(resource + " holds one JSON object").isTrue();
        if (name.startsWith("valid-")) {
            assertThat(SchemaValidation.violations(type, json)).as(resource).isEmpty();
        } else {
            assertThat(SchemaValidation.violations(type, json)).as(resource).isNotEmpty();
        }
    }

    @Test
    void violationsAreReadableAndNameTheField() {
        String json = """
                {"eventId":"e1","type":"view","sessionId":"s1","timestamp":"2026-11-23T15:12:00Z","channel":"web"}""";

        assertThat(SchemaValidation.violations("interactions", json)).singleElement().asString()
                .contains("itemId");
        assertThat(SchemaValidation.violations("interactions", json.replace("\"view\"", "\"search\",\"query\":\"x\"")))
                .isEmpty();
    }

    @Test
    void patternsAnchorAtTheEndOfInputLikeEcmaScript() {
        String json = """
                {"eventId":"e1","type":"view","sessionId":"s1","itemId":"%s","timestamp":"2026-11-23T15:12:00Z",\
                "channel":"web"}""";

        assertThat(SchemaValidation.violations("interactions", json.formatted("SKU-1"))).isEmpty();
        assertThat(SchemaValidation.violations("interactions", json.formatted("SKU-1\\n"))).isNotEmpty();
        assertThat(SchemaValidation.violations("interactions", json.formatted("SKU-1\\r\\n"))).isNotEmpty();
        assertThat(SchemaValidation.EcmaEndAnchorRegularExpressionFactory.toJava("^[$A-Z]{3}\\$$"))
                .isEqualTo("^[$A-Z]{3}\\$\\z");
    }

    @Test
    void textThatIsNotOneJsonValueIsAViolationAndUnknownTypesAreRejected() {
        assertThat(SchemaValidation.violations("catalog", "{\"itemId\":")).singleElement().asString()
                .startsWith("not JSON: ");
        assertThat(SchemaValidation.violations("catalog", "{} {}")).singleElement().asString()
                .startsWith("not JSON: ");
        assertThat(SchemaValidation.violations("catalog", "")).singleElement().asString()
                .startsWith("not JSON: ");
        assertThatThrownBy(() -> SchemaValidation.violations("orders", "{}"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------ classpath helpers

    private static List<String> examples(String type) {
        return list("/schemas/examples/" + type);
    }

    /** Names of the entries of a classpath directory (file: URL from target/classes, or jar: URL), sorted. */
    private static List<String> list(String directory) {
        URL url = SchemaExamplesTest.class.getResource(directory);
        assertThat(url).as("classpath directory " + directory).isNotNull();
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.getFileSystem(uri);
                } catch (FileSystemNotFoundException e) {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                }
                return listPath(fs.provider().getPath(uri));
            }
            return listPath(Path.of(uri));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> listPath(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            List<String> names = new ArrayList<>();
            entries.forEach(p -> names.add(p.getFileName().toString().replace("/", "")));
            names.sort(null);
            return names;
        }
    }

    private static String read(String resource) {
        try (InputStream in = SchemaExamplesTest.class.getResourceAsStream(resource)) {
            assertThat(in).as("classpath resource " + resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readJson(String resource) {
        try {
            return MAPPER.readTree(read(resource));
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }
}
