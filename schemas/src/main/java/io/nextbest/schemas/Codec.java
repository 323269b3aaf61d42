package io.nextbest.schemas;

/** Turns one message type into the bytes of a Kafka record value and back. */
public interface Codec<T> {

    /** Decodes and validates; every contract violation is an {@link InvalidMessageException}. */
    T decode(byte[] value) throws InvalidMessageException;

    byte[] encode(T message);
}
