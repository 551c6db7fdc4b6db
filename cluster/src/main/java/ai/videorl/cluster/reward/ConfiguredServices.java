package ai.videorl.cluster.reward;

import ai.videorl.cluster.embedding.MiniLmEmbedder;
import ai.videorl.cluster.judge.ChatCompletionsClient;
import ai.videorl.cluster.judge.ChatCompletionsJudge;
import ai.videorl.cluster.judge.JudgeCredentials;
import ai.videorl.cluster.judge.JudgeEndpoint;
import ai.videorl.cluster.judge.LlmClaimExtractor;
import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.grounding.LexicalEmbedder;
import ai.videorl.common.grounding.TemporalAlignment;
import ai.videorl.common.judge.JudgeFailurePolicy;
import ai.videorl.common.judge.RuleJudge;
import ai.videorl.common.reward.RewardServices;
import org.apache.hadoop.conf.Configuration;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The reward services a command was asked for, built and owned: closing this closes the judge's
 * connections and the embedder's model.
 */
public final class ConfiguredServices implements AutoCloseable {

    /**
     * What was asked for: each field may be null (not wanted).
     *
     * @param claims "rules" (default) or "llm" (ask the judge's server to list the claims)
     * @param tarScore "precision" (the paper, default) or "f1"
     * @param judgeLimits timeouts, concurrency and retries of calls to {@code judgeUrl}
     */
    public record Options(String judgeUrl, String judgeModel, String judgeKeyVariable, boolean ruleJudge, String embedder,
                          String failurePolicy, String claims, String tarScore, JudgeEndpoint.Limits judgeLimits) {

        /** Settings that contradict each other fail here, before anything is built; each message names the flag and the key. */
        public Options {
            if (ruleJudge && judgeUrl != null) {
                throw VideoRlException.invalidConfiguration("choose either a judge URL or the rule judge, not both "
                        + "(--judge-url or recipe.judge_url, --rule-judge or recipe.rule_judge)");
            }
            if (judgeUrl != null && judgeModel == null) {
                throw VideoRlException.invalidConfiguration("a judge URL needs a judge model (--judge-model, recipe.judge_model)");
            }
            if (claims != null && !claims.equalsIgnoreCase("rules") && !(claims.equalsIgnoreCase("llm") && judgeUrl != null)) {
                throw VideoRlException.invalidConfiguration("claims must be rules, or llm with a judge URL (--judge-url, "
                        + "recipe.judge_url) whose server lists them; got '" + claims + "'");
            }
        }
    }

    private final RewardServices services;
    private final List<AutoCloseable> owned;

    private ConfiguredServices(RewardServices services, List<AutoCloseable> owned) {
        this.services = services;
        this.owned = owned;
    }

    /**
     * Builds the services {@code options} ask for. Hadoop's configuration is read only to look up a
     * judge's key (its credential providers): loading it costs a process about a second.
     */
    public static ConfiguredServices create(Options options, Supplier<Configuration> hadoop) {
        List<AutoCloseable> owned = new ArrayList<>();
        RewardServices services = RewardServices.NONE;
        if (options.failurePolicy() != null) {
            services = services.withFailurePolicy(JudgeFailurePolicy.parse(options.failurePolicy()));
        }
        if (options.ruleJudge()) {
            services = services.withJudge(new RuleJudge());
        } else if (options.judgeUrl() != null) {
            String variable = options.judgeKeyVariable() == null ? JudgeCredentials.DEFAULT_VARIABLE : options.judgeKeyVariable();
            JudgeEndpoint endpoint = JudgeEndpoint.of(URI.create(options.judgeUrl()), options.judgeModel(),
                    JudgeCredentials.apiKey(hadoop.get(), variable, System.getenv()), options.judgeLimits());
            ChatCompletionsJudge judge = new ChatCompletionsJudge(endpoint);
            owned.add(judge);
            services = services.withJudge(judge);
            if ("llm".equalsIgnoreCase(options.claims())) {
                ChatCompletionsClient extractorClient = new ChatCompletionsClient(endpoint);
                owned.add(extractorClient);
                services = services.withClaimExtractor(new LlmClaimExtractor(extractorClient));
            }
        }
        if (options.tarScore() != null) {
            TemporalAlignment.Score score = switch (options.tarScore().toLowerCase(Locale.ROOT)) {
                case "precision" -> TemporalAlignment.Score.PRECISION;
                case "f1" -> TemporalAlignment.Score.F1;
                default -> throw VideoRlException.invalidConfiguration("tar score must be precision or f1, got '"
                        + options.tarScore() + "'");
            };
            TemporalAlignment paper = TemporalAlignment.PAPER;
            services = services.withAlignment(new TemporalAlignment(paper.buffer(), paper.threshold(), score));
        }
        if (options.embedder() != null) {
            switch (options.embedder().toLowerCase(Locale.ROOT)) {
                case "minilm" -> {
                    MiniLmEmbedder embedder = MiniLmEmbedder.load();
                    owned.add(embedder);
                    services = services.withEmbedder(embedder);
                }
                case "lexical" -> services = services.withEmbedder(new LexicalEmbedder(1024));
                default -> throw VideoRlException.invalidConfiguration("unknown embedder '" + options.embedder()
                        + "'; expected minilm or lexical");
            }
        }
        return new ConfiguredServices(services, owned);
    }

    public RewardServices services() {
        return services;
    }

    @Override
    public void close() {
        for (AutoCloseable resource : owned) {
            try {
                resource.close();
            } catch (Exception e) {
                // Closing must not hide the result of the work done.
            }
        }
    }
}
