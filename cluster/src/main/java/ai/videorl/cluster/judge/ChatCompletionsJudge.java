package ai.videorl.cluster.judge;

import ai.videorl.common.judge.Judge;
import ai.videorl.common.judge.JudgeQuestion;
import ai.videorl.common.judge.Verdict;

import java.util.List;

/**
 * A judge behind an OpenAI-compatible chat-completions endpoint ({@link ChatCompletionsClient}:
 * bounded concurrency, retries with backoff and jitter, a cache). A reply without the question's
 * verdict, or a call that failed after its retries, gives an unavailable verdict with the reason.
 */
public final class ChatCompletionsJudge implements Judge, AutoCloseable {

    private final ChatCompletionsClient client;

    public ChatCompletionsJudge(JudgeEndpoint endpoint) {
        this.client = new ChatCompletionsClient(endpoint);
    }

    public ChatCompletionsClient.Stats stats() {
        return client.stats();
    }

    @Override
    public List<Verdict> judge(List<JudgeQuestion> questions) {
        List<ChatCompletionsClient.Request<Verdict>> requests = questions.stream()
                .map(question -> new ChatCompletionsClient.Request<Verdict>(question.system(), question.user(),
                        reply -> question.verdict(reply)
                                .map(yes -> ChatCompletionsClient.Outcome.of(Verdict.of(yes, reply), reply))
                                .orElseGet(() -> ChatCompletionsClient.Outcome.failed("the judge's reply has no verdict: "
                                        + ChatCompletionsClient.abbreviate(reply)))))
                .toList();
        return client.ask(requests).stream()
                .map(outcome -> outcome.result().orElseGet(() -> Verdict.unavailable(outcome.detail())))
                .toList();
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "ChatCompletionsJudge[" + client + "]";
    }
}
