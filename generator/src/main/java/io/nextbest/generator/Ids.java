package io.nextbest.generator;

/** Formats the generator's ids without {@code String.format} (it runs several times per event). */
final class Ids {
    private Ids() {}

    /** {@code prefix} then {@code n} zero-padded to {@code width} digits: {@code padded('c', 42, 7)} is c0000042. */
    static String padded(char prefix, long n, int width) {
        String digits = Long.toString(n);
        StringBuilder sb = new StringBuilder(1 + Math.max(width, digits.length()));
        sb.append(prefix);
        for (int i = digits.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(digits).toString();
    }
}
