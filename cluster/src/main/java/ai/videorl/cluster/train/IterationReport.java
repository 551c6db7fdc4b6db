package ai.videorl.cluster.train;

import ai.videorl.cluster.config.TrainingConfig;
import ai.videorl.cluster.data.Columns;
import ai.videorl.common.advantage.AdvantageBatch;
import ai.videorl.common.advantage.GroupStatus;
import ai.videorl.common.metrics.IterationMetrics;
import ai.videorl.common.metrics.MetricKeys;
import ai.videorl.common.reward.RewardTerms;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An iteration's metrics line (names as verl's) and its console summary. */
final class IterationReport {

    static final String INFORMATIVE_GROUPS = "groups/informative";
    static final String UNAVAILABLE_ROLLOUTS = "judge/unavailable";
    static final String DROPPED_ROLLOUTS = "judge/dropped";

    private IterationReport() {
    }

    static IterationMetrics of(GrpoTrainer.Batch batch, GrpoTrainer.Update update, IterationClock clock,
                               GrpoTrainer.RunState run, TrainingConfig config) {
        List<String> columns = new ArrayList<>(List.of(Columns.ID, RolloutColumns.ACCURACY, RolloutColumns.RESPONSE_LENGTH,
                RolloutColumns.GROUP_STATUS, RolloutColumns.ADVANTAGES, RolloutColumns.DROPPED, RolloutColumns.FINISHED,
                RolloutColumns.UNAVAILABLE));
        int firstTerm = columns.size();
        run.terms.forEach(term -> columns.add(RolloutColumns.reward(term)));
        List<Row> rows = batch.all().selectExpr(columns.stream().map(name -> "`" + name + "`").toArray(String[]::new)).collectAsList();
        int n = rows.size();
        IterationMetrics metrics = new IterationMetrics();
        for (int t = 0; t < run.terms.size(); t++) {
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = rows.get(i).getDouble(firstTerm + t);
            }
            if (run.terms.get(t).equals(RewardTerms.TOTAL)) {
                metrics.scores(values);
            }
            metrics.rewardTerm(run.terms.get(t), values);
        }
        metrics.put(MetricKeys.ACCURACY, rows.stream().mapToDouble(row -> row.getDouble(1)).average().orElse(0));
        int[] lengths = rows.stream().mapToInt(row -> row.getInt(2)).toArray();
        boolean[] truncated = new boolean[n];
        for (int i = 0; i < n; i++) {
            truncated[i] = !rows.get(i).getBoolean(6);
        }
        metrics.responseLengths(lengths, truncated);
        Map<String, GroupStatus> groups = new HashMap<>();
        List<Double> advantages = new ArrayList<>();
        for (Row row : rows) {
            GroupStatus status = GroupStatus.valueOf(row.getString(3));
            groups.put(row.getString(0), status);
            boolean trained = !row.getBoolean(5) && (!config.grpo().dropDegenerateGroups() || !status.isDegenerate());
            if (trained) {
                advantages.addAll(row.<Double>getList(4));
            }
        }
        Map<GroupStatus, Integer> statuses = new EnumMap<>(GroupStatus.class);
        groups.values().forEach(status -> statuses.merge(status, 1, Integer::sum));
        int dropped = config.grpo().dropDegenerateGroups() ? (int) groups.values().stream().filter(GroupStatus::isDegenerate).count() : 0;
        metrics.groups(new AdvantageBatch(List.of(), statuses, dropped));
        metrics.put(INFORMATIVE_GROUPS, statuses.getOrDefault(GroupStatus.INFORMATIVE, 0));
        // What the judge-failure policy did this iteration: rollouts a term had no verdict for, and those it dropped.
        metrics.put(UNAVAILABLE_ROLLOUTS, rows.stream().filter(row -> !row.getList(7).isEmpty()).count());
        metrics.put(DROPPED_ROLLOUTS, rows.stream().filter(row -> row.getBoolean(5)).count());
        metrics.tokenAdvantages(advantages.isEmpty() ? new double[] {0} : advantages.stream().mapToDouble(Double::doubleValue).toArray());
        metrics.loss(update.loss());
        metrics.gradientNorm(update.meanGradientNorm());
        metrics.learningRate(update.learningRate());
        metrics.put("actor/updates", update.steps());
        metrics.put("actor/skipped_updates", update.skipped());
        metrics.put("batch/prompts", batch.promptsDrawn());
        metrics.put("batch/rollouts", n);
        metrics.put("actor/weight_version", run.weights.version());
        clock.seconds().forEach(metrics::timing);
        double step = clock.elapsed();
        metrics.timing(MetricKeys.Stage.STEP, step);
        long tokens = (long) n * run.context.promptTokens() + Arrays.stream(lengths).asLongStream().sum();
        metrics.throughput(tokens, step, Math.max(1, run.workers));
        double generation = clock.seconds(MetricKeys.Stage.GENERATE);
        metrics.put(MetricKeys.ROLLOUTS_PER_SECOND, generation > 0 ? n / generation : 0);
        return metrics;
    }

    /** One console line: where the run is, how fast it goes, how it scores. */
    static String line(int iteration, int iterations, Map<String, Double> metrics) {
        double unavailable = metrics.getOrDefault(UNAVAILABLE_ROLLOUTS, 0.0);
        String judged = unavailable == 0 ? "" : String.format(Locale.ROOT, "  no verdict for %.0f rollouts (%.0f dropped)",
                unavailable, metrics.getOrDefault(DROPPED_ROLLOUTS, 0.0));
        return String.format(Locale.ROOT,
                "iteration %d/%d  reward %.3f  accuracy %.3f  length %.1f  informative groups %.0f/%.0f  "
                        + "gen %.1fs (%.0f rollouts/s)  reward %.1fs  update %.1fs  push %.2fs  step %.1fs",
                iteration, iterations, metrics.get(MetricKeys.mean(MetricKeys.SCORE)), metrics.get(MetricKeys.ACCURACY),
                metrics.get(MetricKeys.mean(MetricKeys.RESPONSE_LENGTH)),
                metrics.get(INFORMATIVE_GROUPS), metrics.get(MetricKeys.GROUPS),
                metrics.get(MetricKeys.timing(MetricKeys.Stage.GENERATE)), metrics.get(MetricKeys.ROLLOUTS_PER_SECOND),
                metrics.get(MetricKeys.timing(MetricKeys.Stage.REWARD)),
                metrics.getOrDefault(MetricKeys.timing(MetricKeys.Stage.UPDATE_ACTOR), 0.0),
                metrics.getOrDefault(MetricKeys.timing(MetricKeys.Stage.UPDATE_WEIGHTS), 0.0),
                metrics.get(MetricKeys.timing(MetricKeys.Stage.STEP))) + judged;
    }
}
