package ai.videorl.cluster.model.qwen;

import ai.videorl.cluster.video.RgbFrameReader;
import ai.videorl.common.error.VideoRlException;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A video file to Qwen2.5-VL's video input, as qwen-vl-utils 0.0.14 and transformers 4.57.6 make
 * it between them:
 * <ol>
 *   <li>frames chosen by {@link FrameChoice} and decoded to RGB at the video's size
 *       ({@link RgbFrameReader}, swscale as PyAV/torchvision);</li>
 *   <li>qwen-vl-utils' resize: {@link SmartResize#qwenVlUtils} with the options' pixel limits,
 *       then, unless the size is already right, a bicubic antialiased resize of the bytes
 *       (torchvision's tensor path: to float, resize, clamp, round);</li>
 *   <li>the video processor's resize: {@link SmartResize#transformers} with the checkpoint's
 *       limits; a no-op unless they are tighter than the options' (then a bicubic resize of the
 *       floats, unrounded);</li>
 *   <li>rescale and normalise fused as transformers' fast processors do:
 *       {@code (x - mean·255) / (std·255)} in float32;</li>
 *   <li>the frame count padded to a multiple of the temporal patch size with copies of the last
 *       frame, then cut into patches in the processor's order ({@link QwenVideoInputs}).</li>
 * </ol>
 * With frames whose size needs no resizing the result is bit-identical to transformers'; with
 * resizing it is within float32 rounding of torch's kernel (see the tests for measured figures).
 */
public final class VideoPreprocessor {

    /** qwen-vl-utils' VIDEO_MIN_TOKEN_NUM and VIDEO_MAX_TOKEN_NUM: frame pixel limits in 28 x 28 units. */
    static final int VIDEO_MIN_TOKENS = 128;
    static final int VIDEO_MAX_TOKENS = 768;
    /** qwen-vl-utils' MODEL_SEQ_LEN: the default pixel budget of a whole video is 90 % of it in 28 x 28 units. */
    static final int MODEL_SEQUENCE_LENGTH = 128000;
    private static final int CHANNELS = 3;

    private final QwenPreprocessorConfig config;

    public VideoPreprocessor(QwenPreprocessorConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public QwenPreprocessorConfig config() {
        return config;
    }

    /**
     * Reads and preprocesses the video at {@code file}; {@code location} names it in errors.
     *
     * @throws ai.videorl.cluster.video.VideoException when the video cannot be read
     * @throws VideoRlException when the reference would refuse it (too few frames, extreme aspect ratio)
     */
    public QwenVideoInputs process(Path file, String location, QwenVideoOptions options) {
        try (RgbFrameReader reader = RgbFrameReader.open(file, location)) {
            FrameChoice choice = FrameChoice.choose(reader.frameCount(), reader.frameRate(), options);
            List<byte[]> frames = reader.read(choice.indices());
            return process(frames, reader.height(), reader.width(), choice, options);
        }
    }

    /**
     * Preprocesses decoded frames (each {@code height · width · 3} RGB bytes, row-major) chosen as
     * {@code choice} says.
     */
    /** qwen-vl-utils' VIDEO_MIN_PIXELS for this checkpoint: 128 merged patches a frame. */
    public int defaultMinPixels() {
        int factor = config.patchSize() * config.mergeSize();
        return VIDEO_MIN_TOKENS * factor * factor;
    }

    public QwenVideoInputs process(List<byte[]> rgbFrames, int height, int width, FrameChoice choice,
                                   QwenVideoOptions options) {
        int count = rgbFrames.size();
        if (count == 0) {
            throw VideoRlException.invalidInput("no frames to preprocess");
        }
        // qwen-vl-utils: pixel limits for this many frames, then its smart_resize and resize.
        int factor = config.patchSize() * config.mergeSize();
        double minPixels = options.minPixels() != null ? options.minPixels() : defaultMinPixels();
        double totalPixels = options.totalPixels() != null ? options.totalPixels()
                : MODEL_SEQUENCE_LENGTH * factor * factor * 0.9;
        double maxPixels = Math.max(Math.min(VIDEO_MAX_TOKENS * factor * factor, totalPixels / count * FrameChoice.FRAME_FACTOR),
                (long) (minPixels * 1.05));
        if (options.maxPixels() != null) {
            maxPixels = Math.min(options.maxPixels(), maxPixels);
        }
        SmartResize.Size first = SmartResize.qwenVlUtils(height, width, factor, minPixels, maxPixels);
        checkSize(first, height, width);
        byte[] planes = toPlanes(rgbFrames, height, width);
        if (first.height() != height || first.width() != width) {
            planes = BicubicAntialias.resizeBytes(planes, count * CHANNELS, height, width, first.height(), first.width());
        }
        float[] values = new float[planes.length];
        for (int i = 0; i < planes.length; i++) {
            values[i] = planes[i] & 0xFF;
        }
        // transformers' video processor: its own smart_resize with the checkpoint's limits.
        SmartResize.Size size = first;
        if (config.doResize()) {
            size = SmartResize.transformers(first.height(), first.width(), factor, config.minPixels(), config.maxPixels());
            checkSize(size, first.height(), first.width());
            if (!size.equals(first)) {
                values = BicubicAntialias.resize(values, count * CHANNELS, first.height(), first.width(),
                        size.height(), size.width());
            }
        }
        normalize(values, size.height() * size.width());
        return patchify(values, count, size, choice);
    }

    /** Rescale and normalise, fused as transformers' {@code rescale_and_normalize} does, in float32. */
    private void normalize(float[] values, int plane) {
        double[] means = config.imageMean();
        double[] stds = config.imageStd();
        float[] mean = new float[CHANNELS];
        float[] std = new float[CHANNELS];
        boolean fused = config.doRescale() && config.doNormalize();
        // torch.tensor(mean) * (1.0 / rescale_factor): a float32 tensor times a scalar taken as float32.
        float inverse = (float) (1.0 / config.rescaleFactor());
        for (int c = 0; c < CHANNELS; c++) {
            mean[c] = fused ? (float) means[c] * inverse : (float) means[c];
            std[c] = fused ? (float) stds[c] * inverse : (float) stds[c];
        }
        if (config.doNormalize()) {
            for (int i = 0; i < values.length; i++) {
                int c = (i / plane) % CHANNELS;
                values[i] = (values[i] - mean[c]) / std[c];
            }
        } else if (config.doRescale()) {
            float scale = (float) config.rescaleFactor();
            for (int i = 0; i < values.length; i++) {
                values[i] = values[i] * scale;
            }
        }
    }

    /**
     * Pads the frames to a multiple of the temporal patch size and lays the patches out as
     * transformers does: {@code view(t, T, C, h/m, m, P, w/m, m, P).permute(t, h/m, w/m, m, m, C, T, P, P)}.
     */
    private QwenVideoInputs patchify(float[] values, int count, SmartResize.Size size, FrameChoice choice) {
        int temporal = config.temporalPatchSize();
        int patch = config.patchSize();
        int merge = config.mergeSize();
        int height = size.height();
        int width = size.width();
        int frames = count % temporal == 0 ? count : count + temporal - 1;
        int gridT = frames / temporal;
        int gridH = height / patch;
        int gridW = width / patch;
        if (gridH % merge != 0 || gridW % merge != 0 || height % patch != 0 || width % patch != 0) {
            throw VideoRlException.invalidConfiguration("frames of " + width + "x" + height + " do not split into "
                    + merge + "x" + merge + " blocks of " + patch + "-pixel patches");
        }
        int plane = height * width;
        int frameSize = CHANNELS * plane;
        int columns = CHANNELS * temporal * patch * patch;
        float[] out = new float[gridT * gridH * gridW * columns];
        int at = 0;
        for (int t = 0; t < gridT; t++) {
            for (int blockRow = 0; blockRow < gridH / merge; blockRow++) {
                for (int blockColumn = 0; blockColumn < gridW / merge; blockColumn++) {
                    for (int mergeRow = 0; mergeRow < merge; mergeRow++) {
                        for (int mergeColumn = 0; mergeColumn < merge; mergeColumn++) {
                            int top = (blockRow * merge + mergeRow) * patch;
                            int left = (blockColumn * merge + mergeColumn) * patch;
                            for (int c = 0; c < CHANNELS; c++) {
                                for (int dt = 0; dt < temporal; dt++) {
                                    int frame = Math.min(t * temporal + dt, count - 1);
                                    int base = frame * frameSize + c * plane;
                                    for (int y = 0; y < patch; y++) {
                                        System.arraycopy(values, base + (top + y) * width + left, out, at, patch);
                                        at += patch;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return new QwenVideoInputs(out, gridT, gridH, gridW, columns, merge, choice.secondsPerGrid(temporal), choice,
                height, width);
    }

    /** Interleaved RGB rows to planes: frame, channel, row, column. */
    private static byte[] toPlanes(List<byte[]> rgbFrames, int height, int width) {
        int plane = height * width;
        byte[] planes = new byte[rgbFrames.size() * CHANNELS * plane];
        for (int f = 0; f < rgbFrames.size(); f++) {
            byte[] rgb = rgbFrames.get(f);
            if (rgb.length != CHANNELS * plane) {
                throw new IllegalArgumentException("frame " + f + " has " + rgb.length + " bytes, a " + width + "x"
                        + height + " RGB frame has " + CHANNELS * plane);
            }
            int base = f * CHANNELS * plane;
            for (int p = 0; p < plane; p++) {
                planes[base + p] = rgb[3 * p];
                planes[base + plane + p] = rgb[3 * p + 1];
                planes[base + 2 * plane + p] = rgb[3 * p + 2];
            }
        }
        return planes;
    }

    private static void checkSize(SmartResize.Size size, int height, int width) {
        if (size.height() < 1 || size.width() < 1) {
            throw VideoRlException.invalidInput("frames of " + width + "x" + height + " resize to "
                    + size.width() + "x" + size.height() + " within these pixel limits; raise max_pixels");
        }
    }
}
