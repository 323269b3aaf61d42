package io.nextbest.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.loadtest.bench.BenchRunner.Step;
import io.nextbest.loadtest.bench.BenchRunner.SystemResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hint a bench prints when its rate search did not bracket the sustainable rate. */
class SearchHintTest {
    private static Step step(double rate, boolean held, String verdict) {
        return new Step(JobUnderTest.NEXTBEST, rate, rate, rate, 0, 0, null, null, List.of(), held, verdict, null);
    }

    private static SystemResult result(double sustainable, Step... steps) {
        return new SystemResult(JobUnderTest.NEXTBEST, List.of(steps), sustainable, null, null, Map.of(), Map.of(), 0);
    }

    @Test
    void aFirstStepNotHeldNamesTheSettingAndALowerStart() {
        SystemResult r = result(0, step(2000, false, "not held: p99 latency 2308 ms"));

        assertThat(BenchRunner.searchHint(r)).contains("nextbest held no step: the first, 2,000 events/s, was"
                + " not held: p99 latency 2308 ms. Start the search lower, e.g. --set bench.rate-search.start-rate=500");
        assertThat(BenchRunner.searchHint(result(0, step(1000, false, "not held")))).get().asString()
                .endsWith("start-rate=250");
    }

    @Test
    void everyStepHeldSaysTheRateIsOnlyALowerBound() {
        SystemResult r = result(8000, step(2000, true, "held"), step(4000, true, "held"), step(8000, true, "held"));

        assertThat(BenchRunner.searchHint(r)).contains("nextbest held every step up to 8,000 events/s, the"
                + " search's limit: its sustainable rate is at least that. Raise --set bench.rate-search.max-rate to"
                + " find it");
    }

    @Test
    void aSearchThatFoundItsLimitNeedsNoHint() {
        SystemResult r = result(2000, step(2000, true, "held"), step(4000, false, "not held: backlog grew"));

        assertThat(BenchRunner.searchHint(r)).isEmpty();
        assertThat(BenchRunner.searchHint(result(0))).isEmpty();
    }
}
