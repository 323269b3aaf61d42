package io.nextbest.loadtest.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.generator.SyntheticGenerator;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import org.junit.jupiter.api.Test;

/** What the generator (which knows nothing of the job) must agree on with the job's defaults. */
class GeneratorMeetsJobTest {

    @Test
    void farFutureRecordsLieBeyondTheJobsClockCheck() {
        // the generator's "far future" broken records must be dead-lettered (clock_skew), not accepted
        assertThat(SyntheticGenerator.FAR_FUTURE)
                .isGreaterThan(NextbestConfig.defaults().get(Settings.INGEST_MAX_FUTURE_SKEW));
    }
}
