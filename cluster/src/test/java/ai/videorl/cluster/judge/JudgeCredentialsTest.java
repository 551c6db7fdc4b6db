package ai.videorl.cluster.judge;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.alias.CredentialProvider;
import org.apache.hadoop.security.alias.CredentialProviderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class JudgeCredentialsTest {

    @TempDir
    Path directory;

    @Test
    void aCredentialProviderComesBeforeTheEnvironment() throws Exception {
        Configuration hadoop = new Configuration(false);
        hadoop.set(CredentialProviderFactory.CREDENTIAL_PROVIDER_PATH,
                "localjceks://file" + directory.resolve("judge.jceks").toAbsolutePath());
        CredentialProvider provider = CredentialProviderFactory.getProviders(hadoop).get(0);
        provider.createCredentialEntry(JudgeCredentials.ALIAS, "from-the-store".toCharArray());
        provider.flush();
        assertEquals("from-the-store", JudgeCredentials.apiKey(hadoop, "JUDGE_KEY", Map.of("JUDGE_KEY", "from-env")));
    }

    @Test
    void theEnvironmentIsTheFallbackAndNothingIsNull() {
        Configuration hadoop = new Configuration(false);
        assertEquals("from-env", JudgeCredentials.apiKey(hadoop, "JUDGE_KEY", Map.of("JUDGE_KEY", "from-env")));
        assertNull(JudgeCredentials.apiKey(hadoop, "JUDGE_KEY", Map.of()));
        assertNull(JudgeCredentials.apiKey(hadoop, "JUDGE_KEY", Map.of("JUDGE_KEY", " ")));
    }
}
