package ai.videorl.cluster.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Asks an OpenAI-compatible {@code /v1/chat/completions} endpoint batches of (system, user)
 * prompts and reads the replies. A batch runs concurrently up to the endpoint's bound; 429, 5xx
 * and timeouts are retried with exponential backoff and jitter; other 4xx fail at once. Results a
 * reader accepts are cached by the exact request body, so a re-run (or a repeat within a batch)
 * costs no new call; failures are not cached. The first failed question is logged once, naming
 * the server and why; after {@code breakAfter} failed questions in a row the server is no longer
 * called ({@link CircuitBreaker}). Never throws for a failed call.
 */
public final class ChatCompletionsClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(ChatCompletionsClient.class);

    /** A prompt, and how its reply's content becomes a result (empty when the reply is unusable). */
    public record Request<T>(String system, String user, Function<String, Outcome<T>> reader) {
    }

    /** A reply's content read into a result, or why there is none. */
    public record Outcome<T>(Optional<T> result, String detail) {
        public static <T> Outcome<T> of(T result, String detail) {
            return new Outcome<>(Optional.of(result), detail);
        }

        public static <T> Outcome<T> failed(String reason) {
            return new Outcome<>(Optional.empty(), reason);
        }
    }

    /** Counters since creation: requests sent (retries included), cache hits, prompts without a result. */
    public record Stats(long calls, long cacheHits, long failures) {
    }

    private final JudgeEndpoint endpoint;
    private final HttpClient http;
    private final ExecutorService workers;
    private final Map<String, Outcome<?>> cache = new ConcurrentHashMap<>();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong cacheHits = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final CircuitBreaker breaker;
    private final AtomicBoolean warned = new AtomicBoolean();

    public ChatCompletionsClient(JudgeEndpoint endpoint) {
        this.endpoint = endpoint;
        this.breaker = new CircuitBreaker(endpoint.breakAfter(), endpoint.retryAfter(), System::nanoTime);
        this.workers = Executors.newFixedThreadPool(endpoint.concurrency(), runnable -> {
            Thread thread = new Thread(runnable, "videorl-chat");
            thread.setDaemon(true);
            return thread;
        });
        // The client keeps its own executor: the workers block in send() and must not starve it.
        this.http = HttpClient.newBuilder().connectTimeout(endpoint.timeout()).build();
    }

    public Stats stats() {
        return new Stats(calls.get(), cacheHits.get(), failures.get());
    }

    /** Asks every request; an unusable reply counts as a failure and is not cached. */
    @SuppressWarnings("unchecked")
    public <T> List<Outcome<T>> ask(List<Request<T>> requests) {
        List<CompletableFuture<Outcome<T>>> pending = new ArrayList<>(requests.size());
        Map<String, CompletableFuture<Outcome<T>>> inBatch = new HashMap<>();
        for (Request<T> request : requests) {
            String body = requestBody(request.system(), request.user());
            Outcome<T> cached = (Outcome<T>) cache.get(body);
            if (cached != null || inBatch.containsKey(body)) {
                cacheHits.incrementAndGet();
                pending.add(cached != null ? CompletableFuture.completedFuture(cached) : inBatch.get(body));
                continue;
            }
            CompletableFuture<Outcome<T>> call = CompletableFuture.supplyAsync(() -> send(body, request.reader()), workers);
            inBatch.put(body, call);
            pending.add(call);
        }
        List<Outcome<T>> outcomes = new ArrayList<>(pending.size());
        for (CompletableFuture<Outcome<T>> outcome : pending) {
            outcomes.add(outcome.join());
        }
        return outcomes;
    }

    private <T> Outcome<T> send(String body, Function<String, Outcome<T>> reader) {
        Optional<String> refused = breaker.refusal();
        if (refused.isPresent()) {
            failures.incrementAndGet();
            return Outcome.failed("the chat server at " + endpoint.baseUrl() + " is " + refused.get());
        }
        String lastError = "no attempt made";
        for (int attempt = 1; attempt <= endpoint.maxAttempts(); attempt++) {
            if (attempt > 1) {
                sleep(backoff(attempt - 1));
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.completions())
                    .timeout(endpoint.timeout())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (endpoint.apiKey() != null) {
                request.header("Authorization", "Bearer " + endpoint.apiKey());
            }
            calls.incrementAndGet();
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 200) {
                    if (breaker.succeeded()) {
                        LOG.warn("the chat server at {} answers again", endpoint.baseUrl());
                    }
                    Outcome<T> outcome = read(response.body(), reader);
                    if (outcome.result().isPresent()) {
                        cache.put(body, outcome);
                    } else {
                        failures.incrementAndGet();
                    }
                    return outcome;
                }
                lastError = "HTTP " + status;
                if (status != 429 && status < 500) {
                    break;
                }
            } catch (IOException e) {
                lastError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                lastError = "interrupted";
                break;
            }
        }
        failures.incrementAndGet();
        String reason = "the chat server at " + endpoint.baseUrl() + " failed after " + endpoint.maxAttempts()
                + " attempts at most, last: " + lastError;
        if (warned.compareAndSet(false, true)) {
            LOG.warn("{}: questions it cannot answer get no verdict (recipe.judge_failure says what such a rollout scores)", reason);
        }
        if (breaker.failed(lastError)) {
            LOG.warn("the chat server at {} failed {} questions in a row (last: {}): it is no longer called, but tried again "
                    + "every {} s", endpoint.baseUrl(), endpoint.breakAfter(), lastError, endpoint.retryAfter().toSeconds());
        }
        return Outcome.failed(reason);
    }

    private static <T> Outcome<T> read(String responseBody, Function<String, Outcome<T>> reader) {
        try {
            JsonNode content = JSON.readTree(responseBody).at("/choices/0/message/content");
            if (!content.isTextual()) {
                return Outcome.failed("the response has no choices[0].message.content");
            }
            return reader.apply(content.asText());
        } catch (IOException e) {
            return Outcome.failed("the response is not JSON: " + abbreviate(responseBody));
        }
    }

    private String requestBody(String system, String user) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", endpoint.model());
        body.put("temperature", 0);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", system);
        messages.addObject().put("role", "user").put("content", user);
        return body.toString();
    }

    private long backoff(int retry) {
        long base = endpoint.initialBackoff().toMillis() << Math.min(retry - 1, 20);
        return base + (long) (ThreadLocalRandom.current().nextDouble() * base);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    @Override
    public String toString() {
        return "ChatCompletionsClient[" + endpoint + "]";
    }
}
