package io.nextbest.job.ranking;

import io.nextbest.job.customer.RankingRequest;
import io.nextbest.job.similarity.CandidatePart;
import java.util.Arrays;

/**
 * A request whose neighbour lists are still arriving: the request (null until it arrives; parts
 * may overtake it) and the parts so far. Kept on the heap between events and written to operator
 * state at checkpoints. A Flink POJO.
 */
public class PendingGather {
    public String subjectKey;
    public long sequence;
    public RankingRequest request;
    public CandidatePart[] parts = new CandidatePart[0];
    /** Processing time (ms) at which it is ranked with what has arrived. */
    public long deadline;
    /** Processing time (ms) its first piece (request or part) arrived: the start of its ranking latency. */
    public long startedAt;

    public PendingGather() {}

    PendingGather(String subjectKey, long sequence, long startedAt, long deadline) {
        this.subjectKey = subjectKey;
        this.sequence = sequence;
        this.startedAt = startedAt;
        this.deadline = deadline;
    }

    void add(CandidatePart part) {
        parts = Arrays.copyOf(parts, parts.length + 1);
        parts[parts.length - 1] = part;
    }

    boolean complete() {
        return request != null && parts.length >= request.parts;
    }
}
