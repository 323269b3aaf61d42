package io.nextbest.app;

import io.nextbest.job.config.ConfigException;
import io.nextbest.loadtest.BenchCommand;
import io.nextbest.loadtest.CatalogMemoryCommand;
import io.nextbest.loadtest.EvaluateCommand;
import io.nextbest.loadtest.ExperimentReportCommand;
import io.nextbest.loadtest.ServeBenchCommand;
import io.nextbest.loadtest.SimulateDecisionsCommand;
import io.nextbest.loadtest.SoakCommand;
import io.nextbest.loadtest.TriggersCommand;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** {@code bin/nextbest}: the instruments' commands here, the rest (demo, run, topics) in {@link Cli}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        String command = args.length == 0 ? "help" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        try {
            switch (command) {
                case "bench" -> BenchCommand.run(rest, out);
                case "evaluate" -> EvaluateCommand.run(rest, out);
                case "triggers" -> TriggersCommand.run(rest, out);
                case "catalog-memory" -> CatalogMemoryCommand.run(rest, out);
                case "bench-serve" -> ServeBenchCommand.run(rest, out);
                case "experiment-report" -> ExperimentReportCommand.run(rest, out);
                case "simulate-decisions" -> SimulateDecisionsCommand.run(rest, out);
                case "soak" -> SoakCommand.run(rest, out);
                case "help", "--help", "-h" -> {
                    out.println(Cli.USAGE);
                    out.println();
                    out.println(BenchCommand.USAGE);
                    out.println(EvaluateCommand.USAGE);
                    out.println(TriggersCommand.USAGE);
                    out.println(CatalogMemoryCommand.USAGE);
                    out.println(ServeBenchCommand.USAGE);
                    out.println(ExperimentReportCommand.USAGE);
                    out.println(SimulateDecisionsCommand.USAGE);
                    out.println(SoakCommand.USAGE);
                }
                default -> Cli.main(args);
            }
        } catch (ConfigException e) {
            System.err.println("nextbest: " + e.getMessage());
            System.err.println("Run 'bin/nextbest help' for usage.");
            System.exit(2);
        }
        if (command.equals("bench") || command.equals("evaluate") || command.equals("triggers")
                || command.equals("bench-serve") || command.equals("experiment-report") || command.equals("soak")) {
            System.exit(0); // Flink's and Kafka's non-daemon threads must not keep the JVM alive
        }
    }
}
