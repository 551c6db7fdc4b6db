package ai.videorl.cluster.eval;

import ai.videorl.cluster.config.TrainingConfig;
import ai.videorl.cluster.config.TrainingConfigLoader;
import ai.videorl.cluster.store.Checkpoint;
import ai.videorl.cluster.store.CheckpointStore;
import ai.videorl.cluster.train.RunFiles;
import ai.videorl.cluster.train.RunVocabulary;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;

/**
 * What {@code eval --checkpoint C} evaluates: C is a run directory (its newest committed
 * checkpoint), a demo's directory (its GRPO run's) or one {@code checkpoints/iteration-N}
 * directory of a run. The policy's vocabulary
 * and prompt layout come from the run, the recipe and frame sampling from the configuration the
 * checkpoint stored, with {@code overrides} applied on top.
 *
 * @param checkpoint the checkpoint directory read
 * @param run the run directory it belongs to
 */
public record EvalCheckpoint(String checkpoint, String run, Checkpoint loaded, RunVocabulary vocabulary, TrainingConfig config) {

    public static EvalCheckpoint resolve(String location, List<String> overrides, Configuration hadoop) throws IOException {
        String run;
        String directory;
        Checkpoint loaded;
        if (CheckpointStore.isCheckpoint(location)) {
            loaded = CheckpointStore.readCommitted(location, hadoop);
            directory = location;
            Path qualified = new Path(location).getFileSystem(hadoop).makeQualified(new Path(location));
            run = qualified.getParent().getParent().toString();
        } else {
            CheckpointStore.Loaded latest = new CheckpointStore(location, hadoop, 1).latest();
            run = location;
            String demoRun = RunFiles.child(location, RunFiles.DEMO_GRPO_RUN);
            if (latest.checkpoint().isEmpty() && latest.skipped().isEmpty() && RunFiles.exists(demoRun, hadoop)) {
                latest = new CheckpointStore(demoRun, hadoop, 1).latest();
                run = demoRun;
            }
            loaded = latest.orElseThrow("--checkpoint", run);
            directory = CheckpointStore.directoryOf(run, loaded.iteration());
        }
        TrainingConfig config = TrainingConfigLoader.load(new StringReader(loaded.config()), directory + "/config.yaml", overrides);
        RunVocabulary vocabulary = RunVocabulary.forPolicy(loaded.weights().spec(), run, hadoop);
        return new EvalCheckpoint(directory, run, loaded, vocabulary, config);
    }
}
