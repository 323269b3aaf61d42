package io.nextbest.loadtest.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.generator.InputEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluateRunnerTest {

    private static InputEvent at(String time) {
        return new InputEvent("interactions", "c1", new byte[0], "e", "c1", "i1", "view",
                Instant.parse(time).toEpochMilli());
    }

    @Test
    void theDefaultDecayLandmarkMovesToTheFirstDayOfTheData() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NextbestConfig moved = EvaluateRunner.withLandmarkAtStart(NextbestConfig.defaults(),
                List.of(at("2017-11-25T16:00:17Z"), at("2017-11-24T23:59:59Z")),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(moved.get(Settings.SIMILARITY_LANDMARK)).isEqualTo(Instant.parse("2017-11-24T00:00:00Z"));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("similarity.landmark set to the data's first day, 2017-11-24T00:00:00Z");
    }

    @Test
    void aLandmarkSetByTheUserIsKept() {
        NextbestConfig mine = NextbestConfig.builder().set("similarity.landmark", "2017-01-01T00:00:00Z").build();
        NextbestConfig kept = EvaluateRunner.withLandmarkAtStart(mine, List.of(at("2017-11-25T16:00:17Z")),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(kept.get(Settings.SIMILARITY_LANDMARK)).isEqualTo(Instant.parse("2017-01-01T00:00:00Z"));
    }
}
