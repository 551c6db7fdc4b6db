package ai.videorl.cluster.model;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns libtorch's gradient recording off on the calling thread for one inference pass, and back
 * on after it if it was on. The flag is thread-local and on by default; DJL turns it off only on
 * the thread that started the engine. So generation and scoring on any other thread (every Spark
 * task thread but one, a benchmark's worker) built an autograd graph through the parameters for
 * a backward pass that never came. (At the demo's model size that cost no measurable time: the
 * scope keeps the intermediates alive either way.)
 */
public final class NoGradient implements AutoCloseable {

    private final boolean wasRecording;

    private NoGradient() {
        wasRecording = JniUtils.isGradMode();
        if (wasRecording) {
            JniUtils.setGradMode(false);
        }
    }

    /** Requires the PyTorch engine to be loaded (it is once a policy exists). */
    public static NoGradient enter() {
        return new NoGradient();
    }

    /** Whether the calling thread records gradients now. */
    static boolean recording() {
        return JniUtils.isGradMode();
    }

    @Override
    public void close() {
        if (wasRecording) {
            JniUtils.setGradMode(true);
        }
    }
}
