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

    static CommandLine parse(String[] args, List<String> allowed) {
        CommandLine c = new CommandLine();
        for (int i = 0; i < args.length; i++) {
            String opt = args[i];
            if (!opt.startsWith("--")) {
                throw new ConfigException("unexpected argument '" + opt + "'");
            }
            String name = opt.substring(2);
            if (!allowed.contains(name)) {
                throw new ConfigException("unknown option '" + opt + "' (expected one of --" + String.join(", --", allowed) + ")");
            }
            if (i + 1 >= args.length) {
                throw new ConfigException("option '" + opt + "' needs a value");
            }
            String v = args[++i];
            switch (name) {
                case "set" -> c.sets.add(v);
                case "job" -> c.jobSettings.add(v);
                default -> c.options.put(name, v);
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
