package io.nextbest.job.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.schemas.Topics;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaIoTest {

    @Test
    void listsLingerBrieflyTheOtherOutputsLongerAndNothingIsCompressedByDefault() {
        NextbestConfig defaults = NextbestConfig.defaults();
        Properties lists = KafkaIo.producerProperties(defaults, Topics.SUGGESTIONS);
        assertThat(lists.getProperty("linger.ms")).isEqualTo("1");
        assertThat(lists.getProperty("compression.type")).isEqualTo("none");
        for (var topic : java.util.List.of(Topics.ITEM_NEIGHBOURS, Topics.BASKET_TRIGGERS, Topics.DEAD_LETTER)) {
            assertThat(KafkaIo.producerProperties(defaults, topic).getProperty("linger.ms")).as(topic.name()).isEqualTo("50");
        }
    }

    @Test
    void theListsLingerIsItsOwnSettingAndKafkaPropertiesSetTheRest() {
        NextbestConfig c = NextbestConfig.builder()
                .set("kafka.suggestions-linger", "0ms")
                .set("kafka.properties.linger.ms", "20")
                .set("kafka.properties.compression.type", "lz4")
                .build();
        assertThat(KafkaIo.producerProperties(c, Topics.SUGGESTIONS).getProperty("linger.ms")).isEqualTo("0");
        Properties other = KafkaIo.producerProperties(c, Topics.ITEM_NEIGHBOURS);
        assertThat(other.getProperty("linger.ms")).isEqualTo("20");
        assertThat(other.getProperty("compression.type")).isEqualTo("lz4");
    }
}
