package io.nextbest.job.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.messages.RuleUpdate;
import io.nextbest.schemas.DeadLetterReason;
import io.nextbest.schemas.messages.DeadLetter;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** One experiment per placement at a time: the second is a dead letter; the running one stays; its end frees it. */
class ExperimentGateTest {
    private static final String DEFINITION = "{\"placements\":[%s],\"control\":{\"share\":0.5},"
            + "\"variants\":[{\"name\":\"b\",\"weight\":1,\"strategy\":\"trending-only\"}]}";

    private static RuleUpdate experiment(String id, String placements, String from, String to, boolean enabled) {
        String json = "{\"ruleId\":\"" + id + "\",\"kind\":\"experiment\",\"enabled\":" + enabled + ",\"validFrom\":\""
                + from + "\",\"validTo\":\"" + to + "\",\"definition\":" + String.format(DEFINITION, placements)
                + ",\"updatedAt\":\"2026-11-30T00:00:00Z\"}";
        return new RuleUpdate(id, json).from("rules", 0, 7, 1_000L);
    }

    private static RuleUpdate placementRule(String id) {
        return new RuleUpdate(id, "{\"ruleId\":\"" + id + "\",\"kind\":\"placement\",\"enabled\":true,\"definition\":"
                + "{\"placement\":\"home\",\"listSize\":8},\"updatedAt\":\"2026-11-30T00:00:00Z\"}");
    }

    @Test
    void anOverlappingExperimentIsADeadLetterAndTheRunningOneStays() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<Integer, RuleUpdate, RuleUpdate> h = harness()) {
            h.processElement(experiment("exp-a", "\"home\"", "2026-12-01T00:00:00Z", "2026-12-15T00:00:00Z", true), 0);
            h.processElement(experiment("exp-b", "\"basket\",\"home\"", "2026-12-10T00:00:00Z", "2026-12-20T00:00:00Z",
                    true), 0);
            h.processElement(experiment("exp-c", "\"home\"", "2026-12-15T00:00:00Z", "2026-12-20T00:00:00Z", true), 0);
            h.processElement(experiment("exp-d", "\"home\"", "2026-12-01T00:00:00Z", "2026-12-20T00:00:00Z", false), 0);
            h.processElement(placementRule("home-8"), 0);
            // a new version of exp-a (same id) replaces it: no overlap with itself
            h.processElement(experiment("exp-a", "\"home\"", "2026-12-01T00:00:00Z", "2026-12-12T00:00:00Z", true), 0);

            assertThat(ids(h)).containsExactly("exp-a", "exp-c", "exp-d", "home-8", "exp-a");
            List<DeadLetter> dead = new ArrayList<>();
            for (StreamRecord<DeadLetter> r : h.getSideOutput(DecodeRecords.DEAD_LETTERS)) {
                dead.add(r.getValue());
            }
            assertThat(dead).singleElement().satisfies(d -> {
                assertThat(d.reason()).isEqualTo(DeadLetterReason.INVALID_VALUE);
                assertThat(d.detail()).startsWith("experiment exp-b overlaps experiment exp-a on placement 'home'"
                        + " (exp-a runs 2026-12-01T00:00:00Z to 2026-12-15T00:00:00Z)");
                assertThat(d.sourceTopic()).isEqualTo("rules");
                assertThat(d.offset()).isEqualTo(7);
            });
        }
    }

    @Test
    void anEndedExperimentFreesItsPlacement() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<Integer, RuleUpdate, RuleUpdate> h = harness()) {
            h.processElement(experiment("exp-a", "\"home\"", "2026-12-01T00:00:00Z", "2026-12-15T00:00:00Z", true), 0);
            h.processElement(new RuleUpdate("exp-a", null), 0); // deleted
            h.processElement(experiment("exp-b", "\"home\"", "2026-12-01T00:00:00Z", "2026-12-15T00:00:00Z", true), 0);
            // disabling counts too: a disabled experiment holds no placement
            h.processElement(experiment("exp-b", "\"home\"", "2026-12-01T00:00:00Z", "2026-12-15T00:00:00Z", false), 0);
            h.processElement(experiment("exp-c", "\"home\"", "2026-12-01T00:00:00Z", "2026-12-15T00:00:00Z", true), 0);

            assertThat(ids(h)).containsExactly("exp-a", "exp-a", "exp-b", "exp-b", "exp-c");
            assertThat(h.getSideOutput(DecodeRecords.DEAD_LETTERS)).isNull();
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<Integer, RuleUpdate, RuleUpdate> harness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(new ExperimentGate(() -> 0L), r -> ExperimentGate.KEY,
                Types.INT);
    }

    private static List<String> ids(KeyedOneInputStreamOperatorTestHarness<Integer, RuleUpdate, RuleUpdate> h) {
        return h.extractOutputValues().stream().map(u -> u.ruleId).toList();
    }
}
