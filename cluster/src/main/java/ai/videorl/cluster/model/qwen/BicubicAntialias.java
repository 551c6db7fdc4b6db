package ai.videorl.cluster.model.qwen;

/**
 * {@code torch.nn.functional.interpolate(x, size, mode="bicubic", align_corners=False,
 * antialias=True)} on float32 planes, as torch's CPU kernel computes it
 * ({@code aten/src/ATen/native/cpu/UpSampleKernel.cpp}: {@code separable_upsample_generic_Nd_kernel_impl}
 * with {@code HelperInterpCubic}): separable, the width first, then the height; for each output
 * pixel a span of source pixels weighted by Keys' cubic (a = -0.5, PIL's choice) stretched by the
 * scale when shrinking, the weights normalised to sum 1; weights and sums in float32, with the
 * multiply-adds fused where torch's AVX2/AVX-512 builds (GCC, contraction on) fuse them, so the
 * result is bit-identical to torch 2.13 there (its DEFAULT-capability build, without FMA, would
 * differ in the last bit). What torchvision's
 * {@code resize(..., BICUBIC, antialias=True)} runs for qwen-vl-utils (uint8 frames are cast to
 * float32 first, then clamped to [0, 255] and rounded back, see {@link #resizeBytes}) and for the
 * video processor (float frames).
 */
final class BicubicAntialias {

    private static final float A = -0.5f;
    private static final int INTERP_SIZE = 4;

    private BicubicAntialias() {
    }

    /**
     * Resizes {@code planes} planes of {@code inHeight x inWidth} floats (row-major, one plane after
     * another) to {@code outHeight x outWidth}.
     */
    static float[] resize(float[] input, int planes, int inHeight, int inWidth, int outHeight, int outWidth) {
        float[] current = input;
        int width = inWidth;
        if (outWidth != inWidth) {
            Weights weights = Weights.of(inWidth, outWidth);
            float[] output = new float[planes * inHeight * outWidth];
            for (int row = 0; row < planes * inHeight; row++) {
                weights.apply(current, row * inWidth, 1, output, row * outWidth, 1);
            }
            current = output;
            width = outWidth;
        }
        if (outHeight != inHeight) {
            Weights weights = Weights.of(inHeight, outHeight);
            float[] output = new float[planes * outHeight * width];
            for (int plane = 0; plane < planes; plane++) {
                for (int column = 0; column < width; column++) {
                    weights.apply(current, plane * inHeight * width + column, width,
                            output, plane * outHeight * width + column, width);
                }
            }
            current = output;
        }
        return current == input ? input.clone() : current;
    }

    /**
     * The uint8 path of torchvision 0.28's {@code transforms.functional.resize} on a tensor (what
     * qwen-vl-utils calls): cast to float32, {@link #resize}, clamp to [0, 255], round half to
     * even, back to bytes.
     */
    static byte[] resizeBytes(byte[] input, int planes, int inHeight, int inWidth, int outHeight, int outWidth) {
        float[] values = new float[input.length];
        for (int i = 0; i < input.length; i++) {
            values[i] = input[i] & 0xFF;
        }
        float[] resized = resize(values, planes, inHeight, inWidth, outHeight, outWidth);
        byte[] output = new byte[resized.length];
        for (int i = 0; i < resized.length; i++) {
            float clamped = Math.min(255f, Math.max(0f, resized[i]));
            output[i] = (byte) (int) Math.rint(clamped);
        }
        return output;
    }

    /** One dimension's spans and weights: {@code HelperInterpBase::_compute_index_ranges_weights} for float. */
    private record Weights(int[] starts, int[] sizes, float[] weights, int stride) {

        static Weights of(int inSize, int outSize) {
            float scale = (float) inSize / (float) outSize;
            float support = (float) (scale >= 1.0 ? (INTERP_SIZE * 0.5) * scale : INTERP_SIZE * 0.5);
            int maxInterpSize = (int) Math.ceil(support) * 2 + 1;
            float invScale = (float) (scale >= 1.0 ? 1.0 / scale : 1.0);
            int[] starts = new int[outSize];
            int[] sizes = new int[outSize];
            float[] weights = new float[outSize * maxInterpSize];
            for (int i = 0; i < outSize; i++) {
                float center = (float) (scale * (i + 0.5));
                int min = (int) Math.max((long) ((center - support) + 0.5), 0L);
                int size = (int) (Math.min((long) ((center + support) + 0.5), inSize) - min);
                size = Math.max(0, Math.min(size, maxInterpSize));
                float total = 0f;
                for (int j = 0; j < size; j++) {
                    float x = (float) (((float) (j + min) - center + 0.5) * invScale);
                    float w = filter(x);
                    weights[i * maxInterpSize + j] = w;
                    total += w;
                }
                if (total != 0f) {
                    for (int j = 0; j < size; j++) {
                        weights[i * maxInterpSize + j] /= total;
                    }
                }
                starts[i] = min;
                sizes[i] = size;
            }
            return new Weights(starts, sizes, weights, maxInterpSize);
        }

        /**
         * Output {@code i} (at {@code outOffset + i · outStep}) = Σ input[start + j] · weight[j], in
         * order, rounded as torch's compiled loop rounds: of the {@code size - 1} additions after
         * the first product, the first {@code 4 · ⌊(size - 1) / 4⌋} (GCC's loop unrolled by four)
         * multiply and add with a rounding each, the rest are fused multiply-adds. Fitted, then
         * checked bit for bit against torch 2.13 on AVX2 and AVX-512 for spans of 2 to 12 taps.
         */
        void apply(float[] input, int inOffset, int inStep, float[] output, int outOffset, int outStep) {
            for (int i = 0; i < starts.length; i++) {
                int base = inOffset + starts[i] * inStep;
                int w = i * stride;
                int size = sizes[i];
                int unrolled = 1 + 4 * ((size - 1) / 4);
                float sum = input[base] * weights[w];
                int j = 1;
                for (; j < unrolled; j++) {
                    float product = input[base + j * inStep] * weights[w + j];
                    sum = sum + product;
                }
                for (; j < size; j++) {
                    sum = Math.fma(input[base + j * inStep], weights[w + j], sum);
                }
                output[outOffset + i * outStep] = sum;
            }
        }
    }

    /** Keys' cubic convolution with a = -0.5 ({@code HelperInterpCubic::aa_filter}). */
    static float filter(float value) {
        float x = Math.abs(value);
        if (x < 1f) {
            // ((A + 2) * x - (A + 3)) * x * x + 1
            return Math.fma(Math.fma(A + 2f, x, -(A + 3f)) * x, x, 1f);
        }
        if (x < 2f) {
            // ((A * x - 5 * A) * x + 8 * A) * x - 4 * A
            return Math.fma(Math.fma(Math.fma(A, x, -5f * A), x, 8f * A), x, -4f * A);
        }
        return 0f;
    }
}
