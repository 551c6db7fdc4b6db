package ai.videorl.cluster.train;

import ai.videorl.cluster.config.TrainingConfig;
import ai.videorl.cluster.model.PolicyConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PolicyStartTest {

    private static final PolicyConfig CHECKPOINT = new PolicyConfig(187, 64, 4, 4, 32, 8, 160);
    private static final TrainingConfig.Lora LORA = new TrainingConfig.Lora(16, 32, 0, "q_proj");

    @Test
    void modelKeysMatchingTheCheckpointAreNotReported() {
        assertEquals(List.of(), PolicyStart.ignoredModelKeys(CHECKPOINT, new TrainingConfig.Model("tiny", "runs/sft", "", "float32", "lora", LORA, 64, 4, 4, 160, 4, 1, 0)));
    }

    @Test
    void eachModelKeyTheCheckpointOverridesIsNamedWithBothValues() {
        assertEquals(List.of("model.width = 128 (the checkpoint's is 64)", "model.max_length = 256 (the checkpoint's is 160)",
                        "model.patch_stride = 2 (the checkpoint's is 4)", "model.frame_grid = 2 (the checkpoint's is 1)",
                        "model.frame_times = 3 (the checkpoint's is 0)"),
                PolicyStart.ignoredModelKeys(CHECKPOINT, new TrainingConfig.Model("tiny", "runs/sft", "", "float32", "lora", LORA, 128, 4, 4, 256, 2, 2, 3)));
        assertEquals(List.of("model.layers = 2 (the checkpoint's is 4)", "model.heads = 8 (the checkpoint's is 4)"),
                PolicyStart.ignoredModelKeys(CHECKPOINT, new TrainingConfig.Model("tiny", "runs/sft", "", "float32", "lora", LORA, 64, 2, 8, 160, 4, 1, 0)));
    }
}
