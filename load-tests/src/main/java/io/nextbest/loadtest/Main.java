package io.nextbest.loadtest;

import io.nextbest.demo.Cli;

/** {@code bin/nextbest}: the instruments' commands here, the rest (demo, run, topics) in {@link Cli}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        Cli.main(args);
    }
}
