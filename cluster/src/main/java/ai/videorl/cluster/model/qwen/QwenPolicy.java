package ai.videorl.cluster.model.qwen;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.videorl.cluster.model.DecodingConfig;
import ai.videorl.cluster.model.ModelDtype;
import ai.videorl.cluster.model.NoGradient;
import ai.videorl.cluster.model.Policy;
import ai.videorl.cluster.model.PolicyInputs;
import ai.videorl.cluster.model.StopRule;
import ai.videorl.cluster.model.TeacherForcing;
import ai.videorl.cluster.model.TrainableGradients;
import ai.videorl.cluster.model.TrainableWeights;
import ai.videorl.common.loss.BatchShape;
import ai.videorl.common.loss.PolicyLossConfig;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Qwen2.5-VL as a {@link Policy}: generation until one of the checkpoint's end tokens, teacher
 * forcing and gradients through {@link Qwen25VlModel}. With LoRA adapters only they train, named
 * as PEFT names them, and the base stays frozen; without, every weight trains (full fine-tuning,
 * for small models), named in the released layout ({@code model.layers.*}, {@code visual.*})
 * whichever layout the checkpoint uses.
 *
 * <p>Several policies may share one base, each with its own adapters (an executor's trained
 * policy and its reference): a call holds the base's lock and attaches its own adapters first.
 */
public final class QwenPolicy implements Policy {

    private final Qwen25VlModel model;
    private final Set<Integer> stopTokens;
    private final LoraAdapters adapters;
    private final AutoCloseable owned;
    private final List<String> names;
    private final List<NDArray> trainable;
    /** The version of the trainable weights loaded last: with the batch, it seeds a training pass's dropout. */
    private long version;

    /** Takes ownership of {@code model}, its adapters attached or not: closing the policy closes it. */
    public QwenPolicy(Qwen25VlModel model, Set<Integer> stopTokens) {
        this(model, stopTokens, model.weights().adapters(), model);
    }

    private QwenPolicy(Qwen25VlModel model, Set<Integer> stopTokens, LoraAdapters adapters, AutoCloseable owned) {
        this.model = Objects.requireNonNull(model, "model");
        this.stopTokens = Set.copyOf(stopTokens);
        this.adapters = adapters;
        this.owned = owned;
        if (adapters == null) {
            Map<String, NDArray> weights = model.weights().all();
            this.names = List.copyOf(weights.keySet());
            this.trainable = List.copyOf(weights.values());
        } else {
            this.names = adapters.names();
            this.trainable = adapters.tensors();
        }
        trainable.forEach(tensor -> tensor.setRequiresGradient(true));
    }

    /**
     * A policy of {@code adapters} on a base other policies may share: closing it frees
     * {@code adapterMemory} (where the adapters live), not the base.
     */
    public static QwenPolicy sharing(Qwen25VlModel base, Set<Integer> stopTokens, LoraAdapters adapters, long version,
                                     NDManager adapterMemory) {
        QwenPolicy policy = new QwenPolicy(base, stopTokens, Objects.requireNonNull(adapters, "adapters"), adapterMemory);
        policy.version = version;
        return policy;
    }

    /** The checkpoint in {@code directory} on {@code device}, ending responses at its end tokens ({@link QwenStopTokens}). */
    public static QwenPolicy load(Path directory, Device device, ModelDtype dtype) {
        return load(directory, null, device, dtype);
    }

    /** The same with the PEFT adapter in {@code adapter} attached, unless it is null. */
    public static QwenPolicy load(Path directory, Path adapter, Device device, ModelDtype dtype) {
        return load(directory, device, dtype, adapter == null ? null : (config, manager) -> LoraAdapters.readPeft(adapter, config, manager));
    }

    /** The same with the adapters {@code adapters} makes (in the model's manager) attached, unless it is null. */
    public static QwenPolicy load(Path directory, Device device, ModelDtype dtype,
                                  BiFunction<Qwen25VlConfig, NDManager, LoraAdapters> adapters) {
        Set<Integer> stopTokens = QwenStopTokens.read(directory);
        Qwen25VlModel model = Qwen25VlModel.load(directory, device, dtype);
        try {
            if (adapters != null) {
                model.weights().attach(adapters.apply(model.config(), model.manager()));
            }
            return new QwenPolicy(model, stopTokens);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The checkpoint in {@code directory} with every weight replaced by {@code weights} (a fully fine-tuned model's), in float32. */
    public static QwenPolicy trained(Path directory, Device device, TrainableWeights weights) {
        QwenPolicy policy = load(directory, device, ModelDtype.FLOAT32);
        try {
            policy.loadTrainableWeights(weights);
            return policy;
        } catch (RuntimeException e) {
            policy.close();
            throw e;
        }
    }

    public Qwen25VlModel model() {
        return model;
    }

    /** The token ids that end a response. */
    public Set<Integer> stopTokens() {
        return stopTokens;
    }

    @Override
    public Generation generate(PolicyInputs inputs, DecodingConfig decoding, long[] seeds, StopRule stop) {
        return attached(() -> {
            try (NDManager scope = model.manager().newSubManager()) {
                Qwen25VlModel.Generation generation = model.generate(qwen(inputs).toModel(scope), decoding, seeds, stopTokens, stop, null,
                        scope);
                return new Generation(generation.tokens(), doubles(generation.logProbs()), doubles(generation.entropies()),
                        generation.finished());
            }
        });
    }

    @Override
    public TokenScores score(PolicyInputs inputs, int[][] responses, double temperature) {
        return attached(() -> {
            try (NoGradient noGradient = NoGradient.enter(); NDManager scope = model.manager().newSubManager()) {
                return TeacherForcing.ragged(teacherForced(qwen(inputs), responses, temperature, scope), responses);
            }
        });
    }

    @Override
    public Gradient policyGradient(PolicyInputs inputs, int[][] responses, PolicyTargets targets, PolicyLossConfig loss,
                                 BatchShape batch) {
        QwenPolicyInputs prompts = qwen(inputs);
        return attached(() -> TrainableGradients.of(model.manager(), trainable, scope -> training(responses, () -> TeacherForcing.policyLoss(
                teacherForced(prompts, responses, targets.temperature(), scope), responses, targets, loss, batch, scope))));
    }

    @Override
    public Gradient supervisedGradient(PolicyInputs inputs, int[][] responses, BatchShape batch) {
        QwenPolicyInputs prompts = qwen(inputs);
        return attached(() -> TrainableGradients.of(model.manager(), trainable, scope -> training(responses, () -> TeacherForcing.supervisedLoss(
                teacherForced(prompts, responses, 1, scope), responses, batch, scope))));
    }

    @Override
    public TrainableWeights trainableWeights(long version) {
        synchronized (model) {
            return TrainableWeights.of(version, names, trainable);
        }
    }

    @Override
    public void loadTrainableWeights(TrainableWeights weights) {
        synchronized (model) {
            weights.requireSameTensors(names, trainable.stream().map(tensor -> tensor.getShape().getShape()).toList());
            version = weights.version();
            List<float[]> values = weights.tensors();
            for (int t = 0; t < trainable.size(); t++) {
                trainable.get(t).set(values.get(t));
            }
        }
    }

    /**
     * A gradient pass, with the adapters' dropout when they have one: seeded by the weight version
     * and the responses, so a re-run of the same batch (a retried task, a resumed run) drops the same.
     */
    private <T> T training(int[][] responses, Supplier<T> pass) {
        return adapters == null ? pass.get() : adapters.training(version * 1_000_003L + Arrays.deepHashCode(responses), pass);
    }

    /** Runs {@code call} holding the base's lock with this policy's adapters attached: policies sharing a base take turns. */
    private <T> T attached(Supplier<T> call) {
        synchronized (model) {
            model.weights().attach(adapters);
            return call.get();
        }
    }

    /** The responses right-padded to the longest (causal attention keeps padding out of earlier positions), scored. */
    private TeacherForcing.Scores teacherForced(QwenPolicyInputs inputs, int[][] responses, double temperature, NDManager scope) {
        int longest = TeacherForcing.longest(responses, inputs.batch());
        int[][] padded = new int[responses.length][];
        for (int b = 0; b < responses.length; b++) {
            padded[b] = Arrays.copyOf(responses[b], longest);
        }
        NDArray predicting = model.responseLogits(inputs.toModel(scope), padded, scope);
        return TeacherForcing.scores(predicting, responses, temperature, scope);
    }

    private static QwenPolicyInputs qwen(PolicyInputs inputs) {
        if (inputs instanceof QwenPolicyInputs qwen) {
            return qwen;
        }
        throw new IllegalArgumentException("a Qwen2.5-VL policy reads Qwen2.5-VL inputs, not " + inputs.getClass().getSimpleName());
    }

    private static double[][] doubles(float[][] values) {
        double[][] out = new double[values.length][];
        for (int b = 0; b < values.length; b++) {
            out[b] = new double[values[b].length];
            for (int k = 0; k < values[b].length; k++) {
                out[b][k] = values[b][k];
            }
        }
        return out;
    }

    @Override
    public void close() {
        try {
            owned.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing " + owned + " failed", e);
        }
    }
}
