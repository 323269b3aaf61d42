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
            "  demo     in-process Kafka + local Flink (web UI) + shopper generator; prints live output until Ctrl-C",
            "           --rate N          events per second to generate (default 20)",
            "           --duration D      stop by itself after D (e.g. 60s, 5m); default: run until Ctrl-C",
            "           --seed N          generator seed (default 42)",
            "           --every N         print every Nth suggestions list (default 1)",
            "           --web-port P      Flink web UI port (default 8081)",
            "           --kafka-port P    broker port, if free (default 9092; else a free port)",
            "           --set key=value   override a job setting (see config/nextbest.yaml)",
            "  run      the job on a local Flink (web UI) against the Kafka named in the config",
            "           --config FILE     job configuration (YAML, see config/nextbest.yaml)",
            "           --set key=value   override a setting; repeatable",
            "           --create-topics   create missing topics first (partitions = job.parallelism)",
            "           --web-port P      Flink web UI port (default 8081)",
            "  topics   create the missing topics of the contract",
            "           --config FILE, --set key=value, --partitions N (default 2), --replication R (default 1)",
            "  help     this text",
            "",
            "To run on a Flink cluster instead: flink run flink-jobs/target/nextbest-job.jar --config FILE");

    private Cli() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println(USAGE);
            return;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "demo":
                    Demo.run(Args.parse(rest));
                    break;
                case "run":
                    run(Args.parse(rest));
                    break;
                case "topics":
                    topics(Args.parse(rest));
                    break;
                default:
                    throw new ConfigException("unknown command '" + args[0] + "'");
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
        Path config;
        final List<String> sets = new ArrayList<>();
        int rate = 20;
        String duration;
        long seed = 42;
        int every = 1;
        int webPort = 8081;
        int kafkaPort = 9092;
        boolean createTopics;
        int partitions = 2;
        short replication = 1;

        static Args parse(String[] args) {
            Args a = new Args();
            for (int i = 0; i < args.length; i++) {
                String opt = args[i];
                if (opt.equals("--create-topics")) {
                    a.createTopics = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new ConfigException("option '" + opt + "' needs a value");
                }
                String v = args[++i];
                switch (opt) {
                    case "--config" -> a.config = Path.of(v);
                    case "--set" -> a.sets.add(v);
                    case "--rate" -> a.rate = positive(opt, v);
                    case "--duration" -> a.duration = v;
                    case "--seed" -> a.seed = Long.parseLong(v);
                    case "--every" -> a.every = positive(opt, v);
                    case "--web-port" -> a.webPort = positive(opt, v);
                    case "--kafka-port" -> a.kafkaPort = positive(opt, v);
                    case "--partitions" -> a.partitions = positive(opt, v);
                    case "--replication" -> a.replication = (short) positive(opt, v);
                    default -> throw new ConfigException("unknown option '" + opt + "'");
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

        private static int positive(String opt, String v) {
            try {
                int n = Integer.parseInt(v);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through
            }
            throw new ConfigException("option '" + opt + "' needs a positive whole number, got '" + v + "'");
        }
    }
}
