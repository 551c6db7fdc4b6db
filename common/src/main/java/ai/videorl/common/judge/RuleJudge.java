package ai.videorl.common.judge;

import ai.videorl.common.metric.ExactMatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A deterministic, explainable judge for data that carries {@code facts} (the synthetic
 * benchmark), with no network:
 * <ul>
 *   <li>perception: yes when the observation mentions every fact (case and spacing aside);</li>
 *   <li>consistency: TRUE when the reasoning's last sentence states the final answer (as whole
 *       words, case and punctuation aside).</li>
 * </ul>
 * A perception question without facts cannot be judged by rule: its verdict is unavailable.
 */
public final class RuleJudge implements Judge {

    @Override
    public List<Verdict> judge(List<JudgeQuestion> questions) {
        List<Verdict> verdicts = new ArrayList<>(questions.size());
        for (JudgeQuestion question : questions) {
            verdicts.add(question instanceof JudgeQuestion.Perception perception ? perception(perception)
                    : consistency((JudgeQuestion.Consistency) question));
        }
        return verdicts;
    }

    private static Verdict perception(JudgeQuestion.Perception question) {
        if (question.facts().isEmpty()) {
            return Verdict.unavailable("the sample has no facts to check the observation against");
        }
        String observation = normalise(question.observation());
        for (String fact : question.facts()) {
            if (!observation.contains(normalise(fact))) {
                return Verdict.of(false, "the observation does not mention \"" + fact + "\"");
            }
        }
        return Verdict.of(true, "the observation mentions every fact");
    }

    private static Verdict consistency(JudgeQuestion.Consistency question) {
        String answer = question.answer().strip();
        if (answer.isEmpty()) {
            return Verdict.of(false, "there is no final answer");
        }
        String conclusion = words(lastSentence(question.reasoning()));
        return conclusion.contains(words(answer))
                ? Verdict.of(true, "the reasoning concludes \"" + answer + "\"")
                : Verdict.of(false, "the reasoning's conclusion does not state \"" + answer + "\"");
    }

    private static String lastSentence(String text) {
        String trimmed = text.strip();
        int end = trimmed.length();
        while (end > 0 && ".!?".indexOf(trimmed.charAt(end - 1)) >= 0) {
            end--;
        }
        int start = Math.max(trimmed.lastIndexOf(". ", end - 1), Math.max(trimmed.lastIndexOf("! ", end - 1),
                trimmed.lastIndexOf("? ", end - 1)));
        return trimmed.substring(start < 0 ? 0 : start + 2, end);
    }

    private static String normalise(String text) {
        return ExactMatch.collapseWhitespace(text.toLowerCase(Locale.ROOT));
    }

    /** Lower-case words separated by single spaces, padded: " a b " contains " b " but not " a" in " answer". */
    private static String words(String text) {
        StringBuilder out = new StringBuilder(" ");
        for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
            out.append(Character.isLetterOrDigit(c) ? c : ' ');
        }
        return ExactMatch.collapseWhitespace(out.toString()).isEmpty() ? " "
                : " " + ExactMatch.collapseWhitespace(out.toString()) + " ";
    }
}
