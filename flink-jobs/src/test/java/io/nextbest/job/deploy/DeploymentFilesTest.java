package io.nextbest.job.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.nextbest.job.NextbestJob;
import io.nextbest.job.config.ConfigException;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.io.TopicAdmin;
import io.nextbest.schemas.Topic;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.DecisionReason;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The files of docker/ and config/flink/, checked offline: nothing here starts a container, a
 * cluster or Kubernetes (there is no Docker engine where this was written). What it checks is what
 * drifts: versions against the pom, topics against the registry, Flink keys against Flink 2.2's
 * options, job arguments against the job's settings, the dashboard against the metric names, the
 * compose file against the Compose Specification's JSON schema.
 */
class DeploymentFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** The services the compose file must have, by role. */
    private static final Set<String> COMPOSE_SERVICES = Set.of(
            "kafka", "topics", "jobmanager", "taskmanager", "job-submit", "generator", "serving", "prometheus", "grafana");

    /** Keys of the Flink Kubernetes Operator's autoscaler (AutoScalerOptions, prefix job.autoscaler.). */
    private static final Set<String> AUTOSCALER_KEYS = Set.of(
            "enabled", "scaling.enabled", "metrics.window", "stabilization.interval", "target.utilization",
            "target.utilization.boundary", "scale-up.grace-period", "vertex.min-parallelism",
            "vertex.max-parallelism", "scale-down.max-factor", "scale-up.max-factor", "catch-up.duration",
            "restart.time");

    /** Flink's option classes whose keys the configuration files may use. */
    private static final List<String> FLINK_OPTION_CLASSES = List.of(
            "org.apache.flink.configuration.CheckpointingOptions",
            "org.apache.flink.configuration.StateBackendOptions",
            "org.apache.flink.configuration.StateChangelogOptions",
            "org.apache.flink.changelog.fs.FsStateChangelogOptions",
            "org.apache.flink.configuration.StateRecoveryOptions",
            "org.apache.flink.configuration.RestartStrategyOptions",
            "org.apache.flink.configuration.MetricOptions",
            "org.apache.flink.configuration.JobManagerOptions",
            "org.apache.flink.configuration.TaskManagerOptions",
            "org.apache.flink.configuration.RestOptions",
            "org.apache.flink.configuration.HighAvailabilityOptions",
            "org.apache.flink.configuration.CoreOptions",
            "org.apache.flink.configuration.PipelineOptions",
            "org.apache.flink.configuration.BlobServerOptions",
            "org.apache.flink.configuration.WebOptions",
            "org.apache.flink.configuration.SecurityOptions",
            "org.apache.flink.state.rocksdb.RocksDBOptions",
            "org.apache.flink.state.rocksdb.RocksDBNativeMetricOptions");

    private static final String OP = "flink_taskmanager_job_task_operator_";

    private static Path root;
    private static Path docker;
    private static String flinkVersion;
    private static String kafkaVersion;
    private static String projectVersion;
    private static Map<String, Set<String>> flinkKeys;

    @BeforeAll
    static void locate() throws Exception {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("docker")))) {
            p = p.getParent();
        }
        assertThat(p).as("repository root (pom.xml and docker/) above %s", Path.of("").toAbsolutePath()).isNotNull();
        root = p;
        docker = root.resolve("docker");
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(root.resolve("pom.xml").toFile());
        flinkVersion = text(pom, "flink.version");
        kafkaVersion = text(pom, "kafka.version");
        projectVersion = pom.getDocumentElement().getElementsByTagName("version").item(0).getTextContent().trim();
        assertThat(flinkVersion).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(kafkaVersion).matches("\\d+\\.\\d+\\.\\d+");
        flinkKeys = flinkOptionKeys();
    }

    // ---------------------------------------------------------------- every file parses

    @Test
    void everyYamlAndJsonFileParses() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Stream.concat(Files.walk(docker), Files.walk(root.resolve("config/flink")))) {
            files = s.filter(Files::isRegularFile).filter(f -> f.toString().matches(".*\\.(ya?ml|json)$")).sorted().toList();
        }
        assertThat(files).extracting(f -> root.relativize(f).toString()).contains(
                "docker/docker-compose.yml", "docker/nextbest.yaml", "docker/prometheus/prometheus.yml",
                "docker/grafana/dashboards/nextbest.json", "docker/k8s/flink-deployment.yaml",
                "docker/k8s/kafka-topics.yaml", "config/flink/config.yaml");
        for (Path f : files) {
            List<JsonNode> docs = f.toString().endsWith(".json") ? List.of(JSON.readTree(f.toFile())) : yamlDocuments(f);
            assertThat(docs).as("%s holds at least one document", f).isNotEmpty()
                    .allSatisfy(d -> assertThat(d.isObject()).as("a document of %s is a mapping", f).isTrue());
        }
    }

    // ---------------------------------------------------------------- compose

    @Test
    void composeFileIsValidAgainstTheComposeSpecification() throws Exception {
        JsonNode spec;
        try (InputStream in = DeploymentFilesTest.class.getResourceAsStream("/compose-spec.json")) {
            spec = JSON.readTree(in);
        }
        // The schema declares draft 2019-09 but names its subschemas with draft-04 "id"s, which the
        // 2019-09 validator rejects; they are labels only ($refs use JSON pointers), so drop them.
        dropIdKeywords(spec, false);
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V201909).getSchema(spec);
        Set<ValidationMessage> errors = schema.validate(compose());
        assertThat(errors).as("compose-spec violations").isEmpty();

        // The schema is live: a misspelt key is rejected.
        JsonNode broken = compose().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.get("services").get("kafka")).put("imag", "x");
        assertThat(schema.validate(broken)).isNotEmpty();
    }

    @Test
    void composeHasEveryServiceAndTheirRoles() throws Exception {
        JsonNode services = compose().get("services");
        assertThat(names(services)).containsAll(COMPOSE_SERVICES);
        assertThat(strings(services.get("jobmanager").get("command"))).containsExactly("jobmanager");
        assertThat(strings(services.get("taskmanager").get("command"))).containsExactly("taskmanager");
        assertThat(strings(services.get("topics").get("command")).get(0)).isEqualTo("topics");
        assertThat(strings(services.get("generator").get("command")).get(0)).isEqualTo("generate");
        String submit = String.join(" ", strings(services.get("job-submit").get("command")));
        assertThat(submit).contains("flink run -d -m jobmanager:8081 /opt/flink/usrlib/nextbest-job.jar",
                "--config /opt/nextbest/nextbest.yaml");
        // The jar path the submission runs is where the Dockerfile puts the shaded jar.
        assertThat(dockerfile()).contains("/src/flink-jobs/target/nextbest-job.jar /opt/flink/usrlib/nextbest-job.jar");
        // Ordering: the job is submitted after the topics exist and the cluster is up.
        assertThat(names(services.get("job-submit").get("depends_on"))).contains("jobmanager", "taskmanager", "topics");
        assertThat(services.get("job-submit").get("depends_on").get("topics").get("condition").asText())
                .isEqualTo("service_completed_successfully");
        assertThat(names(services.get("generator").get("depends_on"))).contains("topics");
        // The serving API: its image's entry point with the compose configuration, its own address advertised
        // (for forwarding between replicas), every --set a valid setting, the port it listens on published.
        JsonNode serving = services.get("serving");
        String entry = String.join(" ", strings(serving.get("entrypoint")));
        assertThat(entry).contains("io.nextbest.serving.ServingService --config /opt/nextbest/nextbest.yaml",
                "--set serving.advertised-host=$$(hostname -i)"); // $$: a literal $ for the shell, not Compose's
        assertThat(dockerfile()).contains("\"io.nextbest.serving.ServingService\"]");
        checkSetArguments(strings(serving.get("command")), docker.resolve("nextbest.yaml"));
        int port = NextbestConfig.builder().file(docker.resolve("nextbest.yaml")).build()
                .get(io.nextbest.job.config.Settings.SERVING_PORT);
        assertThat(strings(serving.get("ports"))).contains(port + ":" + port);
        assertThat(names(serving.get("depends_on"))).contains("topics");
    }

    @Test
    void imageVersionsMatchThePom() throws Exception {
        String flinkImage = "flink:" + flinkVersion + "-scala_2.12-java17";
        String dockerfile = dockerfile();
        Matcher arg = Pattern.compile("(?m)^ARG FLINK_IMAGE=(\\S+)$").matcher(dockerfile);
        assertThat(arg.find()).as("ARG FLINK_IMAGE in docker/Dockerfile").isTrue();
        assertThat(arg.group(1)).isEqualTo(flinkImage);

        Map<String, String> stages = new LinkedHashMap<>(); // target -> base image
        Matcher from = Pattern.compile("(?m)^FROM (\\S+) AS (\\S+)$").matcher(dockerfile);
        while (from.find()) {
            stages.put(from.group(2), from.group(1));
        }
        assertThat(stages).containsEntry("job", "${FLINK_IMAGE}").containsKeys("build", "tools", "serving");
        assertThat(stages.get("build")).isEqualTo("eclipse-temurin:17-jdk"); // the pom's maven.compiler.release
        assertThat(stages.get("tools")).isEqualTo("eclipse-temurin:17-jre");
        assertThat(stages.get("serving")).isEqualTo("eclipse-temurin:17-jre");

        JsonNode services = compose().get("services");
        assertThat(services.get("kafka").get("image").asText()).isEqualTo("apache/kafka:" + kafkaVersion);
        for (String name : names(services)) {
            JsonNode s = services.get(name);
            if (s.has("build")) {
                JsonNode build = s.get("build");
                assertThat(build.get("dockerfile").asText()).isEqualTo("docker/Dockerfile");
                assertThat(root.resolve(docker.resolve(build.get("context").asText())).normalize()).isEqualTo(root);
                assertThat(stages).as("target of %s", name).containsKey(build.get("target").asText());
                assertThat(build.get("args").get("FLINK_IMAGE").asText()).as("FLINK_IMAGE of %s", name).isEqualTo(flinkImage);
                String target = build.get("target").asText();
                assertThat(s.get("image").asText()).as("image of %s", name).isEqualTo(switch (target) {
                    case "job" -> "nextbest/flink-job:";
                    case "serving" -> "nextbest/serving:";
                    default -> "nextbest/tools:";
                } + projectVersion);
            }
        }
        assertThat(services.get("jobmanager").get("build").get("target").asText()).isEqualTo("job");
        assertThat(services.get("taskmanager").get("image")).isEqualTo(services.get("jobmanager").get("image"));
        assertThat(services.get("job-submit").get("image")).isEqualTo(services.get("jobmanager").get("image"));
    }

    @Test
    void composeJobConfigurationIsValidAndCheckpointsGoToTheSharedVolume() throws Exception {
        Path file = docker.resolve("nextbest.yaml");
        NextbestConfig config = NextbestConfig.builder().file(file).build(); // unknown keys, bad values fail here
        Map<String, String> values = config.toMap();
        assertThat(values).containsEntry("kafka.bootstrap-servers", "kafka:19092");
        assertThat(strings(compose().get("services").get("kafka").get("environment").get("KAFKA_ADVERTISED_LISTENERS")
                .asText().split(","))).contains("PLAINTEXT://kafka:19092");
        assertThat(values.get("job.checkpoint-dir")).startsWith("file:///flink-data/");
        JsonNode services = compose().get("services");
        for (String flink : List.of("jobmanager", "taskmanager")) {
            assertThat(strings(services.get(flink).get("volumes"))).as("volumes of %s", flink).contains("flink-data:/flink-data");
        }
        // The cluster default agrees with the job's.
        assertThat(flinkConfig().path("execution.checkpointing.dir").asText()).isEqualTo(values.get("job.checkpoint-dir"));
        // Every --set of the submission is a valid setting.
        checkSetArguments(strings(services.get("job-submit").get("command")), file);
    }

    // ---------------------------------------------------------------- Flink configuration

    @Test
    void clusterConfigUsesCurrentFlinkKeysAndTheRequiredSettings() throws Exception {
        JsonNode conf = flinkConfig();
        checkFlinkKeys("config/flink/config.yaml", conf);
        assertThat(conf.get("state.backend.type").asText()).isEqualTo("rocksdb");
        assertThat(conf.get("execution.checkpointing.incremental").asBoolean()).isTrue();
        assertThat(conf.get("execution.checkpointing.dir").asText()).isNotBlank();
        assertThat(conf.get("execution.checkpointing.savepoint-dir").asText()).isNotBlank();
        // the job turns the changelog on (job.changelog.enabled); where its log goes is the TaskManagers' setting
        assertThat(conf.get("state.changelog.storage").asText()).isEqualTo("filesystem");
        assertThat(conf.get("state.changelog.dstl.dfs.base-path").asText())
                .isEqualTo(conf.get("execution.checkpointing.dir").asText().replace("/checkpoints", "/changelog"));
        assertThat(conf.get("restart-strategy.type").asText()).isNotBlank();
        assertThat(conf.get("metrics.reporters").asText()).isEqualTo("prom");
        assertThat(conf.get("metrics.reporter.prom.factory.class").asText())
                .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        assertThat(conf.get("metrics.reporter.prom.port").asInt()).isPositive();
        // The factory exists in flink-metrics-prometheus of this Flink version (a test dependency).
        assertThat(org.apache.flink.metrics.reporter.MetricReporterFactory.class)
                .isAssignableFrom(Class.forName(conf.get("metrics.reporter.prom.factory.class").asText()));
        assertThat(conf.get("state.backend.rocksdb.metrics.estimate-num-keys").asBoolean()).isTrue();
        assertThat(conf.get("state.backend.rocksdb.metrics.estimate-live-data-size").asBoolean()).isTrue();
        // No code from the web: jar upload and run through the web UI / REST are off (the REST port is reachable)
        assertThat(conf.get("web.submit.enable").asBoolean(true)).as("web.submit.enable").isFalse();
        // No taskmanager.host: TaskManagers in containers must advertise their own address.
        assertThat(names(conf)).doesNotContain("taskmanager.host");
        // Every key is documented by a comment line right above it (or above its group).
        List<String> lines = Files.readAllLines(root.resolve("config/flink/config.yaml"));
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank() && !lines.get(i).startsWith("#")) {
                int j = i - 1;
                while (j >= 0 && !lines.get(j).isBlank() && !lines.get(j).startsWith("#")) {
                    j--;
                }
                assertThat(j >= 0 && lines.get(j).startsWith("#")).as("comment above '%s'", lines.get(i)).isTrue();
            }
        }
    }

    /** The REST hardening the operations guide recommends names Flink keys that exist, under their current names. */
    @Test
    void theRestEndpointAdviceNamesCurrentFlinkKeys() throws Exception {
        String doc = Files.readString(root.resolve("docs/operations.md"));
        String section = doc.substring(doc.indexOf("## The Flink REST endpoint"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("`((?:security|web|rest)\\.[a-z.-]+)").matcher(section);
        List<String> keys = new java.util.ArrayList<>();
        while (m.find()) {
            keys.add(m.group(1));
        }
        assertThat(keys).contains("web.submit.enable", "security.ssl.rest.enabled",
                "security.ssl.rest.authentication-enabled", "rest.bind-address");
        assertThat(flinkKeys.get("current")).containsAll(keys);
    }

    @Test
    void theKeyCheckRejectsUnknownAndDeprecatedKeys() {
        ObjectMapper m = JSON;
        assertThatKeyCheckFails(m.createObjectNode().put("state.backend", "rocksdb")); // deprecated name of state.backend.type
        assertThatKeyCheckFails(m.createObjectNode().put("state.checkpoints.dir", "file:///x")); // pre-2.0 name
        assertThatKeyCheckFails(m.createObjectNode().put("execution.checkpointing.incrementl", "true"));
    }

    // ---------------------------------------------------------------- Prometheus and Grafana

    @Test
    void prometheusScrapesTheReporterOfTheJobManagerAndEveryTaskManager() throws Exception {
        int port = flinkConfig().get("metrics.reporter.prom.port").asInt();
        JsonNode prom = yamlFile(docker.resolve("prometheus/prometheus.yml"));
        Set<String> staticTargets = new TreeSet<>();
        Set<String> dnsTargets = new TreeSet<>();
        for (JsonNode job : prom.get("scrape_configs")) {
            for (JsonNode sc : job.path("static_configs")) {
                staticTargets.addAll(strings(sc.get("targets")));
            }
            for (JsonNode dns : job.path("dns_sd_configs")) {
                for (String name : strings(dns.get("names"))) {
                    dnsTargets.add(name + ":" + dns.get("port").asInt());
                }
            }
        }
        assertThat(staticTargets).contains("jobmanager:" + port);
        assertThat(dnsTargets).contains("taskmanager:" + port);
        int servingPort = NextbestConfig.builder().file(docker.resolve("nextbest.yaml")).build()
                .get(io.nextbest.job.config.Settings.SERVING_PORT);
        assertThat(dnsTargets).as("every serving replica's /metrics").contains("serving:" + servingPort);
        assertThat(names(compose().get("services"))).contains("jobmanager", "taskmanager");
        // The Kubernetes pods expose the same port.
        JsonNode deployment = flinkDeployment();
        assertThat(deployment.at("/spec/flinkConfiguration/metrics.reporter.prom.port").asInt()).isEqualTo(port);
    }

    @Test
    void grafanaIsProvisionedWithTheDataSourceAndTheDashboard() throws Exception {
        JsonNode ds = yamlFile(docker.resolve("grafana/provisioning/datasources/prometheus.yml"));
        assertThat(ds.at("/datasources/0/url").asText()).isEqualTo("http://prometheus:9090");
        String uid = ds.at("/datasources/0/uid").asText();
        JsonNode provider = yamlFile(docker.resolve("grafana/provisioning/dashboards/nextbest.yml"));
        String path = provider.at("/providers/0/options/path").asText();
        List<String> grafanaVolumes = strings(compose().get("services").get("grafana").get("volumes"));
        assertThat(grafanaVolumes).contains("./grafana/dashboards:" + path + ":ro",
                "./grafana/provisioning:/etc/grafana/provisioning:ro");
        JsonNode dashboard = JSON.readTree(docker.resolve("grafana/dashboards/nextbest.json").toFile());
        for (JsonNode panel : dashboard.get("panels")) {
            if (panel.has("targets")) {
                assertThat(panel.at("/datasource/uid").asText()).as("data source of '%s'", panel.get("title")).isEqualTo(uid);
                assertThat(panel.get("targets")).isNotEmpty();
            }
        }
    }

    @Test
    void dashboardQueriesExactlyTheKnownMetrics() throws Exception {
        JsonNode dashboard = JSON.readTree(docker.resolve("grafana/dashboards/nextbest.json").toFile());
        List<String> queries = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> queries.add(e.asText()));
        dashboard.at("/templating/list").forEach(v -> queries.add(v.get("definition").asText()));
        Set<String> used = metricNames(queries);
        Set<String> known = knownMetrics();
        assertThat(used).as("metrics the dashboard queries that are neither the job's nor Flink's").isSubsetOf(known);
        assertThat(used).as("metrics the dashboard must show").containsAll(known);
        // The extraction is live: an unknown metric is caught.
        assertThat(metricNames(List.of("rate(" + OP + "numRecordsInn[1m])"))).hasSize(1).doesNotContainAnyElementsOf(known);
    }

    @Test
    void alertRulesAreLoadedUseKnownMetricsAndAreExplainedInTheOperationsGuide() throws Exception {
        JsonNode prometheus = yamlFile(docker.resolve("prometheus/prometheus.yml"));
        assertThat(strings(prometheus.get("rule_files"))).containsExactly("/etc/prometheus/alerts.yml");
        assertThat(strings(compose().get("services").get("prometheus").get("volumes")))
                .contains("./prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro");
        JsonNode rules = yamlFile(docker.resolve("prometheus/alerts.yml"));
        Set<String> allowed = new TreeSet<>(knownMetrics());
        allowed.addAll(List.of(OP + "listsEmitted", "flink_taskmanager_job_task_busyTimeMsPerSecond"));
        String guide = Files.readString(root.resolve("docs/operations.md"));
        List<String> names = new ArrayList<>();
        for (JsonNode group : rules.get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                String name = rule.get("alert").asText();
                names.add(name);
                assertThat(rule.at("/annotations/summary").asText()).as("summary of %s", name).isNotBlank();
                assertThat(rule.at("/labels/severity").asText()).as("severity of %s", name).isIn("info", "warning", "critical");
                Set<String> used = metricNames(List.of(rule.get("expr").asText()));
                assertThat(used).as("metrics of %s", name).isNotEmpty().isSubsetOf(allowed);
                assertThat(guide).as("docs/operations.md explains %s", name).contains("`" + name + "`");
            }
        }
        assertThat(names).hasSizeGreaterThanOrEqualTo(8).doesNotHaveDuplicates();
    }

    // ---------------------------------------------------------------- Kubernetes

    @Test
    void kafkaTopicsAreTheRegistryWithItsCleanupPolicies() throws Exception {
        Map<String, String> policies = new TreeMap<>();
        for (JsonNode doc : yamlDocuments(docker.resolve("k8s/kafka-topics.yaml"))) {
            assertThat(doc.get("apiVersion").asText()).isEqualTo("kafka.strimzi.io/v1beta2");
            assertThat(doc.get("kind").asText()).isEqualTo("KafkaTopic");
            assertThat(doc.at("/metadata/labels/strimzi.io~1cluster").asText()).isNotBlank();
            String name = doc.at("/spec/topicName").asText(doc.at("/metadata/name").asText());
            assertThat(doc.at("/spec/partitions").asInt()).isPositive();
            assertThat(doc.at("/spec/replicas").asInt()).isPositive();
            assertThat(policies.put(name, doc.at("/spec/config/cleanup.policy").asText())).as("duplicate topic %s", name).isNull();
        }
        Map<String, String> expected = new TreeMap<>();
        for (Topic<?> t : Topics.ALL) {
            expected.put(t.name(), TopicAdmin.COMPACTED.contains(t.name()) ? "compact" : "delete");
        }
        assertThat(policies).isEqualTo(expected);
    }

    @Test
    void flinkDeploymentMatchesThePomAndTheJob() throws Exception {
        JsonNode d = flinkDeployment();
        assertThat(d.get("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        String[] v = flinkVersion.split("\\.");
        assertThat(d.at("/spec/flinkVersion").asText()).isEqualTo("v" + v[0] + "_" + v[1]);
        assertThat(d.at("/spec/image").asText()).isEqualTo(compose().at("/services/jobmanager/image").asText());
        assertThat(d.at("/spec/job/upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(d.at("/spec/job/jarURI").asText()).isEqualTo("local:///opt/flink/usrlib/nextbest-job.jar");
        assertThat(d.at("/spec/job/entryClass").asText()).isEqualTo(NextbestJob.class.getName());
        JsonNode conf = d.at("/spec/flinkConfiguration");
        checkFlinkKeys("FlinkDeployment flinkConfiguration", conf);
        assertThat(conf.get("job.autoscaler.enabled").asText()).isEqualTo("true");
        assertThat(conf.get("web.submit.enable").asText()).as("web.submit.enable").isEqualTo("false");
        assertThat(conf.get("state.backend.type").asText()).isEqualTo("rocksdb");
        assertThat(conf.get("execution.checkpointing.savepoint-dir").asText()).startsWith("s3://");
        assertThat(conf.get("state.changelog.storage").asText()).isEqualTo("filesystem");
        assertThat(conf.get("state.changelog.dstl.dfs.base-path").asText()).startsWith("s3://");
        assertThat(conf.get("metrics.reporter.prom.factory.class").asText())
                .isEqualTo(flinkConfig().get("metrics.reporter.prom.factory.class").asText());
        // The S3 plugin enabled from /opt/flink/opt is the one of this Flink version.
        JsonNode env = d.at("/spec/podTemplate/spec/containers/0/env");
        String plugins = "";
        for (JsonNode e : env) {
            if (e.get("name").asText().equals("ENABLE_BUILT_IN_PLUGINS")) {
                plugins = e.get("value").asText();
            }
        }
        assertThat(plugins).isEqualTo("flink-s3-fs-presto-" + flinkVersion + ".jar");

        // The job arguments: the ConfigMap's job configuration and every --set are valid settings.
        JsonNode configMap = yamlDocuments(docker.resolve("k8s/flink-deployment.yaml")).stream()
                .filter(doc -> doc.get("kind").asText().equals("ConfigMap")).findFirst().orElseThrow();
        List<String> args = strings(d.at("/spec/job/args"));
        assertThat(args.subList(0, 2)).containsExactly("--config", "/opt/nextbest/k8s/nextbest.yaml");
        assertThat(strings(d.at("/spec/podTemplate/spec/containers/0/volumeMounts")
                .findValues("mountPath").stream().map(JsonNode::asText).toList())).contains("/opt/nextbest/k8s");
        Path jobConfig = Files.createTempFile("nextbest-k8s", ".yaml");
        try {
            Files.writeString(jobConfig, configMap.at("/data/nextbest.yaml").asText());
            NextbestConfig config = NextbestConfig.builder().file(jobConfig).build();
            assertThat(config.toMap().get("job.checkpoint-dir")).isEqualTo(conf.get("execution.checkpointing.dir").asText());
            checkSetArguments(args, jobConfig);
        } finally {
            Files.delete(jobConfig);
        }
    }

    @Test
    void servingDeploymentMatchesTheImageAndTheSettings() throws Exception {
        List<JsonNode> docs = yamlDocuments(docker.resolve("k8s/serving.yaml"));
        JsonNode deployment = docs.stream().filter(d -> d.get("kind").asText().equals("Deployment")).findFirst().orElseThrow();
        JsonNode configMap = docs.stream().filter(d -> d.get("kind").asText().equals("ConfigMap")).findFirst().orElseThrow();
        JsonNode service = docs.stream().filter(d -> d.get("kind").asText().equals("Service")).findFirst().orElseThrow();
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        assertThat(container.get("image").asText()).isEqualTo(compose().at("/services/serving/image").asText());
        List<String> args = strings(container.get("args"));
        assertThat(args.subList(0, 2)).containsExactly("--config", "/opt/nextbest/k8s/nextbest.yaml");
        assertThat(strings(container.get("volumeMounts").findValues("mountPath").stream().map(JsonNode::asText).toList()))
                .contains("/opt/nextbest/k8s");
        assertThat(args).contains("serving.advertised-host=$(POD_IP)");
        assertThat(container.get("env").findValuesAsText("name")).contains("POD_IP", "API_KEYS");
        Path config = Files.createTempFile("nextbest-serving-k8s", ".yaml");
        try {
            Files.writeString(config, configMap.at("/data/nextbest.yaml").asText());
            NextbestConfig c = NextbestConfig.builder().file(config).build();
            checkSetArguments(args, config);
            int port = c.get(io.nextbest.job.config.Settings.SERVING_PORT);
            assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(port);
            // the state directory is the mounted volume (rebuilt from the topics when empty)
            assertThat(container.get("volumeMounts").findValuesAsText("mountPath"))
                    .contains(c.get(io.nextbest.job.config.Settings.SERVING_STATE_DIR));
        } finally {
            Files.delete(config);
        }
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health");
        assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo(container.at("/ports/0/name").asText());
        assertThat(service.at("/spec/selector")).isEqualTo(deployment.at("/spec/selector/matchLabels"));
        assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo(container.at("/ports/0/name").asText());
    }

    // ---------------------------------------------------------------- the tools image

    @Test
    void composeToolsCompilesAgainstTheJobClassesWithoutFlink(@TempDir Path out) throws Exception {
        // The tools image has the job's classes and their runtime-scope dependencies, no Flink:
        // compile with that class path, as docker/Dockerfile's build stage does.
        String classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains(File.separator + "flink" + File.separator)
                        || e.contains("flink-connector-kafka")) // org/apache/flink/<artifact> in the Maven repository
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(classPath).doesNotContain("flink-streaming-java", "flink-runtime");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            StringWriter log = new StringWriter();
            boolean ok = javac.getTask(log, files, diagnostics,
                    List.of("--release", "17", "-d", out.toString(), "-cp", classPath), null,
                    files.getJavaFileObjects(docker.resolve("tools/ComposeTools.java").toFile())).call();
            assertThat(ok).as("javac docker/tools/ComposeTools.java: %s %s", diagnostics.getDiagnostics(), log).isTrue();
        }
        assertThat(out.resolve("ComposeTools.class")).exists();
    }

    // ---------------------------------------------------------------- helpers

    private static void dropIdKeywords(JsonNode node, boolean propertyMap) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            if (!propertyMap && o.path("id").isTextual()) {
                o.remove("id");
            }
            o.properties().forEach(e -> dropIdKeywords(e.getValue(),
                    e.getKey().equals("properties") || e.getKey().equals("patternProperties")));
        } else if (node.isArray()) {
            node.forEach(n -> dropIdKeywords(n, false));
        }
    }

    private static void checkSetArguments(List<String> args, Path configFile) {
        for (int i = 0; i < args.size(); i++) {
            if (!args.get(i).equals("--set")) {
                continue;
            }
            String assignment = args.get(i + 1);
            try {
                NextbestConfig.builder().file(configFile).set(assignment).build();
            } catch (ConfigException e) {
                fail("--set " + assignment + ": " + e.getMessage());
            }
        }
    }

    private static void assertThatKeyCheckFails(JsonNode conf) {
        try {
            checkFlinkKeys("sample", conf);
        } catch (AssertionError expected) {
            return;
        }
        fail("accepted " + conf);
    }

    /** Every key is the current key of a Flink option, a reporter key, an autoscaler key or a kubernetes.* key. */
    private static void checkFlinkKeys(String what, JsonNode conf) {
        Set<String> reporters = conf.has("metrics.reporters")
                ? Set.of(conf.get("metrics.reporters").asText().split("\\s*,\\s*")) : Set.of();
        for (String key : names(conf)) {
            if (key.startsWith("job.autoscaler.")) {
                assertThat(AUTOSCALER_KEYS).as("%s: autoscaler key %s", what, key).contains(key.substring("job.autoscaler.".length()));
            } else if (key.startsWith("metrics.reporter.")) {
                String[] parts = key.split("\\.", 4);
                assertThat(reporters).as("%s: %s names a reporter of metrics.reporters", what, key).contains(parts[2]);
                assertThat(parts[3]).as("%s: reporter option %s", what, key).isIn("factory.class", "port", "interval",
                        "scope.variables.excludes", "filterLabelValueCharacters");
            } else if (key.startsWith("kubernetes.")) {
                continue; // flink-kubernetes' options are not on the class path
            } else {
                assertThat(flinkKeys.get("current")).as("%s: %s is not a current Flink %s key%s", what, key, flinkVersion,
                        flinkKeys.get("deprecated").contains(key) ? " (deprecated name)" : "").contains(key);
            }
        }
    }

    private static Map<String, Set<String>> flinkOptionKeys() throws Exception {
        Set<String> current = new TreeSet<>();
        Set<String> deprecated = new TreeSet<>();
        for (String className : FLINK_OPTION_CLASSES) {
            for (Field f : Class.forName(className).getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                    ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                    (f.isAnnotationPresent(Deprecated.class) ? deprecated : current).add(o.key());
                    o.fallbackKeys().forEach(k -> deprecated.add(k.getKey()));
                }
            }
        }
        deprecated.removeAll(current);
        return Map.of("current", current, "deprecated", deprecated);
    }

    /** The metric names the dashboard must query: the job's, Flink's built-in ones, the RocksDB patterns. */
    private static Set<String> knownMetrics() {
        Set<String> known = new TreeSet<>(List.of(
                OP + "numRecordsIn", OP + "numRecordsOut",
                OP + "KafkaSourceReader_KafkaConsumer_records_lag_max",
                OP + "reason_deadLetters", OP + "deadLetters", OP + "duplicatesDropped",
                OP + "replica_indexItems", OP + "replica_catalogItems", OP + "rankingMicros",
                OP + "triggers_sent", OP + "triggers_armed", OP + "triggers_cancelledByOrder",
                "flink_jobmanager_job_lastCheckpointDuration", "flink_jobmanager_job_numberOfFailedCheckpoints",
                "flink_jobmanager_job_lastCheckpointSize", "flink_jobmanager_job_numRestarts",
                "flink_jobmanager_job_uptime",
                // the serving API's (ServingMetrics; ServingIT reads each from /metrics)
                "nextbest_serving_requests_total", "nextbest_serving_request_seconds_bucket",
                "nextbest_serving_forwarded_total", "nextbest_serving_store_lag_records",
                "nextbest_serving_rocksdb_bytes", "nextbest_serving_rocksdb_bound_bytes",
                "~" + OP + ".*rocksdb_estimate_num_keys", "~" + OP + ".*rocksdb_estimate_live_data_size"));
        for (DecisionReason r : DecisionReason.values()) { // as CustomerStage registers them
            known.add(OP + "triggers_" + r.outcome().wire() + "_" + r.wire());
        }
        return known;
    }

    /** Metric names in PromQL: flink_… identifiers, and {@code __name__=~"…"} patterns prefixed with ~. */
    private static Set<String> metricNames(List<String> queries) {
        Set<String> names = new TreeSet<>();
        Pattern regex = Pattern.compile("__name__=~\"([^\"]+)\"");
        Pattern plain = Pattern.compile("\\b(flink|nextbest_serving)_[A-Za-z0-9_]+");
        for (String q : queries) {
            Matcher m = regex.matcher(q);
            while (m.find()) {
                names.add("~" + m.group(1));
            }
            Matcher p = plain.matcher(regex.matcher(q).replaceAll(""));
            while (p.find()) {
                names.add(p.group());
            }
        }
        return names;
    }

    private static JsonNode compose() throws IOException {
        return yamlFile(docker.resolve("docker-compose.yml"));
    }

    private static JsonNode flinkConfig() throws IOException {
        return yamlFile(root.resolve("config/flink/config.yaml"));
    }

    private static JsonNode flinkDeployment() throws IOException {
        return yamlDocuments(docker.resolve("k8s/flink-deployment.yaml")).stream()
                .filter(doc -> doc.get("kind").asText().equals("FlinkDeployment")).findFirst().orElseThrow();
    }

    private static String dockerfile() throws IOException {
        return Files.readString(docker.resolve("Dockerfile"));
    }

    /**
     * The documents of a YAML file, read with SnakeYAML as Compose and kubectl read them: anchors
     * and aliases resolved (Jackson's YAML tree model leaves an alias as its name), duplicate keys
     * rejected.
     */
    private static List<JsonNode> yamlDocuments(Path f) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        List<JsonNode> docs = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(f)) {
            for (Object d : new Yaml(new SafeConstructor(options)).loadAll(r)) {
                if (d != null) {
                    docs.add(JSON.valueToTree(d));
                }
            }
        }
        return docs;
    }

    private static JsonNode yamlFile(Path f) throws IOException {
        List<JsonNode> docs = yamlDocuments(f);
        assertThat(docs).as("documents in %s", f).hasSize(1);
        return docs.get(0);
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        Iterator<String> it = object.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> strings(String[] array) {
        return List.of(array);
    }

    private static List<String> strings(List<String> list) {
        return list;
    }

    private static String text(Document pom, String property) {
        return pom.getElementsByTagName(property).item(0).getTextContent().trim();
    }
}
