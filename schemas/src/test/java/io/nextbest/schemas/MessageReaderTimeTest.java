package io.nextbest.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-computed instant of a time field equals what {@link Instant#parse} makes of it. */
class MessageReaderTimeTest {

    private static Instant read(String time) throws InvalidMessageException {
        MessageReader r = MessageReader.parse(("{\"t\":\"" + time + "\"}").getBytes(StandardCharsets.UTF_8));
        return r.requiredTime("t");
    }

    @Test
    void randomTimesMatchInstantParse() throws Exception {
        Random random = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            long epochSecond = -2_000_000_000L + (long) (random.nextDouble() * 6_000_000_000L);
            int digits = random.nextInt(10); // 0: no fraction
            long nanos = digits == 0 ? 0 : random.nextInt(1_000_000_000);
            String text = Instant.ofEpochSecond(epochSecond).toString().replace("Z", "");
            if (digits > 0) {
                String f = String.format("%09d", nanos).substring(0, digits);
                text += "." + f;
            }
            text += "Z";
            assertThat(read(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void aLeapSecondReadsAsTheSecondBefore() throws Exception {
        assertThat(read("2016-12-31T23:59:60Z")).isEqualTo(Instant.parse("2016-12-31T23:59:59Z"));
        assertThat(read("2016-12-31T23:59:60.5Z")).isEqualTo(Instant.parse("2016-12-31T23:59:59.5Z"));
    }
}
