package io.nextbest.loadtest;

import io.nextbest.job.config.ConfigException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Options of the {@code bench} and {@code evaluate} commands, parsed once with clear errors. */
final class CommandLine {
    final Map<String, String> options = new LinkedHashMap<>();
    /** {@code --set key=value}: workload (bench) or replay settings. */
    final List<String> sets = new ArrayList<>();
    /** {@code --job key=value}: job settings (config/nextbest.yaml keys). */
    final List<String> jobSettings = new ArrayList<>();

    /** {@code --help} (or {@code -h}) was given: the command prints its usage and does nothing else. */
    boolean help;

    /**
     * Parses {@code args} with picocli against the command's options ({@code --set} and {@code --job} repeat; every
     * other option takes one value). An unknown option is refused with picocli's did-you-mean; a missing value
     * or a stray argument is refused with a clear message.
     */
    static CommandLine parse(String[] args, List<String> allowed) {
        picocli.CommandLine.Model.CommandSpec spec = picocli.CommandLine.Model.CommandSpec.create();
        for (String name : allowed) {
            boolean repeats = name.equals("set") || name.equals("job");
            picocli.CommandLine.Model.OptionSpec.Builder o = picocli.CommandLine.Model.OptionSpec.builder("--" + name)
                    .paramLabel(repeats ? "key=value" : "VALUE").arity("1");
            spec.addOption(repeats ? o.type(List.class).auxiliaryTypes(String.class).build() : o.type(String.class).build());
        }
        spec.addOption(picocli.CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true).build());
        picocli.CommandLine.ParseResult r;
        try {
            r = new picocli.CommandLine(spec).parseArgs(args);
        } catch (picocli.CommandLine.UnmatchedArgumentException e) {
            String first = e.getUnmatched().isEmpty() ? "?" : e.getUnmatched().get(0);
            List<String> suggestions = e.getSuggestions();
            throw new ConfigException((first.startsWith("-") ? "unknown option '" : "unexpected argument '") + first + "'"
                    + (suggestions.isEmpty() ? " (expected one of --" + String.join(", --", allowed) + ")"
                            : " (did you mean " + String.join(" or ", suggestions) + "?)"));
        } catch (picocli.CommandLine.ParameterException e) {
            throw new ConfigException(e.getMessage());
        }
        CommandLine c = new CommandLine();
        c.help = r.isUsageHelpRequested();
        for (String name : allowed) {
            if (!r.hasMatchedOption("--" + name)) {
                continue;
            }
            switch (name) {
                case "set" -> c.sets.addAll(r.matchedOptionValue("--set", List.<String>of()));
                case "job" -> c.jobSettings.addAll(r.matchedOptionValue("--job", List.<String>of()));
                default -> c.options.put(name, r.matchedOptionValue("--" + name, ""));
            }
        }
        return c;
    }

    String required(String name) {
        String v = options.get(name);
        if (v == null) {
            throw new ConfigException("--" + name + " is required");
        }
        return v;
    }

    String get(String name, String def) {
        return options.getOrDefault(name, def);
    }

    double number(String name, double def) {
        String v = options.get(name);
        if (v == null) {
            return def;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new ConfigException("--" + name + " needs a number, got '" + v + "'");
        }
    }

    /** {@code --name on|off} (also true/false, yes/no), else {@code def}. */
    boolean onOff(String name, boolean def) {
        String v = options.get(name);
        if (v == null) {
            return def;
        }
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw new ConfigException("--" + name + " needs on or off, got '" + v + "'");
        };
    }

    /** {@code --name N} for a whole number N ≥ 0, else {@code def}. */
    int count(String name, int def) {
        String v = options.get(name);
        if (v == null) {
            return def;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException("--" + name + " needs a whole number >= 0, got '" + v + "'");
    }

    /** {@code --out DIR}, else {@code reports/<kind>-<name>-<UTC time>}. */
    Path out(String kind, String name) {
        String v = options.get("out");
        if (v != null) {
            return Path.of(v);
        }
        String stamp = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Path.of("reports", kind + "-" + name + "-" + stamp);
    }

    /**
     * The command as a report quotes it: {@code prefix} and the arguments, with the value of every {@code key=value}
     * whose key is a secret ({@link io.nextbest.job.config.NextbestConfig#isSecret}: a SASL JAAS line, a password …)
     * replaced by {@code ******}, so that credentials passed with {@code --set} or {@code --job} never reach a report.
     */
    public static String quoted(String prefix, String[] args) {
        StringBuilder b = new StringBuilder(prefix);
        for (String a : args) {
            int eq = a.indexOf('=');
            String key = eq <= 0 ? "" : a.substring(0, eq);
            if (key.startsWith("--")) { // --set=key=value
                int second = a.indexOf('=', eq + 1);
                key = second < 0 ? "" : a.substring(eq + 1, second);
                eq = second;
            }
            b.append(' ').append(!key.isEmpty() && io.nextbest.job.config.NextbestConfig.isSecret(key)
                    ? a.substring(0, eq + 1) + "******" : a);
        }
        return b.toString();
    }

    /** The named workload of {@code all} with this command's {@code --set} overrides. */
    io.nextbest.generator.Workload workload(String name, io.nextbest.generator.Workloads all) {
        if (!all.names().contains(name)) {
            throw new ConfigException("unknown workload '" + name + "' (known: " + String.join(", ", all.names()) + ")");
        }
        try {
            return all.get(name).with(assignments(sets));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** The job's settings: the workload's parallelism, then this command's {@code --job} overrides. */
    io.nextbest.job.config.NextbestConfig jobSettings(io.nextbest.generator.Workload w) {
        return io.nextbest.job.config.NextbestConfig.builder()
                .set(io.nextbest.job.config.Settings.JOB_PARALLELISM.key(),
                        Integer.toString(w.get(io.nextbest.generator.Workload.PARALLELISM)))
                .setAll(jobSettings)
                .build();
    }

    /** The job's settings as a report lists them: without the run's own Kafka address, topics and checkpoint folder. */
    static void describeJob(io.nextbest.job.config.NextbestConfig job, Map<String, Object> configuration) {
        job.toMap().forEach((k, v) -> {
            if (!k.startsWith("kafka.") && !k.equals(io.nextbest.job.config.Settings.JOB_CHECKPOINT_DIR.key())) {
                configuration.put(k, v);
            }
        });
    }

    static Map<String, String> assignments(List<String> sets) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("expected key=value, got '" + s + "'");
            }
            m.put(s.substring(0, eq).trim(), s.substring(eq + 1));
        }
        return m;
    }
}
