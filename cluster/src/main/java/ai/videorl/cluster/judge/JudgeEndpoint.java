package ai.videorl.cluster.judge;

import ai.videorl.common.error.VideoRlException;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to call an OpenAI-compatible chat-completions server (vLLM, SGLang, OpenAI, …).
 *
 * @param baseUrl the server, e.g. {@code http://127.0.0.1:8000}; requests go to {@code /v1/chat/completions}
 * @param model the model name the server expects
 * @param apiKey the bearer token, or null for none; never logged (see {@link #toString()})
 * @param timeout per request
 * @param concurrency requests in flight at most, per executor
 * @param maxAttempts tries per question before its verdict is unavailable (429, 5xx and timeouts are retried)
 * @param initialBackoff wait before the first retry; doubled each time, with up to 100% random jitter
 * @param breakAfter questions in a row that may fail (each after its attempts) before the server is no longer called
 * @param retryAfter how often a server no longer called is tried again with one question
 */
public record JudgeEndpoint(URI baseUrl, String model, String apiKey, Duration timeout, int concurrency, int maxAttempts,
                            Duration initialBackoff, int breakAfter, Duration retryAfter) {

    public JudgeEndpoint {
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (baseUrl.getScheme() == null || !baseUrl.getScheme().startsWith("http")) {
            throw VideoRlException.invalidConfiguration("judge.url must be an http(s) URL, got " + baseUrl);
        }
        if (model == null || model.isBlank()) {
            throw VideoRlException.invalidConfiguration("judge.model is required");
        }
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (breakAfter < 1 || retryAfter.isNegative()) {
            throw VideoRlException.invalidConfiguration("recipe.judge_break_after must be >= 1 and recipe.judge_retry_s >= 0; got "
                    + breakAfter + ", " + retryAfter);
        }
        if (concurrency < 1 || maxAttempts < 1 || timeout.isNegative() || timeout.isZero() || initialBackoff.isNegative()) {
            throw VideoRlException.invalidConfiguration("recipe.judge_concurrency and recipe.judge_attempts must be >= 1, "
                    + "recipe.judge_timeout_s positive and recipe.judge_backoff_ms >= 0; got " + concurrency + ", " + maxAttempts + ", " + timeout + ", " + initialBackoff);
        }
    }

    /**
     * How patiently to call a judge: what {@code recipe.judge_timeout_s}, {@code recipe.judge_concurrency},
     * {@code recipe.judge_attempts}, {@code recipe.judge_backoff_ms}, {@code recipe.judge_break_after} and
     * {@code recipe.judge_retry_s} set.
     */
    public record Limits(Duration timeout, int concurrency, int maxAttempts, Duration initialBackoff, int breakAfter,
                         Duration retryAfter) {
        /** 60 s timeout, 8 in flight, 5 attempts, 0.5 s first backoff; no calls after 20 failed questions in a row, one a minute. */
        public static final Limits DEFAULTS = new Limits(Duration.ofSeconds(60), 8, 5, Duration.ofMillis(500), 20,
                Duration.ofSeconds(60));

        public Limits withBreakAfter(int questions) {
            return new Limits(timeout, concurrency, maxAttempts, initialBackoff, questions, retryAfter);
        }
    }

    /** An endpoint with the default limits. */
    public static JudgeEndpoint of(URI baseUrl, String model, String apiKey) {
        return of(baseUrl, model, apiKey, Limits.DEFAULTS);
    }

    public static JudgeEndpoint of(URI baseUrl, String model, String apiKey, Limits limits) {
        return new JudgeEndpoint(baseUrl, model, apiKey, limits.timeout(), limits.concurrency(), limits.maxAttempts(),
                limits.initialBackoff(), limits.breakAfter(), limits.retryAfter());
    }

    URI completions() {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/chat/completions");
    }

    @Override
    public String toString() {
        return "JudgeEndpoint[" + baseUrl + ", model " + model + ", key " + (apiKey == null ? "none" : "set") + ", timeout "
                + timeout + ", concurrency " + concurrency + ", attempts " + maxAttempts + ", backoff " + initialBackoff
                + ", break after " + breakAfter + ", retry after " + retryAfter + "]";
    }
}
