package io.nextbest.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A codec that maps a message type with Jackson data binding. The job uses it to write its output
 * topics (the types are built by code, so they keep the contract by construction; tests validate
 * what the job writes against the schemas) and readers use it to read them back.
 */
public class JsonCodec<T> implements Codec<T> {
    private final Class<T> type;
    private final ObjectReader reader;
    private final ObjectWriter writer;

    public JsonCodec(Class<T> type) {
        this.type = type;
        this.reader = Json.MAPPER.readerFor(type);
        this.writer = Json.MAPPER.writerFor(type);
    }

    @Override
    public T decode(byte[] value) throws InvalidMessageException {
        if (value == null) {
            throw new InvalidMessageException(DeadLetterReason.NOT_JSON, "record has no value");
        }
        try {
            return reader.readValue(value);
        } catch (JsonProcessingException e) {
            throw new InvalidMessageException(
                    DeadLetterReason.SCHEMA_VIOLATION, "not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidMessageException(DeadLetterReason.NOT_JSON, e.getMessage());
        }
    }

    @Override
    public byte[] encode(T message) {
        try {
            return writer.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode " + type.getSimpleName(), e);
        }
    }
}
