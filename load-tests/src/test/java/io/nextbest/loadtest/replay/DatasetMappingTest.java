package io.nextbest.loadtest.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nextbest.loadtest.replay.DatasetMapping.Action;
import io.nextbest.loadtest.replay.DatasetMapping.Cleaning;
import io.nextbest.loadtest.replay.DatasetMapping.ColumnRef;
import io.nextbest.loadtest.replay.DatasetMapping.Field;
import io.nextbest.schemas.messages.Channel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatasetMappingTest {

    @Test
    void theShippedMappingsDescribeTheThreeDataSets() {
        Datasets datasets = Datasets.load();
        assertThat(datasets.names()).containsExactly("taobao", "rees46", "jdata");

        DatasetMapping taobao = datasets.get("taobao");
        assertThat(taobao.files()).containsExactly("taobao-userbehavior-slice/UserBehavior.csv");
        assertThat(taobao.header()).isFalse();
        assertThat(taobao.columns()).containsExactly(
                Map.entry(Field.CUSTOMER, ColumnRef.of(0)), Map.entry(Field.ITEM, ColumnRef.of(1)),
                Map.entry(Field.EVENT_TYPE, ColumnRef.of(3)), Map.entry(Field.TIME, ColumnRef.of(4)),
                Map.entry(Field.CATEGORY, ColumnRef.of(2)));
        assertThat(taobao.timeFormat().kind()).isEqualTo(DatasetMapping.TimeFormat.Kind.UNIX_SECONDS);
        assertThat(taobao.eventTypes()).containsExactly(Map.entry("pv", Action.VIEW), Map.entry("cart", Action.ADD_TO_CART),
                Map.entry("fav", Action.WISHLIST), Map.entry("buy", Action.ORDER));
        assertThat(taobao.windowFrom()).isEqualTo(Instant.parse("2017-11-24T16:00:00Z"));
        assertThat(taobao.windowTo()).isEqualTo(Instant.parse("2017-12-03T16:00:00Z"));

        DatasetMapping rees46 = datasets.get("rees46");
        assertThat(rees46.header()).isTrue();
        assertThat(rees46.column(Field.CATEGORY_PATH)).isEqualTo(ColumnRef.of("category_code"));
        assertThat(rees46.column(Field.SESSION)).isEqualTo(ColumnRef.of("user_session"));
        assertThat(rees46.column(Field.PRICE)).isEqualTo(ColumnRef.of("price"));
        assertThat(rees46.timeFormat().pattern()).isEqualTo("yyyy-MM-dd HH:mm:ss 'UTC'");
        assertThat(rees46.eventTypes()).containsExactly(Map.entry("view", Action.VIEW),
                Map.entry("cart", Action.ADD_TO_CART), Map.entry("remove_from_cart", Action.REMOVE_FROM_CART),
                Map.entry("purchase", Action.ORDER));
        assertThat(rees46.currency()).isEqualTo("EUR");
        assertThat(rees46.channel()).isEqualTo(Channel.WEB);

        DatasetMapping jdata = datasets.get("jdata");
        assertThat(jdata.files()).hasSize(3);
        assertThat(jdata.clean()).containsExactly(Map.entry(Field.CUSTOMER, List.of(Cleaning.STRIP_ZERO_FRACTION)));
        assertThat(jdata.timeZone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        assertThat(jdata.eventTypes()).containsExactly(Map.entry("1", Action.VIEW), Map.entry("2", Action.ADD_TO_CART),
                Map.entry("3", Action.REMOVE_FROM_CART), Map.entry("4", Action.ORDER), Map.entry("5", Action.WISHLIST),
                Map.entry("6", Action.CLICK));
        assertThat(jdata.clean(Field.CUSTOMER, " 266079.0 ")).isEqualTo("266079");
        assertThat(jdata.clean(Field.CUSTOMER, "266079.5")).isEqualTo("266079.5");
        assertThat(jdata.clean(Field.ITEM, "1.0")).isEqualTo("1.0");
    }

    @Test
    void timeFormatsReadTheirValues() {
        ZoneId utc = ZoneId.of("UTC");
        assertThat(DatasetMapping.TimeFormat.parse("unix-seconds").toEpochMilli("1511544070", utc)).isEqualTo(1511544070000L);
        assertThat(DatasetMapping.TimeFormat.parse("unix-seconds").toEpochMilli("1511544070.25", utc)).isEqualTo(1511544070250L);
        assertThat(DatasetMapping.TimeFormat.parse("unix-millis").toEpochMilli("1511544070123", utc)).isEqualTo(1511544070123L);
        assertThat(DatasetMapping.TimeFormat.parse("iso-instant").toEpochMilli("2019-10-01T02:00:00+02:00", utc))
                .isEqualTo(Instant.parse("2019-10-01T00:00:00Z").toEpochMilli());
        assertThat(DatasetMapping.TimeFormat.parse("yyyy-MM-dd HH:mm:ss 'UTC'").toEpochMilli("2019-10-01 00:00:01 UTC", utc))
                .isEqualTo(Instant.parse("2019-10-01T00:00:01Z").toEpochMilli());
        assertThat(DatasetMapping.TimeFormat.parse("yyyy-MM-dd HH:mm:ss").toEpochMilli("2016-02-01 00:00:00",
                ZoneId.of("Asia/Shanghai"))).isEqualTo(Instant.parse("2016-01-31T16:00:00Z").toEpochMilli());
        assertThatThrownBy(() -> DatasetMapping.TimeFormat.parse("yyyy-MM-dd").toEpochMilli("2016-02-01", utc))
                .hasMessageContaining("does not give a date and a time");
    }

    private static final String VALID = """
            datasets:
              shop:
                files: [a.csv]
                header: false
                columns: {customer: 0, item: 1, event-type: 2, time: 3}
                time-format: unix-seconds
                event-types: {v: view}
            """;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown key               | 'files: [a.csv]'                | 'fles: [a.csv]'                     | key 'fles': unknown key",
        "missing files             | 'files: [a.csv]'                | 'description: x'                    | key 'files': missing",
        "absolute file             | 'files: [a.csv]'                | 'files: [/etc/passwd]'              | key 'files[0]'",
        "header not boolean        | 'header: false'                 | 'header: maybe'                     | key 'header': expected true or false",
        "name without header       | 'customer: 0'                   | 'customer: user_id'                 | key 'columns.customer': column name 'user_id' needs header: true",
        "negative index            | 'customer: 0'                   | 'customer: -1'                      | key 'columns.customer': column index -1 is negative",
        "unknown field             | 'customer: 0'                   | 'customer: 0, colour: 4'            | key 'columns.colour': unknown field",
        "missing required column   | 'customer: 0, '                 | ''                                  | key 'columns.customer': missing",
        "bad time format           | 'time-format: unix-seconds'     | 'time-format: \"yyyy-MM-dd HH:mm:ss qqqq{\"' | key 'time-format'",
        "bad zone                  | 'time-format: unix-seconds'     | 'time-format: unix-seconds\\n    time-zone: Mars/Olympus' | key 'time-zone': 'Mars/Olympus'",
        "search action             | '{v: view}'                     | '{v: search}'                       | key 'event-types.v': unknown action \"search\"",
        "unknown action            | '{v: view}'                     | '{v: browse}'                       | key 'event-types.v': unknown action \"browse\"",
        "bad currency              | 'time-format: unix-seconds'     | 'time-format: unix-seconds\\n    currency: euro' | key 'currency': 'euro' is not an ISO 4217 code",
        "bad channel               | 'time-format: unix-seconds'     | 'time-format: unix-seconds\\n    channel: tv'    | key 'channel': 'tv' is not one of",
        "clean of unmapped column  | 'time-format: unix-seconds'     | 'time-format: unix-seconds\\n    clean: {brand: [lowercase]}' | key 'clean.brand': not a mapped column",
        "unknown clean step        | 'time-format: unix-seconds'     | 'time-format: unix-seconds\\n    clean: {customer: [upcase]}' | key 'clean.customer': unknown step",
        "window the wrong way      | 'time-format: unix-seconds'     | 'time-format: unix-seconds\\n    time-window: {from: \"2020-01-02T00:00:00Z\", to: \"2020-01-01T00:00:00Z\"}' | key 'time-window': from",
        "window without offset     | 'time-format: unix-seconds'     | 'time-format: unix-seconds\\n    time-window: {from: \"2020-01-02\"}' | key 'time-window.from'",
        "two-char delimiter        | 'header: false'                 | 'header: false\\n    delimiter: \";;\"' | key 'delimiter': expected one character",
    })
    void aBadEntryIsAnErrorNamingDatasetAndKey(String what, String from, String to, String expected) {
        String yaml = VALID.replace(from, to.replace("\\n", "\n"));
        assertThat(yaml).as("the replacement applies").isNotEqualTo(VALID);
        assertThatThrownBy(() -> Datasets.parse(yaml, "test.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("test.yaml: dataset 'shop', ")
                .hasMessageContaining(expected);
    }

    @Test
    void theValidEntryParses() {
        assertThat(Datasets.parse(VALID, "test.yaml").get("shop").delimiter()).isEqualTo(',');
    }

    @Test
    void anUnknownDatasetNameListsTheKnownOnes() {
        assertThatThrownBy(() -> Datasets.load().get("movielens"))
                .hasMessage("unknown dataset 'movielens'; known: [taobao, rees46, jdata]");
    }

    @Test
    void theDatasetsFolderComesFromThePropertyTheEnvironmentOrAParentsSharedFolder(@TempDir Path tmp) throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("shared/datasets"));
        Path deep = Files.createDirectories(tmp.resolve("wt/load-tests/sub"));
        Path other = Files.createDirectories(tmp.resolve("other"));

        assertThat(Datasets.folder(null, null, deep)).contains(shared);
        assertThat(Datasets.folder(other.toString(), null, deep)).contains(other);
        assertThat(Datasets.folder(null, other.toString(), deep)).contains(other);
        assertThat(Datasets.folder("", "", deep)).contains(shared);
        assertThatThrownBy(() -> Datasets.folder(tmp.resolve("missing").toString(), null, deep))
                .hasMessageContaining("-Dnextbest.datasets").hasMessageContaining("is not a directory");
        Path lonely = Files.createDirectories(Files.createTempDirectory("no-shared-here"));
        try {
            Optional<Path> found = Datasets.folder(null, null, lonely);
            // nothing below the temp folder; only a shared/datasets that the machine has above it (e.g. a
            // checkout in /tmp with ../shared beside it) may be found
            Optional<Path> aboveTemp = Optional.empty();
            for (Path dir = lonely.getParent(); dir != null && aboveTemp.isEmpty(); dir = dir.getParent()) {
                if (Files.isDirectory(dir.resolve("shared").resolve("datasets"))) {
                    aboveTemp = Optional.of(dir.resolve("shared").resolve("datasets"));
                }
            }
            assertThat(found).isEqualTo(aboveTemp);
        } finally {
            Files.delete(lonely);
        }
    }
}
