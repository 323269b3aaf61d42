package io.nextbest.schemas;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * One Kafka topic of the contract: its name, how its records are keyed, its JSON Schema and its
 * codec. All topics are listed in {@link Topics}.
 *
 * @param name the topic name (deployments may put a prefix before it)
 * @param direction whether the job reads or writes it
 * @param keyDescription what the record key is, for docs and tooling
 * @param key the record key bytes of a message (null: no key)
 * @param schemaResource the class-path resource of the JSON Schema
 * @param codec the message codec
 */
public record Topic<T>(
        String name,
        Direction direction,
        String keyDescription,
        Function<T, byte[]> key,
        String schemaResource,
        Codec<T> codec) {

    public enum Direction {
        INPUT,
        OUTPUT
    }

    public byte[] keyBytes(T message) {
        return key.apply(message);
    }

    /** A key function from a string id, UTF-8 encoded. */
    public static <T> Function<T, byte[]> utf8(Function<T, String> id) {
        return m -> {
            String k = id.apply(m);
            return k == null ? null : k.getBytes(StandardCharsets.UTF_8);
        };
    }
}
