package ai.videorl.cluster.video;

import org.bytedeco.ffmpeg.global.avutil;

/**
 * FFmpeg's log level is one setting for the whole process: set here, once, for every class that
 * uses FFmpeg. Quiet, because FFmpeg would report each damaged file on standard error; our
 * exceptions carry the reasons instead.
 */
final class FFmpegLogging {

    static {
        avutil.av_log_set_level(avutil.AV_LOG_QUIET);
    }

    private FFmpegLogging() {
    }

    /** Loads this class, which sets the level; call before the first use of FFmpeg. */
    static void ensureQuiet() {
        // The static initialiser does the work.
    }
}
