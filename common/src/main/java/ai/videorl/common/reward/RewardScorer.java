package ai.videorl.common.reward;

import ai.videorl.common.error.VideoRlException;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs a recipe's terms over a batch, in order, one column each. The chain is checked once when
 * the scorer is built (unique names, every input computed by an earlier term, a final
 * {@value RewardTerms#TOTAL}) so a bad recipe fails before any rollout is generated.
 *
 * @param <P> the recipe's parsed-completion type
 */
public final class RewardScorer<P> {

    private final List<RewardTerm<P>> terms;

    public RewardScorer(List<RewardTerm<P>> terms) {
        this.terms = List.copyOf(terms);
        check(this.terms);
    }

    /** Term names in column order, ending with {@value RewardTerms#TOTAL}. */
    public List<String> termNames() {
        return terms.stream().map(RewardTerm::name).toList();
    }

    public RewardTable score(List<RewardInput<P>> batch) {
        RewardTable table = new RewardTable(batch.size());
        for (RewardTerm<P> term : terms) {
            table.put(term.name(), term.score(batch, table));
        }
        return table;
    }

    private static void check(List<? extends RewardTerm<?>> terms) {
        Set<String> defined = new HashSet<>();
        for (RewardTerm<?> term : terms) {
            for (String input : term.inputs()) {
                if (!defined.contains(input)) {
                    throw VideoRlException.invalidConfiguration("reward term '" + term.name() + "' reads '" + input
                            + "', which no earlier term computes (earlier: " + defined + ")");
                }
            }
            if (!defined.add(term.name())) {
                throw VideoRlException.invalidConfiguration("two reward terms are named '" + term.name() + "'");
            }
        }
        if (terms.isEmpty() || !terms.get(terms.size() - 1).name().equals(RewardTerms.TOTAL)) {
            throw VideoRlException.invalidConfiguration("a recipe's last reward term must be '" + RewardTerms.TOTAL + "'");
        }
    }
}
