package io.nextbest.job.ingest;

import io.nextbest.job.messages.RuleUpdate;
import io.nextbest.job.rules.ExperimentRule;
import io.nextbest.job.rules.ParsedRule;
import io.nextbest.job.rules.RuleParser;
import io.nextbest.schemas.DeadLetterReason;
import io.nextbest.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Refuses an experiment that would run on a placement at the same time as another enabled experiment: it goes to
 * {@code dead-letter} with both ids, the placement and the other's window, and the rules in force stay as they
 * were. Every rule passes through this one instance (keyed by a constant: rules are few), which keeps the accepted
 * experiments' documents in keyed state. Everything else (other kinds, tombstones, an experiment that overlaps
 * nothing, a disabled one) passes unchanged; a tombstone or a change of kind forgets the experiment.
 */
public class ExperimentGate extends KeyedProcessFunction<Integer, RuleUpdate, RuleUpdate> {
    private static final long serialVersionUID = 1L;

    /** The key every rule is sent with. */
    public static final int KEY = 0;

    private final WallClock clock;
    private transient MapState<String, String> experiments;
    private transient Counter refused;

    public ExperimentGate(WallClock clock) {
        this.clock = clock;
    }

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext context) {
        experiments = getRuntimeContext().getMapState(new MapStateDescriptor<>("experiments", Types.STRING, Types.STRING));
        refused = getRuntimeContext().getMetricGroup().counter("experimentsRefused");
    }

    @Override
    public void processElement(RuleUpdate u, Context ctx, Collector<RuleUpdate> out) throws Exception {
        if (u.json == null) {
            experiments.remove(u.ruleId);
            out.collect(u);
            return;
        }
        ParsedRule rule = parse(u.json); // decoded and validated before: cannot fail here
        if (!(rule instanceof ExperimentRule candidate)) {
            experiments.remove(u.ruleId);
            out.collect(u);
            return;
        }
        for (Map.Entry<String, String> e : experiments.entries()) {
            if (e.getKey().equals(u.ruleId)) {
                continue; // a new version of the same experiment replaces it
            }
            ExperimentRule running = (ExperimentRule) parse(e.getValue());
            if (candidate.overlaps(running)) {
                refused.inc();
                ctx.output(DecodeRecords.DEAD_LETTERS, DecodeRecords.deadLetter(raw(u), DeadLetterReason.INVALID_VALUE,
                        "experiment " + u.ruleId + " overlaps experiment " + running.ruleId() + " on placement '"
                                + candidate.sharedPlacement(running) + "' (" + running.ruleId() + " runs "
                                + running.validFrom() + " to " + running.validTo() + "): one experiment per placement"
                                + " at a time; end or disable " + running.ruleId() + ", or change the placements or the"
                                + " window", clock.now()));
                return;
            }
        }
        experiments.put(u.ruleId, u.json);
        out.collect(u);
    }

    private static ParsedRule parse(String json) throws Exception {
        return RuleParser.parse(Topics.RULES.codec().decode(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static RawRecord raw(RuleUpdate u) {
        return new RawRecord(u.topic, u.partition, u.offset, u.timestamp, u.ruleId.getBytes(StandardCharsets.UTF_8),
                u.json.getBytes(StandardCharsets.UTF_8));
    }
}
