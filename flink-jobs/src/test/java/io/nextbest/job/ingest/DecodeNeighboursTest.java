package io.nextbest.job.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.messages.NeighbourUpdate;
import io.nextbest.schemas.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** The index replicas read the job's own item-neighbours records back: what they keep, and what they skip. */
@SuppressWarnings("try")
class DecodeNeighboursTest {

    @Test
    void aListKeepsTheNormTheNeighboursInOrderAndTheirDotProducts() throws Exception {
        byte[] value = DecodeInputTest.examples("item-neighbours").get("valid-two-neighbours.json");
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(
                new DecodeNeighbours(NextbestConfig.defaults(), DecodeInputTest.CLOCK))) {
            h.processElement(new RawRecord("item-neighbours", 0, 0, 0, key("SKU-48213-BLK-M"), value), 0);
            h.processElement(new RawRecord("item-neighbours", 0, 1, 0, key("SKU-9"), null), 0); // a tombstone
            h.processElement(new RawRecord("item-neighbours", 0, 2, 0, key("SKU-1"), bytes("{not json")), 0);
            h.processElement(new RawRecord("item-neighbours", 0, 3, 0, key("SKU-2"), value), 0); // key ≠ itemId

            assertThat(h.extractOutputValues()).hasSize(2);
            NeighbourUpdate u = h.extractOutputValues().get(0);
            assertThat(u.itemId).isEqualTo("SKU-48213-BLK-M");
            assertThat(u.squaredNorm).isEqualTo(41.25);
            assertThat(u.neighbours).containsExactly("SKU-10077", "SKU-22019");
            assertThat(u.dots).containsExactly(28.5, 9.0);
            assertThat(u.asOf).isEqualTo(Instant.parse("2026-11-23T15:12:00Z").toEpochMilli());
            NeighbourUpdate gone = h.extractOutputValues().get(1);
            assertThat(gone.itemId).isEqualTo("SKU-9");
            assertThat(gone.squaredNorm).isZero();
            assertThat(gone.neighbours).isEmpty();
            // the bad ones are counted and left out; the job does not send them to dead-letter (the
            // topic is read again at every start), but the side output says why
            assertThat(h.getSideOutput(DecodeRecords.DEAD_LETTERS)).extracting(r -> r.getValue().reason())
                    .containsExactly(DeadLetterReason.SCHEMA_VIOLATION, DeadLetterReason.INVALID_VALUE);
        }
    }

    private static byte[] key(String s) {
        return bytes(s);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
