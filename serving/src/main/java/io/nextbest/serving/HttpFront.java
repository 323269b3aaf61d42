package io.nextbest.serving;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server (Undertow; chosen by measurement, docs/decisions.md): carries requests to {@link Routes} on a
 * worker thread (reads may forward to another replica, writes wait for the broker) and enforces the body limit:
 * a body over {@code serving.max-body-bytes} gets 413 whether its length is declared or chunked.
 */
final class HttpFront implements HttpHandler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpFront.class);
    private static final HttpString CONTENT_TYPE = HttpString.tryFromString("Content-Type");
    private final Undertow server;
    private final GracefulShutdownHandler graceful;
    private final int maxBodyBytes;
    private final int port;
    private volatile Routes routes;

    private HttpFront(int port, int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
        this.graceful = Handlers.gracefulShutdown(this);
        this.server = Undertow.builder().addHttpListener(port, "0.0.0.0").setHandler(graceful).build();
        server.start();
        this.port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** Listens on {@code port} (0: a free one); answers 503 until {@link #route} is called. */
    static HttpFront start(int port, int maxBodyBytes) {
        return new HttpFront(port, maxBodyBytes);
    }

    void route(Routes routes) {
        this.routes = routes;
    }

    int port() {
        return port;
    }

    @Override
    public void handleRequest(HttpServerExchange ex) throws Exception {
        if (ex.isInIoThread()) {
            ex.dispatch(this);
            return;
        }
        Routes r = routes;
        if (r == null) {
            send(ex, Api.error(503, "starting", "the service is starting"), Map.of());
            return;
        }
        byte[] body = new byte[0];
        if (ex.getRequestMethod().toString().equals("POST")) {
            if (ex.getRequestContentLength() > maxBodyBytes) {
                ex.setPersistent(false);
                send(ex, tooLarge(), Map.of());
                return;
            }
            ex.startBlocking();
            try (InputStream in = ex.getInputStream()) {
                body = in.readNBytes(maxBodyBytes + 1);
            } catch (IOException e) {
                send(ex, Api.error(400, "bad_request", "the body could not be read"), Map.of());
                return;
            }
            if (body.length > maxBodyBytes) { // chunked, and longer than allowed
                ex.setPersistent(false);
                send(ex, tooLarge(), Map.of());
                return;
            }
        }
        Map<String, String> query = new HashMap<>();
        for (Map.Entry<String, Deque<String>> q : ex.getQueryParameters().entrySet()) {
            if (!q.getValue().isEmpty()) {
                query.put(q.getKey(), q.getValue().getFirst());
            }
        }
        Routes.Response response;
        try {
            response = r.handle(new Routes.Request(ex.getRequestMethod().toString(), ex.getRequestPath(), query,
                    name -> ex.getRequestHeaders().getFirst(name), body));
        } catch (RuntimeException e) { // a fault of ours: a JSON answer, logged by class only (no request data)
            LOG.error("request failed: {}", e.getClass().getName());
            send(ex, Api.error(500, "internal", "the request failed: " + e.getClass().getSimpleName()), Map.of());
            return;
        }
        send(ex, response.answer(), response.headers());
    }

    private Api.Answer tooLarge() {
        return Api.error(413, "oversized", "the body is larger than " + maxBodyBytes + " bytes (serving.max-body-bytes)");
    }

    private static void send(HttpServerExchange ex, Api.Answer a, Map<String, String> headers) {
        ex.setStatusCode(a.status());
        ex.getResponseHeaders().put(CONTENT_TYPE, headers.getOrDefault("Content-Type", "application/json"));
        headers.forEach((k, v) -> ex.getResponseHeaders().put(HttpString.tryFromString(k), v));
        ex.getResponseSender().send(ByteBuffer.wrap(a.body()));
    }

    @Override
    public void close() {
        graceful.shutdown();
        try {
            graceful.awaitShutdown(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop();
    }
}
