package ai.videorl.common.error;

import java.util.Objects;

/** The project's one exception type: a message for a person plus a code for a program. */
public class VideoRlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public VideoRlException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public VideoRlException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    /** A malformed user record as a whole. */
    public static VideoRlException invalidInput(String problem) {
        return new VideoRlException(ErrorCode.INVALID_INPUT, problem);
    }

    /** A malformed field of a user record; the message names the field. */
    public static VideoRlException invalidField(String field, String problem) {
        return new VideoRlException(ErrorCode.INVALID_INPUT, "field '" + field + "': " + problem);
    }

    public static VideoRlException invalidConfiguration(String message) {
        return new VideoRlException(ErrorCode.INVALID_CONFIGURATION, message);
    }
}
