package io.nextbest.loadtest.replay;

import static io.nextbest.loadtest.replay.ReplayFixtures.decodeStrictly;
import static io.nextbest.loadtest.replay.ReplayFixtures.drain;
import static io.nextbest.loadtest.replay.ReplayFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.nextbest.generator.InputEvent;
import io.nextbest.loadtest.replay.ReplayOptions.TimeShift;
import io.nextbest.schemas.messages.CatalogItem;
import io.nextbest.schemas.messages.Channel;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.OrderLine;
import io.nextbest.schemas.messages.Transaction;
import io.nextbest.schemas.messages.TransactionType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each layout of datasets.yaml on tiny hand-made files: exact events, order, values and skip counts. */
class DatasetReplayTest {
    private static final Datasets DATASETS = Datasets.load();

    @TempDir
    Path folder;

    // ---- Taobao: no header, unix seconds, a time window ----

    private static final String TAOBAO = String.join("\n",
            "1,100,7,pv,1511600000", // 1: view
            "1,101,7,cart,1511600000", // 2: same second as line 1: after it
            "2,100,7,buy,1511500000", // 3: before the time window
            "2,102,8,fav,1511599999", // 4: the earliest event
            "3,103,8,click,1511600001", // 5: Taobao has no click
            "3,103,8,buy,15116x", // 6: bad time
            "4,104,9,buy,1511600002", // 7: order without a price
            ",105,9,pv,1511600003", // 8: no customer
            "1,106,7", // 9: too few columns
            "") + "\n";

    @Test
    void taobaoRowsBecomeEventsInTimeOrderWithTiesInFileOrder() {
        write(folder, "taobao-userbehavior-slice/UserBehavior.csv", TAOBAO);
        DatasetReplay replay = DatasetReplay.open(DATASETS.get("taobao"), folder, ReplayOptions.defaults());
        List<InputEvent> events = drain(replay);

        assertThat(events).extracting(InputEvent::eventId, InputEvent::topic, InputEvent::key, InputEvent::customerKey,
                        InputEvent::itemId, InputEvent::action, InputEvent::eventTimeMs)
                .containsExactly(
                        tuple("taobao-1-4", "interactions", "2", "2", "102", "wishlist", 1511599999000L),
                        tuple("taobao-1-1", "interactions", "1", "1", "100", "view", 1511600000000L),
                        tuple("taobao-1-2", "interactions", "1", "1", "101", "add_to_cart", 1511600000000L),
                        tuple("taobao-1-7", "transactions", "4", "4", "104", "order", 1511600002000L));

        assertThat(decodeStrictly(events.get(1))).isEqualTo(new Interaction("taobao-1-1", InteractionType.VIEW, "1",
                null, "100", null, Instant.ofEpochSecond(1511600000), Channel.WEB, null, null, null));
        assertThat(decodeStrictly(events.get(3))).isEqualTo(new Transaction("taobao-1-7", TransactionType.ORDER,
                "taobao-1-7", "4", Instant.ofEpochSecond(1511600002), List.of(new OrderLine("104", 1, 0.0)), 0.0, "EUR",
                Channel.WEB));
        events.forEach(ReplayFixtures::decodeStrictly);
        assertThat(events).allSatisfy(e -> assertThat(e.scorable()).isTrue());

        ReplayStats stats = replay.stats();
        assertThat(stats.rowsRead()).isEqualTo(9);
        assertThat(stats.rowsMapped()).isEqualTo(4);
        assertThat(stats.skipped()).containsExactly(
                Map.entry(SkipReason.TOO_FEW_COLUMNS, 1L),
                Map.entry(SkipReason.BAD_ID, 1L),
                Map.entry(SkipReason.UNKNOWN_EVENT_TYPE, 1L),
                Map.entry(SkipReason.BAD_TIME, 1L),
                Map.entry(SkipReason.OUTSIDE_TIME_WINDOW, 1L));
        assertThat(stats.firstSkipped()).containsEntry(SkipReason.OUTSIDE_TIME_WINDOW,
                "taobao-userbehavior-slice/UserBehavior.csv:3");
        assertThat(stats.unknownEventTypes()).containsExactly(Map.entry("click", 1L));
        assertThat(stats.files()).containsExactly(
                new ReplayStats.FileStats("taobao-userbehavior-slice/UserBehavior.csv", 9, 4, 5));
        assertThat(stats.customers()).isEqualTo(3);
        assertThat(stats.items()).isEqualTo(4);
        assertThat(stats.actions()).containsExactly(
                Map.entry("view", 1L), Map.entry("add_to_cart", 1L), Map.entry("wishlist", 1L), Map.entry("order", 1L));
        assertThat(stats.firstEventMs()).isEqualTo(1511599999000L);
        assertThat(stats.lastEventMs()).isEqualTo(1511600002000L);
        assertThat(replay.position()).isEqualTo(4);
    }

    // ---- REES46: header, CRLF, 'UTC' pattern, price, session, category path, quotes ----

    private static final String REES46 = String.join("\r\n",
            "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session",
            "2019-10-01 00:00:01 UTC,view,44600062,2103807459595387724,,shiseido,35.79,541312140,72d76fde-8bb3",
            "2019-10-01 00:00:00 UTC,cart,3900821,2053013552326770905,appliances.environment.water_heater,aqua,33.20,554748717,9333dfbd",
            "2019-10-01 00:00:01 UTC,purchase,3900821,2053013552326770905,appliances.environment.water_heater,aqua,33.20,554748717,9333dfbd",
            "2019-10-01 00:00:02 UTC,remove_from_cart,3900821,2053013552326770905,,,,554748717,",
            "2019-10-01 00:00:03 UTC,view,1,2,,,abc,5,s",
            "2019-10-01 00:00:03 UTC,view,1,2,,,-1,5,s",
            "2019-10-01 00:00:03 UTC,refund,1,2,,,1,5,s",
            "2019-10-01T00:00:03Z,view,1,2,,,1,5,s",
            "\"2019-10-01 00:00:04 UTC\",view,\"1,5\",2,,\"br \"\"x\"\"\",0.00,5,s",
            "2019-10-01 00:00:05 UTC,view,1,2,,,1,5,\"s") + "\r\n";

    @Test
    void rees46CarriesPriceSessionAndMapsPurchasesToOneLineOrders() {
        write(folder, "rees46-multicategory-slice/2019-Oct.csv", REES46);
        DatasetReplay replay = DatasetReplay.open(DATASETS.get("rees46"), folder, ReplayOptions.defaults());
        List<InputEvent> events = drain(replay);

        Instant t0 = Instant.parse("2019-10-01T00:00:00Z");
        assertThat(events).extracting(InputEvent::eventId, InputEvent::topic, InputEvent::key, InputEvent::itemId,
                        InputEvent::action, InputEvent::eventTimeMs)
                .containsExactly(
                        tuple("rees46-1-3", "interactions", "554748717", "3900821", "add_to_cart", t0.toEpochMilli()),
                        tuple("rees46-1-2", "interactions", "541312140", "44600062", "view", t0.toEpochMilli() + 1000),
                        tuple("rees46-1-4", "transactions", "554748717", "3900821", "order", t0.toEpochMilli() + 1000),
                        tuple("rees46-1-5", "interactions", "554748717", "3900821", "remove_from_cart", t0.toEpochMilli() + 2000),
                        tuple("rees46-1-10", "interactions", "5", "1,5", "view", t0.toEpochMilli() + 4000));

        assertThat(decodeStrictly(events.get(0))).isEqualTo(new Interaction("rees46-1-3", InteractionType.ADD_TO_CART,
                "554748717", "9333dfbd", "3900821", null, t0, Channel.WEB, null, null, 33.20));
        assertThat(decodeStrictly(events.get(2))).isEqualTo(new Transaction("rees46-1-4", TransactionType.ORDER,
                "rees46-1-4", "554748717", t0.plusSeconds(1), List.of(new OrderLine("3900821", 1, 33.20)), 33.20, "EUR",
                Channel.WEB));
        assertThat(decodeStrictly(events.get(3))).isEqualTo(new Interaction("rees46-1-5",
                InteractionType.REMOVE_FROM_CART, "554748717", null, "3900821", null, t0.plusSeconds(2), Channel.WEB,
                null, null, null));
        assertThat(decodeStrictly(events.get(4))).isEqualTo(new Interaction("rees46-1-10", InteractionType.VIEW,
                "5", "s", "1,5", null, t0.plusSeconds(4), Channel.WEB, null, null, 0.0));
        assertThat(events.get(3).scorable()).isFalse();

        ReplayStats stats = replay.stats();
        assertThat(stats.rowsRead()).isEqualTo(10);
        assertThat(stats.skipped()).containsExactly(
                Map.entry(SkipReason.BAD_QUOTING, 1L),
                Map.entry(SkipReason.UNKNOWN_EVENT_TYPE, 1L),
                Map.entry(SkipReason.BAD_TIME, 1L),
                Map.entry(SkipReason.BAD_PRICE, 2L));
        assertThat(stats.firstSkipped()).containsEntry(SkipReason.BAD_PRICE, "rees46-multicategory-slice/2019-Oct.csv:6");
        assertThat(stats.unknownEventTypes()).containsExactly(Map.entry("refund", 1L));
    }

    @Test
    void catalogRecordsGoRightBeforeTheFirstEventOnEachItem() {
        write(folder, "rees46-multicategory-slice/2019-Oct.csv", REES46);
        List<InputEvent> events = drain(DatasetReplay.open(DATASETS.get("rees46"), folder,
                ReplayOptions.defaults().withCatalog(true)));

        assertThat(events).extracting(InputEvent::topic, InputEvent::key, InputEvent::eventId, InputEvent::itemId)
                .containsExactly(
                        tuple("catalog", "3900821", null, "3900821"),
                        tuple("interactions", "554748717", "rees46-1-3", "3900821"),
                        tuple("catalog", "44600062", null, "44600062"),
                        tuple("interactions", "541312140", "rees46-1-2", "44600062"),
                        tuple("transactions", "554748717", "rees46-1-4", "3900821"),
                        tuple("interactions", "554748717", "rees46-1-5", "3900821"),
                        tuple("catalog", "1,5", null, "1,5"),
                        tuple("interactions", "5", "rees46-1-10", "1,5"));
        Instant t0 = Instant.parse("2019-10-01T00:00:00Z");
        assertThat(decodeStrictly(events.get(0))).isEqualTo(new CatalogItem("3900821", "rees46 item 3900821",
                List.of("appliances", "environment", "water_heater"), "aqua", 33.20, "EUR", null, true, null, t0));
        assertThat(decodeStrictly(events.get(2))).isEqualTo(new CatalogItem("44600062", "rees46 item 44600062",
                List.of("2103807459595387724"), "shiseido", 35.79, "EUR", null, true, null, t0.plusSeconds(1)));
        assertThat(decodeStrictly(events.get(6))).isEqualTo(new CatalogItem("1,5", "rees46 item 1,5",
                List.of("2"), "br \"x\"", 0.0, "EUR", null, true, null, t0.plusSeconds(4)));
        assertThat(events.get(0).action()).isEqualTo("catalog");
        assertThat(events.get(0).customerKey()).isNull();
        assertThat(events.get(0).scorable()).isFalse();
    }

    // ---- JData: header, several files, float user ids, local times ----

    private static final String JDATA_1 = String.join("\n",
            "user_id,sku_id,time,model_id,type,cate,brand",
            "266079.0,138778,2016-02-01 00:00:02,,1,8,403",
            "266079.0,138778,2016-02-01 00:00:03,0,6,8,403",
            "266079.0,138778,2016-02-01 00:00:04,0,2,8,403",
            "266079.0,138778,2016-02-01 00:00:05,0,3,8,403",
            "266079.5,1,2016-02-01 00:00:05,0,1,8,403") + "\n";
    private static final String JDATA_2 = String.join("\n",
            "user_id,sku_id,time,model_id,type,cate,brand",
            "300.0,200,2016-02-01 00:00:03,,4,8,1",
            "300.0,201,2016-02-01 00:00:01,,5,8,1",
            "300.0,201,2016-02-01 00:00:01,,7,8,1") + "\n";

    private void writeJdata() {
        write(folder, "jdata-2016-slice/JData_Action_201602.csv", JDATA_1);
        write(folder, "jdata-2016-slice/JData_Action_201603.csv", JDATA_2);
        write(folder, "jdata-2016-slice/JData_Action_201604.csv", "user_id,sku_id,time,model_id,type,cate,brand\n");
    }

    /** 2016-02-01 00:00:00 in China (UTC+8). */
    private static final long JD0 = Instant.parse("2016-01-31T16:00:00Z").toEpochMilli();

    @Test
    void jdataMergesFilesByTimeKeepingFileOrderForTiesAndCleansFloatIds() {
        writeJdata();
        DatasetReplay replay = DatasetReplay.open(DATASETS.get("jdata"), folder, ReplayOptions.defaults());
        List<InputEvent> events = drain(replay);

        assertThat(events).extracting(InputEvent::eventId, InputEvent::topic, InputEvent::customerKey,
                        InputEvent::itemId, InputEvent::action, InputEvent::eventTimeMs)
                .containsExactly(
                        tuple("jdata-2-3", "interactions", "300", "201", "wishlist", JD0 + 1000),
                        tuple("jdata-1-2", "interactions", "266079", "138778", "view", JD0 + 2000),
                        tuple("jdata-1-3", "interactions", "266079", "138778", "click", JD0 + 3000),
                        tuple("jdata-2-2", "transactions", "300", "200", "order", JD0 + 3000),
                        tuple("jdata-1-4", "interactions", "266079", "138778", "add_to_cart", JD0 + 4000),
                        tuple("jdata-1-5", "interactions", "266079", "138778", "remove_from_cart", JD0 + 5000),
                        tuple("jdata-1-6", "interactions", "266079.5", "1", "view", JD0 + 5000));
        events.forEach(ReplayFixtures::decodeStrictly);
        assertThat(((Interaction) decodeStrictly(events.get(1))).timestamp()).isEqualTo("2016-01-31T16:00:02Z");

        ReplayStats stats = replay.stats();
        assertThat(stats.files()).extracting(ReplayStats.FileStats::rows, ReplayStats.FileStats::mapped)
                .containsExactly(tuple(5L, 5L), tuple(3L, 2L), tuple(0L, 0L));
        assertThat(stats.unknownEventTypes()).containsExactly(Map.entry("7", 1L));
    }

    @Test
    void limitsShiftAndSkipSelectAndMoveTheSortedStream() {
        writeJdata();
        var jdata = DATASETS.get("jdata");

        assertThat(drain(DatasetReplay.open(jdata, folder, ReplayOptions.defaults().withRowLimit(3))))
                .extracting(InputEvent::eventId).containsExactly("jdata-2-3", "jdata-1-2", "jdata-1-3");
        // customer 300 comes first in time; all of its events are kept
        DatasetReplay firstCustomer = DatasetReplay.open(jdata, folder, ReplayOptions.defaults().withCustomerLimit(1));
        assertThat(drain(firstCustomer)).extracting(InputEvent::eventId).containsExactly("jdata-2-3", "jdata-2-2");
        assertThat(firstCustomer.stats().eventsSelected()).isEqualTo(2);
        assertThat(firstCustomer.stats().rowsMapped()).isEqualTo(7);
        assertThat(drain(DatasetReplay.open(jdata, folder,
                        ReplayOptions.defaults().withCustomerLimit(2).withRowLimit(4))))
                .extracting(InputEvent::eventId).containsExactly("jdata-2-3", "jdata-1-2", "jdata-1-3", "jdata-2-2");

        Instant now = Instant.parse("2026-11-23T15:12:00.250Z");
        DatasetReplay shifted = DatasetReplay.open(jdata, folder, ReplayOptions.defaults().withShift(TimeShift.endAt(now)));
        List<InputEvent> events = drain(shifted);
        long shift = now.toEpochMilli() - (JD0 + 5000);
        assertThat(events).extracting(InputEvent::eventTimeMs).containsExactly(
                JD0 + 1000 + shift, JD0 + 2000 + shift, JD0 + 3000 + shift, JD0 + 3000 + shift, JD0 + 4000 + shift,
                now.toEpochMilli(), now.toEpochMilli());
        assertThat(((Interaction) decodeStrictly(events.get(6))).timestamp()).isEqualTo(now);
        assertThat(((Transaction) decodeStrictly(events.get(3))).timestamp())
                .isEqualTo(Instant.ofEpochMilli(JD0 + 3000 + shift));
        assertThat(shifted.stats().shiftMs()).isEqualTo(shift);
        assertThat(shifted.stats().lastEventMs()).isEqualTo(now.toEpochMilli());

        assertThat(drain(DatasetReplay.open(jdata, folder, ReplayOptions.defaults()
                        .withShift(TimeShift.startAt(Instant.ofEpochMilli(JD0))))))
                .extracting(InputEvent::eventTimeMs).first().isEqualTo(JD0);
        assertThat(drain(DatasetReplay.open(jdata, folder, ReplayOptions.defaults()
                        .withShift(TimeShift.by(Duration.ofDays(1))))))
                .extracting(InputEvent::eventTimeMs).first().isEqualTo(JD0 + 1000 + 86_400_000);

        DatasetReplay resumed = DatasetReplay.open(jdata, folder, ReplayOptions.defaults().withSkip(5));
        assertThat(resumed.position()).isEqualTo(5);
        assertThat(drain(resumed)).extracting(InputEvent::eventId).containsExactly("jdata-1-5", "jdata-1-6");
        assertThat(resumed.position()).isEqualTo(7);
    }

    // ---- a new layout needs only a new entry ----

    @Test
    void aNewLayoutNeedsOnlyAMappingEntry() {
        Datasets custom = Datasets.parse("""
                datasets:
                  shop:
                    files: [shop/a.psv]
                    header: false
                    delimiter: "|"
                    columns: {time: 0, customer: 1, item: 2, event-type: 3, price: 4, quantity: 5}
                    time-format: iso-instant
                    clean:
                      event-type: [lowercase]
                      item: [strip-zero-fraction]
                    event-types: {view: view, basket: add_to_cart, buy: order, like: wishlist}
                    currency: USD
                    channel: app
                """, "test");
        write(folder, "shop/a.psv", String.join("\n",
                "2024-03-01T10:00:03+01:00|c1|7.0|VIEW||",
                "2024-03-01T09:00:00.5Z|c1|8|Basket|0.1|3",
                "2024-03-01T09:00:01Z|c1|8|buy|0.1|3",
                "2024-03-01T09:00:02Z|c1|8|buy|0.1|0",
                "2024-03-01T09:00:02Z|c1|8|buy|0.1|x") + "\n");
        DatasetReplay replay = DatasetReplay.open(custom.get("shop"), folder, ReplayOptions.defaults());
        List<InputEvent> events = drain(replay);

        assertThat(events).extracting(InputEvent::eventId, InputEvent::action, InputEvent::itemId)
                .containsExactly(tuple("shop-1-2", "add_to_cart", "8"), tuple("shop-1-3", "order", "8"),
                        tuple("shop-1-1", "view", "7"));
        assertThat(decodeStrictly(events.get(0))).isEqualTo(new Interaction("shop-1-2", InteractionType.ADD_TO_CART,
                "c1", null, "8", null, Instant.parse("2024-03-01T09:00:00.500Z"), Channel.APP, null, 3, 0.1));
        Transaction order = (Transaction) decodeStrictly(events.get(1));
        assertThat(order.total()).isEqualTo(0.3); // exact decimal, not 0.30000000000000004
        assertThat(order.lines()).containsExactly(new OrderLine("8", 3, 0.1));
        assertThat(order.currency()).isEqualTo("USD");
        assertThat(order.channel()).isEqualTo(Channel.APP);
        assertThat(events.get(2).eventTimeMs()).isEqualTo(Instant.parse("2024-03-01T09:00:03Z").toEpochMilli());
        assertThat(replay.stats().skipped()).containsExactly(Map.entry(SkipReason.BAD_QUANTITY, 2L));
    }

    // ---- no category, no catalog record: the replay makes none up (issue 16) ----

    @Test
    void aMappingWithoutACategoryColumnGivesNoCatalogRecordsAndNoMadeUpCategory() {
        Datasets custom = Datasets.parse("""
                datasets:
                  shop:
                    files: [shop/a.csv]
                    header: false
                    columns: {time: 0, customer: 1, item: 2, event-type: 3, brand: 4}
                    time-format: iso-instant
                    event-types: {view: view}
                """, "test");
        write(folder, "shop/a.csv", String.join("\n",
                "2024-03-01T09:00:00Z,c1,7,view,acme",
                "2024-03-01T09:00:01Z,c1,8,view,acme",
                "2024-03-01T09:00:02Z,c2,7,view,") + "\n");
        DatasetReplay replay = DatasetReplay.open(custom.get("shop"), folder, ReplayOptions.defaults().withCatalog(true));
        List<InputEvent> events = drain(replay);

        assertThat(events).extracting(InputEvent::topic, InputEvent::eventId).containsExactly(
                tuple("interactions", "shop-1-1"), tuple("interactions", "shop-1-2"), tuple("interactions", "shop-1-3"));
        assertThat(events).allSatisfy(e -> assertThat(new String(e.value(), java.nio.charset.StandardCharsets.UTF_8))
                .doesNotContainIgnoringCase("unknown"));
        ReplayStats stats = replay.stats();
        assertThat(stats.catalogRecords()).isZero();
        assertThat(stats.catalogRecordsWithoutCategory()).isEqualTo(2);
        assertThat(stats.summary()).contains("2 items without a category (no catalog record)")
                .doesNotContainIgnoringCase("unknown");
        // without catalog records nothing is counted as missing
        assertThat(DatasetReplay.open(custom.get("shop"), folder, ReplayOptions.defaults()).stats()
                .catalogRecordsWithoutCategory()).isZero();
    }

    @Test
    void anItemsCatalogRecordGoesBeforeItsFirstRowWithACategory() {
        Datasets custom = Datasets.parse("""
                datasets:
                  shop:
                    files: [shop/a.csv]
                    header: false
                    columns: {time: 0, customer: 1, item: 2, event-type: 3, category: 4}
                    time-format: iso-instant
                    event-types: {view: view}
                """, "test");
        write(folder, "shop/a.csv", String.join("\n",
                "2024-03-01T09:00:00Z,c1,8,view,",
                "2024-03-01T09:00:01Z,c1,7,view,",
                "2024-03-01T09:00:02Z,c2,8,view,shoes",
                "2024-03-01T09:00:03Z,c2,8,view,") + "\n");
        DatasetReplay replay = DatasetReplay.open(custom.get("shop"), folder, ReplayOptions.defaults().withCatalog(true));
        List<InputEvent> events = drain(replay);

        assertThat(events).extracting(InputEvent::topic, InputEvent::eventId, InputEvent::itemId).containsExactly(
                tuple("interactions", "shop-1-1", "8"), tuple("interactions", "shop-1-2", "7"),
                tuple("catalog", null, "8"), tuple("interactions", "shop-1-3", "8"),
                tuple("interactions", "shop-1-4", "8"));
        assertThat(decodeStrictly(events.get(2))).isEqualTo(new CatalogItem("8", "shop item 8", List.of("shoes"), null,
                0.0, "EUR", null, true, null, Instant.parse("2024-03-01T09:00:02Z")));
        assertThat(replay.stats().catalogRecords()).isEqualTo(1);
        assertThat(replay.stats().catalogRecordsWithoutCategory()).isEqualTo(1);
    }

    @Test
    void aHeaderWithoutAMappedColumnIsAnErrorNamingDatasetKeyAndFile() {
        write(folder, "rees46-multicategory-slice/2019-Oct.csv", "event_time,event_type,product_id,user_id\n");
        assertThatThrownBy(() -> DatasetReplay.open(DATASETS.get("rees46"), folder, ReplayOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dataset 'rees46'")
                .hasMessageContaining("key 'columns.price'")
                .hasMessageContaining("2019-Oct.csv")
                .hasMessageContaining("no column 'price'");
    }

    @Test
    void aMissingFileIsAnErrorNamingTheDataset() {
        assertThatThrownBy(() -> DatasetReplay.open(DATASETS.get("taobao"), folder, ReplayOptions.defaults()))
                .hasMessageContaining("dataset 'taobao'")
                .hasMessageContaining("UserBehavior.csv");
    }
}
