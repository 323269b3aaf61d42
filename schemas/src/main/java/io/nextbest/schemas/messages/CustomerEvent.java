package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/** Identity and consent events from the {@code customers} topic. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CustomerEvent(
        String eventId,
        CustomerEventType type,
        String customerId,
        Instant timestamp,
        String sessionId,
        ContactChannel channel,
        Boolean granted,
        String timeZone) {

    /**
     * The customer's time zone, if given and known to this JVM's time-zone database. The contract only
     * fixes the form of {@code timeZone} (an IANA zone id), so a well-formed but unknown zone is empty here
     * rather than an error.
     */
    public Optional<ZoneId> zone() {
        if (timeZone == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZoneId.of(timeZone));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}
