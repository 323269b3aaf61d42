package io.nextbest.app;

import io.nextbest.job.JobSetup;
import io.nextbest.job.NextbestJob;
import io.nextbest.job.config.ConfigException;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.io.TopicAdmin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The {@code bin/nextbest} command: {@code demo}, {@code run}, {@code topics}. Runs on the full
 * class path (Flink, the broker), never from the job jar.
 */
public final class Cli {
    public static final String USAGE = String.join("\n",
            "usage: bin/nextbest <command> [options]",
            "",
            "commands:",
            "  demo     in-process Kafka + local Flink (web UI) + the serving API with the demo shop (its URL is printed)",
            "           + shopper generator + an experiment (personalised against trending only); live output until Ctrl-C",
            "           --rate N          events per second to generate (default 20)",
            "           --duration D      stop by itself after D (e.g. 60s, 5m); default: run until Ctrl-C",
            "           --seed N          generator seed (default 42)",
            "           --every N         print every Nth suggestions list (default 1)",
            "           --web-port P      Flink web UI port (default 8081)",
            "           --kafka-port P    broker port, if free (default 9092; else a free port)",
            "           --serve-port P    port of the serving API, if free (default 8090; else a free port)",
            "           --set key=value   override a job setting (see config/nextbest.yaml)",
            "  run      the job on a local Flink (web UI) against the Kafka named in the config",
            "           --config FILE     job configuration (YAML, see config/nextbest.yaml)",
            "           --set key=value   override a setting; repeatable",
            "           --create-topics   create missing topics first (partitions = job.parallelism)",
            "           --web-port P      Flink web UI port (default 8081)",
            "  serve    the HTTP API of the web and app channels (suggestions, similar items, events, feedback,",
            "           health), answered from the job's topics; run as many replicas as needed",
            "           --config FILE     configuration (kafka.* and serving.*, see config/nextbest.yaml)",
            "           --set key=value   override a setting; repeatable",
            "  topics   create the missing topics of the contract",
            "           --config FILE, --set key=value, --partitions N (default 2), --replication R (default 1)",
            "  help     this text",
            "",
            "To run on a Flink cluster instead: flink run flink-jobs/target/nextbest-job.jar --config FILE");

    private Cli() {}

    /** Every command of bin/nextbest, for did-you-mean. */
    static final List<String> COMMANDS = List.of("demo", "run", "serve", "topics", "bench", "evaluate", "triggers",
            "catalog-memory", "bench-serve", "experiment-report", "simulate-decisions", "help");

    /** The lines of {@link #USAGE} about one command. */
    static String section(String command) {
        StringBuilder b = new StringBuilder();
        boolean in = false;
        for (String line : USAGE.split("\n")) {
            if (line.startsWith("  ") && !line.startsWith("   ")) {
                in = line.startsWith("  " + command + " ");
            }
            if (in) {
                b.append(line).append('\n');
            }
        }
        return b.toString().stripTrailing();
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println(USAGE);
            return;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            if (!List.of("demo", "run", "serve", "topics").contains(args[0])) {
                String hint = io.nextbest.schemas.DidYouMean.hint(args[0], COMMANDS, 3);
                throw new ConfigException("unknown command '" + args[0] + "'" + (hint == null || hint.isEmpty() ? "" : hint));
            }
            Args a = Args.parse(rest);
            if (a.help) {
                System.out.println(section(args[0]));
                return;
            }
            switch (args[0]) {
                case "demo" -> Demo.run(a);
                case "run" -> run(a);
                case "serve" -> serve(a);
                default -> topics(a);
            }
        } catch (ConfigException e) {
            System.err.println("nextbest: " + e.getMessage());
            System.err.println("Run 'bin/nextbest help' for usage.");
            System.exit(2);
        }
    }

    private static void run(Args a) throws Exception {
        if (a.config == null) {
            throw new ConfigException("run needs --config FILE");
        }
        NextbestConfig config = a.config();
        if (a.createTopics) {
            List<String> created = TopicAdmin.createMissing(config, config.get(Settings.JOB_PARALLELISM), (short) 1);
            System.out.println("created topics: " + (created.isEmpty() ? "none (all exist)" : created));
        }
        StreamExecutionEnvironment env = localWithWebUi(config, a.webPort);
        NextbestJob.buildWithKafka(env, config);
        System.out.println("Nextbest job on local Flink; web UI: http://localhost:" + a.webPort + "  (Ctrl-C to stop)");
        env.execute(config.get(Settings.JOB_NAME));
    }

    private static void serve(Args a) throws Exception {
        io.nextbest.serving.ServingService.serve(a.config());
    }

    private static void topics(Args a) throws Exception {
        List<String> created = TopicAdmin.createMissing(a.config(), a.partitions, a.replication);
        System.out.println(created.isEmpty() ? "all topics exist" : "created: " + String.join(", ", created));
    }

    static StreamExecutionEnvironment localWithWebUi(NextbestConfig config, int webPort) {
        Configuration flink = JobSetup.flinkConfiguration(config);
        flink.set(RestOptions.PORT, webPort);
        flink.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        flink.set(RestOptions.ADDRESS, "127.0.0.1");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
        JobSetup.configure(env, config);
        return env;
    }

    /** Options shared by the commands. */
    static final class Args {
        @picocli.CommandLine.Option(names = "--config", paramLabel = "FILE") Path config;
        @picocli.CommandLine.Option(names = "--set", paramLabel = "key=value") List<String> sets = new ArrayList<>();
        @picocli.CommandLine.Option(names = "--rate", paramLabel = "N") int rate = 20;
        @picocli.CommandLine.Option(names = "--duration", paramLabel = "D") String duration;
        @picocli.CommandLine.Option(names = "--seed", paramLabel = "N") long seed = 42;
        @picocli.CommandLine.Option(names = "--every", paramLabel = "N") int every = 1;
        @picocli.CommandLine.Option(names = "--web-port", paramLabel = "P") int webPort = 8081;
        @picocli.CommandLine.Option(names = "--kafka-port", paramLabel = "P") int kafkaPort = 9092;
        @picocli.CommandLine.Option(names = "--serve-port", paramLabel = "P") int servePort = 8090;
        @picocli.CommandLine.Option(names = "--create-topics") boolean createTopics;
        @picocli.CommandLine.Option(names = "--partitions", paramLabel = "N") int partitions = 2;
        @picocli.CommandLine.Option(names = "--replication", paramLabel = "R") short replication = 1;
        @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true) boolean help;

        /** Parsed by picocli: unknown options get a did-you-mean, bad numbers a clear message. */
        static Args parse(String[] args) {
            Args a = new Args();
            try {
                new picocli.CommandLine(a).parseArgs(args);
            } catch (picocli.CommandLine.UnmatchedArgumentException e) {
                String first = e.getUnmatched().isEmpty() ? "?" : e.getUnmatched().get(0);
                List<String> suggestions = e.getSuggestions();
                throw new ConfigException((first.startsWith("-") ? "unknown option '" : "unexpected argument '") + first
                        + "'" + (suggestions.isEmpty() ? "" : " (did you mean " + String.join(" or ", suggestions) + "?)"));
            } catch (picocli.CommandLine.ParameterException e) {
                throw new ConfigException(e.getMessage());
            }
            for (var check : List.of(java.util.Map.entry("--rate", a.rate), java.util.Map.entry("--every", a.every),
                    java.util.Map.entry("--web-port", a.webPort), java.util.Map.entry("--kafka-port", a.kafkaPort),
                    java.util.Map.entry("--serve-port", a.servePort),
                    java.util.Map.entry("--partitions", a.partitions), java.util.Map.entry("--replication", (int) a.replication))) {
                if (check.getValue() <= 0) {
                    throw new ConfigException("option '" + check.getKey() + "' needs a positive whole number, got '"
                            + check.getValue() + "'");
                }
            }
            return a;
        }

        NextbestConfig config() {
            NextbestConfig.Builder b = NextbestConfig.builder();
            if (config != null) {
                b.file(config);
            }
            return b.setAll(sets).build();
        }
    }
}
