package io.nextbest.serving;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The service's routes, independent of the HTTP server that carries them: a request (method, path, query, the
 * headers that matter, body) becomes an {@link Api.Answer} plus response headers. Here: which endpoint, the API
 * key of the write endpoints, and the forwarding of a read to the replica that holds the key.
 */
final class Routes {
    static final String FORWARDED = "X-Nextbest-Forwarded";
    private static final Pattern SUGGESTIONS = Pattern.compile("/v1/(customers|sessions)/([^/]*)/suggestions");
    private static final Pattern SIMILAR = Pattern.compile("/v1/items/([^/]*)/similar");
    private static final Pattern DECISION = Pattern.compile("/v1/customers/([^/]*)/trigger-decision");
    private static final Pattern ITEM = Pattern.compile("/v1/items/([^/]*)");
    /** The demo storefront's files (path → classpath resource and content type), served when it is switched on. */
    private static final Map<String, String[]> STOREFRONT = Map.of(
            "/", new String[] {"index.html", "text/html; charset=utf-8"},
            "/shop.js", new String[] {"shop.js", "text/javascript; charset=utf-8"},
            "/shop.css", new String[] {"shop.css", "text/css; charset=utf-8"});

    /** A request as the routes see it; {@code header} looks a header up by name (case-insensitive). */
    record Request(String method, String path, Map<String, String> query, Function<String, String> header, byte[] body) {}

    /** An answer with the headers to add (the service tells which replica answered, and where a read went). */
    record Response(Api.Answer answer, Map<String, String> headers) {}

    /** What the routes are configured with. */
    record Options(List<String> apiKeys, int rateLimitPerKey, String corsOrigin, long readyMaxLag, boolean publicReads,
            boolean storefront) {}

    private final Api api;
    private final Stores stores;
    private final ServingMetrics metrics;
    private final List<byte[]> apiKeys;
    private final RateLimiter[] limiters; // by the index of the key: the key itself is never a name anywhere
    private final String corsOrigin;
    private final long readyMaxLag;
    private final boolean publicReads;
    private final boolean storefront;
    private final String self;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Routes(Api api, Stores stores, ServingMetrics metrics, Options o, HostInfo self) {
        this.api = api;
        this.stores = stores;
        this.metrics = metrics;
        this.apiKeys = o.apiKeys().stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
        this.limiters = new RateLimiter[apiKeys.size()];
        if (o.rateLimitPerKey() > 0) {
            RateLimiterConfig perKey = RateLimiterConfig.custom().limitForPeriod(o.rateLimitPerKey())
                    .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO).build();
            for (int i = 0; i < limiters.length; i++) {
                limiters[i] = RateLimiter.of("api-key-" + i, perKey);
            }
        }
        this.corsOrigin = o.corsOrigin();
        this.readyMaxLag = o.readyMaxLag();
        this.publicReads = o.publicReads();
        this.storefront = o.storefront();
        this.self = self.host() + ":" + self.port();
    }

    /** Answers a request, with the CORS headers the configured origin gets, and counts it. */
    Response handle(Request r) {
        long start = System.nanoTime();
        Response response = r.method().equals("OPTIONS") ? preflight(r) : route(r);
        String origin = r.header().apply("Origin");
        if (origin != null && !corsOrigin.isEmpty() && (corsOrigin.equals("*") || corsOrigin.equals(origin))) {
            Map<String, String> h = new java.util.LinkedHashMap<>(response.headers());
            h.put("Access-Control-Allow-Origin", corsOrigin.equals("*") ? "*" : origin);
            h.put("Vary", "Origin");
            response = new Response(response.answer(), h);
        }
        metrics.observe(endpoint(r.path()), response.answer().status(), System.nanoTime() - start);
        return response;
    }

    /** A browser's CORS preflight: 204 with what may be sent, or 403 for an origin not configured. */
    private Response preflight(Request r) {
        String origin = r.header().apply("Origin");
        if (origin == null || corsOrigin.isEmpty() || !corsOrigin.equals("*") && !corsOrigin.equals(origin)) {
            return plain(Api.error(403, "forbidden", "cross-origin requests from this origin are not allowed"));
        }
        Map<String, String> h = new java.util.LinkedHashMap<>();
        h.put("X-Served-By", self);
        h.put("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        h.put("Access-Control-Allow-Headers", "Content-Type, X-Api-Key");
        h.put("Access-Control-Max-Age", "600");
        return new Response(new Api.Answer(204, new byte[0]), h);
    }

    private String endpoint(String path) {
        if (SUGGESTIONS.matcher(path).matches()) {
            return "suggestions";
        }
        if (SIMILAR.matcher(path).matches()) {
            return "similar";
        }
        if (DECISION.matcher(path).matches()) {
            return "trigger-decision";
        }
        if (ITEM.matcher(path).matches()) {
            return "item";
        }
        if (storefront && STOREFRONT.containsKey(path)) {
            return "storefront";
        }
        return switch (path) {
            case "/v1/items" -> "items";
            case "/v1/events" -> "events";
            case "/v1/feedback" -> "feedback";
            case "/health" -> "health";
            case "/metrics" -> "metrics";
            default -> "other";
        };
    }

    private Response route(Request r) {
        if (r.path().startsWith("/v1/") && r.method().equals("GET") && !publicReads) {
            Response refused = keyed(r); // serving.public-reads=false: reads need a key too
            if (refused != null) {
                return refused;
            }
        }
        Matcher m = SUGGESTIONS.matcher(r.path());
        if (m.matches()) {
            if (!r.method().equals("GET")) {
                return plain(Api.error(405, "method_not_allowed", "use GET"));
            }
            String subject = m.group(1).equals("customers") ? "customer" : "session";
            String id = m.group(2);
            return heldBy(r, subject, id, () -> api.suggestions(subject, id, r.query().get("placement"),
                    r.query().get("limit")));
        }
        m = DECISION.matcher(r.path());
        if (m.matches()) {
            if (!r.method().equals("GET")) {
                return plain(Api.error(405, "method_not_allowed", "use GET"));
            }
            String id = m.group(1);
            return heldBy(r, "customer", id, () -> api.triggerDecision(id));
        }
        m = SIMILAR.matcher(r.path());
        Matcher item = ITEM.matcher(r.path());
        if (m.matches() || item.matches() || r.path().equals("/v1/items")) {
            if (!r.method().equals("GET")) {
                return plain(Api.error(405, "method_not_allowed", "use GET"));
            }
            try {
                return plain(m.matches() ? api.similar(m.group(1), r.query().get("limit"))
                        : item.matches() ? api.item(item.group(1))
                        : api.items(r.query().get("after"), r.query().get("limit")));
            } catch (InvalidStateStoreException e) {
                return plain(retry("the item stores are being rebuilt"));
            }
        }
        if (storefront && STOREFRONT.containsKey(r.path()) && r.method().equals("GET")) {
            return storefrontFile(STOREFRONT.get(r.path()));
        }
        switch (r.path()) {
            case "/v1/events", "/v1/feedback" -> {
                if (!r.method().equals("POST")) {
                    return plain(Api.error(405, "method_not_allowed", "use POST"));
                }
                Response refused = keyed(r);
                if (refused != null) {
                    return refused;
                }
                return plain(r.path().equals("/v1/events") ? api.event(r.body()) : api.feedback(r.body()));
            }
            case "/health" -> {
                return plain(api.health(readyMaxLag));
            }
            case "/metrics" -> {
                return new Response(new Api.Answer(200, metrics.scrape()), Map.of("X-Served-By", self,
                        "Content-Type", ServingMetrics.contentType()));
            }
            default -> {
                return plain(Api.error(404, "not_found", "no such endpoint"));
            }
        }
    }

    /**
     * The 401 or 429 of a request that needs an API key (writes; reads too when they are not public), or null when
     * its key is good and within its rate.
     */
    private Response keyed(Request r) {
        int key = keyIndex(r.header().apply("X-Api-Key"));
        if (key < 0) {
            return plain(Api.error(401, "unauthorized", key == NO_KEY
                    ? "an API key is required (header X-Api-Key)" : "the API key is not valid"));
        }
        if (limiters[key] != null && !limiters[key].acquirePermission()) {
            return new Response(Api.error(429, "too_many_requests", "this key's request rate is above"
                    + " serving.rate-limit; retry in a second"), Map.of("X-Served-By", self, "Retry-After", "1"));
        }
        return null;
    }

    /** A file of the demo storefront, from the classpath. */
    private Response storefrontFile(String[] file) {
        try (java.io.InputStream in = Routes.class.getResourceAsStream("/storefront/" + file[0])) {
            if (in == null) {
                return plain(Api.error(404, "not_found", "no such file"));
            }
            return new Response(new Api.Answer(200, in.readAllBytes()), Map.of("X-Served-By", self,
                    "Content-Type", file[1], "Cache-Control", "no-cache"));
        } catch (java.io.IOException e) {
            return plain(Api.error(500, "internal", "the page could not be read"));
        }
    }

    /**
     * A read of what is kept per customer or session (its list, its trigger decision): answered here when this
     * replica holds the key, else by the replica that does (one hop: a forwarded request that finds the key moved
     * gets 503, as does a read while the replicas rebalance; clients retry).
     */
    private Response heldBy(Request r, String subject, String id, java.util.function.Supplier<Api.Answer> here) {
        if (id.isEmpty() || id.length() > Api.MAX_ID_LENGTH) {
            return plain(api.suggestions(subject, id, null, null)); // the API's 400
        }
        Stores.Location where;
        try {
            where = stores.locate(id);
        } catch (RuntimeException e) { // not running yet
            where = Stores.Location.UNKNOWN;
        }
        if (where.unknown() || !where.local() && r.header().apply(FORWARDED) != null) {
            return plain(retry("the lists are being redistributed between replicas"));
        }
        if (!where.local()) {
            String target = where.host().host() + ":" + where.host().port();
            try {
                StringBuilder uri = new StringBuilder("http://").append(target).append(r.path());
                String q = query(r.query());
                if (!q.isEmpty()) {
                    uri.append('?').append(q);
                }
                HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(uri.toString()))
                        .timeout(Duration.ofSeconds(2)).header(FORWARDED, self).GET();
                String key = r.header().apply("X-Api-Key");
                if (key != null && !key.isEmpty()) {
                    forward.header("X-Api-Key", key); // reads that need a key need it there too
                }
                HttpResponse<byte[]> answer = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                metrics.forwarded();
                return new Response(new Api.Answer(answer.statusCode(), answer.body()), Map.of(
                        "X-Served-By", answer.headers().firstValue("X-Served-By").orElse(target),
                        "X-Forwarded-To", target));
            } catch (Exception e) {
                return plain(Api.error(503, "unavailable", "the replica holding this " + subject + " (" + target
                        + ") did not answer: " + e.getClass().getSimpleName()));
            }
        }
        try {
            return plain(here.get());
        } catch (InvalidStateStoreException e) {
            return plain(retry("this replica's store is being rebuilt or moved"));
        }
    }

    private static Api.Answer retry(String why) {
        return Api.error(503, "rebalancing", why + "; retry shortly");
    }

    private static final int NO_KEY = -1;
    private static final int WRONG_KEY = -2;

    /** Which configured key the header holds (compared in constant time; never logged), else NO_KEY or WRONG_KEY. */
    private int keyIndex(String given) {
        if (given == null || given.isEmpty()) {
            return NO_KEY;
        }
        byte[] g = given.getBytes(StandardCharsets.UTF_8);
        int found = WRONG_KEY;
        for (int i = 0; i < apiKeys.size(); i++) {
            if (MessageDigest.isEqual(apiKeys.get(i), g)) {
                found = i;
            }
        }
        return found;
    }

    private Response plain(Api.Answer a) {
        return new Response(a, Map.of("X-Served-By", self));
    }

    private static String query(Map<String, String> q) {
        StringBuilder s = new StringBuilder();
        q.forEach((k, v) -> {
            if (s.length() > 0) {
                s.append('&');
            }
            s.append(java.net.URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return s.toString();
    }
}
