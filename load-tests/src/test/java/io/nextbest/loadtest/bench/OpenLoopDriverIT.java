package io.nextbest.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.generator.EventSource;
import io.nextbest.generator.InputEvent;
import io.nextbest.generator.SyntheticGenerator;
import io.nextbest.generator.Workload;
import io.nextbest.generator.Workloads;
import io.nextbest.kafka.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The driver stamps every event with the moment it is due, at whatever rate it sends: the demo workload is stamped at
 * 20 events/s by its own settings, and a bench step at 1,000/s used to run its event time 50 times faster than the
 * clock, past {@code ingest.max-future-skew} within a minute (every event refused).
 */
class OpenLoopDriverIT {

    /** A generator part that notes, for each event it hands out, the wall clock at that moment and the event time. */
    static final class Recording implements EventSource {
        final EventSource source;
        final List<long[]> wallAndEventTime = new ArrayList<>();
        final java.util.Set<String> ids = new java.util.HashSet<>();

        Recording(EventSource source) {
            this.source = source;
        }

        @Override
        public boolean hasNext() {
            return source.hasNext();
        }

        @Override
        public InputEvent next() {
            InputEvent e = source.next();
            // a duplicate is an earlier record sent again as it was, with its time: not stamped now
            if (e.eventId() == null || ids.add(e.eventId())) {
                wallAndEventTime.add(new long[] {System.currentTimeMillis(), e.eventTimeMs()});
            }
            return e;
        }

        @Override
        public long position() {
            return source.position();
        }

        @Override
        public void pace(long startEpochMs, double eventsPerSecond) {
            source.pace(startEpochMs, eventsPerSecond);
        }
    }

    @Test
    void everyEventIsStampedWhenItIsDueAtEachRunsRate() throws Exception {
        Workload demo = Workloads.load().get("demo");
        assertThat(demo.rate()).as("the premise: the workload's own rate is far below the runs'").isEqualTo(20);
        long start = System.currentTimeMillis();
        List<Recording> parts = List.of(new Recording(new SyntheticGenerator(demo, 0, 2, 0, start)),
                new Recording(new SyntheticGenerator(demo, 1, 2, 0, start)));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0)) {
            String prefix = "drv.";
            BenchRunner.createTopics(kafka.bootstrapServers(), prefix, 1);
            try (LatencyProbe probe = new LatencyProbe(kafka.bootstrapServers(), prefix + "suggestions");
                    OpenLoopDriver driver = new OpenLoopDriver(kafka.bootstrapServers(), t -> prefix + t,
                            new ArrayList<>(parts))) {
                long before = System.currentTimeMillis();
                OpenLoopDriver.Sent fast = driver.run(1000, Duration.ofSeconds(3), JobUnderTest.NEXTBEST, probe);
                int[] fastEnd = parts.stream().mapToInt(r -> r.wallAndEventTime.size()).toArray();
                Thread.sleep(500);
                long between = System.currentTimeMillis();
                OpenLoopDriver.Sent slow = driver.run(100, Duration.ofSeconds(2), JobUnderTest.NEXTBEST, probe);
                long after = System.currentTimeMillis();

                // every event due before the run's end goes out, late or not: 500/s per part for 3 s, then 50/s for 2 s
                assertThat(fast.events()).isEqualTo(3_000);
                assertThat(slow.events()).isEqualTo(200);
                assertThat(parts).allSatisfy(r -> assertThat(r.position()).isEqualTo(1_600));
                assertThat(driver.sendErrors()).isZero();
                for (int k = 0; k < parts.size(); k++) {
                    Recording part = parts.get(k);
                    List<long[]> seen = part.wallAndEventTime;
                    assertThat(seen.size()).as("all but the duplicates").isBetween((int) (part.position() * 0.9),
                            (int) part.position());
                    long previous = Long.MIN_VALUE;
                    for (int i = 0; i < seen.size(); i++) {
                        long wall = seen.get(i)[0];
                        long eventTime = seen.get(i)[1];
                        // broken records stamped a year ahead on purpose are the generator's, not the schedule's
                        if (eventTime - wall > SyntheticGenerator.FAR_FUTURE.toMillis() / 2) {
                            continue;
                        }
                        // sent when due or later, never before: stamped no later than the wall clock (+1 ms rounding)
                        assertThat(eventTime).as("event %d of part %d", i, k).isLessThanOrEqualTo(wall + 1);
                        assertThat(eventTime).as("event %d", i).isGreaterThan(wall - 10_000); // late at most a hiccup
                        assertThat(eventTime).as("event %d", i).isGreaterThanOrEqualTo(previous);
                        previous = eventTime;
                    }
                    // the last events of each run lie at the end of that run, not 50 (or 5) times further on
                    long lastOfFast = seen.get(fastEnd[k] - 1)[1];
                    assertThat(lastOfFast).isBetween(before + 2_900, between);
                    assertThat(seen.get(seen.size() - 1)[1]).isBetween(between + 1_900, after);
                }
            }
        }
    }
}
