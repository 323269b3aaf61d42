package io.nextbest.loadtest.bench;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * Finds the string value of one top-level JSON field by a byte scan, without parsing: cheap enough
 * for the ceiling job and the latency probe. Good for ids (no escapes inside), not for general JSON.
 */
final class FieldScan implements Serializable {
    private static final long serialVersionUID = 1L;

    private final byte[] prefix;

    private FieldScan(String field) {
        this.prefix = ("\"" + field + "\":\"").getBytes(StandardCharsets.UTF_8);
    }

    static FieldScan of(String field) {
        return new FieldScan(field);
    }

    /** The value of the first occurrence of the field, or null. */
    String find(byte[] json) {
        if (json == null) {
            return null;
        }
        outer:
        for (int i = 0; i + prefix.length <= json.length; i++) {
            for (int j = 0; j < prefix.length; j++) {
                if (json[i + j] != prefix[j]) {
                    continue outer;
                }
            }
            int start = i + prefix.length;
            int end = start;
            while (end < json.length && json[end] != '"') {
                end++;
            }
            return new String(json, start, end - start, StandardCharsets.UTF_8);
        }
        return null;
    }
}
