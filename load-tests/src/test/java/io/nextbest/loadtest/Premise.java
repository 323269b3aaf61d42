package io.nextbest.loadtest;

import static org.assertj.core.api.Assertions.fail;

import io.nextbest.loadtest.replay.Datasets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a test needs from the project's own build and checkout. A missing premise fails the test with a message
 * saying what to do; it is never a silent skip (a skipped test proves nothing and is easily missed in a report).
 */
public final class Premise {
    private Premise() {}

    /** The shared data sets ({@code ../shared/datasets}, or -Dnextbest.datasets / NEXTBEST_DATASETS). */
    public static Path datasets() {
        return Datasets.folder().orElseGet(() -> fail("the shared data sets are this test's premise and were not"
                + " found beside the checkout (../shared/datasets); set -D" + Datasets.FOLDER_PROPERTY + "=DIR or "
                + Datasets.FOLDER_ENV));
    }

    /** A file of a data set, present. */
    public static Path datasetFile(String file) {
        Path p = datasets().resolve(file);
        if (!Files.isRegularFile(p)) {
            fail("data set file missing: " + p);
        }
        return p;
    }

    /** A condition the test cannot run without, as a failure with its reason. */
    public static void require(boolean holds, String reason) {
        if (!holds) {
            fail(reason);
        }
    }
}
