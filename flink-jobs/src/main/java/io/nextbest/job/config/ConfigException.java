package io.nextbest.job.config;

/** A configuration error; its message names the key and the value at fault. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
