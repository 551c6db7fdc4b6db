package ai.videorl.common.error;

/** Who has to act on an error: the user fixing input, the team fixing a bug, or an operator fixing a service. */
public enum ErrorType {
    USER_ERROR,
    INTERNAL_ERROR,
    EXTERNAL,
    INSUFFICIENT_RESOURCES,
}
