package io.nextbest.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.schemas.messages.OrderLine;
import io.nextbest.schemas.messages.Transaction;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The optional list price of an order line: read, written only when given, and what makes a line discounted. */
class OrderLineTest {

    @Test
    void listPricesAreReadAndALineBelowItsListPriceIsDiscounted() throws Exception {
        Transaction t = Topics.TRANSACTIONS.codec().decode(
                ExampleFiles.bytes("transactions", "valid-order-with-list-prices.json"));

        assertThat(t.lines()).containsExactly(
                new OrderLine("SKU-48213-BLK-M", 1, 44.95, 59.95),
                new OrderLine("SKU-10077", 2, 19.99, 19.99),
                new OrderLine("SKU-55410", 1, 12.5));
        assertThat(t.lines()).extracting(OrderLine::discounted).containsExactly(true, false, false);
    }

    @Test
    void theThreeArgumentConstructorLeavesTheListPriceOut() {
        OrderLine line = new OrderLine("SKU-1", 2, 9.99);

        assertThat(line).isEqualTo(new OrderLine("SKU-1", 2, 9.99, null));
        assertThat(line.listPrice()).isNull();
        assertThat(line.discounted()).isFalse();
        assertThat(new OrderLine("SKU-1", 1, 10.0, 9.0).discounted()).as("above list price").isFalse();
    }

    @Test
    void aLineWithoutListPriceIsWrittenWithoutTheFieldAndDiscountedIsNeverWritten() throws Exception {
        JsonCodec<OrderLine> codec = new JsonCodec<>(OrderLine.class);

        assertThat(new String(codec.encode(new OrderLine("SKU-1", 2, 9.99)), StandardCharsets.UTF_8))
                .isEqualTo("{\"itemId\":\"SKU-1\",\"quantity\":2,\"unitPrice\":9.99}");
        String discounted = new String(codec.encode(new OrderLine("SKU-1", 2, 7.5, 9.99)), StandardCharsets.UTF_8);
        assertThat(discounted).isEqualTo("{\"itemId\":\"SKU-1\",\"quantity\":2,\"unitPrice\":7.5,\"listPrice\":9.99}");
        assertThat(codec.decode(discounted.getBytes(StandardCharsets.UTF_8))).isEqualTo(new OrderLine("SKU-1", 2, 7.5, 9.99));
        assertThat(codec.decode("{\"itemId\":\"SKU-1\",\"quantity\":2,\"unitPrice\":9.99}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new OrderLine("SKU-1", 2, 9.99));
    }
}
