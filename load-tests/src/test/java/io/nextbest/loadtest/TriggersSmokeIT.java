package io.nextbest.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first 30 Taobao customers through the real job with generated consent: the job decides exactly
 * the abandoned baskets counted from the events alone, basket by basket, except those it drops by
 * design (deferred for quiet hours, then the customer changed the basket before they ended); every
 * sent decision is on basket-triggers once; suppressions show opted_out and no_consent. About 1.5
 * minutes: 15 s for the job to start, the replay, then 25 s of quiet for the last checkpoint.
 */
class TriggersSmokeIT {
    @TempDir
    Path out;

    @Test
    void triggersOfAShortReplayMatchTheAbandonedBasketsOfItsEvents() throws Exception {
        Premise.datasets();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Path dir = TriggersCommand.run(new String[] {"--dataset", "taobao", "--customers", "30", "--rate", "1000",
            "--out", out.toString()}, new PrintStream(progress, true, StandardCharsets.UTF_8));

        for (String f : List.of("report.md", "report.json")) {
            assertThat(dir.resolve(f)).as(f).isNotEmptyFile();
        }
        JsonNode r = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        JsonNode f = r.get("figures");
        assertThat(f.get("customers").asLong()).isEqualTo(30);
        assertThat(f.get("customersWithConsent").asLong() + f.get("customersOptedOut").asLong()
                + f.get("customersWithoutConsent").asLong()).isEqualTo(30);

        // the job against the expectation, basket by basket
        long expected = f.get("basketsAbandonedExpected").asLong();
        long decided = f.get("finalDecisions").asLong();
        assertThat(expected).isPositive();
        assertThat(f.get("expectedNoDecision").asLong()).as("expected baskets without any decision").isZero();
        assertThat(f.get("decidedNotExpected").asLong()).as("decisions on baskets not abandoned").isZero();
        assertThat(f.get("expectedDeferredNeverDecided").asLong()).isZero();
        assertThat(decided + f.get("expectedDroppedWhileDeferred").asLong()).isEqualTo(expected);
        assertThat(f.get("expectedAndDecided").asLong()).isEqualTo(decided);
        assertThat(f.get("expectationCheckAfterDeferralDrops").asText()).isEqualTo("PASS");
        assertThat(f.get("triggersDecidedTwice").asLong()).isZero();
        assertThat(f.get("sentDecisions").asLong() + f.get("suppressedDecisions").asLong()).isEqualTo(decided);

        // basket-triggers: one per sent decision, no duplicates
        long sent = f.get("sentDecisions").asLong();
        assertThat(sent).isPositive();
        assertThat(f.get("triggersOnBasketTriggers").asLong()).isEqualTo(sent);
        assertThat(f.get("distinctTriggerIds").asLong()).isEqualTo(sent);
        assertThat(f.get("duplicateTriggers").asLong()).isZero();
        assertThat(f.get("triggersWithoutSentDecision").asLong()).isZero();
        assertThat(f.get("meanLinesPerTrigger").asDouble()).isGreaterThanOrEqualTo(1);
        assertThat(f.get("shareOfTriggersWithRecurringLine").asDouble()).isBetween(0.0, 1.0);

        // the decisions table: generated consent shows as no_consent and opted_out
        Map<String, Long> byReason = new HashMap<>();
        JsonNode table = r.get("tables").get(0);
        assertThat(table.get("title").asText()).isEqualTo("Decisions by outcome and reason");
        for (JsonNode row : table.get("rows")) {
            byReason.put(row.get(0).asText() + "/" + row.get(1).asText(), row.get(3).asLong());
        }
        assertThat(byReason.get("sent/—")).isEqualTo(sent);
        assertThat(byReason.get("suppressed/no_consent")).isPositive();
        assertThat(byReason.get("suppressed/opted_out")).isPositive();
        assertThat(byReason.get("suppressed/below_min_value")).as("no prices: no minimum").isZero();

        JsonNode conf = r.get("configuration");
        assertThat(conf.get("trigger.wall-clock-fallback").asText()).isEqualTo("false");
        assertThat(conf.get("trigger.min-basket-value").asText()).isEqualTo("0");
        assertThat(conf.get("contact.default-time-zone").asText()).isEqualTo("Asia/Shanghai");
        String md = Files.readString(dir.resolve("report.md"));
        assertThat(md).contains("# Abandoned-basket triggers: data set taobao").contains("Consent is generated");
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("report: ");
    }
}
