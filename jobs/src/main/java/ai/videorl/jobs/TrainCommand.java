package ai.videorl.jobs;

import ai.videorl.cluster.config.TrainingConfig;
import ai.videorl.cluster.spark.SparkSessions;
import ai.videorl.cluster.train.GrpoTrainer;
import ai.videorl.cluster.train.RunInputs;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code train}: GRPO iterations, resumable. */
@Command(name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "GRPO on Spark: rollouts on the executors' policy shards, rewards as Spark stages, group advantages,",
            "data-parallel gradients and the optimizer step on the driver. Writes RUN_DIR/rollouts/ (Parquet by",
            "iteration), metrics.jsonl and checkpoints/; --resume continues from the newest committed checkpoint."})
final class TrainCommand implements Callable<Integer> {

    @Mixin
    private TrainingOptions options;

    @Option(names = "--resume", description = "continue the run in RUN_DIR from its newest committed checkpoint")
    private boolean resume;

    @Override
    public Integer call() throws IOException {
        TrainingConfig config = options.load();
        RunInputs.checkLocal(config, false);
        SparkSession spark = SparkSessions.forJob("train", config.spark().conf());
        GrpoTrainer.Outcome outcome = new GrpoTrainer(spark, config, System.out::println).train(resume);
        System.out.printf("train: %d iterations, weights v%d%nrun: %s%n", outcome.iterations(), outcome.weights().version(),
                config.run().out());
        return 0;
    }
}
