package ai.videorl.cluster.judge;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CircuitBreakerTest {

    @Test
    void opensAfterTheThresholdProbesOnceAnIntervalAndClosesOnAnAnswer() {
        AtomicLong now = new AtomicLong();
        CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(30), now::get);
        assertFalse(breaker.failed("HTTP 503"));
        assertFalse(breaker.failed("HTTP 503"));
        assertTrue(breaker.refusal().isEmpty(), "two failures in a row: still called");
        assertTrue(breaker.failed("connection refused"), "the third opens it");
        String refusal = breaker.refusal().orElseThrow();
        assertEquals("not called: its last 3 calls failed (last: connection refused); it is tried again every 30 s", refusal);

        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertTrue(breaker.refusal().isEmpty(), "after the interval, one call goes through");
        assertTrue(breaker.refusal().isPresent(), "and only one while it is out");
        assertFalse(breaker.failed("HTTP 503"), "a failed probe re-opens it, already open");
        assertTrue(breaker.refusal().isPresent(), "for another interval");

        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertTrue(breaker.refusal().isEmpty());
        assertTrue(breaker.succeeded(), "an answer closes it, and says it was open");
        assertTrue(breaker.refusal().isEmpty());
        assertFalse(breaker.failed("HTTP 503"), "the count starts again");
    }

    @Test
    void anAnswerBetweenFailuresResetsTheCount() {
        CircuitBreaker breaker = new CircuitBreaker(2, Duration.ZERO, () -> 0);
        assertFalse(breaker.failed("x"));
        assertFalse(breaker.succeeded());
        assertFalse(breaker.failed("x"), "not two in a row");
        assertTrue(breaker.failed("x"));
    }
}
