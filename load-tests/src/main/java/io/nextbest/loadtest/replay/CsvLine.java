package io.nextbest.loadtest.replay;

import java.util.ArrayList;
import java.util.List;

/** Splits one CSV line into fields: a delimiter, optional quoting with doubled quotes inside; no line breaks in fields. */
final class CsvLine {
    private CsvLine() {}

    /** A line whose quotes do not close. */
    static final class BadQuoting extends Exception {
        private static final long serialVersionUID = 1L;

        BadQuoting(String message) {
            super(message, null, false, false);
        }
    }

    static String[] split(String line, char delimiter, char quote) throws BadQuoting {
        List<String> fields = new ArrayList<>();
        if (line.indexOf(quote) < 0) {
            int start = 0;
            for (int i = 0; i < line.length(); i++) {
                if (line.charAt(i) == delimiter) {
                    fields.add(line.substring(start, i));
                    start = i + 1;
                }
            }
            fields.add(line.substring(start));
            return fields.toArray(new String[0]);
        }
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = line.length();
        while (true) {
            field.setLength(0);
            if (i < n && line.charAt(i) == quote) {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new BadQuoting("a quoted field does not end");
                    }
                    char c = line.charAt(i);
                    if (c == quote) {
                        if (i + 1 < n && line.charAt(i + 1) == quote) {
                            field.append(quote);
                            i += 2;
                        } else {
                            i++;
                            break;
                        }
                    } else {
                        field.append(c);
                        i++;
                    }
                }
                if (i < n && line.charAt(i) != delimiter) {
                    throw new BadQuoting("text after a closing quote");
                }
            } else {
                while (i < n && line.charAt(i) != delimiter) {
                    field.append(line.charAt(i));
                    i++;
                }
            }
            fields.add(field.toString());
            if (i >= n) {
                return fields.toArray(new String[0]);
            }
            i++; // the delimiter
        }
    }
}
