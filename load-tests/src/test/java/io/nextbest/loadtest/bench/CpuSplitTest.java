package io.nextbest.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.loadtest.bench.CpuSplit.Part;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class CpuSplitTest {

    /** Thread names as a bench run has them (from a JFR recording of one). */
    @Test
    void threadsArePutInTheirPartByName() {
        assertThat(CpuSplit.partOf("Customer stage -> (suggestions: Writer -> suggestions: Committer, Pair-delta combiner)"
                + " (1/2)#0")).isEqualTo(Part.CUSTOMER_STAGE);
        assertThat(CpuSplit.partOf("Item stage -> item-neighbours: Writer -> item-neighbours: Committer (2/2)#0"))
                .isEqualTo(Part.ITEM_STAGE);
        assertThat(CpuSplit.partOf("Source Data Fetcher for Source: Kafka interactions -> Decode + validate interactions"
                + " (1/2)#0")).isEqualTo(Part.SOURCES);
        assertThat(CpuSplit.partOf("Source: Kafka transactions -> Decode + validate transactions (2/2)#0"))
                .isEqualTo(Part.SOURCES);
        assertThat(CpuSplit.partOf("Identity resolver (1/2)#0")).isEqualTo(Part.OTHER_OPERATORS);
        assertThat(CpuSplit.partOf("basket-triggers: Writer (1/2)#0")).isEqualTo(Part.OTHER_OPERATORS);
        assertThat(CpuSplit.partOf("OutputFlusher for Identity resolver (1/2)#0")).isEqualTo(Part.FLUSHERS_AND_TIMERS);
        assertThat(CpuSplit.partOf("System Time Trigger for Item stage -> item-neighbours: Writer (1/2)#0"))
                .isEqualTo(Part.FLUSHERS_AND_TIMERS);
        assertThat(CpuSplit.partOf("kafka-producer-network-thread | producer-nextbest-triggers-bench.basket-triggers-0"))
                .isEqualTo(Part.SINK_PRODUCERS);
        assertThat(CpuSplit.partOf("kafka-producer-network-thread | producer-7")).isEqualTo(Part.SINK_PRODUCERS);
        assertThat(CpuSplit.partOf("kafka-producer-network-thread | bench-generator-3")).isEqualTo(Part.GENERATOR);
        assertThat(CpuSplit.partOf("open-loop-1")).isEqualTo(Part.GENERATOR);
        assertThat(CpuSplit.partOf("latency-probe")).isEqualTo(Part.PROBE);
        assertThat(CpuSplit.partOf("kafka-coordinator-heartbeat-thread | latency-probe")).isEqualTo(Part.PROBE);
        assertThat(CpuSplit.partOf("data-plane-kafka-request-handler-3")).isEqualTo(Part.BROKER);
        assertThat(CpuSplit.partOf("data-plane-kafka-network-thread-1-PLAINTEXT-PLAINTEXT-0")).isEqualTo(Part.BROKER);
        assertThat(CpuSplit.partOf("kafka-1-raft-io-thread")).isEqualTo(Part.BROKER);
        assertThat(CpuSplit.partOf("ExpirationReaper-1-Fetch")).isEqualTo(Part.BROKER);
        assertThat(CpuSplit.partOf("flink-pekko.actor.default-dispatcher-4")).isEqualTo(Part.FLINK_RUNTIME);
        assertThat(CpuSplit.partOf("AsyncOperations-thread-12")).isEqualTo(Part.FLINK_RUNTIME);
        assertThat(CpuSplit.partOf("Common-Cleaner")).isEqualTo(Part.JVM);
        assertThat(CpuSplit.partOf("something else")).isEqualTo(Part.OTHER);
    }

    /** A thread that spins for the whole measurement is about one core of its part. */
    @Test
    void aBusyThreadShowsAsAboutOneCoreOfItsPart() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        Thread spinner = new Thread(() -> {
            long x = 0;
            while (running.get()) {
                x += System.nanoTime() % 7;
            }
            if (x == 42) {
                System.out.print("");
            }
        }, "latency-probe");
        spinner.start();
        try {
            Thread.sleep(200); // it is running
            CpuSplit split = new CpuSplit();
            split.start();
            Thread.sleep(1500);
            CpuSplit.Split s = split.stop();
            double cores = s.cores().getOrDefault(Part.PROBE, 0.0);
            // one core when it had one to itself; a loaded machine (the build beside it) may give it less
            assertThat(cores).isBetween(0.3, 1.1);
            assertThat(s.processCores()).isGreaterThanOrEqualTo(cores - 0.05);
            assertThat(s.cores().values().stream().mapToDouble(Double::doubleValue).sum())
                    .isCloseTo(s.processCores(), org.assertj.core.data.Offset.offset(0.05));
            assertThat(s.machineCores()).isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(s.jobCores()).as("no thread of a job ran").isLessThan(0.2);
            assertThat(s.summary()).contains("probe " + String.format(java.util.Locale.ROOT, "%.2f", cores));
        } finally {
            running.set(false);
            spinner.join();
        }
    }
}
