package ai.videorl.cluster.video;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/** Test videos whose every pixel is known: one solid colour per second. */
public final class ColourClips {

    static final Color[] COLOURS = {Color.RED, Color.GREEN, Color.BLUE, Color.WHITE};
    static final int FPS = 8;
    static final int WIDTH = 64;
    static final int HEIGHT = 48;

    private ColourClips() {
    }

    /** A 4 s, 8 fps, 64x48 H.264 MP4: red, then green, blue and white, one second each. */
    public static Path write(Path file) throws Exception {
        return write(file, false);
    }

    /** The same clip; with {@code faststart} the index comes before the frames, as streaming servers want. */
    public static Path write(Path file, boolean faststart) throws Exception {
        return write(file, faststart, COLOURS.length);
    }

    /** A clip of {@code seconds} seconds cycling through the colours, one per second. */
    static Path write(Path file, boolean faststart, int seconds) throws Exception {
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), WIDTH, HEIGHT);
             Java2DFrameConverter converter = new Java2DFrameConverter()) {
            recorder.setFormat("mp4");
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(FPS);
            if (faststart) {
                recorder.setOption("movflags", "faststart");
            }
            recorder.start();
            for (int i = 0; i < seconds * FPS; i++) {
                BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
                Graphics2D graphics = image.createGraphics();
                graphics.setColor(COLOURS[i / FPS % COLOURS.length]);
                graphics.fillRect(0, 0, WIDTH, HEIGHT);
                graphics.dispose();
                recorder.record(converter.convert(image));
            }
            recorder.stop();
        }
        return file;
    }

    /** The colour shown at {@code seconds}. */
    static Color colourAt(double seconds) {
        return COLOURS[(int) Math.floor(seconds + 1e-9) % COLOURS.length];
    }
}
