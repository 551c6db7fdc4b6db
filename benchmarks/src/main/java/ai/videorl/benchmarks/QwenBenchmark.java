package ai.videorl.benchmarks;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.videorl.cluster.model.DecodingConfig;
import ai.videorl.cluster.model.qwen.MropePositions.VideoGrid;
import ai.videorl.cluster.model.qwen.LoraAdapters;
import ai.videorl.cluster.model.qwen.Qwen25VlModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Qwen2.5-VL on DJL/libtorch (CPU, float32, batch 1): the Java side of {@code bin/bench-qwen}, on the
 * checkpoint {@code scripts/qwen-bench/make_checkpoint.py} writes and the inputs
 * {@code scripts/qwen-bench/inputs.py} builds (the same formulas here, so both sides see the same
 * numbers). Each figure is the median of the runs after one warm-up run:
 * <ul>
 *   <li>vision: {@link Qwen25VlModel#videoFeatures} alone (s);</li>
 *   <li>prefill: {@link Qwen25VlModel#logits} of the prompt (s; prompt tokens / s);</li>
 *   <li>generate / first: {@link Qwen25VlModel#generateGreedy} with 32 and with 1 new token (s);
 *       decode = (generate - first) / 31 a step, new tokens / s;</li>
 *   <li>train: {@link Qwen25VlModel#responseLogProbs} of the 32-token response, then backward of
 *       their sum in a {@link GradientCollector} (s); gradients accumulate across runs.</li>
 *   <li>lora_train: the same with the base frozen and fresh {@link LoraAdapters} (r 16, alpha 32) on
 *       every projection of the language model's attention and MLP: gradients of the adapters only (s).</li>
 * </ul>
 * Peak RSS is the process's {@code VmHWM}. After each run, outside the timing, the arrays a call left
 * in the model's own manager are closed ({@link Reclaim}); how many MB each measurement's first run left
 * there is printed as {@code left_in_model_manager_mb}. Prints a table on stderr and one JSON line on stdout.
 *
 * <p>Arguments: {@code CHECKPOINT_DIR [--runs 3] [--threads 2] [--only prefill,train]}; the threads are libtorch's
 * intra-op threads ({@code ai.djl.pytorch.num_threads}), set before the engine starts.
 */
public final class QwenBenchmark {

    // Keep in step with scripts/qwen-bench/inputs.py.
    private static final int[] GRID = {4, 16, 16};
    private static final int TEXT_BEFORE = 30;
    private static final int TEXT_AFTER = 32;
    private static final int RESPONSE = 32;
    private static final double SECONDS_PER_GRID = 1.0;
    private static final int VIDEO_START = 151652;
    private static final int VIDEO_END = 151653;
    private static final int VIDEO_PAD = 151656;
    private static final int PATCH_VALUES = 3 * 2 * 14 * 14;
    private static final int LORA_RANK = 16;
    private static final int LORA_ALPHA = 32;
    private static final List<String> LORA_TARGETS = List.of("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj",
            "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj");

    private QwenBenchmark() {
    }

    /** Greedy decoding with no stop token, as transformers' generate runs on the same inputs. */
    private static Qwen25VlModel.Generation greedy(Qwen25VlModel model, Qwen25VlModel.Prompts prompts, int tokens, NDManager scope) {
        return model.generate(prompts, DecodingConfig.greedy(tokens), new long[prompts.ids().length], Set.of(), null, scope);
    }

    static int[] promptIds() {
        int videoTokens = GRID[0] * (GRID[1] / 2) * (GRID[2] / 2);
        int[] ids = new int[TEXT_BEFORE + 1 + videoTokens + 1 + TEXT_AFTER];
        int at = 0;
        for (int k = 0; k < TEXT_BEFORE + TEXT_AFTER; k++) {
            if (k == TEXT_BEFORE) {
                ids[at++] = VIDEO_START;
                for (int v = 0; v < videoTokens; v++) {
                    ids[at++] = VIDEO_PAD;
                }
                ids[at++] = VIDEO_END;
            }
            ids[at++] = (int) ((1000L + 7919L * k) % 150000);
        }
        return ids;
    }

    static int[] responseIds() {
        int[] ids = new int[RESPONSE];
        for (int j = 0; j < RESPONSE; j++) {
            ids[j] = (int) ((3000L + 104729L * j) % 150000);
        }
        return ids;
    }

    /** [T·H·W · C·T·P·P] flat: ((7919 n) % 1025 - 512) / 512, exact in float32. */
    static float[] pixelValues() {
        float[] values = new float[GRID[0] * GRID[1] * GRID[2] * PATCH_VALUES];
        for (int n = 0; n < values.length; n++) {
            values[n] = (float) ((7919L * n) % 1025 - 512) / 512f;
        }
        return values;
    }

    public static void main(String[] args) throws IOException {
        Path checkpoint = null;
        int runs = 3;
        int threads = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--only" -> only.addAll(Arrays.asList(args[++i].split(",")));
                default -> checkpoint = Paths.get(args[i]);
            }
        }
        if (checkpoint == null) {
            System.err.println("usage: QwenBenchmark CHECKPOINT_DIR [--runs 3] [--threads 2] [--only vision,prefill,first,generate,train,lora_train]");
            System.exit(2);
        }
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("OPT_OUT_TRACKING", "true");

        long start = System.nanoTime();
        try (Qwen25VlModel model = Qwen25VlModel.load(checkpoint, Device.cpu());
             NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            double loadSeconds = (System.nanoTime() - start) / 1e9;
            int[][] ids = {promptIds()};
            int[][] response = {responseIds()};
            int length = ids[0].length;
            float[] pixels = pixelValues();
            Shape patchShape = new Shape((long) GRID[0] * GRID[1] * GRID[2], PATCH_VALUES);
            List<VideoGrid> videos = List.of(new VideoGrid(GRID[0], GRID[1], GRID[2], SECONDS_PER_GRID));
            // Every run's inputs live in its scope: an op's result joins its first operand's manager.
            Function<NDManager, Qwen25VlModel.Prompts> prompts =
                    scope -> new Qwen25VlModel.Prompts(ids, null, scope.create(pixels, patchShape), videos);
            Map<String, Object> checks = new LinkedHashMap<>();
            Reclaim reclaim = new Reclaim(model);

            Map<String, Double> results = new LinkedHashMap<>();
            Map<String, double[]> all = new LinkedHashMap<>();
            measure("vision_s", runs, manager, reclaim,
                    scope -> model.videoFeatures(scope.create(pixels, patchShape), videos, scope).toFloatArray(), results, all);
            measure("prefill_s", runs, manager, reclaim, scope -> {
                NDArray last = model.logits(prompts.apply(scope), scope).get("0, -1, :");
                checks.put("prefill_last_argmax", last.argMax().getLong());
                checks.put("prefill_last_sum", (double) last.sum().getFloat());
            }, results, all);
            measure("first_s", runs, manager, reclaim, scope -> greedy(model, prompts.apply(scope), 1, scope), results, all);
            measure("generate_s", runs, manager, reclaim, scope -> {
                int[] tokens = greedy(model, prompts.apply(scope), RESPONSE, scope).tokens()[0];
                checks.put("greedy_first8", Arrays.copyOf(tokens, 8));
            }, results, all);
            model.weights().all().values().forEach(weight -> weight.setRequiresGradient(true));
            measure("train_s", runs, manager, reclaim, trainStep(model, prompts, response, checks, "train_logprob_sum"), results, all);
            if (wanted("lora_train")) {
                model.weights().all().values().forEach(weight -> weight.setRequiresGradient(false));
                List<String> modules = new ArrayList<>();
                for (int layer = 0; layer < model.config().text().layers(); layer++) {
                    for (String target : LORA_TARGETS) {
                        modules.add("model.layers." + layer + "." + target);
                    }
                }
                LoraAdapters adapters = LoraAdapters.fresh(model.config(), modules, LORA_RANK, LORA_ALPHA, 1, model.manager());
                adapters.tensors().forEach(tensor -> tensor.setRequiresGradient(true));
                model.weights().attach(adapters);
                reclaim.keep(adapters.tensors());
            }
            measure("lora_train_s", runs, manager, reclaim, trainStep(model, prompts, response, checks, "lora_train_logprob_sum"),
                    results, all);
            double decodeStep = results.containsKey("generate_s") && results.containsKey("first_s")
                    ? (results.get("generate_s") - results.get("first_s")) / (RESPONSE - 1) : Double.NaN;

            Map<String, Object> out = new LinkedHashMap<>();
            out.put("side", "djl");
            out.put("versions", Map.of("djl", Engine.getDjlVersion(), "libtorch", Engine.getInstance().getVersion()));
            out.put("threads", JniUtils.getNumThreads());
            out.put("runs", runs);
            out.put("prompt_tokens", length);
            out.put("video_tokens", GRID[0] * GRID[1] * GRID[2] / 4);
            out.put("new_tokens", RESPONSE);
            out.put("load_s", loadSeconds);
            out.putAll(results);
            out.put("decode_step_s", decodeStep);
            out.put("prefill_tokens_per_s", length / results.getOrDefault("prefill_s", Double.NaN));
            out.put("decode_tokens_per_s", 1 / decodeStep);
            out.put("peak_rss_mb", peakRssMegabytes());
            out.put("runs_s", all);
            out.put("cpu_user_sys_s", cpu);
            out.put("left_in_model_manager_mb", reclaim.megabytes);
            out.put("checks", checks);
            System.out.println(json(out));
        }
    }

    /**
     * Closes, after each run and outside its timing, the arrays a call left in the model's own
     * manager instead of the caller's scope (results of ops whose first operand is a weight, e.g.
     * the embedding lookup, and everything computed from them): without this, memory grows by
     * gigabytes a call until the process is killed. Records how much each measurement left there.
     */
    private static final class Reclaim {
        private final NDManager modelManager;
        private final Set<NDArray> weights = Collections.newSetFromMap(new IdentityHashMap<>());
        private final Map<String, Double> megabytes = new LinkedHashMap<>();

        Reclaim(Qwen25VlModel model) {
            weights.addAll(model.weights().all().values());
            modelManager = model.weights().all().values().iterator().next().getManager();
        }

        /** Arrays that live in the model's manager by design (adapters): never reclaimed. */
        void keep(List<NDArray> arrays) {
            weights.addAll(arrays);
        }

        void after(String name) {
            double bytes = 0;
            for (NDArray array : modelManager.getManagedArrays()) {
                if (!weights.contains(array)) {
                    bytes += array.getShape().size() * (double) array.getDataType().getNumOfBytes();
                    array.close();
                }
            }
            megabytes.putIfAbsent(name, bytes / 1e6);
        }
    }

    /** Measurements to run (vision, prefill, first, generate, train); empty for all. */
    private static final Set<String> only = new java.util.HashSet<>();
    /** Per measurement: user and kernel CPU seconds a call (warm-up included). */
    private static final Map<String, double[]> cpu = new LinkedHashMap<>();

    /** One step of what trains (every weight, or the attached adapters): log-probs of the response, backward of their sum. */
    private static Consumer<NDManager> trainStep(Qwen25VlModel model, Function<NDManager, Qwen25VlModel.Prompts> prompts, int[][] response,
                                                 Map<String, Object> checks, String check) {
        return scope -> {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray total = model.responseLogProbs(prompts.apply(scope), response, scope).sum();
                collector.backward(total);
                checks.put(check, (double) total.getFloat());
            }
        };
    }

    private static boolean wanted(String measurement) {
        return only.isEmpty() || only.contains(measurement);
    }

    private static void measure(String name, int runs, NDManager manager, Reclaim reclaim, Consumer<NDManager> body,
                                Map<String, Double> results, Map<String, double[]> all) {
        if (!wanted(name.substring(0, name.length() - "_s".length()))) {
            return;
        }
        double[] seconds = new double[runs];
        double[] cpuBefore = cpuSeconds();
        for (int run = -1; run < runs; run++) {
            try (NDManager scope = manager.newSubManager()) {
                long start = System.nanoTime();
                body.accept(scope);
                if (run >= 0) {
                    seconds[run] = (System.nanoTime() - start) / 1e9;
                }
            }
            reclaim.after(name);
        }
        double[] cpuAfter = cpuSeconds();
        cpu.put(name, new double[] {(cpuAfter[0] - cpuBefore[0]) / (runs + 1), (cpuAfter[1] - cpuBefore[1]) / (runs + 1)});
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        double median = runs % 2 == 1 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
        results.put(name, median);
        all.put(name, seconds);
        System.err.printf(Locale.ROOT, "  %s: %.3f s  runs %s%n", name, median,
                Arrays.stream(seconds).mapToObj(s -> String.format(Locale.ROOT, "%.3f", s)).collect(Collectors.toList()));
    }

    /** CPU seconds this process has spent in user mode and in the kernel (/proc/self/stat, 100 ticks a second). */
    private static double[] cpuSeconds() {
        try {
            String stat = Files.readString(Paths.get("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new double[] {Long.parseLong(fields[11]) / 100.0, Long.parseLong(fields[12]) / 100.0};
        } catch (IOException e) {
            return new double[] {Double.NaN, Double.NaN};
        }
    }

    /** The process's peak resident set ({@code VmHWM} of /proc/self/status), MB. */
    private static double peakRssMegabytes() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    private static String json(Object value) {
        if (value instanceof Map<?, ?> map) {
            List<String> entries = new ArrayList<>();
            map.forEach((k, v) -> entries.add(json(k.toString()) + ": " + json(v)));
            return "{" + String.join(", ", entries) + "}";
        }
        if (value instanceof int[] ints) {
            return Arrays.toString(ints);
        }
        if (value instanceof double[] doubles) {
            return Arrays.toString(doubles);
        }
        if (value instanceof String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        if (value instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? "null" : Double.toString(d);
        }
        return String.valueOf(value);
    }
}
