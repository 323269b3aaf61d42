package io.nextbest.app;

import io.nextbest.generator.ResponseModel;
import io.nextbest.generator.SyntheticCatalog;
import io.nextbest.generator.Workload;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.Feedback;
import io.nextbest.schemas.messages.FeedbackType;
import io.nextbest.schemas.messages.SuggestedItem;
import io.nextbest.schemas.messages.Suggestions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The demo's shoppers answer the lists of its experiment with the generator's {@link ResponseModel}: each has a
 * hidden taste (a top-level category of the demo catalog), sees the first three items and clicks those of its taste
 * more often, so that the experiment's metrics fill and {@code bin/nextbest experiment-report} has something to
 * read. Feedback goes to the {@code feedback} topic with the list's sequence and variant, as a shop would send it.
 */
final class DemoShoppers implements Consumer<Suggestions>, AutoCloseable {
    private final SyntheticCatalog catalog;
    private final List<String> tastes;
    private final ResponseModel model;
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    final AtomicLong clicks = new AtomicLong();

    DemoShoppers(NextbestConfig config, Workload workload, long seed) {
        this.catalog = SyntheticCatalog.of(workload);
        LinkedHashSet<String> roots = new LinkedHashSet<>();
        for (int i = 0; i < catalog.size(); i++) {
            roots.add(catalog.categoryPath(i).get(0));
        }
        this.tastes = new ArrayList<>(roots);
        this.model = new ResponseModel(seed, 3, 0.25, 0.03, 0);
        Properties p = config.kafkaProperties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get(Settings.KAFKA_BOOTSTRAP));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        this.producer = new KafkaProducer<>(p);
        this.topic = config.topic(Topics.FEEDBACK.name());
    }

    private String category(String itemId) {
        int i = catalog.indexOf(itemId);
        return i < 0 ? "" : catalog.categoryPath(i).get(0);
    }

    @Override
    public void accept(Suggestions s) {
        if (s.experimentId() == null || s.items().isEmpty()) {
            return;
        }
        String shopper = s.subjectKey();
        List<String> items = s.items().stream().map(SuggestedItem::itemId).toList();
        ResponseModel.Answer a = model.answer(shopper, model.taste(shopper, tastes), s.sequence(), items,
                this::category);
        Instant t = s.eventTime().plusSeconds(2);
        String prefix = "demo-fb-" + shopper + "-" + s.placement() + "-" + s.sequence() + "-";
        int n = 0;
        for (String item : a.impressions()) {
            send(s, new Feedback(prefix + n++, FeedbackType.IMPRESSION, s.customerId(), s.sessionId(), t, item,
                    s.placement(), s.sequence(), null, s.variant(), null));
        }
        for (String item : a.clicks()) {
            send(s, new Feedback(prefix + n++, FeedbackType.CLICK, s.customerId(), s.sessionId(), t.plusSeconds(1),
                    item, s.placement(), s.sequence(), null, s.variant(), null));
            clicks.incrementAndGet();
        }
    }

    private void send(Suggestions s, Feedback f) {
        producer.send(new ProducerRecord<>(topic, Topics.FEEDBACK.keyBytes(f), Topics.FEEDBACK.codec().encode(f)));
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
