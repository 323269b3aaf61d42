package io.nextbest.loadtest.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.generator.InputEvent;
import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.SchemaValidation;
import io.nextbest.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes tiny CSV files into a temporary datasets folder and drains replays. */
final class ReplayFixtures {
    private ReplayFixtures() {}

    static void write(Path folder, String file, String content) {
        try {
            Path p = folder.resolve(file);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<InputEvent> drain(DatasetReplay replay) {
        List<InputEvent> out = new ArrayList<>();
        while (replay.hasNext()) {
            out.add(replay.next());
        }
        return out;
    }

    /** Decodes with the job's codec and checks the JSON Schema too; returns the decoded message. */
    static Object decodeStrictly(InputEvent e) {
        String json = new String(e.value(), StandardCharsets.UTF_8);
        assertThat(SchemaValidation.violations(e.topic(), json)).as(json).isEmpty();
        try {
            return Topics.byName(e.topic()).orElseThrow().codec().decode(e.value());
        } catch (InvalidMessageException ex) {
            throw new AssertionError(e.topic() + " value rejected by the job's codec: " + ex.getMessage() + ": " + json);
        }
    }
}
