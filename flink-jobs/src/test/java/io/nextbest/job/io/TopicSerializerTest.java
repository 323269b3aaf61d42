package io.nextbest.job.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.DecisionOutcome;
import io.nextbest.schemas.messages.TriggerDecision;
import io.nextbest.schemas.messages.TriggerType;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class TopicSerializerTest {

    @Test
    void recordsAreStampedWithTheTimeOfWritingNotTheEventTimeSoRetentionCannotDeleteAReplaysOutputAtOnce() throws Exception {
        Instant eventTime = Instant.parse("2017-11-25T01:22:43Z"); // a replay of old data
        TriggerDecision d = new TriggerDecision("d-1", "t-1", TriggerType.ABANDONED_BASKET, "C-1",
                eventTime.minusSeconds(1800), eventTime, DecisionOutcome.SENT, null, ContactChannel.EMAIL, null,
                12.5, "EUR", 1);
        TopicSerializer<TriggerDecision> serializer = new TopicSerializer<>(Topics.TRIGGER_DECISIONS, "x.trigger-decisions");

        long before = System.currentTimeMillis();
        ProducerRecord<byte[], byte[]> r = serializer.serialize(d, null, eventTime.toEpochMilli());
        long after = System.currentTimeMillis();

        assertThat(r.timestamp()).isBetween(before, after);
        assertThat(r.topic()).isEqualTo("x.trigger-decisions");
        assertThat(r.key()).isEqualTo(Topics.TRIGGER_DECISIONS.keyBytes(d));
        assertThat(Topics.TRIGGER_DECISIONS.codec().decode(r.value())).isEqualTo(d);
    }
}
