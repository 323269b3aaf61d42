package io.nextbest.loadtest.eval;

import io.nextbest.generator.InputEvent;
import io.nextbest.loadtest.replay.DatasetReplay;
import io.nextbest.loadtest.replay.ReplayOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prequential accuracy of the baselines alone on a replayed data set, in both list modes (seen items
 * excluded and included), printed as Markdown:
 * {@code BaselineAccuracy <dataset> [customer-limit] [--time-window off]}. With the time window off
 * the replay keeps every row, as the reference evaluator does; the figures are then those of
 * {@code prequential_ref.py --dataset <dataset>} (and {@code --include-seen}). The engine side by
 * side is {@code bin/nextbest evaluate}'s job.
 */
public final class BaselineAccuracy {
    private BaselineAccuracy() {}

    /** Evaluates the baselines on the whole replay (no engine, no engine rule). */
    public static EvaluationResult run(DatasetReplay replay, Baselines baselines) {
        PrequentialEvaluator evaluator = new PrequentialEvaluator(false, baselines);
        while (replay.hasNext()) {
            InputEvent e = replay.next();
            evaluator.observe(e, null);
        }
        return evaluator.result();
    }

    public static void main(String[] args) {
        List<String> positional = new ArrayList<>();
        ReplayOptions options = ReplayOptions.defaults();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--time-window") && i + 1 < args.length && (args[i + 1].equals("on") || args[i + 1].equals("off"))) {
                options = options.withTimeWindow(args[++i].equals("on"));
            } else {
                positional.add(args[i]);
            }
        }
        if (positional.isEmpty() || positional.size() > 2) {
            System.err.println("usage: BaselineAccuracy <dataset> [customer-limit] [--time-window on|off]");
            System.exit(2);
        }
        if (positional.size() == 2) {
            options = options.withCustomerLimit(Integer.parseInt(positional.get(1)));
        }
        long start = System.nanoTime();
        try (DatasetReplay replay = DatasetReplay.open(positional.get(0), options)) {
            System.out.println(replay.stats().summary());
            long loaded = System.nanoTime();
            EvaluationResult result = run(replay, Baselines.standard());
            long done = System.nanoTime();
            System.out.printf("%nscored %d events (%d novel), %d customers, %d items%n",
                    result.scoredEvents(), result.novelEvents(), result.customers(), result.items());
            for (ListMode mode : List.of(ListMode.SEEN_EXCLUDED, ListMode.SEEN_INCLUDED)) {
                for (Variant v : Variant.values()) {
                    System.out.println();
                    System.out.println("Lists: " + mode.label() + "; events: " + v.label());
                    System.out.println("| " + String.join(" | ", AccuracyReport.HEADERS) + " |");
                    System.out.println("|---".repeat(AccuracyReport.HEADERS.size()) + "|");
                    for (List<Object> row : AccuracyReport.rows(result, v)) {
                        if (!String.valueOf(row.get(0)).endsWith("(" + mode.label() + ")")) {
                            continue;
                        }
                        StringBuilder b = new StringBuilder("|");
                        for (Object o : row) {
                            b.append(' ').append(o instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : o)
                                    .append(" |");
                        }
                        System.out.println(b);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%n(load %.1f s, baselines %.1f s, both modes in one pass)%n",
                    (loaded - start) / 1e9, (done - loaded) / 1e9);
        }
    }
}
