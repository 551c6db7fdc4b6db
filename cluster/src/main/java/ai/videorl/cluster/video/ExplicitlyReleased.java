package ai.videorl.cluster.video;

import org.bytedeco.javacv.FFmpegFrameRecorder;

import java.io.File;

/**
 * JavaCV's FFmpeg recorder without its finalizer. JavaCV releases a recorder a second time from
 * {@code finalize()}, and every release ends in {@code Pointer.trimMemory()}, a
 * {@code malloc_trim(0)} of the whole process: run by the finalizer thread after garbage
 * collections, those trims handed libtorch's freed tensor memory back to the kernel in the middle
 * of training (22,000 {@code madvise} calls in 12 s of a {@code train} run, all from the finalizer
 * thread, when the grabbers had the same finalizer). Every recorder here is closed explicitly, so
 * finalization has nothing left to free, and HotSpot does not even register an object whose
 * {@code finalize()} is empty. The explicit close still trims once per video written, which only
 * {@code synth} does; reading never trims ({@link VideoDecoder}).
 */
final class ExplicitlyReleased {

    private ExplicitlyReleased() {
    }

    /** A recorder that must be closed by its user. */
    static final class Recorder extends FFmpegFrameRecorder {

        Recorder(File file, int width, int height) {
            super(file, width, height, 0);
        }

        @Override
        @SuppressWarnings({"deprecation", "removal"})
        protected void finalize() {
            // Empty on purpose: see the class comment.
        }
    }
}
