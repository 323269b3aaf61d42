package io.nextbest.loadtest.report;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Describes the machine a run happened on, for {@link Report#machine}.
 *
 * <p>Keys, in this order (a key is left out when its value cannot be found):
 *
 * <ul>
 *   <li>{@code cores}: {@code Runtime.availableProcessors()} (respects container CPU limits)
 *   <li>{@code physicalMemoryTotalMiB}, {@code physicalMemoryFreeMiB}: from {@code
 *       com.sun.management.OperatingSystemMXBean} (container limit when there is one)
 *   <li>{@code maxHeapMiB}: {@code Runtime.maxMemory()}
 *   <li>{@code jvmVendor}, {@code jvmVersion}, {@code jvmName}
 *   <li>{@code osName}, {@code osVersion}, {@code osArch}
 *   <li>{@code hostname}
 *   <li>{@code dateTime}: now, UTC, ISO-8601 to the second, e.g. {@code 2025-03-01T12:00:00Z}
 *   <li>{@code gitCommit}: {@code git rev-parse HEAD} in the working directory, and {@code
 *       gitDirty}: whether tracked files have uncommitted changes; both absent when git is not
 *       there, the directory is not a work tree, or git takes longer than {@value #GIT_TIMEOUT_MS}
 *       ms.
 * </ul>
 */
public final class MachineInfo {

    static final long GIT_TIMEOUT_MS = 3000;
    private static final long MIB = 1024L * 1024L;

    private MachineInfo() {}

    /** Puts the machine description into {@code into}, using the JVM's working directory for git. */
    public static Map<String, Object> describe(Map<String, Object> into) {
        return describe(into, Path.of(System.getProperty("user.dir", ".")));
    }

    /** As {@link #describe(Map)}, asking git about {@code workTree}. Returns {@code into}. */
    public static Map<String, Object> describe(Map<String, Object> into, Path workTree) {
        Runtime rt = Runtime.getRuntime();
        into.put("cores", rt.availableProcessors());

        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            try {
                long total = sun.getTotalMemorySize();
                long free = sun.getFreeMemorySize();
                if (total > 0) into.put("physicalMemoryTotalMiB", total / MIB);
                if (free >= 0 && total > 0) into.put("physicalMemoryFreeMiB", free / MIB);
            } catch (RuntimeException | LinkageError e) {
                // not available on this JVM: leave out
            }
        }
        long maxHeap = rt.maxMemory();
        if (maxHeap != Long.MAX_VALUE) into.put("maxHeapMiB", maxHeap / MIB);

        putProperty(into, "jvmVendor", "java.vendor");
        putProperty(into, "jvmVersion", "java.runtime.version", "java.version");
        putProperty(into, "jvmName", "java.vm.name");
        putProperty(into, "osName", "os.name");
        putProperty(into, "osVersion", "os.version");
        putProperty(into, "osArch", "os.arch");
        hostname().ifPresent(h -> into.put("hostname", h));
        into.put("dateTime", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());

        git(workTree, "rev-parse", "HEAD")
                .map(String::strip)
                .filter(s -> s.matches("[0-9a-f]{40}|[0-9a-f]{64}"))
                .ifPresent(commit -> {
                    into.put("gitCommit", commit);
                    git(workTree, "status", "--porcelain", "--untracked-files=no")
                            .ifPresent(out -> into.put("gitDirty", !out.isBlank()));
                });
        return into;
    }

    private static void putProperty(Map<String, Object> into, String key, String... properties) {
        for (String p : properties) {
            String v = System.getProperty(p);
            if (v != null && !v.isBlank()) {
                into.put(key, v);
                return;
            }
        }
    }

    private static Optional<String> hostname() {
        // the environment first: no name lookup, which can hang on a badly configured resolver
        for (String env : List.of("HOSTNAME", "COMPUTERNAME")) {
            String v = System.getenv(env);
            if (v != null && !v.isBlank()) return Optional.of(v.strip());
        }
        try {
            return Optional.of(InetAddress.getLocalHost().getHostName());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The standard output of a git command that exits 0 within the timeout, else empty. */
    static Optional<String> git(Path workTree, String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "git";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = null;
        try {
            p = new ProcessBuilder(cmd)
                    .directory(workTree.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    .start();
            // read on this thread: output is small; a hung git is killed by the watchdog below
            Process proc = p;
            Thread watchdog = new Thread(() -> {
                try {
                    if (!proc.waitFor(GIT_TIMEOUT_MS, TimeUnit.MILLISECONDS)) proc.destroyForcibly();
                } catch (InterruptedException e) {
                    proc.destroyForcibly();
                }
            }, "machine-info-git-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(GIT_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (p != null) p.destroyForcibly();
            return Optional.empty();
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
