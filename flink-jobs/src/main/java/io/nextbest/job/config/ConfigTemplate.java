package io.nextbest.job.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders {@code config/nextbest.yaml}: every key of {@link Settings}, nested by its dotted path,
 * with its doc as a comment and its default as the value. A test keeps the checked-in file equal
 * to this rendering, so docs and defaults cannot drift from the code.
 */
public final class ConfigTemplate {
    private ConfigTemplate() {}

    public static String render() {
        StringBuilder out = new StringBuilder();
        out.append("# Nextbest job configuration. Every key, its meaning and its default.\n")
                .append("# Override any key on the command line: --set section.key=value (e.g. --set job.parallelism=4).\n")
                .append("# Durations: 250ms, 10s, 5m, 1h, 30d. An unknown key or a bad value stops the job at start.\n")
                .append("# Kafka client properties (security, tuning) go under kafka.properties, e.g.\n")
                .append("#   kafka:\n#     properties:\n#       security.protocol: SASL_SSL\n#       sasl.mechanism: PLAIN\n")
                .append("# Generated from io.nextbest.job.config.Settings (ConfigTemplate); ConfigFileTest keeps them equal.\n");
        List<String> open = new ArrayList<>();
        for (Option<?> o : Settings.ALL) {
            String[] parts = o.key().split("\\.");
            int common = 0;
            while (common < open.size() && common < parts.length - 1 && open.get(common).equals(parts[common])) {
                common++;
            }
            while (open.size() > common) {
                open.remove(open.size() - 1);
            }
            for (int i = common; i < parts.length - 1; i++) {
                if (i == 0) {
                    out.append('\n');
                }
                out.append("  ".repeat(i)).append(parts[i]).append(":\n");
                open.add(parts[i]);
            }
            String indent = "  ".repeat(parts.length - 1);
            out.append(indent).append("# ").append(o.doc()).append('\n');
            out.append(indent).append(parts[parts.length - 1]).append(": ").append(yaml(o.defaultValue())).append('\n');
        }
        return out.toString();
    }

    /** The keys as a Markdown table (key, default, meaning), as the README shows them. */
    public static String markdownTable() {
        StringBuilder out = new StringBuilder("| key | default | meaning |\n|---|---|---|\n");
        for (Option<?> o : Settings.ALL) {
            String def = o.defaultValue().isEmpty() ? "(empty)" : o.defaultValue();
            out.append("| `").append(o.key()).append("` | `").append(def).append("` | ")
                    .append(o.doc().replace("|", "\\|")).append(" |\n");
        }
        out.append("| `kafka.properties.*` | | passed to every Kafka client as is (security, tuning) |\n");
        return out.toString();
    }

    /** Plain scalars where YAML reads them back as the same string; quoted otherwise. */
    private static String yaml(String value) {
        boolean plain = value.matches("[A-Za-z0-9_./:+-]+") && !value.matches("(?i)off|on|yes|no|y|n|null|~");
        return plain ? value : "\"" + value + "\"";
    }

    /** Prints the YAML file, or with {@code --markdown} the README's table. */
    public static void main(String[] args) {
        System.out.print(args.length > 0 && args[0].equals("--markdown") ? markdownTable() : render());
    }
}
