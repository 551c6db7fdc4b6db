package ai.videorl.cluster.video;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;

import java.io.File;

/**
 * JavaCV's FFmpeg grabber and recorder without their finalizers. JavaCV releases each of them a
 * second time from {@code finalize()}, and every release ends in {@code Pointer.trimMemory()}, a
 * {@code malloc_trim(0)} of the whole process: run by the finalizer thread after garbage
 * collections, those trims handed libtorch's freed tensor memory back to the kernel in the middle
 * of generating and training (22,000 {@code madvise} calls in 12 s of a {@code train} run, all
 * from the finalizer thread; 24 without them). Every grabber and recorder here is closed
 * explicitly, so finalization has nothing left to free, and HotSpot does not even register an
 * object whose {@code finalize()} is empty. The explicit close still trims once per video.
 */
final class ExplicitlyReleased {

    private ExplicitlyReleased() {
    }

    /** A grabber that must be closed by its user (try-with-resources). */
    static final class Grabber extends FFmpegFrameGrabber {

        Grabber(File file) {
            super(file);
        }

        @Override
        @SuppressWarnings({"deprecation", "removal"})
        protected void finalize() {
            // Empty on purpose: see the class comment.
        }
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
