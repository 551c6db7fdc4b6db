package ai.videorl.jobs;

import ai.videorl.cluster.config.TrainingConfig;
import ai.videorl.cluster.config.TrainingConfigLoader;
import ai.videorl.cluster.store.TextFiles;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/** The options every training command shares: a YAML file and key=value overrides (docs/configuration.md). */
final class TrainingOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "the run's YAML configuration (a path or any Hadoop URI)")
    private String file;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override one key, e.g. --set rollout.group_size=16 (repeatable)")
    private List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "the run directory (sets run.out)")
    private String out;

    TrainingConfig load() throws IOException {
        List<String> all = new ArrayList<>(overrides);
        if (out != null) {
            all.add("run.out=" + out);
        }
        if (file == null) {
            return TrainingConfigLoader.load(null, "defaults", all);
        }
        try (Reader reader = TextFiles.reader(file)) {
            return TrainingConfigLoader.load(reader, file, all);
        }
    }
}
