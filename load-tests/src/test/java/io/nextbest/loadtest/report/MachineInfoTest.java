package io.nextbest.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineInfoTest {

    @Test
    void describesTheMachine() {
        Map<String, Object> m = MachineInfo.describe(new LinkedHashMap<>());
        assertThat(m.get("cores")).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(m.keySet()).startsWith("cores");
        assertThat(m).containsKeys("maxHeapMiB", "jvmVendor", "jvmVersion", "osName", "osVersion", "osArch", "dateTime");
        assertThat((Long) m.get("maxHeapMiB")).isPositive();
        assertThat(m.get("osName")).isEqualTo(System.getProperty("os.name"));
        assertThat(m.get("osArch")).isEqualTo(System.getProperty("os.arch"));
        if (m.containsKey("physicalMemoryTotalMiB")) {
            assertThat((Long) m.get("physicalMemoryTotalMiB")).isPositive();
            assertThat((Long) m.get("physicalMemoryFreeMiB")).isLessThanOrEqualTo((Long) m.get("physicalMemoryTotalMiB"));
        }
        String dateTime = (String) m.get("dateTime");
        assertThat(dateTime).endsWith("Z");
        assertThat(Duration.between(Instant.parse(dateTime), Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));
    }

    @Test
    void gitCommitOfTheWorkingTree() throws Exception {
        Path cwd = Path.of(System.getProperty("user.dir"));
        String expected = runGit(cwd);
        assumeTrue(expected != null, "not run inside a git work tree");
        Map<String, Object> m = MachineInfo.describe(new LinkedHashMap<>(), cwd);
        assertThat(m.get("gitCommit")).isEqualTo(expected);
        assertThat(m.get("gitDirty")).isInstanceOf(Boolean.class);
    }

    @Test
    void noGitCommitOutsideAWorkTree(@TempDir Path dir) throws Exception {
        assumeTrue(runGit(dir) == null);
        Map<String, Object> m = MachineInfo.describe(new LinkedHashMap<>(), dir);
        assertThat(m).doesNotContainKeys("gitCommit", "gitDirty");
        assertThat(m).containsKey("cores");
    }

    private static String runGit(Path dir) {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").directory(dir.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (Exception e) {
            return null;
        }
    }
}
