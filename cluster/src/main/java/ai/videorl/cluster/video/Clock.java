package ai.videorl.cluster.video;

import java.util.Locale;

/** Video times written the way Video-R2 reads them: MM:SS, or HH:MM:SS from an hour on. */
public final class Clock {

    private Clock() {
    }

    public static String format(double seconds) {
        long whole = (long) Math.floor(Math.max(0, seconds));
        long hours = whole / 3600;
        long minutes = whole / 60 % 60;
        long rest = whole % 60;
        return hours > 0 ? String.format(Locale.ROOT, "%02d:%02d:%02d", hours, minutes, rest)
                : String.format(Locale.ROOT, "%02d:%02d", minutes, rest);
    }
}
