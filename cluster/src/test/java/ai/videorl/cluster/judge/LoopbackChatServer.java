package ai.videorl.cluster.judge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A real HTTP server on 127.0.0.1 speaking the chat-completions protocol, standing in for a
 * hosted judge LLM: a script decides, per request, to answer, wait, fail with a status or return
 * garbage. It records every request (body and headers) and the most requests ever in flight.
 */
public final class LoopbackChatServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to do with a request. */
    public record Reply(int status, String body, long delayMillis) {
        public static Reply answer(String content) {
            return new Reply(200, "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":"
                    + "{\"role\":\"assistant\",\"content\":" + quote(content) + "},\"finish_reason\":\"stop\"}]}", 0);
        }

        public static Reply status(int status) {
            return new Reply(status, "{\"error\":{\"message\":\"scripted failure\"}}", 0);
        }

        static Reply garbage() {
            return new Reply(200, "<html>not json</html>", 0);
        }

        Reply after(long millis) {
            return new Reply(status, body, millis);
        }
    }

    /** A request as received. */
    public record Received(String body, String authorization) {
        String userMessage() {
            try {
                return JSON.readTree(body).at("/messages/1/content").asText();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    /** @param script (request number from 1, request) → reply */
    public LoopbackChatServer(BiFunction<Integer, Received, Reply> script) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/v1/chat/completions", exchange -> handle(exchange, script));
        server.start();
    }

    private void handle(HttpExchange exchange, BiFunction<Integer, Received, Reply> script) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            Received request = new Received(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst("Authorization"));
            received.add(request);
            Reply reply = script.apply(received.size(), request);
            if (reply.delayMillis() > 0) {
                Thread.sleep(reply.delayMillis());
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The client gave up (a timeout): nothing to answer.
        } finally {
            inFlight.decrementAndGet();
            exchange.close();
        }
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Received> received() {
        return received;
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
