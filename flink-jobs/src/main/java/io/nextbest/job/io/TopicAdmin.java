package io.nextbest.job.io;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.schemas.Topic;
import io.nextbest.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/** Creates the contract's topics (those missing) with the configured prefix. */
public final class TopicAdmin {
    private TopicAdmin() {}

    /**
     * Topics kept compacted: the latest value per key is what matters. Public for the deployment
     * files (docker/k8s/kafka-topics.yaml), which DeploymentFilesTest keeps equal to this.
     */
    public static final Set<String> COMPACTED = Set.of(Topics.SUGGESTIONS.name(), Topics.RULES.name(), Topics.CATALOG.name(),
            Topics.ITEM_NEIGHBOURS.name(), Topics.TRENDING.name(), Topics.EXPERIMENT_METRICS.name(), Topics.ACTIONS.name(),
            Topics.ACTION_PROPENSITIES.name());

    /** Creates every topic of the registry that does not exist yet; returns the names created. */
    public static List<String> createMissing(NextbestConfig config, int partitions, short replication) throws Exception {
        Properties props = config.kafkaProperties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.get(Settings.KAFKA_BOOTSTRAP));
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topic<?> t : Topics.ALL) {
                String name = config.topic(t.name());
                if (!existing.contains(name)) {
                    NewTopic nt = new NewTopic(name, partitions, replication);
                    if (COMPACTED.contains(t.name())) {
                        nt.configs(Map.of("cleanup.policy", "compact"));
                    }
                    missing.add(nt);
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
            return missing.stream().map(NewTopic::name).toList();
        }
    }
}
