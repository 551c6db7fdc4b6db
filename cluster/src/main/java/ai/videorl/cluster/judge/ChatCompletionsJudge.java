package ai.videorl.cluster.judge;

import ai.videorl.common.judge.Judge;
import ai.videorl.common.judge.JudgeQuestion;
import ai.videorl.common.judge.Verdict;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A judge behind an OpenAI-compatible {@code /v1/chat/completions} endpoint. Questions of a batch
 * run concurrently up to the endpoint's bound; 429, 5xx and timeouts are retried with exponential
 * backoff and jitter; other 4xx fail at once. Verdicts are cached by the exact request body, so a
 * re-run task (or the same question asked twice) costs no new call; failures are not cached.
 * After the last attempt the verdict is unavailable, with the reason, never an exception.
 */
public final class ChatCompletionsJudge implements Judge, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JudgeEndpoint endpoint;
    private final HttpClient http;
    private final ExecutorService workers;
    private final Map<String, Verdict> cache = new ConcurrentHashMap<>();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong cacheHits = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    public ChatCompletionsJudge(JudgeEndpoint endpoint) {
        this.endpoint = endpoint;
        this.workers = Executors.newFixedThreadPool(endpoint.concurrency(), runnable -> {
            Thread thread = new Thread(runnable, "videorl-judge");
            thread.setDaemon(true);
            return thread;
        });
        // The client keeps its own executor: the workers block in send() and must not starve it.
        this.http = HttpClient.newBuilder().connectTimeout(endpoint.timeout()).build();
    }

    /**
     * Counters since creation.
     *
     * @param calls HTTP requests sent, retries included
     * @param cacheHits questions answered from the cache
     * @param failures questions whose verdict ended unavailable
     */
    public record Stats(long calls, long cacheHits, long failures) {
    }

    public Stats stats() {
        return new Stats(calls.get(), cacheHits.get(), failures.get());
    }

    @Override
    public List<Verdict> judge(List<JudgeQuestion> questions) {
        List<CompletableFuture<Verdict>> pending = new ArrayList<>(questions.size());
        Map<String, CompletableFuture<Verdict>> inBatch = new java.util.HashMap<>();
        for (JudgeQuestion question : questions) {
            String body = requestBody(question);
            Verdict cached = cache.get(body);
            if (cached != null) {
                cacheHits.incrementAndGet();
                pending.add(CompletableFuture.completedFuture(cached));
            } else if (inBatch.containsKey(body)) {
                cacheHits.incrementAndGet();
                pending.add(inBatch.get(body));
            } else {
                CompletableFuture<Verdict> call = CompletableFuture.supplyAsync(() -> ask(question, body), workers);
                inBatch.put(body, call);
                pending.add(call);
            }
        }
        List<Verdict> verdicts = new ArrayList<>(pending.size());
        for (CompletableFuture<Verdict> verdict : pending) {
            verdicts.add(verdict.join());
        }
        return verdicts;
    }

    private Verdict ask(JudgeQuestion question, String body) {
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
                    Verdict verdict = read(question, response.body());
                    if (verdict.available()) {
                        cache.put(body, verdict);
                    } else {
                        failures.incrementAndGet();
                    }
                    return verdict;
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
        return Verdict.unavailable("judge failed after " + endpoint.maxAttempts() + " attempts at most, last: " + lastError);
    }

    /** The verdict in a chat-completions response, or unavailable when there is none. */
    private static Verdict read(JudgeQuestion question, String responseBody) {
        try {
            JsonNode content = JSON.readTree(responseBody).at("/choices/0/message/content");
            if (!content.isTextual()) {
                return Verdict.unavailable("the judge's response has no choices[0].message.content");
            }
            Optional<Boolean> verdict = question.verdict(content.asText());
            return verdict.map(yes -> Verdict.of(yes, content.asText()))
                    .orElseGet(() -> Verdict.unavailable("the judge's reply has no verdict: " + abbreviate(content.asText())));
        } catch (IOException e) {
            return Verdict.unavailable("the judge's response is not JSON: " + abbreviate(responseBody));
        }
    }

    private String requestBody(JudgeQuestion question) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", endpoint.model());
        body.put("temperature", 0);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", question.system());
        messages.addObject().put("role", "user").put("content", question.user());
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

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    @Override
    public String toString() {
        return "ChatCompletionsJudge[" + endpoint + "]";
    }
}
