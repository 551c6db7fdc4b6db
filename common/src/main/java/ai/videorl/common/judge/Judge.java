package ai.videorl.common.judge;

import java.util.List;

/**
 * Answers yes/no questions about rollouts, a batch at a time (services batch, bound concurrency
 * and cache behind this). Never throws for a failed call: the verdict is unavailable instead.
 */
@FunctionalInterface
public interface Judge {

    /** One verdict per question, in order. */
    List<Verdict> judge(List<JudgeQuestion> questions);
}
