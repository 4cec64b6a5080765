package io.rushcoupon.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Host programs a test needs (promtool, nginx, prometheus, kubectl): found on the PATH or in
 * the usual bin and sbin folders, and installed by the project's own {@code infra/install-tools.sh}
 * when missing, so a fresh machine runs the same checks as this one.
 */
public final class HostTools {

    /** Besides the PATH: sbin folders are often off a user's PATH, and nginx lives there on Debian. */
    private static final List<Path> SEARCH = List.of(Path.of("/usr/local/bin"), Path.of("/usr/bin"),
            Path.of("/usr/local/sbin"), Path.of("/usr/sbin"), Path.of("/bin"), Path.of("/sbin"));

    private HostTools() {
    }

    /** The program's path, installing it through the project's script first when it is missing. */
    public static Path require(String program) {
        return find(program).orElseGet(() -> {
            install(program);
            return find(program).orElseThrow(() -> new IllegalStateException(
                    program + " is missing and infra/install-tools.sh could not install it"));
        });
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

    private static void install(String program) {
        Path script = projectRoot().resolve("infra/install-tools.sh");
        try {
            Process process = new ProcessBuilder("bash", script.toString(), program).inheritIO().start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("installing " + program + " took longer than 10 minutes");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(script + " " + program + " exited with " + process.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing " + program, e);
        }
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
