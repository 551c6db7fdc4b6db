package ai.videorl.cluster.judge;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Stops calling a server that keeps failing: after {@code threshold} calls in a row fail (each
 * after its own retries), the circuit opens and calls are refused at once, with the last failure
 * as the reason; every {@code retryAfter} one call goes through (half-open), and its success
 * closes the circuit again. A hundred thousand prompts to a dead judge then take minutes of
 * refusals, not hours of timeouts. Thread-safe.
 */
final class CircuitBreaker {

    private final int threshold;
    private final long retryAfterNanos;
    private final LongSupplier nanoClock;
    private int consecutiveFailures;
    private long openedAt;
    private boolean open;
    private boolean probing;
    private String lastFailure = "";

    CircuitBreaker(int threshold, Duration retryAfter, LongSupplier nanoClock) {
        if (threshold < 1 || retryAfter.isNegative()) {
            throw new IllegalArgumentException("a circuit breaker needs a threshold >= 1 and a retry interval >= 0, got "
                    + threshold + " and " + retryAfter);
        }
        this.threshold = threshold;
        this.retryAfterNanos = retryAfter.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Why a call must not be made now; empty when it may (as the half-open probe, once the interval has passed). */
    synchronized Optional<String> refusal() {
        if (!open) {
            return Optional.empty();
        }
        if (!probing && nanoClock.getAsLong() - openedAt >= retryAfterNanos) {
            probing = true;
            return Optional.empty();
        }
        return Optional.of("not called: its last " + consecutiveFailures + " calls failed (last: " + lastFailure
                + "); it is tried again every " + Duration.ofNanos(retryAfterNanos).toSeconds() + " s");
    }

    /** A call got an answer: the circuit closes. True when it was open. */
    synchronized boolean succeeded() {
        boolean wasOpen = open;
        open = false;
        probing = false;
        consecutiveFailures = 0;
        return wasOpen;
    }

    /** A call failed for {@code reason}. True when this failure opened the circuit. */
    synchronized boolean failed(String reason) {
        consecutiveFailures++;
        lastFailure = reason;
        if (open) {
            probing = false;
            openedAt = nanoClock.getAsLong();
            return false;
        }
        if (consecutiveFailures >= threshold) {
            open = true;
            openedAt = nanoClock.getAsLong();
            return true;
        }
        return false;
    }
}
