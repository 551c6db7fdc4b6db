package ai.videorl.cluster.train;

import ai.videorl.cluster.config.TrainingConfig;
import ai.videorl.cluster.model.PolicyArchitecture;
import ai.videorl.cluster.store.TextFiles;
import ai.videorl.common.error.VideoRlException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.function.Predicate;

/**
 * The files a training command reads, checked before any work starts, each failure naming its
 * key and path: {@code data.train}; {@code data.eval} when set; {@code data.references}, which
 * {@code sft} needs; {@code model.init}, a run directory (a tiny policy's holds its
 * {@code vocabulary.json}); and a pretrained architecture's checkpoint ({@code model.path}).
 * Commands check local paths before the Spark session starts ({@link #checkLocal}), the trainers
 * every path once it has ({@link #check}): a remote filesystem may need the session's settings.
 */
public final class RunInputs {

    private RunInputs() {
    }

    /** The local paths among the inputs, with a plain Hadoop configuration: what can be checked before Spark starts. */
    public static void checkLocal(TrainingConfig config, boolean sft) throws IOException {
        check(config, sft, new Configuration(), TextFiles::isLocal);
    }

    /** Every input, on {@code hadoop}'s filesystems. */
    public static void check(TrainingConfig config, boolean sft, Configuration hadoop) throws IOException {
        check(config, sft, hadoop, location -> true);
    }

    private static void check(TrainingConfig config, boolean sft, Configuration hadoop, Predicate<String> checked)
            throws IOException {
        boolean tiny = config.model().policyArchitecture() == PolicyArchitecture.TINY;
        if (!tiny) {
            exists("model.path", config.model().path(), hadoop, checked);
            if (sft && config.sft().perceptionSteps() > 0) {
                throw VideoRlException.invalidConfiguration("sft.perception_steps " + config.sft().perceptionSteps() + ": the perception "
                        + "stage trains the tiny policy's frame encoder; set it to 0 for model.architecture " + config.model().architecture());
            }
        }
        TrainingConfig.Data data = config.data();
        require("data.train", data.train(), "a prepared dataset, a Parquet table or a manifest");
        exists("data.train", data.train(), hadoop, checked);
        if (!data.eval().isBlank()) {
            exists("data.eval", data.eval(), hadoop, checked);
        }
        if (sft) {
            require("data.references", data.references(), "the SFT targets (JSONL of id and response)");
            exists("data.references", data.references(), hadoop, checked);
        }
        String init = config.model().init();
        if (init != null && !init.isBlank() && checked.test(init)) {
            exists("model.init", init, hadoop, checked);
            if (tiny && !filesystem(init, hadoop).exists(new Path(init, RunFiles.VOCABULARY))) {
                throw VideoRlException.invalidConfiguration("model.init: " + init + " is not a run directory (it has no "
                        + RunFiles.VOCABULARY + "): name the directory sft or train wrote");
            }
        }
    }

    private static void require(String key, String location, String what) {
        if (location == null || location.isBlank()) {
            throw VideoRlException.invalidConfiguration(key + " must name " + what);
        }
    }

    private static void exists(String key, String location, Configuration hadoop, Predicate<String> checked) throws IOException {
        if (checked.test(location) && !filesystem(location, hadoop).exists(new Path(location))) {
            throw VideoRlException.invalidConfiguration(key + ": " + location + " does not exist");
        }
    }

    private static FileSystem filesystem(String location, Configuration hadoop) throws IOException {
        return new Path(location).getFileSystem(hadoop);
    }
}
