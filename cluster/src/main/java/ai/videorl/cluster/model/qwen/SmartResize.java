package ai.videorl.cluster.model.qwen;

import ai.videorl.common.error.VideoRlException;

import java.util.Locale;

/**
 * Qwen2-VL's {@code smart_resize}: a frame size whose sides are multiples of {@code factor}
 * (patch 14 · merge 2 = 28), near the original aspect ratio, with a pixel count inside
 * [{@code minPixels}, {@code maxPixels}]. Two versions exist and both run on a Qwen2.5-VL video:
 * qwen-vl-utils' ({@link #qwenVlUtils}) picks the size frames are resized to first, then the
 * transformers video processor's ({@link #transformers}) picks its own, which is the same size
 * unless its configured limits differ. They differ only at the edges: qwen-vl-utils keeps each
 * side at least {@code factor} before the limits apply but may return 0 when shrinking, and
 * transformers the other way round. Python's arithmetic is kept: true division in double,
 * {@code round} half to even, {@code math.floor}/{@code ceil}, {@code math.sqrt}.
 */
public final class SmartResize {

    /** The widest aspect ratio either version accepts. */
    static final int MAX_RATIO = 200;

    private SmartResize() {
    }

    /** A frame size in pixels. */
    public record Size(int height, int width) {

        public long pixels() {
            return (long) height * width;
        }
    }

    /**
     * qwen-vl-utils 0.0.14 {@code smart_resize} (QwenLM/Qwen3-VL 96588727,
     * {@code qwen-vl-utils/src/qwen_vl_utils/vision_process.py}).
     *
     * @throws VideoRlException when {@code maxPixels < minPixels} or the aspect ratio exceeds 200
     */
    public static Size qwenVlUtils(int height, int width, int factor, double minPixels, double maxPixels) {
        if (maxPixels < minPixels) {
            throw VideoRlException.invalidConfiguration("max_pixels (" + maxPixels + ") must be at least min_pixels ("
                    + minPixels + ")");
        }
        checkRatio(height, width);
        double hBar = Math.max(factor, roundByFactor(height, factor));
        double wBar = Math.max(factor, roundByFactor(width, factor));
        if (hBar * wBar > maxPixels) {
            double beta = Math.sqrt(((double) height * width) / maxPixels);
            hBar = floorByFactor(height / beta, factor);
            wBar = floorByFactor(width / beta, factor);
        } else if (hBar * wBar < minPixels) {
            double beta = Math.sqrt(minPixels / ((double) height * width));
            hBar = ceilByFactor(height * beta, factor);
            wBar = ceilByFactor(width * beta, factor);
        }
        return new Size((int) hBar, (int) wBar);
    }

    /**
     * transformers 4.57.6 {@code models/qwen2_vl/image_processing_qwen2_vl.py} {@code smart_resize},
     * which the Qwen2-VL video processor uses.
     *
     * @throws VideoRlException when the aspect ratio exceeds 200
     */
    public static Size transformers(int height, int width, int factor, double minPixels, double maxPixels) {
        checkRatio(height, width);
        double hBar = roundByFactor(height, factor);
        double wBar = roundByFactor(width, factor);
        if (hBar * wBar > maxPixels) {
            double beta = Math.sqrt(((double) height * width) / maxPixels);
            hBar = Math.max(factor, Math.floor(height / beta / factor) * factor);
            wBar = Math.max(factor, Math.floor(width / beta / factor) * factor);
        } else if (hBar * wBar < minPixels) {
            double beta = Math.sqrt(minPixels / ((double) height * width));
            hBar = Math.ceil(height * beta / factor) * factor;
            wBar = Math.ceil(width * beta / factor) * factor;
        }
        return new Size((int) hBar, (int) wBar);
    }

    private static void checkRatio(int height, int width) {
        if (height < 1 || width < 1) {
            throw VideoRlException.invalidInput("a frame needs a positive size, got " + width + "x" + height);
        }
        double ratio = (double) Math.max(height, width) / Math.min(height, width);
        if (ratio > MAX_RATIO) {
            throw VideoRlException.invalidInput(String.format(Locale.ROOT,
                    "absolute aspect ratio must be smaller than %d, got %s (%dx%d)", MAX_RATIO, ratio, width, height));
        }
    }

    private static double roundByFactor(double number, int factor) {
        return Math.rint(number / factor) * factor;
    }

    private static double floorByFactor(double number, int factor) {
        return Math.floor(number / factor) * factor;
    }

    private static double ceilByFactor(double number, int factor) {
        return Math.ceil(number / factor) * factor;
    }
}
