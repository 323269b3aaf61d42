package io.nextbest.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.CatalogItem;
import io.nextbest.schemas.messages.Reason;
import io.nextbest.schemas.messages.Signal;
import io.nextbest.schemas.messages.SuggestedItem;
import io.nextbest.schemas.messages.Suggestions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The answer a list becomes when it reaches the store, against the list and catalog records it is made of. */
class ApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void anAnswerIsTheListWithTheCatalogFactsOfItsItems() throws Exception {
        Suggestions list = new Suggestions("c1", null, 7, "e7", "home", "hybrid", "v1", T, T, List.of(
                new SuggestedItem("A1", 1, 0.9, List.of(new Reason(Signal.COLLABORATIVE, "viewed together with B",
                        0.8, "B"))),
                new SuggestedItem("Z9", 2, 0.5, List.of(new Reason(Signal.TRENDING, "trending #1", 3.0, null)))));
        Map<String, byte[]> catalog = Map.of("A1", Topics.CATALOG.codec().encode(new CatalogItem("A1", "Boot",
                List.of("shoes", "boots"), "acme", 79.5, "EUR", List.of("winter"), true, 0.3, T)));

        JsonNode answer = JSON.readTree(Api.answer(Topics.SUGGESTIONS.codec().encode(list), catalog::get));

        JsonNode original = JSON.readTree(Topics.SUGGESTIONS.codec().encode(list));
        assertThat(answer.path("source").asText()).isEqualTo("personal");
        for (String field : List.of("customerId", "sequence", "triggerEventId", "placement", "strategy", "variant",
                "eventTime", "generatedAt")) {
            assertThat(answer.get(field)).as(field).isEqualTo(original.get(field));
        }
        assertThat(answer.path("items").findValuesAsText("itemId")).containsExactly("A1", "Z9");
        JsonNode a1 = answer.path("items").get(0);
        assertThat(a1.path("title").asText()).isEqualTo("Boot");
        assertThat(a1.path("price").asDouble()).isEqualTo(79.5);
        assertThat(a1.path("currency").asText()).isEqualTo("EUR");
        assertThat(a1.path("categoryPath").get(1).asText()).isEqualTo("boots");
        assertThat(a1.path("brand").asText()).isEqualTo("acme");
        assertThat(a1.path("inStock").asBoolean()).isTrue();
        assertThat(a1.has("margin")).as("the margin is the shop's business, not the page's").isFalse();
        assertThat(a1.path("reasons")).isEqualTo(original.path("items").get(0).path("reasons"));
        JsonNode z9 = answer.path("items").get(1);
        assertThat(z9.has("title")).as("an item the catalog does not know keeps the list's fields only").isFalse();
        assertThat(z9.path("score").asDouble()).isEqualTo(0.5);
    }

    @Test
    void errorsAreJsonWithACodeAndADetail() throws Exception {
        Api.Answer a = Api.error(413, "oversized", "too big");
        assertThat(a.status()).isEqualTo(413);
        assertThat(JSON.readTree(a.body())).isEqualTo(JSON.readTree("{\"error\":\"oversized\",\"detail\":\"too big\"}"));
    }
}
