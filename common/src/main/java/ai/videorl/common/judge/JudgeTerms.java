package ai.videorl.common.judge;

import ai.videorl.common.reward.RewardInput;
import ai.videorl.common.reward.RewardTerm;
import ai.videorl.common.reward.RewardTerms;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** Reward terms that ask a judge, one batched call per batch. */
public final class JudgeTerms {

    private JudgeTerms() {
    }

    /**
     * A term worth 1 when the judge says yes and 0 when it says no. A rollout without a question
     * (say, no observation to judge) scores 0 without a call. An unavailable verdict scores 0, is
     * recorded in the table, and under {@link JudgeFailurePolicy#DROP_ROLLOUT} drops the rollout.
     */
    public static <P> RewardTerm<P> verdict(String name, List<String> inputs,
                                            Function<RewardInput<P>, Optional<JudgeQuestion>> question,
                                            Judge judge, JudgeFailurePolicy policy) {
        Objects.requireNonNull(judge, "judge");
        return RewardTerms.batched(name, inputs, "judged", (batch, earlier) -> {
            List<JudgeQuestion> questions = new ArrayList<>();
            List<Integer> rows = new ArrayList<>();
            for (int row = 0; row < batch.size(); row++) {
                Optional<JudgeQuestion> asked = question.apply(batch.get(row));
                if (asked.isPresent()) {
                    questions.add(asked.get());
                    rows.add(row);
                }
            }
            double[] values = new double[batch.size()];
            List<Verdict> verdicts = questions.isEmpty() ? List.of() : judge.judge(questions);
            for (int i = 0; i < rows.size(); i++) {
                Verdict verdict = verdicts.get(i);
                if (verdict.available()) {
                    values[rows.get(i)] = verdict.yes() ? 1 : 0;
                } else {
                    earlier.unavailable(rows.get(i), name, verdict.detail(), policy == JudgeFailurePolicy.DROP_ROLLOUT);
                }
            }
            return values;
        });
    }
}
