package io.nextbest.loadtest.eval;

import io.nextbest.loadtest.InputEvent;
import io.nextbest.loadtest.replay.DatasetReplay;
import io.nextbest.loadtest.replay.ReplayOptions;
import java.util.List;

/**
 * Prequential accuracy of the baselines alone on a replayed data set, printed as Markdown:
 * {@code BaselineAccuracy <dataset> [customers]}. The engine side by side is the replay bench's job.
 */
public final class BaselineAccuracy {
    private BaselineAccuracy() {}

    public static EvaluationResult run(DatasetReplay replay, List<Recommender> baselines) {
        PrequentialEvaluator evaluator = new PrequentialEvaluator(false, baselines);
        while (replay.hasNext()) {
            InputEvent e = replay.next();
            evaluator.observe(e, null);
        }
        return evaluator.result();
    }

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: BaselineAccuracy <dataset> [customer-limit]");
            System.exit(2);
        }
        ReplayOptions options = ReplayOptions.defaults();
        if (args.length == 2) {
            options = options.withCustomerLimit(Integer.parseInt(args[1]));
        }
        long start = System.nanoTime();
        try (DatasetReplay replay = DatasetReplay.open(args[0], options)) {
            System.out.println(replay.stats().summary());
            EvaluationResult result = run(replay, PrequentialEvaluator.standardBaselines());
            System.out.printf("%nscored %d events (%d novel), %d customers, %d items, exclusion: %s%n",
                    result.scoredEvents(), result.novelEvents(), result.customers(), result.items(), result.exclusion());
            for (Variant v : Variant.values()) {
                System.out.println();
                System.out.println("Variant: " + v.label());
                System.out.println("| " + String.join(" | ", AccuracyReport.HEADERS) + " |");
                System.out.println("|---".repeat(AccuracyReport.HEADERS.size()) + "|");
                for (List<Object> row : AccuracyReport.rows(result, v)) {
                    StringBuilder b = new StringBuilder("|");
                    for (Object o : row) {
                        b.append(' ').append(o instanceof Double d ? String.format(java.util.Locale.ROOT, "%.4f", d) : o)
                                .append(" |");
                    }
                    System.out.println(b);
                }
            }
            System.out.printf("%n(%.1f s)%n", (System.nanoTime() - start) / 1e9);
        }
    }
}
