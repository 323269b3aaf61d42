package io.nextbest.schemas;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.nextbest.schemas.messages.ItemNeighbours;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The codec of {@code item-neighbours}: about one record per input event, written by the item stage and read back by
 * every ranking instance, so its JSON is written and read field by field with Jackson's streaming API instead of data
 * binding (which spent most of the replica source's time in reflection and {@code DateTimeFormatter}, JFR, issue 15).
 * It writes exactly the bytes data binding writes (numbers at full precision: the cosines are recomputed from them).
 * It reads the form it writes; anything else — another field order is fine, but unknown, missing, repeated or null
 * fields, numbers as strings, times in another ISO form — is read by data binding, with its errors.
 */
public final class ItemNeighboursCodec extends JsonCodec<ItemNeighbours> {

    public ItemNeighboursCodec() {
        super(ItemNeighbours.class);
    }

    @Override
    public byte[] encode(ItemNeighbours m) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(256 + 64 * (m.neighbours() == null ? 0 : m.neighbours().size()));
                JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            SuggestionsCodec.stringField(g, "itemId", m.itemId());
            g.writeNumberField("squaredNorm", m.squaredNorm());
            g.writeFieldName("neighbours");
            if (m.neighbours() == null) {
                g.writeNull();
            } else {
                g.writeStartArray();
                for (ItemNeighbours.Neighbour n : m.neighbours()) {
                    if (n == null) {
                        g.writeNull();
                        continue;
                    }
                    g.writeStartObject();
                    SuggestionsCodec.stringField(g, "itemId", n.itemId());
                    g.writeNumberField("similarity", n.similarity());
                    g.writeNumberField("dot", n.dot());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            SuggestionsCodec.stringField(g, "asOf", m.asOf() == null ? null : m.asOf().toString());
            SuggestionsCodec.stringField(g, "updatedAt", m.updatedAt() == null ? null : m.updatedAt().toString());
            g.writeEndObject();
            g.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode ItemNeighbours", e);
        }
    }

    @Override
    public ItemNeighbours decode(byte[] value) throws InvalidMessageException {
        if (value != null) {
            ItemNeighbours fast = read(value);
            if (fast != null) {
                return fast;
            }
        }
        return super.decode(value); // data binding: the same result for anything else, and its errors
    }

    /** The message if it is in the form {@link #encode} writes (any field order), else null. */
    static ItemNeighbours read(byte[] value) {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String itemId = null;
            double squaredNorm = 0;
            List<ItemNeighbours.Neighbour> neighbours = null;
            Instant asOf = null;
            Instant updatedAt = null;
            int seen = 0;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME) {
                    return null;
                }
                String name = p.currentName();
                JsonToken v = p.nextToken();
                int bit;
                switch (name) {
                    case "itemId" -> {
                        bit = 1;
                        if (v != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        itemId = p.getText();
                    }
                    case "squaredNorm" -> {
                        bit = 2;
                        if (!isNumber(v)) {
                            return null;
                        }
                        squaredNorm = p.getDoubleValue();
                    }
                    case "neighbours" -> {
                        bit = 4;
                        neighbours = neighbours(p, v);
                        if (neighbours == null) {
                            return null;
                        }
                    }
                    case "asOf" -> {
                        bit = 8;
                        asOf = v == JsonToken.VALUE_STRING ? instant(p.getText()) : null;
                        if (asOf == null) {
                            return null;
                        }
                    }
                    case "updatedAt" -> {
                        bit = 16;
                        updatedAt = v == JsonToken.VALUE_STRING ? instant(p.getText()) : null;
                        if (updatedAt == null) {
                            return null;
                        }
                    }
                    default -> {
                        return null;
                    }
                }
                if ((seen & bit) != 0) {
                    return null;
                }
                seen |= bit;
            }
            return seen == 31 ? new ItemNeighbours(itemId, squaredNorm, neighbours, asOf, updatedAt) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static List<ItemNeighbours.Neighbour> neighbours(JsonParser p, JsonToken start) throws IOException {
        if (start != JsonToken.START_ARRAY) {
            return null;
        }
        List<ItemNeighbours.Neighbour> out = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.START_OBJECT) {
                return null;
            }
            String id = null;
            double similarity = 0;
            double dot = 0;
            int seen = 0;
            for (JsonToken f = p.nextToken(); f != JsonToken.END_OBJECT; f = p.nextToken()) {
                if (f != JsonToken.FIELD_NAME) {
                    return null;
                }
                String name = p.currentName();
                JsonToken v = p.nextToken();
                int bit;
                switch (name) {
                    case "itemId" -> {
                        bit = 1;
                        if (v != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        id = p.getText();
                    }
                    case "similarity" -> {
                        bit = 2;
                        if (!isNumber(v)) {
                            return null;
                        }
                        similarity = p.getDoubleValue();
                    }
                    case "dot" -> {
                        bit = 4;
                        if (!isNumber(v)) {
                            return null;
                        }
                        dot = p.getDoubleValue();
                    }
                    default -> {
                        return null;
                    }
                }
                if ((seen & bit) != 0) {
                    return null;
                }
                seen |= bit;
            }
            if (seen != 7) {
                return null;
            }
            out.add(new ItemNeighbours.Neighbour(id, similarity, dot));
        }
        return out;
    }

    private static boolean isNumber(JsonToken t) {
        return t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT;
    }

    /**
     * The instant of {@code s} if it has the form {@link Instant#toString} writes ({@code 2026-11-23T15:12:00Z},
     * {@code 2026-11-23T15:12:00.123Z}: a four-digit year, no leap second), else null.
     */
    static Instant instant(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            int fraction = n - 21; // between '.' and 'Z'
            if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            nanos = digits(s, 20, fraction);
            if (nanos < 0) {
                return null;
            }
            for (int k = fraction; k < 9; k++) {
                nanos *= 10;
            }
        }
        try {
            long days = LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The value of {@code count} decimal digits at {@code from}, -1 if any is not a digit. */
    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int k = from; k < from + count; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
