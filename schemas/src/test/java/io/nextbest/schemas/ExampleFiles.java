package io.nextbest.schemas;

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

/** The example messages of {@code /schemas/examples/<type>/} on the classpath (directory or jar). */
public final class ExampleFiles {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ExampleFiles() {}

    /** File names of the examples of a message type, sorted. */
    public static List<String> names(String type) {
        return list("/schemas/examples/" + type);
    }

    static List<String> valid(String type) {
        return names(type).stream().filter(n -> n.startsWith("valid-")).toList();
    }

    static List<String> invalid(String type) {
        return names(type).stream().filter(n -> n.startsWith("invalid-")).toList();
    }

    public static byte[] bytes(String type, String name) {
        return readResource("/schemas/examples/" + type + "/" + name);
    }

    static String text(String type, String name) {
        return new String(bytes(type, name), StandardCharsets.UTF_8);
    }

    static JsonNode tree(String type, String name) {
        try {
            return MAPPER.readTree(bytes(type, name));
        } catch (IOException e) {
            throw new UncheckedIOException(type + "/" + name, e);
        }
    }

    static byte[] readResource(String resource) {
        try (InputStream in = ExampleFiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource not found: " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }

    /** Names of the entries of a classpath directory (file: URL from target/classes, or jar: URL), sorted. */
    private static List<String> list(String directory) {
        URL url = ExampleFiles.class.getResource(directory);
        if (url == null) {
            throw new IllegalStateException("classpath directory not found: " + directory);
        }
        try {
            URI uri = url.toURI();
            Path dir;
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.getFileSystem(uri);
                } catch (FileSystemNotFoundException e) {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                }
                dir = fs.provider().getPath(uri);
            } else {
                dir = Path.of(uri);
            }
            try (Stream<Path> entries = Files.list(dir)) {
                List<String> names = new ArrayList<>();
                entries.forEach(p -> names.add(p.getFileName().toString().replace("/", "")));
                names.sort(null);
                return names;
            }
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
