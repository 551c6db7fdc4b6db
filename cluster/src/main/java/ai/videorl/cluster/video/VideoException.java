package ai.videorl.cluster.video;

import ai.videorl.common.error.ErrorCode;
import ai.videorl.common.error.VideoRlException;

import java.util.Objects;

/**
 * A video that cannot be used, naming the file and why. Callers quarantine the sample and go
 * on; they never fail the job for one bad video.
 */
public final class VideoException extends VideoRlException {
    private static final long serialVersionUID = 1L;

    /** Why a video cannot be used. */
    public enum Reason {
        /** No file at the location. */
        MISSING,
        /** The container cannot be opened: not a video, or damaged headers. */
        CORRUPT,
        /** The file opens but ends before the frames it announces. */
        TRUNCATED,
        /** A readable file without a video stream we can decode. */
        UNSUPPORTED,
        /** Reading the file failed (storage or network). */
        UNREADABLE,
    }

    private final String location;
    private final Reason reason;

    public VideoException(String location, Reason reason, String detail, Throwable cause) {
        super(ErrorCode.BAD_VIDEO, location + ": " + reason.name().toLowerCase(java.util.Locale.ROOT) + ": " + detail, cause);
        this.location = Objects.requireNonNull(location, "location");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public VideoException(String location, Reason reason, String detail) {
        this(location, reason, detail, null);
    }

    public String location() {
        return location;
    }

    public Reason reason() {
        return reason;
    }
}
