package io.nextbest.loadtest;

import io.nextbest.job.config.ConfigException;
import io.nextbest.loadtest.decisions.DecisionReport;
import io.nextbest.loadtest.decisions.DecisionScenario;
import io.nextbest.loadtest.decisions.DecisionSimulation;
import io.nextbest.loadtest.report.MachineInfo;
import io.nextbest.loadtest.report.Report;
import io.nextbest.loadtest.report.ReportWriter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code bin/nextbest simulate-decisions}: the job's arbitration against simulated customers with a known truth
 * (docs/decisioning.md#simulation) — Thompson sampling, UCB, greedy, fixed priority, random choice, none and an
 * oracle, each over the same customers and responses — as Markdown, JSON and PNG charts. No broker, no Flink.
 */
public final class SimulateDecisionsCommand {
    public static final String USAGE = String.join("\n",
            "  simulate-decisions  the job's arbitration (P·V − C, docs/decisioning.md#simulation) against simulated",
            "           customers whose true response chances per action and lifecycle stage are known: realised net",
            "           value and regret of thompson, ucb, greedy, fixed-priority, random, none and an oracle, with",
            "           their curves over the decisions; no broker, no Flink",
            "           --customers N     simulated customers (default 5000)",
            "           --decisions-per-customer M",
            "                             decision opportunities of each customer (default 20)",
            "           --seed S          seed of the customers' segments and responses (default 42)",
            "           --publish-every N the learner's totals reach arbitration every N decisions (default 100)",
            "           --out DIR         report folder (default reports/simulate-decisions-seed<S>-<time>)");

    private SimulateDecisionsCommand() {}

    /** Runs the simulation and writes the report; returns its folder (null for --help). */
    public static Path run(String[] args, PrintStream out) {
        CommandLine c = CommandLine.parse(args, List.of("customers", "decisions-per-customer", "seed", "publish-every",
                "out"));
        if (c.help) {
            out.println(USAGE);
            return null;
        }
        int customers = positive(c, "customers", 5000);
        int perCustomer = positive(c, "decisions-per-customer", 20);
        int publishEvery = positive(c, "publish-every", 100);
        long seed;
        try {
            seed = Long.parseLong(c.get("seed", "42").strip());
        } catch (NumberFormatException e) {
            throw new ConfigException("--seed needs a whole number, got '" + c.get("seed", "") + "'");
        }
        if ((long) customers * perCustomer > Integer.MAX_VALUE) {
            throw new ConfigException("--customers × --decisions-per-customer must stay below " + Integer.MAX_VALUE
                    + ", got " + (long) customers * perCustomer);
        }
        DecisionSimulation.Options options = new DecisionSimulation.Options(customers, perCustomer, seed, publishEvery,
                200);
        DecisionScenario scenario = DecisionScenario.standard();
        int threads = Math.min(DecisionSimulation.Policy.values().length, Runtime.getRuntime().availableProcessors());
        out.printf("simulate-decisions: scenario %s, %,d customers × %,d decisions = %,d decisions for each of %d"
                + " policies (%d at a time), seed %d …%n", scenario.name(), customers, perCustomer, options.decisions(),
                DecisionSimulation.Policy.values().length, threads, seed);
        long start = System.nanoTime();
        DecisionSimulation.Result result = DecisionSimulation.run(scenario, options, out::println);
        out.printf("simulated in %.1f s%n", (System.nanoTime() - start) / 1e9);

        Report report = DecisionReport.report(result, CommandLine.quoted("bin/nextbest simulate-decisions", args));
        MachineInfo.describe(report.machine);
        Path dir = c.out("simulate-decisions", "seed" + seed);
        ReportWriter.write(report, dir);
        out.println(DecisionReport.summary(result));
        out.println("report: " + dir.resolve(ReportWriter.MARKDOWN_FILE));
        return dir;
    }

    private static int positive(CommandLine c, String name, int def) {
        int n = c.count(name, def);
        if (n < 1) {
            throw new ConfigException("--" + name + " needs a whole number >= 1, got '" + c.options.get(name) + "'");
        }
        return n;
    }
}
