package io.nextbest.job.ranking;

import io.nextbest.job.customer.RankingRequest;
import io.nextbest.job.similarity.CandidatePart;

/**
 * What the ranking stage receives, keyed by customer: the request from the customer stage or one
 * neighbour list from the item stage (exactly one of the two is set). A Flink POJO.
 */
public class RankingInput {
    public RankingRequest request;
    public CandidatePart part;

    public RankingInput() {}

    public static RankingInput of(RankingRequest request) {
        RankingInput in = new RankingInput();
        in.request = request;
        return in;
    }

    public static RankingInput of(CandidatePart part) {
        RankingInput in = new RankingInput();
        in.part = part;
        return in;
    }

    public String subjectKey() {
        return request != null ? request.subjectKey() : part.subjectKey;
    }

    public long sequence() {
        return request != null ? request.sequence : part.sequence;
    }
}
