package ai.videorl.cluster.judge;

import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Where a judge's API key comes from, never a command line or a file of ours: a Hadoop
 * credential provider (alias {@value #ALIAS}, e.g. a JCEKS store named by
 * {@code hadoop.security.credential.provider.path}), else an environment variable.
 */
public final class JudgeCredentials {

    public static final String ALIAS = "videorl.judge.api.key";
    public static final String DEFAULT_VARIABLE = "OPENAI_API_KEY";

    private JudgeCredentials() {
    }

    /** The key, or null when neither source has one. */
    public static String apiKey(Configuration hadoop, String variable, Map<String, String> environment) {
        try {
            char[] stored = hadoop.getPassword(ALIAS);
            if (stored != null && stored.length > 0) {
                return new String(stored);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the credential provider for " + ALIAS, e);
        }
        String value = environment.get(variable);
        return value == null || value.isBlank() ? null : value;
    }
}
