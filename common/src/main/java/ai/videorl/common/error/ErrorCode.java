package ai.videorl.common.error;

/** Classified error codes; each names the {@link ErrorType} that tells who must act. */
public enum ErrorCode {
    /** A record of user data (a manifest or completions line) is malformed. */
    INVALID_INPUT(ErrorType.USER_ERROR),
    /** A video is missing, corrupt, truncated or in a format we cannot decode. */
    BAD_VIDEO(ErrorType.USER_ERROR),
    /** A configuration key or option has a bad value, or names something unknown. */
    INVALID_CONFIGURATION(ErrorType.USER_ERROR),
    /** Reading or writing a store failed. */
    STORAGE_FAILURE(ErrorType.EXTERNAL),
    /** A bug: an invariant of our own code does not hold. */
    INTERNAL(ErrorType.INTERNAL_ERROR);

    private final ErrorType type;

    ErrorCode(ErrorType type) {
        this.type = type;
    }

    public ErrorType type() {
        return type;
    }
}
