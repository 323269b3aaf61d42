package io.nextbest.job.ranking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReasonTextTest {

    @Test
    void twoDecimalsShowsWhatPercentPoint2fShows() {
        Random random = new Random(5);
        for (int i = 0; i < 50_000; i++) {
            double x = switch (i % 3) {
                case 0 -> random.nextDouble() * 10;
                case 1 -> random.nextDouble() * 1e6;
                default -> Math.round(random.nextDouble() * 1e5) / 100.0; // exact hundredths
            };
            assertThat(HybridRanker.twoDecimals(x)).as("%s", x).isEqualTo(String.format(Locale.ROOT, "%.2f", x));
        }
        assertThat(HybridRanker.twoDecimals(0)).isEqualTo("0.00");
        assertThat(HybridRanker.twoDecimals(1.005)).isEqualTo(String.format(Locale.ROOT, "%.2f", 1.005));
    }
}
