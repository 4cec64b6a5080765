package io.rushcoupon.harness.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Host programs the harness and the checks need (redis-server, nginx, prometheus, promtool, wrk,
 * kubectl): found on the PATH or in the usual bin and sbin folders. Nothing is installed from here:
 * the build installs them in a step of its own ({@code infra/install-tools.sh}), and a missing one
 * fails at once with the command that installs it.
 */
public final class HostTools {

    /** Besides the PATH: sbin folders are often off a user's PATH, and nginx lives there on Debian. */
    private static final List<Path> SEARCH = List.of(Path.of("/usr/local/bin"), Path.of("/usr/bin"),
            Path.of("/usr/local/sbin"), Path.of("/usr/sbin"), Path.of("/bin"), Path.of("/sbin"));

    private HostTools() {
    }

    /** The program's path, or a failure naming the command that installs it. */
    public static Path require(String program) {
        return find(program).orElseThrow(() -> new IllegalStateException(program
                + " is not installed: run 'bash infra/install-tools.sh " + program + "' (Debian's package, apt-get)"));
    }

    /** The program's path, if this machine has it: the PATH first, then the usual bin and sbin folders. */
    public static Optional<Path> find(String program) {
        List<Path> directories = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(":")) {
                if (!entry.isBlank()) {
                    directories.add(Path.of(entry));
                }
            }
        }
        directories.addAll(SEARCH);
        return directories.stream().map(directory -> directory.resolve(program))
                .filter(candidate -> Files.isRegularFile(candidate) && Files.isExecutable(candidate)).findFirst();
    }

    /** The repository root: the nearest directory upwards that holds {@code mvnw}. */
    public static Path projectRoot() {
        Path directory = Path.of("").toAbsolutePath();
        while (directory != null && !Files.exists(directory.resolve("mvnw"))) {
            directory = directory.getParent();
        }
        if (directory == null) {
            throw new IllegalStateException("not inside the RushCoupon repository: " + Path.of("").toAbsolutePath());
        }
        return directory;
    }
}
