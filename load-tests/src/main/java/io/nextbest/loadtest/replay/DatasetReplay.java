package io.nextbest.loadtest.replay;

import io.nextbest.generator.EventSource;
import io.nextbest.generator.InputEvent;
import io.nextbest.loadtest.replay.DatasetMapping.Action;
import io.nextbest.loadtest.replay.DatasetMapping.ColumnRef;
import io.nextbest.loadtest.replay.DatasetMapping.Field;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.CatalogItem;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.OrderLine;
import io.nextbest.schemas.messages.Transaction;
import io.nextbest.schemas.messages.TransactionType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;

/**
 * Replays a real data set (one entry of {@code datasets.yaml}) as the engine's input events, in
 * event-time order.
 *
 * <p>Each mapped row becomes one {@code interactions} message (view, click, add_to_cart,
 * remove_from_cart, wishlist; channel and price as mapped) or one {@code transactions} order with a
 * single line (unit price from the price column, else 0; total = unit price × quantity; the
 * mapping's currency, EUR by default). Event ids are {@code <dataset>-<file#>-<line#>} (file number
 * 1-based in the mapping's order, line number 1-based in the file, header included), so a replay
 * always produces the same ids and the job's de-duplication sees repeats as repeats. The order id of
 * an order is its event id.
 *
 * <p>Events are ordered by event time; ties keep file order (files in the listed order, rows in file
 * order). Rows that cannot be mapped are skipped and counted per {@link SkipReason} (see
 * {@link #stats()}).
 *
 * <p>Memory: all mapped rows of the data set are held (ids are interned), about 100–200 bytes per
 * row; messages are encoded one at a time in {@link #next()}. The slices in {@code shared/datasets}
 * (≤ 90k rows each) take a few tens of MB; the full originals (10⁸ rows) would not fit and would
 * need an external sort by time first.
 */
public final class DatasetReplay implements EventSource {
    /** How many distinct unknown raw event types the stats list. */
    public static final int MAX_UNKNOWN_TYPES = 50;

    private static final int MAX_ID = 128;
    private static final int MAX_QUANTITY = 10_000;
    private static final int MAX_CATEGORY_LEVELS = 8;
    private static final int MAX_TEXT = 128;

    private final DatasetMapping mapping;
    private final List<Row> rows;
    /** Output slots: row index × 2, + 1 for the catalog record that goes before that row. */
    private final int[] slots;
    private final long shiftMs;
    private final ReplayStats stats;
    private int cursor;

    /** One mapped row; strings are interned per replay. */
    private static final class Row {
        int file;
        int line;
        long timeMs;
        String customer;
        String session;
        String item;
        Action action;
        double price = Double.NaN;
        int quantity;
        String category;
        String categoryPath;
        String brand;
    }

    private DatasetReplay(DatasetMapping mapping, List<Row> rows, int[] slots, long shiftMs, ReplayStats stats, long skip) {
        this.mapping = mapping;
        this.rows = rows;
        this.slots = slots;
        this.shiftMs = shiftMs;
        this.stats = stats;
        this.cursor = (int) Math.min(skip, slots.length);
    }

    /**
     * Replays a data set of {@code datasets.yaml} from the datasets folder ({@link Datasets#folder()}).
     *
     * @throws IllegalStateException when no datasets folder is found
     */
    public static DatasetReplay open(String dataset, ReplayOptions options) {
        Path folder = Datasets.folder().orElseThrow(() -> new IllegalStateException(
                "no datasets folder: set -D" + Datasets.FOLDER_PROPERTY + "=DIR or " + Datasets.FOLDER_ENV
                        + ", or run below a directory that has shared/datasets"));
        return open(Datasets.load().get(dataset), folder, options);
    }

    /**
     * Reads, maps and sorts the files of a data set.
     *
     * @param folder the datasets folder the mapping's file names are relative to
     * @throws UncheckedIOException when a file cannot be read
     * @throws IllegalArgumentException when a file's header lacks a mapped column
     */
    public static DatasetReplay open(DatasetMapping mapping, Path folder, ReplayOptions options) {
        Reader reader = new Reader(mapping, options.catalog(), options.timeWindow());
        for (int f = 0; f < mapping.files().size(); f++) {
            reader.readFile(f, folder.resolve(mapping.files().get(f)));
        }
        List<Row> all = reader.rows;
        all.sort(Comparator.comparingLong(r -> r.timeMs)); // stable: ties keep file order
        List<Row> selected = select(all, options);

        long first = selected.isEmpty() ? 0 : selected.get(0).timeMs;
        long last = selected.isEmpty() ? 0 : selected.get(selected.size() - 1).timeMs;
        long shift = selected.isEmpty() ? 0 : options.shift().millis(first, last);
        if (!selected.isEmpty() && (first + shift < MIN_TIME || last + shift > MAX_TIME)) {
            throw new IllegalArgumentException("time shift " + options.shift() + " moves events out of the years 0000..9999");
        }

        int[] slots = new int[selected.size() * (options.catalog() ? 2 : 1)];
        int n = 0;
        Set<String> announced = new HashSet<>();
        Map<String, Long> actions = new LinkedHashMap<>();
        for (Action a : Action.values()) {
            actions.put(a.wire(), 0L);
        }
        Set<String> customers = new HashSet<>();
        for (int i = 0; i < selected.size(); i++) {
            Row r = selected.get(i);
            // no category, no record: the replay does not make one up (issue 16); a later row with one announces it
            if (options.catalog() && !announced.contains(r.item) && !categoryPath(r, mapping).isEmpty()) {
                announced.add(r.item);
                slots[n++] = i * 2 + 1;
            }
            slots[n++] = i * 2;
            actions.merge(r.action.wire(), 1L, Long::sum);
            customers.add(r.customer != null ? r.customer : r.session);
        }
        actions.values().removeIf(v -> v == 0);
        Set<String> items = new HashSet<>();
        for (Row r : selected) {
            items.add(r.item);
        }
        long withoutCategory = options.catalog() ? items.size() - announced.size() : 0;
        ReplayStats stats = new ReplayStats(
                mapping.name(),
                List.copyOf(reader.fileStats),
                reader.rowsRead,
                all.size(),
                Collections.unmodifiableMap(new EnumMap<>(reader.skipped)),
                Collections.unmodifiableMap(new EnumMap<>(reader.firstSkipped)),
                Collections.unmodifiableMap(new TreeMap<>(reader.unknownTypes)),
                selected.size(),
                n - selected.size(),
                withoutCategory,
                Collections.unmodifiableMap(actions),
                customers.size(),
                items.size(),
                selected.isEmpty() ? 0 : first + shift,
                selected.isEmpty() ? 0 : last + shift,
                shift);
        return new DatasetReplay(mapping, selected, Arrays.copyOf(slots, n), shift, stats, options.skip());
    }

    private static List<Row> select(List<Row> sorted, ReplayOptions options) {
        List<Row> selected = sorted;
        if (options.customerLimit() > 0) {
            Set<String> kept = new HashSet<>();
            selected = new ArrayList<>();
            for (Row r : sorted) {
                String key = r.customer != null ? r.customer : r.session;
                if (kept.contains(key) || (kept.size() < options.customerLimit() && kept.add(key))) {
                    selected.add(r);
                }
            }
        }
        if (options.rowLimit() > 0 && selected.size() > options.rowLimit()) {
            selected = new ArrayList<>(selected.subList(0, (int) options.rowLimit()));
        }
        return selected;
    }

    /** What was read, kept and skipped. */
    public ReplayStats stats() {
        return stats;
    }

    public DatasetMapping mapping() {
        return mapping;
    }

    /** Records (events and catalog records) this replay yields in all, including skipped ones. */
    public long size() {
        return slots.length;
    }

    @Override
    public long position() {
        return cursor;
    }

    @Override
    public boolean hasNext() {
        return cursor < slots.length;
    }

    @Override
    public InputEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int slot = slots[cursor++];
        Row r = rows.get(slot >>> 1);
        return (slot & 1) == 1 ? catalog(r) : event(r);
    }

    private String eventId(Row r) {
        return mapping.name() + "-" + (r.file + 1) + "-" + r.line;
    }

    private InputEvent event(Row r) {
        String eventId = eventId(r);
        long t = r.timeMs + shiftMs;
        Instant ts = Instant.ofEpochMilli(t);
        if (r.action == Action.ORDER) {
            double unit = Double.isNaN(r.price) ? 0 : r.price;
            int quantity = r.quantity == 0 ? 1 : r.quantity;
            double total = BigDecimal.valueOf(unit).multiply(BigDecimal.valueOf(quantity)).doubleValue();
            Transaction order = new Transaction(eventId, TransactionType.ORDER, eventId, r.customer, ts,
                    List.of(new OrderLine(r.item, quantity, unit)), total, mapping.currency(), mapping.channel());
            return new InputEvent(Topics.TRANSACTIONS.name(), r.customer, Topics.TRANSACTIONS.codec().encode(order),
                    eventId, r.customer, r.item, r.action.wire(), t, r.session);
        }
        Interaction interaction = new Interaction(eventId, r.action.interactionType(), r.customer, r.session, r.item,
                null, ts, mapping.channel(), null, r.quantity == 0 ? null : r.quantity,
                Double.isNaN(r.price) ? null : r.price);
        String key = interaction.subjectKey();
        return new InputEvent(Topics.INTERACTIONS.name(), key, Topics.INTERACTIONS.codec().encode(interaction),
                eventId, key, r.item, r.action.wire(), t, r.session);
    }

    /**
     * A row's category path: the mapped path's non-empty levels (at most {@value #MAX_CATEGORY_LEVELS}), else
     * the category, else empty (the row has none: its item gets no catalog record from it).
     */
    private static List<String> categoryPath(Row r, DatasetMapping mapping) {
        List<String> path = new ArrayList<>();
        if (r.categoryPath != null) {
            for (String level : r.categoryPath.split(java.util.regex.Pattern.quote(mapping.categoryPathSeparator()))) {
                String l = cut(level.strip());
                if (!l.isEmpty() && path.size() < MAX_CATEGORY_LEVELS) {
                    path.add(l);
                }
            }
        }
        if (path.isEmpty() && r.category != null && !r.category.isBlank()) {
            path.add(cut(r.category));
        }
        return path;
    }

    /** The catalog record of a row's item: category path (else category; never made up), brand, price. */
    private InputEvent catalog(Row r) {
        long t = r.timeMs + shiftMs;
        List<String> path = categoryPath(r, mapping);
        CatalogItem item = new CatalogItem(r.item, mapping.name() + " item " + r.item, List.copyOf(path),
                r.brand == null ? null : cut(r.brand), Double.isNaN(r.price) ? 0 : r.price, mapping.currency(),
                null, true, null, Instant.ofEpochMilli(t));
        return new InputEvent(Topics.CATALOG.name(), r.item, Topics.CATALOG.codec().encode(item),
                null, null, r.item, InputEvent.CATALOG, t);
    }

    private static String cut(String s) {
        return s.codePointCount(0, s.length()) <= MAX_TEXT ? s : s.substring(0, s.offsetByCodePoints(0, MAX_TEXT));
    }

    /** Reads and maps the rows of the files; the counting lives here. */
    private static final class Reader {
        final DatasetMapping mapping;
        final boolean attributes;
        final boolean timeWindow;
        final List<Row> rows = new ArrayList<>();
        final List<ReplayStats.FileStats> fileStats = new ArrayList<>();
        final Map<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);
        final Map<SkipReason, String> firstSkipped = new EnumMap<>(SkipReason.class);
        final Map<String, Long> unknownTypes = new HashMap<>();
        final Map<String, String> interned = new HashMap<>();
        long rowsRead;

        /** Column index per field for the current file, -1 when unmapped. */
        final int[] index = new int[Field.values().length];
        int minColumns;

        Reader(DatasetMapping mapping, boolean attributes, boolean timeWindow) {
            this.mapping = mapping;
            this.attributes = attributes;
            this.timeWindow = timeWindow;
        }

        void readFile(int fileNumber, Path path) {
            String file = mapping.files().get(fileNumber);
            long rowsBefore = rowsRead;
            long mappedBefore = rows.size();
            var decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(path), decoder), 1 << 16)) {
                int lineNumber = 0;
                String line;
                boolean headerPending = mapping.header();
                if (!headerPending) {
                    resolveColumns(file, null);
                }
                while ((line = in.readLine()) != null) {
                    lineNumber++;
                    if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                        line = line.substring(1);
                    }
                    if (headerPending) {
                        String[] names;
                        try {
                            names = CsvLine.split(line, mapping.delimiter(), mapping.quote());
                        } catch (CsvLine.BadQuoting e) {
                            throw new IllegalArgumentException("dataset '" + mapping.name() + "', file '" + file
                                    + "': header line " + e.getMessage());
                        }
                        resolveColumns(file, names);
                        headerPending = false;
                        continue;
                    }
                    if (line.isBlank()) {
                        continue;
                    }
                    rowsRead++;
                    map(fileNumber, file, lineNumber, line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("dataset '" + mapping.name() + "': cannot read " + path, e);
            }
            long read = rowsRead - rowsBefore;
            long mapped = rows.size() - mappedBefore;
            fileStats.add(new ReplayStats.FileStats(file, read, mapped, read - mapped));
        }

        private void resolveColumns(String file, String[] header) {
            Arrays.fill(index, -1);
            minColumns = 0;
            for (Map.Entry<Field, ColumnRef> e : mapping.columns().entrySet()) {
                ColumnRef c = e.getValue();
                int i = c.index();
                if (c.name() != null) {
                    i = -1;
                    for (int k = 0; k < header.length; k++) {
                        if (header[k].strip().equals(c.name())) {
                            i = k;
                            break;
                        }
                    }
                    if (i < 0) {
                        throw new IllegalArgumentException("dataset '" + mapping.name() + "', key 'columns."
                                + e.getKey().key() + "': file '" + file + "' has no column '" + c.name()
                                + "' (header: " + String.join(",", header) + ")");
                    }
                }
                index[e.getKey().ordinal()] = i;
                minColumns = Math.max(minColumns, i + 1);
            }
        }

        private String value(String[] fields, Field f) {
            int i = index[f.ordinal()];
            return i < 0 ? null : mapping.clean(f, fields[i]);
        }

        private void map(int fileNumber, String file, int lineNumber, String line) {
            String[] fields;
            try {
                fields = CsvLine.split(line, mapping.delimiter(), mapping.quote());
            } catch (CsvLine.BadQuoting e) {
                skip(SkipReason.BAD_QUOTING, file, lineNumber);
                return;
            }
            if (fields.length < minColumns) {
                skip(SkipReason.TOO_FEW_COLUMNS, file, lineNumber);
                return;
            }
            String customer = emptyToNull(value(fields, Field.CUSTOMER));
            String session = emptyToNull(value(fields, Field.SESSION));
            String item = value(fields, Field.ITEM);
            if (session != null && !validId(session)) {
                session = null; // a session id is optional: a bad one is left out, not the row
            }
            if ((customer != null && !validId(customer)) || !validId(item) || (customer == null && session == null)) {
                skip(SkipReason.BAD_ID, file, lineNumber);
                return;
            }
            String rawType = value(fields, Field.EVENT_TYPE);
            Action action = mapping.eventTypes().get(rawType);
            if (action == null) {
                if (unknownTypes.size() < MAX_UNKNOWN_TYPES || unknownTypes.containsKey(rawType)) {
                    unknownTypes.merge(rawType, 1L, Long::sum);
                }
                skip(SkipReason.UNKNOWN_EVENT_TYPE, file, lineNumber);
                return;
            }
            if (action == Action.ORDER && customer == null) {
                skip(SkipReason.BAD_ID, file, lineNumber); // an order needs a customer
                return;
            }
            long time;
            try {
                time = mapping.timeFormat().toEpochMilli(value(fields, Field.TIME), mapping.timeZone());
                if (time < MIN_TIME || time > MAX_TIME) {
                    throw new DateTimeException("year out of 0000..9999");
                }
            } catch (DateTimeException | ArithmeticException | NumberFormatException e) {
                skip(SkipReason.BAD_TIME, file, lineNumber);
                return;
            }
            if (timeWindow && !mapping.inWindow(time)) {
                skip(SkipReason.OUTSIDE_TIME_WINDOW, file, lineNumber);
                return;
            }
            double price = Double.NaN;
            String priceText = emptyToNull(value(fields, Field.PRICE));
            if (priceText != null) {
                try {
                    price = Double.parseDouble(priceText);
                } catch (NumberFormatException e) {
                    price = -1;
                }
                if (!(price >= 0) || Double.isInfinite(price)) {
                    skip(SkipReason.BAD_PRICE, file, lineNumber);
                    return;
                }
            }
            int quantity = 0;
            String quantityText = emptyToNull(value(fields, Field.QUANTITY));
            if (quantityText != null) {
                try {
                    quantity = Integer.parseInt(quantityText);
                } catch (NumberFormatException e) {
                    quantity = -1;
                }
                if (quantity < 1 || quantity > MAX_QUANTITY) {
                    skip(SkipReason.BAD_QUANTITY, file, lineNumber);
                    return;
                }
            }
            Row r = new Row();
            r.file = fileNumber;
            r.line = lineNumber;
            r.timeMs = time;
            r.customer = intern(customer);
            r.session = intern(session);
            r.item = intern(item);
            r.action = action;
            r.price = price;
            r.quantity = quantity;
            if (attributes) {
                r.category = intern(emptyToNull(value(fields, Field.CATEGORY)));
                r.categoryPath = intern(emptyToNull(value(fields, Field.CATEGORY_PATH)));
                r.brand = intern(emptyToNull(value(fields, Field.BRAND)));
            }
            rows.add(r);
        }

        private void skip(SkipReason reason, String file, int line) {
            skipped.merge(reason, 1L, Long::sum);
            firstSkipped.putIfAbsent(reason, file + ":" + line);
        }

        private String intern(String s) {
            if (s == null) {
                return null;
            }
            String known = interned.putIfAbsent(s, s);
            return known != null ? known : s;
        }
    }

    private static final long MIN_TIME = Instant.parse("0000-01-01T00:00:00Z").toEpochMilli();
    private static final long MAX_TIME = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static boolean validId(String s) {
        if (s == null || s.isEmpty() || s.codePointCount(0, s.length()) > MAX_ID) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
