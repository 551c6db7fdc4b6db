package ai.videorl.cluster.model.qwen;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.videorl.cluster.model.hf.Safetensors;
import ai.videorl.cluster.model.qwen.MropePositions.VideoGrid;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A case of {@code scripts/qwen-fixtures/generate_models.py}: its checkpoint loaded and its
 * reference tensors; and the parity tests' comparison, within
 * {@code 1e-5 + relative · max|reference|} over a tensor.
 */
record ModelCase(Qwen25VlModel model, Safetensors reference) implements AutoCloseable {

    static final Path MODELS = Paths.get("src/test/resources/qwen/models");
    /** The LoRA adapters of {@code scripts/qwen-fixtures/generate_lora.py} on these cases. */
    static final Path LORA = Paths.get("src/test/resources/qwen/lora");
    static final double ABSOLUTE = 1e-5;
    static final double RELATIVE = 1e-5;
    static final double GRADIENT_RELATIVE = 1e-4;

    static ModelCase open(String name) {
        Path directory = MODELS.resolve(name);
        return new ModelCase(Qwen25VlModel.load(directory, Device.cpu()), Safetensors.open(directory.resolve("reference.safetensors")));
    }

    int[][] ints(String name) {
        long[] values = reference.longs(name);
        long[] shape = reference.entry(name).shape();
        int columns = Math.toIntExact(shape[shape.length - 1]);
        int[][] rows = new int[values.length / columns][columns];
        for (int i = 0; i < values.length; i++) {
            rows[i / columns][i % columns] = Math.toIntExact(values[i]);
        }
        return rows;
    }

    float[] floats(String name) {
        return reference.floats(name);
    }

    List<VideoGrid> grids(String gridName, String secondsName) {
        int[][] grids = ints(gridName);
        float[] seconds = floats(secondsName);
        List<VideoGrid> videos = new ArrayList<>();
        for (int v = 0; v < grids.length; v++) {
            videos.add(new VideoGrid(grids[v][0], grids[v][1], grids[v][2], seconds[v]));
        }
        return videos;
    }

    Qwen25VlModel.Prompts prompts(NDManager scope) {
        List<VideoGrid> videos = grids("video_grid_thw", "second_per_grid_ts");
        return new Qwen25VlModel.Prompts(ints("input_ids"), null, reference.array("pixel_values_videos", scope), videos);
    }

    @Override
    public void close() {
        model.close();
        reference.close();
    }

    static void assertClose(String what, float[] expected, float[] actual) {
        assertClose(what, expected, actual, RELATIVE);
    }

    static void assertClose(String what, float[] expected, float[] actual, double relative) {
        assertEquals(expected.length, actual.length, what + ": element count");
        double largest = 0;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            largest = Math.max(largest, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs((double) expected[i] - actual[i]));
        }
        double tolerance = ABSOLUTE + relative * largest;
        System.out.printf("%s: max |diff| %.3g (max |reference| %.3g)%n", what, worst, largest);
        assertTrue(worst <= tolerance, what + ": max |diff| " + worst + " > " + tolerance);
    }
}
