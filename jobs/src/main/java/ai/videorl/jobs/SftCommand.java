package ai.videorl.jobs;

import ai.videorl.cluster.config.TrainingConfig;
import ai.videorl.cluster.spark.SparkSessions;
import ai.videorl.cluster.train.RunInputs;
import ai.videorl.cluster.train.SftTrainer;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code sft}: the supervised warm start on reference responses. */
@Command(name = "sft",
        mixinStandardHelpOptions = true,
        description = {
            "Supervised warm start: trains the policy on reference responses (data.references) for sft.steps steps,",
            "data parallel on Spark. Writes RUN_DIR/vocabulary.json, metrics.jsonl and a committed checkpoint,",
            "which `train` starts from with --set model.init=RUN_DIR."})
final class SftCommand implements Callable<Integer> {

    @Mixin
    private TrainingOptions options;

    @Override
    public Integer call() throws IOException {
        TrainingConfig config = options.load();
        RunInputs.checkLocal(config, true);
        SparkSession spark = SparkSessions.forJob("sft", config.spark().conf());
        SftTrainer.Outcome outcome = new SftTrainer(spark, config, System.out::println).train();
        System.out.printf(Locale.ROOT, "sft: %d steps, last loss %.4f%nrun: %s%n", outcome.steps(), outcome.lastLoss(), config.run().out());
        return 0;
    }
}
