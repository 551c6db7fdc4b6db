package ai.videorl.cluster.demo;

import ai.videorl.cluster.model.qwen.FreshWeights;
import ai.videorl.cluster.store.DirectoryUpload;
import ai.videorl.cluster.store.LocalDirectories;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The demo's Qwen2.5-VL-architecture policy before any training: a Hugging Face checkpoint
 * directory with the configuration and tokenizer this build carries (a byte-level BPE trained on
 * the synthetic benchmark's texts, {@code scripts/demo-qwen/generate_demo_base.py}) and weights
 * drawn from the demo's seed.
 */
final class DemoBase {

    private static final String RESOURCES = "/ai/videorl/cluster/demo/qwen/";
    private static final List<String> FILES = List.of("config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
            "chat_template.json", "preprocessor_config.json");

    private DemoBase() {
    }

    /** Writes the checkpoint to {@code location} (any Hadoop URI). */
    static void write(String location, long seed, Configuration hadoop) throws IOException {
        Path local = Files.createTempDirectory("videorl-demo-base");
        try {
            for (String name : FILES) {
                try (InputStream in = DemoBase.class.getResourceAsStream(RESOURCES + name)) {
                    if (in == null) {
                        throw new IllegalStateException(RESOURCES + name + " is missing from the classpath");
                    }
                    Files.copy(in, local.resolve(name));
                }
            }
            FreshWeights.write(local, seed);
            DirectoryUpload.copy(local, location, hadoop);
        } finally {
            LocalDirectories.deleteTree(local);
        }
    }
}
