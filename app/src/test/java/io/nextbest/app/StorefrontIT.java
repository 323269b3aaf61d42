package io.nextbest.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.job.JobSetup;
import io.nextbest.job.NextbestJob;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.io.TopicAdmin;
import io.nextbest.kafka.EmbeddedKafka;
import io.nextbest.schemas.Topic;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.CatalogItem;
import io.nextbest.schemas.messages.Channel;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.Rule;
import io.nextbest.schemas.messages.RuleKind;
import io.nextbest.serving.ServingService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo storefront as a person uses it, in headless Chromium (Debian's {@code chromium} and {@code chromium-driver};
 * {@code .ci/run} installs them): the embedded broker, the real job on a local Flink cluster and the serving service
 * with the demo's configuration. Other shoppers' history makes two pairs of items "viewed together"; the test clicks
 * one item of each pair and asserts that the panel's first two items are their partners, each with the reason that
 * names the clicked item; that impressions and a click of the list reach {@code feedback} with its sequence; that a
 * product page shows "viewed together"; and that a signed-in shopper's basket left alone shows the contact rules'
 * decision. Screenshots go to {@code target/storefront-it/}. If the browser cannot start the test fails.
 */
class StorefrontIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SHOTS = Path.of("target", "storefront-it");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path work;
    private String bootstrap;

    @Test
    void aShopperClicksAndThePanelFollows() throws Exception {
        Files.createDirectories(SHOTS);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(0)) {
            bootstrap = kafka.bootstrapServers();
            NextbestConfig config = Demo.config(null, kafka.bootstrapServers(), work, 0, List.of(
                    "trigger.idle-time=3s", // the demo's 20 s, shortened so that the test need not wait
                    "exploration.share=0", // no random slot among the items the test asserts on
                    "job.checkpoint-interval=2s", "job.parallelism=1"));
            TopicAdmin.createMissing(config, 2, (short) 1);
            history(kafka);

            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(
                    JobSetup.flinkConfiguration(config));
            JobSetup.configure(env, config);
            NextbestJob.buildWithKafka(env, config);
            JobClient job = env.executeAsync("storefront-it");
            try (ServingService serving = ServingService.start(config)) {
                String base = "http://localhost:" + serving.port();
                // the job has read the history: both pairs are in the neighbour index the page reads
                awaitFirstNeighbour(base, "P01", "P02");
                awaitFirstNeighbour(base, "P05", "P06");

                WebDriver browser = chromium();
                try {
                    shop(browser, base);
                } finally {
                    shot(browser, "storefront.png");
                    browser.quit();
                }
            } finally {
                job.cancel().get();
            }
        }
    }

    private void shop(WebDriver browser, String base) throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        browser.get(Demo.shopUrl(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1))));
        wait.until(d -> d.findElements(By.cssSelector("#grid .product")).size() == 12);
        WebElement card = browser.findElement(By.cssSelector(".product[data-item='P01']"));
        assertThat(card.getText()).contains("Trail shoe 1").contains("shoes › trail").contains("30.00 EUR");

        // anonymous: click P01; its list follows within the page's wait (the page waits for the list of its event)
        String before = lastEvent(browser);
        card.click();
        awaitListOfNewEvent(wait, before);
        assertThat(text(browser, "#product-title")).isEqualTo("Trail shoe 1");
        wait.until(d -> !d.findElements(By.cssSelector("#viewed-together li[data-item]")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("#viewed-together li")).getAttribute("data-item")).isEqualTo("P02");
        WebElement meta = browser.findElement(By.id("suggestions-meta"));
        assertThat(meta.getAttribute("data-experiment")).isEqualTo("exp-aa");
        assertThat(meta.getAttribute("data-variant")).isIn("control", "same");
        assertThat(meta.getText()).contains("variant " + meta.getAttribute("data-variant") + " of experiment exp-aa");
        List<WebElement> first = suggestions(browser);
        assertThat(first.get(0).getAttribute("data-item")).isEqualTo("P02");
        assertThat(first.get(0).findElement(By.className("reasons")).getText())
                .contains("viewed together with “Trail shoe 1”");

        // then P05 (kitchen): the first two are the two partners, each for the item it was viewed with
        before = lastEvent(browser);
        browser.findElement(By.cssSelector(".product[data-item='P05']")).click();
        awaitListOfNewEvent(wait, before);
        List<WebElement> second = suggestions(browser);
        List<String> top2 = List.of(second.get(0).getAttribute("data-item"), second.get(1).getAttribute("data-item"));
        assertThat(top2).containsExactlyInAnyOrder("P02", "P06");
        for (WebElement li : second.subList(0, 2)) {
            String partnerOf = li.getAttribute("data-item").equals("P02") ? "Trail shoe 1" : "Chef knife 5";
            assertThat(li.findElement(By.className("reasons")).getText()).contains("viewed together with “" + partnerOf + "”");
        }
        shot(browser, "after-clicks.png");

        // impressions of the shown list and a click on a suggestion reach the feedback topic with the list's sequence
        String sequence = browser.findElement(By.id("suggestions-meta")).getAttribute("data-sequence");
        String variant = browser.findElement(By.id("suggestions-meta")).getAttribute("data-variant");
        wait.until(d -> Integer.parseInt(d.findElement(By.id("feedback-count")).getAttribute("data-impressions")) >= 12);
        String clicked = second.get(0).getAttribute("data-item");
        before = lastEvent(browser);
        second.get(0).click();
        wait.until(d -> "1".equals(d.findElement(By.id("feedback-count")).getAttribute("data-clicks")));
        awaitListOfNewEvent(wait, before);
        List<JsonNode> feedback = read(bootstrap, "feedback", 13);
        assertThat(feedback).anySatisfy(f -> {
            assertThat(f.path("type").asText()).isEqualTo("click");
            assertThat(f.path("itemId").asText()).isEqualTo(clicked);
            assertThat(f.path("suggestionSequence").asText()).isEqualTo(sequence);
            assertThat(f.path("variant").asText()).isEqualTo(variant);
        });
        assertThat(feedback).filteredOn(f -> f.path("type").asText().equals("impression")
                && f.path("suggestionSequence").asText().equals(sequence)).hasSizeGreaterThanOrEqualTo(2);

        // "Not interested": the item leaves the panel, the dismissal reaches feedback, and the session's later lists
        // leave the item out (the dismissal and the next view travel on different topics: a few views may be needed)
        WebElement first3 = suggestions(browser).get(0);
        String dismissed = first3.getAttribute("data-item");
        first3.findElement(By.className("dismiss")).click();
        wait.until(d -> "1".equals(d.findElement(By.id("feedback-count")).getAttribute("data-dismissals")));
        assertThat(shownItems(wait)).doesNotContain(dismissed);
        assertThat(readUntil(bootstrap, "feedback", f -> f.path("type").asText().equals("dismiss"))).anySatisfy(f -> {
            assertThat(f.path("type").asText()).isEqualTo("dismiss");
            assertThat(f.path("itemId").asText()).isEqualTo(dismissed);
        });
        String partner = dismissed.equals("P02") ? "P01" : dismissed.equals("P06") ? "P05" : "P05";
        List<String> after = List.of();
        for (int attempt = 0; attempt < 5; attempt++) {
            before = lastEvent(browser);
            browser.findElement(By.cssSelector(".product[data-item='" + partner + "']")).click();
            awaitListOfNewEvent(wait, before);
            after = shownItems(wait);
            if (!after.contains(dismissed)) {
                break;
            }
            Thread.sleep(1000);
        }
        assertThat(after).as("the list after viewing " + partner).isNotEmpty().doesNotContain(dismissed);

        // sign in, consent to email, put something in the basket and leave it: the decision shows
        browser.findElement(By.id("customer")).clear();
        browser.findElement(By.id("customer")).sendKeys("shopper-1");
        browser.findElement(By.id("sign-in")).click();
        wait.until(d -> text(d, "#who").equals("Signed in as shopper-1"));
        browser.findElement(By.id("consent")).click();
        before = lastEvent(browser);
        browser.findElement(By.cssSelector(".product[data-item='P03'] .add")).click();
        awaitListOfNewEvent(wait, before);
        wait.until(d -> text(d, "#basket").equals("1 × Trail shoe 3"));
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(d ->
                "sent".equals(d.findElement(By.id("trigger")).getAttribute("data-outcome")));
        assertThat(text(browser, "#trigger")).startsWith("Basket reminder sent by email").contains("30.00 EUR, 1 line");
    }

    // ---------------------------------------------------------------- the shop's data

    /** Twelve items in two categories; 20 shoppers viewed P01 with P02, and 20 others P05 with P06. */
    private static void history(EmbeddedKafka kafka) throws Exception {
        Instant t = Instant.now().minusSeconds(120);
        try (KafkaProducer<byte[], byte[]> p = producer(kafka.bootstrapServers())) {
            for (int i = 1; i <= 12; i++) {
                boolean shoes = i <= 4 || i > 8;
                send(p, Topics.CATALOG, new CatalogItem(String.format("P%02d", i),
                        (shoes ? "Trail shoe " : "Chef knife ") + i, shoes ? List.of("shoes", "trail") : List.of("kitchen",
                        "knives"), shoes ? "Stride" : "Edge", 30.0 + (shoes ? 0 : 10), "EUR", List.of(), true, null, t));
            }
            // an experiment on the page's placements whose two arms both rank as configured (an A/A test): the lists
            // carry their arm, the page shows it, feedback carries it back; the assertions on items hold in either arm
            send(p, Topics.RULES, new Rule("exp-aa", RuleKind.EXPERIMENT, true, "A/A on the demo shop",
                    t.minusSeconds(3600), t.plusSeconds(86_400), null, JSON.readTree("{\"placements\":[\"grid\","
                    + "\"product\",\"suggestions\"],\"control\":{\"share\":0.5},\"variants\":[{\"name\":\"same\","
                    + "\"weight\":1}]}"), t));
            for (int c = 0; c < 40; c++) {
                String[] pair = c < 20 ? new String[] {"P01", "P02"} : new String[] {"P05", "P06"};
                for (int k = 0; k < 2; k++) {
                    send(p, Topics.INTERACTIONS, new Interaction("h-" + c + "-" + k, InteractionType.VIEW,
                            "h" + c, null, pair[k], null, t.plusMillis(c * 1000L + k * 100L), Channel.WEB, "product",
                            null, null));
                }
            }
            p.flush();
        }
    }

    // ---------------------------------------------------------------- helpers

    private static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1300");
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        return new ChromeDriver(driver, options);
    }

    /** The event the page last sent (it marks it before sending), "" before any. */
    private static String lastEvent(WebDriver d) {
        return String.valueOf(((JavascriptExecutor) d).executeScript("return document.body.dataset.lastEvent || ''"));
    }

    /** Waits until the page has sent an event after {@code before} and the panel shows the list made from it. */
    private static void awaitListOfNewEvent(WebDriverWait wait, String before) {
        wait.until(d -> {
            String last = lastEvent(d);
            return !last.isEmpty() && !last.equals(before)
                    && last.equals(d.findElement(By.id("suggestions-meta")).getAttribute("data-trigger-event"));
        });
    }

    /**
     * The items the panel shows, read in one go: a list that arrives while they are read replaces the panel's elements
     * (a stale element, seen in CI), and the read starts again on the new ones.
     */
    private static List<String> shownItems(WebDriverWait wait) {
        return wait.ignoring(StaleElementReferenceException.class)
                .until(d -> suggestions(d).stream().map(e -> e.getAttribute("data-item")).toList());
    }

    private static List<WebElement> suggestions(WebDriver browser) {
        List<WebElement> items = browser.findElements(By.cssSelector("#suggestions li.suggestion"));
        assertThat(items).as("suggestions shown").hasSizeGreaterThanOrEqualTo(2);
        return items;
    }

    private static String text(WebDriver d, String css) {
        return d.findElement(By.cssSelector(css)).getText().trim();
    }

    private static void shot(WebDriver browser, String name) throws Exception {
        Path file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(file, SHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void awaitFirstNeighbour(String base, String item, String expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/items/" + item
                    + "/similar")).build(), HttpResponse.BodyHandlers.ofString());
            last = r.statusCode() + " " + r.body();
            if (r.statusCode() == 200 && JSON.readTree(r.body()).path("items").path(0).path("itemId").asText()
                    .equals(expected)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no neighbours for " + item + " within 120 s: " + last);
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static <T> void send(KafkaProducer<byte[], byte[]> p, Topic<T> topic, T message) throws Exception {
        p.send(new ProducerRecord<>(topic.name(), topic.keyBytes(message), topic.codec().encode(message))).get();
    }

    /** Records of a topic from the start, until one is {@code wanted} (or 20 s passed). */
    private static List<JsonNode> readUntil(String bootstrap, String topic,
            java.util.function.Predicate<JsonNode> wanted) throws Exception {
        List<JsonNode> out = read(bootstrap, topic, 1);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (out.stream().noneMatch(wanted) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            out = read(bootstrap, topic, out.size() + 1);
        }
        return out;
    }

    private static List<JsonNode> read(String bootstrap, String topic, int atLeast) throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "storefront-it-" + System.nanoTime());
        List<JsonNode> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline && out.size() < atLeast) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(JSON.readTree(new String(r.value(), StandardCharsets.UTF_8)));
                }
            }
        }
        return out;
    }
}
