package ai.videorl.cluster.video;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One video file's pictures, decoded in order by FFmpeg's own API (the libraries JavaCV wraps)
 * and scaled to a chosen size. Not JavaCV's {@code FFmpegFrameGrabber}: its every release ends in
 * {@code Pointer.trimMemory()}, a {@code malloc_trim(0)} of the whole process, which hands
 * libtorch's freed tensor memory back to the kernel; a training run that decoded a few videos an
 * iteration then spent most of its time faulting that memory in again (15 iterations of a
 * {@code train}: generation 4.2-6 s an iteration with the trims, 1.2-2.2 s without). Every
 * failure is a {@link VideoException} naming the file; {@link #close()} frees everything FFmpeg
 * allocated.
 */
final class VideoDecoder implements AutoCloseable {

    private final String location;
    private final AVFormatContext format;
    private final AVPacket packet = avcodec.av_packet_alloc();
    private final AVFrame picture = avutil.av_frame_alloc();
    private AVCodecContext codec;
    private AVStream stream;
    private int streamIndex;
    private VideoProbe probe;
    private AVFrame scaled;
    private SwsContext scaler;
    private boolean draining;
    private int decodedFrames;
    private int damagedPackets;

    private VideoDecoder(String location, AVFormatContext format) {
        this.location = location;
        this.format = format;
    }

    /** Opens {@code file}; {@code location} names it in errors. */
    static VideoDecoder open(Path file, String location) {
        AVFormatContext format = new AVFormatContext(null);
        int opened = avformat.avformat_open_input(format, file.toString(), null, null);
        if (opened < 0) {
            throw new VideoException(location, VideoException.Reason.CORRUPT, "not a readable video: " + message(opened));
        }
        VideoDecoder decoder = new VideoDecoder(location, format);
        try {
            decoder.openVideoStream();
            return decoder;
        } catch (RuntimeException e) {
            decoder.close();
            throw e;
        }
    }

    private void openVideoStream() {
        check(avformat.avformat_find_stream_info(format, (PointerPointer<?>) null), VideoException.Reason.CORRUPT,
                "no stream information");
        streamIndex = avformat.av_find_best_stream(format, avutil.AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
        if (streamIndex < 0) {
            throw new VideoException(location, VideoException.Reason.UNSUPPORTED, "no decodable video stream");
        }
        stream = format.streams(streamIndex);
        AVCodec decoder = avcodec.avcodec_find_decoder(stream.codecpar().codec_id());
        if (decoder == null) {
            throw new VideoException(location, VideoException.Reason.UNSUPPORTED,
                    "no decoder for " + avcodec.avcodec_get_name(stream.codecpar().codec_id()).getString());
        }
        codec = avcodec.avcodec_alloc_context3(decoder);
        check(avcodec.avcodec_parameters_to_context(codec, stream.codecpar()), VideoException.Reason.UNSUPPORTED,
                "unusable codec parameters");
        check(avcodec.avcodec_open2(codec, decoder, (PointerPointer<?>) null), VideoException.Reason.UNSUPPORTED,
                "cannot open the " + decoder.name().getString() + " decoder");
        probe = probeStream(decoder.name().getString());
    }

    VideoProbe probe() {
        return probe;
    }

    /**
     * Has every later picture scaled to {@code width} x {@code height}, each target pixel the
     * average of the source pixels it covers.
     */
    void scaleTo(int width, int height) {
        if (scaled != null) {
            avutil.av_frame_free(scaled);
        }
        scaled = avutil.av_frame_alloc();
        scaled.format(avutil.AV_PIX_FMT_RGB24).width(width).height(height);
        check(avutil.av_frame_get_buffer(scaled, 0), VideoException.Reason.CORRUPT, "cannot allocate a picture");
    }

    /** Moves to the last key frame at or before {@code seconds}; the next picture is decoded from there. */
    void seek(double seconds) {
        AVRational base = stream.time_base();
        long target = (long) (seconds * base.den() / base.num()) + startTime();
        check(avformat.av_seek_frame(format, streamIndex, target, avformat.AVSEEK_FLAG_BACKWARD),
                VideoException.Reason.CORRUPT, "cannot seek to " + seconds + " s");
        avcodec.avcodec_flush_buffers(codec);
        draining = false;
    }

    /** Decodes the next picture; false past the last. Its time is {@link #pictureSeconds()}. */
    boolean next() {
        while (true) {
            int received = avcodec.avcodec_receive_frame(codec, picture);
            if (received >= 0) {
                decodedFrames++;
                return true;
            }
            if (received == avutil.AVERROR_EOF) {
                return false;
            }
            if (received != avutil.AVERROR_EAGAIN()) {
                throw new VideoException(location, VideoException.Reason.CORRUPT, "decoding failed: " + message(received));
            }
            sendNextPacket();
        }
    }

    /** The picture {@link #next()} decoded last, scaled as {@link #scaleTo} says. */
    BufferedImage scaledPicture() {
        if (scaled == null) {
            scaleTo(picture.width(), picture.height());
        }
        scaler = swscale.sws_getCachedContext(scaler, picture.width(), picture.height(), picture.format(),
                scaled.width(), scaled.height(), scaled.format(), swscale.SWS_AREA, null, null, (double[]) null);
        check(swscale.sws_scale_frame(scaler, scaled, picture), VideoException.Reason.CORRUPT, "cannot scale a picture");
        return toImage(scaled);
    }

    /**
     * The picture {@link #next()} decoded last, at its own size, as packed RGB24 rows (3 bytes a
     * pixel, no padding): swscale's conversion, as PyAV's {@code frame.to_ndarray(format="rgb24")}
     * (and so torchvision's {@code read_video}) makes it. Needs no {@link #scaleTo}.
     */
    byte[] rgbPicture() {
        if (scaled == null || scaled.width() != picture.width() || scaled.height() != picture.height()) {
            scaleTo(picture.width(), picture.height());
        }
        scaler = swscale.sws_getCachedContext(scaler, picture.width(), picture.height(), picture.format(),
                scaled.width(), scaled.height(), scaled.format(), swscale.SWS_BILINEAR, null, null, (double[]) null);
        check(swscale.sws_scale_frame(scaler, scaled, picture), VideoException.Reason.CORRUPT, "cannot convert a picture to RGB");
        int width = scaled.width();
        int height = scaled.height();
        int stride = scaled.linesize(0);
        byte[] rgb = new byte[3 * width * height];
        BytePointer data = scaled.data(0);
        for (int y = 0; y < height; y++) {
            data.position((long) y * stride).get(rgb, 3 * width * y, 3 * width);
        }
        data.position(0);
        return rgb;
    }

    /** The frame count the container states for the video stream; 0 when it states none. */
    long statedFrameCount() {
        return Math.max(0, stream.nb_frames());
    }

    /** Counts the video stream's packets to its end, without decoding; the decoder is then spent. */
    int countPackets() {
        int packets = 0;
        while (avformat.av_read_frame(format, packet) >= 0) {
            if (packet.stream_index() == streamIndex) {
                packets++;
            }
            avcodec.av_packet_unref(packet);
        }
        draining = true;
        return packets;
    }

    /** The time of the picture {@link #next()} decoded last, from the video stream's start. */
    double pictureSeconds() {
        long pts = picture.best_effort_timestamp();
        if (pts == avutil.AV_NOPTS_VALUE) {
            return (decodedFrames - 1) / probe.frameRate();
        }
        return (pts - startTime()) * avutil.av_q2d(stream.time_base());
    }

    /** How many of the video stream's packets the decoder refused so far. */
    int damagedPackets() {
        return damagedPackets;
    }

    /** Feeds the decoder the next packet of the video stream, or the end-of-stream signal. */
    private void sendNextPacket() {
        if (draining) {
            throw new VideoException(location, VideoException.Reason.CORRUPT, "the decoder wants input after the end");
        }
        while (true) {
            int read = avformat.av_read_frame(format, packet);
            if (read < 0) {
                draining = true;
                avcodec.avcodec_send_packet(codec, null);
                return;
            }
            try {
                if (packet.stream_index() == streamIndex) {
                    // A damaged packet (the last one of a cut file, say) is skipped, as the
                    // ffmpeg tool does: what it held is missing, and a sample that needed it
                    // finds the video ending early.
                    if (avcodec.avcodec_send_packet(codec, packet) < 0) {
                        damagedPackets++;
                    }
                    return;
                }
            } finally {
                avcodec.av_packet_unref(packet);
            }
        }
    }

    private VideoProbe probeStream(String codecName) {
        int width = codec.width();
        int height = codec.height();
        if (width < 1 || height < 1) {
            throw new VideoException(location, VideoException.Reason.UNSUPPORTED, "no decodable video stream");
        }
        AVRational rate = stream.avg_frame_rate().num() > 0 ? stream.avg_frame_rate() : stream.r_frame_rate();
        double frameRate = rate.den() > 0 ? avutil.av_q2d(rate) : 0;
        double streamSeconds = stream.duration() != avutil.AV_NOPTS_VALUE
                ? stream.duration() * avutil.av_q2d(stream.time_base()) : format.duration() / (double) avutil.AV_TIME_BASE;
        int frames = stream.nb_frames() > 0 ? (int) stream.nb_frames() : (int) Math.floor(streamSeconds * frameRate);
        // The video stream's own length: the container's may include a longer audio track, and
        // sampling past the last picture would call a good file truncated.
        double duration = frames > 0 && frameRate > 0 ? frames / frameRate : streamSeconds;
        if (!(frameRate > 0) || !(duration > 0)) {
            throw new VideoException(location, VideoException.Reason.UNSUPPORTED,
                    "no frame rate or duration (" + frameRate + " fps, " + duration + " s)");
        }
        return new VideoProbe(duration, frameRate, Math.max(1, frames), width, height, codecName);
    }

    private long startTime() {
        return stream.start_time() == avutil.AV_NOPTS_VALUE ? 0 : stream.start_time();
    }

    /** The RGB picture as an image, row by row at the picture's stride. */
    private static BufferedImage toImage(AVFrame rgbFrame) {
        int width = rgbFrame.width();
        int height = rgbFrame.height();
        int stride = rgbFrame.linesize(0);
        byte[] bytes = new byte[stride * height];
        rgbFrame.data(0).get(bytes);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] rgb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int at = y * stride + 3 * x;
                rgb[y * width + x] = (bytes[at] & 0xFF) << 16 | (bytes[at + 1] & 0xFF) << 8 | bytes[at + 2] & 0xFF;
            }
        }
        return image;
    }

    private void check(int result, VideoException.Reason reason, String what) {
        if (result < 0) {
            throw new VideoException(location, reason, what + ": " + message(result));
        }
    }

    /** FFmpeg's text for an error code: the buffer up to its first NUL (what lies after it is whatever the heap held). */
    static String message(int error) {
        try (BytePointer text = new BytePointer(256)) {
            avutil.av_strerror(error, text, text.capacity());
            return text.limit(BytePointer.strlen(text)).getString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        if (scaler != null) {
            swscale.sws_freeContext(scaler);
        }
        if (scaled != null) {
            avutil.av_frame_free(scaled);
        }
        avutil.av_frame_free(picture);
        avcodec.av_packet_free(packet);
        if (codec != null) {
            avcodec.avcodec_free_context(codec);
        }
        avformat.avformat_close_input(format);
    }
}
