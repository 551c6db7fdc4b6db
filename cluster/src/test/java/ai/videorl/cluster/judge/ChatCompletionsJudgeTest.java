package ai.videorl.cluster.judge;

import ai.videorl.common.judge.JudgeQuestion;
import ai.videorl.common.judge.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChatCompletionsJudgeTest {

    private static JudgeQuestion perception(String observation) {
        return new JudgeQuestion.Perception("Which colour appeared first?", "B", observation, List.of());
    }

    private static JudgeEndpoint endpoint(LoopbackChatServer server, int concurrency, int attempts, Duration timeout) {
        return new JudgeEndpoint(server.url(), "judge-model", "secret-key-123", timeout, concurrency, attempts, Duration.ofMillis(10),
                20, Duration.ofSeconds(60));
    }

    @Test
    void verdictsAreReadFromTheJudgesReplies() throws Exception {
        try (LoopbackChatServer server = new LoopbackChatServer((n, request) -> LoopbackChatServer.Reply.answer(
                request.userMessage().contains("red square") ? "It names red.\n<judgement>Yes</judgement>" : "No colour.\n<judgement>No</judgement>"));
             ChatCompletionsJudge judge = new ChatCompletionsJudge(endpoint(server, 4, 3, Duration.ofSeconds(10)))) {
            List<Verdict> verdicts = judge.judge(List.of(perception("a red square first"), perception("nothing at all"),
                    new JudgeQuestion.Consistency("q", "so B", "B")));
            assertTrue(verdicts.get(0).available() && verdicts.get(0).yes());
            assertTrue(verdicts.get(1).available() && !verdicts.get(1).yes());
            assertFalse(verdicts.get(2).available(), "a perception-style reply is no TRUE/FALSE verdict");
            assertEquals("Bearer secret-key-123", server.received().get(0).authorization());
            assertFalse(judge.toString().contains("secret"), "the key is never printed");
            assertTrue(server.received().get(0).body().contains("\"model\":\"judge-model\""));
        }
    }

    @Test
    void serverErrorsAndRateLimitsAreRetried() throws Exception {
        try (LoopbackChatServer server = new LoopbackChatServer((n, request) -> switch (n) {
            case 1 -> LoopbackChatServer.Reply.status(500);
            case 2 -> LoopbackChatServer.Reply.status(429);
            default -> LoopbackChatServer.Reply.answer("<judgement>Yes</judgement>");
        }); ChatCompletionsJudge judge = new ChatCompletionsJudge(endpoint(server, 1, 5, Duration.ofSeconds(10)))) {
            Verdict verdict = judge.judge(List.of(perception("red"))).get(0);
            assertTrue(verdict.available() && verdict.yes());
            assertEquals(3, server.received().size());
            assertEquals(3, judge.stats().calls());
        }
    }

    @Test
    void aJudgeThatKeepsFailingGivesAnUnavailableVerdictNotAnException() throws Exception {
        try (LoopbackChatServer server = new LoopbackChatServer((n, request) -> LoopbackChatServer.Reply.status(503));
             ChatCompletionsJudge judge = new ChatCompletionsJudge(endpoint(server, 2, 3, Duration.ofSeconds(10)))) {
            List<Verdict> verdicts = judge.judge(List.of(perception("red"), perception("blue")));
            for (Verdict verdict : verdicts) {
                assertFalse(verdict.available());
                assertTrue(verdict.detail().contains("HTTP 503"), verdict.detail());
            }
            assertEquals(6, server.received().size(), "3 attempts each");
            assertEquals(2, judge.stats().failures());
        }
    }

    @Test
    void aDeadJudgeIsNoLongerCalledAfterItsBreakThreshold() throws Exception {
        try (LoopbackChatServer server = new LoopbackChatServer((n, request) -> LoopbackChatServer.Reply.status(503));
             ChatCompletionsJudge judge = new ChatCompletionsJudge(new JudgeEndpoint(server.url(), "judge-model", null,
                     Duration.ofSeconds(10), 1, 2, Duration.ofMillis(1), 3, Duration.ofHours(1)))) {
            List<JudgeQuestion> questions = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                questions.add(perception("observation " + i));
            }
            List<Verdict> verdicts = judge.judge(questions);
            assertEquals(6, server.received().size(), "3 questions of 2 attempts each, then no call");
            assertTrue(verdicts.stream().noneMatch(Verdict::available));
            assertTrue(verdicts.get(39).detail().contains(server.url() + " is not called: its last 3 calls failed (last: HTTP 503)"),
                    verdicts.get(39).detail());
            assertEquals(40, judge.stats().failures());
        }
    }

    @Test
    void clientErrorsAreNotRetriedAndGarbageIsNoVerdict() throws Exception {
        try (LoopbackChatServer server = new LoopbackChatServer((n, request) -> request.userMessage().contains("auth")
                ? LoopbackChatServer.Reply.status(401) : LoopbackChatServer.Reply.garbage());
             ChatCompletionsJudge judge = new ChatCompletionsJudge(endpoint(server, 1, 4, Duration.ofSeconds(10)))) {
            List<Verdict> verdicts = judge.judge(List.of(perception("auth"), perception("garbage")));
            assertTrue(verdicts.get(0).detail().contains("HTTP 401"), verdicts.get(0).detail());
            assertTrue(verdicts.get(1).detail().contains("not JSON"), verdicts.get(1).detail());
            assertEquals(2, server.received().size(), "neither is retried");
        }
    }

    @Test
    void slowRepliesTimeOutAndAreRetried() throws Exception {
        try (LoopbackChatServer server = new LoopbackChatServer((n, request) -> n == 1
                ? LoopbackChatServer.Reply.answer("<judgement>No</judgement>").after(2_000)
                : LoopbackChatServer.Reply.answer("<judgement>Yes</judgement>"));
             ChatCompletionsJudge judge = new ChatCompletionsJudge(endpoint(server, 1, 3, Duration.ofMillis(300)))) {
            Verdict verdict = judge.judge(List.of(perception("red"))).get(0);
            assertTrue(verdict.available() && verdict.yes(), verdict.detail());
            assertEquals(2, server.received().size());
        }
    }

    @Test
    void theCachePreventsRepeatCallsAndConcurrencyStaysBounded() throws Exception {
        try (LoopbackChatServer server = new LoopbackChatServer((n, request) ->
                LoopbackChatServer.Reply.answer("<judgement>Yes</judgement>").after(100));
             ChatCompletionsJudge judge = new ChatCompletionsJudge(endpoint(server, 2, 3, Duration.ofSeconds(10)))) {
            List<JudgeQuestion> questions = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                questions.add(perception("observation " + i));
            }
            questions.add(perception("observation 0"));
            assertEquals(9, judge.judge(questions).size());
            assertEquals(8, server.received().size(), "the repeated question in the batch is asked once");
            assertTrue(server.maxInFlight() <= 2, "in flight at most 2, saw " + server.maxInFlight());
            List<Verdict> again = judge.judge(questions);
            assertEquals(8, server.received().size(), "a re-run costs no new calls");
            assertTrue(again.stream().allMatch(verdict -> verdict.available() && verdict.yes()));
            assertEquals(10, judge.stats().cacheHits());
        }
    }
}
