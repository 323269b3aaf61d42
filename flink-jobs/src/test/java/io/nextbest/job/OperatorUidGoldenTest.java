package io.nextbest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/**
 * The guard of savepoint compatibility: every operator of the job has an explicit uid, and the set of uids (with
 * the operator each belongs to) equals the golden file {@code src/test/resources/operator-uids.txt}. A savepoint
 * finds an operator's state by its uid; a uid that changes or disappears leaves that state behind (the restore
 * fails unless it is told to drop state), and a new uid starts empty.
 *
 * <p>When the change is meant: write the new file with {@code -Dnextbest.golden.update=true} (the test then
 * fails once, saying so), and say in docs/operations.md (upgrades) which state an old savepoint loses.
 */
class OperatorUidGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/operator-uids.txt");

    /** "uid  operator name" of every node of the job's stream graph, sorted. */
    static List<String> uids(NextbestConfig.Builder settings) {
        NextbestConfig config = settings.set("kafka.bootstrap-servers", "localhost:1").build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobSetup.configure(env, config);
        NextbestJob.buildWithKafka(env, config);
        TreeSet<String> lines = new TreeSet<>();
        for (StreamNode n : env.getStreamGraph().getStreamNodes()) {
            lines.add(n.getTransformationUID() + "  " + n.getOperatorName());
        }
        return new ArrayList<>(lines);
    }

    @Test
    void everyOperatorHasAnExplicitUid() {
        assertThat(uids(NextbestConfig.builder())).as("operators without a uid (Flink would derive one from the"
                + " graph's shape, which changes with any edit)").noneMatch(l -> l.startsWith("null "));
    }

    @Test
    void theUidsAreTheGoldenOnes() throws IOException {
        List<String> now = uids(NextbestConfig.builder());
        if (Boolean.getBoolean("nextbest.golden.update")) {
            Files.writeString(GOLDEN, String.join("\n", now) + "\n", StandardCharsets.UTF_8);
            throw new AssertionError("wrote " + GOLDEN.toAbsolutePath() + "; run again without -Dnextbest.golden.update");
        }
        List<String> golden = Files.readAllLines(GOLDEN, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank()).toList();
        List<String> gone = golden.stream().filter(l -> !now.contains(l)).toList();
        List<String> added = now.stream().filter(l -> !golden.contains(l)).toList();
        assertThat(gone).as("operator uids no longer in the job (savepoints lose their state; see this class's"
                + " comment to accept a change)").isEmpty();
        assertThat(added).as("operator uids new to the job (they start empty from an old savepoint; see this"
                + " class's comment to accept a change)").isEmpty();
    }

    /** Parallelism and slot sharing change nothing: the uids are the same whatever the stage settings. */
    @Test
    void stageSettingsDoNotChangeTheUids() {
        assertThat(uids(NextbestConfig.builder().set("job.parallelism", "3").set("job.parallelism.customer", "2")
                .set("job.slot-sharing", "per-stage"))).isEqualTo(uids(NextbestConfig.builder()));
    }
}
