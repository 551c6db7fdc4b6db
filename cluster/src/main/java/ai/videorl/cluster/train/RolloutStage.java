package ai.videorl.cluster.train;

import ai.videorl.cluster.config.TrainingConfig;
import ai.videorl.cluster.data.SampleRows;
import ai.videorl.cluster.model.DecodingConfig;
import ai.videorl.cluster.model.Policy;
import ai.videorl.cluster.model.PolicyInputs;
import ai.videorl.cluster.model.PolicyProcessor;
import ai.videorl.cluster.model.StopRule;
import ai.videorl.cluster.rollout.PushedWeights;
import ai.videorl.cluster.spark.InjectedFaults;
import ai.videorl.cluster.spark.SparkSessions;
import ai.videorl.common.data.RolloutSeeds;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import static ai.videorl.cluster.train.RolloutColumns.ENTROPY;
import static ai.videorl.cluster.train.RolloutColumns.FINISHED;
import static ai.videorl.cluster.train.RolloutColumns.ITERATION;
import static ai.videorl.cluster.train.RolloutColumns.LOG_PROBS;
import static ai.videorl.cluster.train.RolloutColumns.REFERENCE_LOG_PROBS;
import static ai.videorl.cluster.train.RolloutColumns.RESPONSE;
import static ai.videorl.cluster.train.RolloutColumns.RESPONSE_IDS;
import static ai.videorl.cluster.train.RolloutColumns.RESPONSE_LENGTH;
import static ai.videorl.cluster.train.RolloutColumns.SAMPLE_INDEX;
import static ai.videorl.cluster.train.RolloutColumns.WEIGHT_VERSION;

/**
 * The rollout stage: on each prompt partition, the executor's policy shard samples G responses
 * per prompt. Each rollout's draws are seeded from (run seed, iteration, prompt id, sample index)
 * and the rows of a partition are batched in id order, so a retried task regenerates exactly
 * the same rows. A row holds the sample, the response's tokens and text, and the per-token
 * log-probabilities under the generating policy (and the reference, for a KL term).
 */
public final class RolloutStage {


    public static final StructType SCHEMA = withRolloutColumns(SampleRows.SCHEMA);

    private RolloutStage() {
    }

    /**
     * Prompt partitions for a rollout stage: {@code rollout.partitions}, or by default one per
     * executor — an executor's tasks share its device's shard, so one task decoding the whole
     * batch beats several waiting for the shard in turn.
     */
    public static int partitions(SparkSession spark, TrainingConfig config) {
        int configured = config.rollout().partitions();
        return configured > 0 ? configured : SparkSessions.executors(spark);
    }

    /** What the stage generates for each rollout of a prompt. */
    public record Sampling(int iteration, int samplesPerPrompt, DecodingConfig decoding, long runSeed) implements Serializable {
    }

    /**
     * @param prompts rows with {@link SampleRows#SCHEMA}'s columns (others are dropped), partitioned as the work should be
     * @param reference the frozen reference's weights, or null when no KL term needs them
     */
    public static Dataset<Row> generate(SparkSession spark, Dataset<Row> prompts, PushedWeights policy,
                                        PushedWeights reference, Sampling sampling, StageContext context) {
        Column[] sampleColumns = Arrays.stream(SampleRows.SCHEMA.fieldNames()).map(prompts::col).toArray(Column[]::new);
        JavaRDD<Row> rollouts = prompts.select(sampleColumns).javaRDD()
                .mapPartitions(rows -> generatePartition(rows, policy, reference, sampling, context));
        return spark.createDataFrame(rollouts, SCHEMA);
    }

    private static Iterator<Row> generatePartition(Iterator<Row> input, PushedWeights weights, PushedWeights referenceWeights,
                                                   Sampling sampling, StageContext context) {
        List<Row> prompts = PolicyBatches.inIdOrder(input);
        if (prompts.isEmpty()) {
            return List.<Row>of().iterator();
        }
        Policy policy = weights.shard();
        Policy reference = referenceWeights == null ? null : referenceWeights.shard();
        PolicyProcessor processor = context.processor();
        int group = sampling.samplesPerPrompt();
        List<Row> out = new ArrayList<>(prompts.size() * group);
        for (PolicyBatches.Batch batch : PolicyBatches.of(prompts, context, Math.max(1, context.config().rollout().batchRows() / group))) {
            PolicyInputs inputs = batch.inputs().repeatEach(group);
            long[] seeds = new long[inputs.batch()];
            for (int p = 0; p < batch.rows().size(); p++) {
                for (int s = 0; s < group; s++) {
                    seeds[p * group + s] = RolloutSeeds.of(sampling.runSeed(), sampling.iteration(), batch.samples().get(p).id(), s);
                }
            }
            Policy.Generation generation = policy.generate(inputs, sampling.decoding(), seeds, StopRule.NONE);
            InjectedFaults.maybeFail("rollout");
            InjectedFaults.maybeStall("rollout-" + sampling.iteration());
            int[][] responses = new int[seeds.length][];
            for (int r = 0; r < responses.length; r++) {
                responses[r] = processor.responseTargets(generation.tokens()[r], generation.finished()[r]);
            }
            // Old and reference log-probabilities of the distribution the tokens were drawn from.
            double temperature = sampling.decoding().scoringTemperature();
            Policy.TokenScores scores = policy.score(inputs, responses, temperature);
            double[][] referenceLogProbs = reference == null ? null : reference.score(inputs, responses, temperature).logProbs();
            for (int r = 0; r < responses.length; r++) {
                out.add(RowValues.extend(batch.rows().get(r / group), sampling.iteration(), r % group, weights.version(),
                        RowValues.boxed(responses[r]), processor.decode(responses[r]), responses[r].length,
                        generation.finished()[r], RowValues.boxed(scores.logProbs()[r]),
                        referenceLogProbs == null ? null : RowValues.boxed(referenceLogProbs[r]),
                        Arrays.stream(scores.entropies()[r]).average().orElse(0)));
            }
        }
        return out.iterator();
    }

    private static StructType withRolloutColumns(StructType sample) {
        return sample.add(ITERATION, DataTypes.IntegerType, false)
                .add(SAMPLE_INDEX, DataTypes.IntegerType, false)
                .add(WEIGHT_VERSION, DataTypes.LongType, false)
                .add(RESPONSE_IDS, DataTypes.createArrayType(DataTypes.IntegerType, false), false)
                .add(RESPONSE, DataTypes.StringType, false)
                .add(RESPONSE_LENGTH, DataTypes.IntegerType, false)
                .add(FINISHED, DataTypes.BooleanType, false)
                .add(LOG_PROBS, DataTypes.createArrayType(DataTypes.DoubleType, false), false)
                .add(REFERENCE_LOG_PROBS, DataTypes.createArrayType(DataTypes.DoubleType, false), true)
                .add(ENTROPY, DataTypes.DoubleType, false);
    }
}
