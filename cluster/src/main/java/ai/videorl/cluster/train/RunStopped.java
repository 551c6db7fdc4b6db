package ai.videorl.cluster.train;

/**
 * A run stopped because its JVM is shutting down (SIGTERM): not a failure. The message says which
 * iteration was abandoned and where {@code --resume} continues; a command exits with 143, as a
 * process ended by SIGTERM does.
 */
public final class RunStopped extends RuntimeException {

    /** The exit status of a process ended by SIGTERM (128 + 15). */
    public static final int EXIT_STATUS = 143;

    RunStopped(String message) {
        super(message, null, false, false);
    }
}
