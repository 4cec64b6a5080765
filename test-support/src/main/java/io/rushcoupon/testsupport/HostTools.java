package io.rushcoupon.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Host programs a test needs (promtool, nginx, prometheus): found on the PATH or in
 * /usr/sbin, and installed by the project's own {@code infra/install-tools.sh} when missing,
 * so a fresh machine runs the same checks as this one.
 */
public final class HostTools {

    private static final List<Path> SEARCH = List.of(Path.of("/usr/local/bin"), Path.of("/usr/bin"),
            Path.of("/usr/sbin"), Path.of("/bin"), Path.of("/sbin"));

    private HostTools() {
    }

    /** The program's path, installing it through the project's script first when it is missing. */
    public static Path require(String program) {
        Path found = find(program);
        if (found != null) {
            return found;
        }
        install(program);
        found = find(program);
        if (found == null) {
            throw new IllegalStateException(program + " is missing and infra/install-tools.sh could not install it");
        }
        return found;
    }

    private static Path find(String program) {
        List<Path> directories = new ArrayList<>(SEARCH);
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(":")) {
                if (!entry.isBlank()) {
                    directories.add(Path.of(entry));
                }
            }
        }
        return directories.stream().map(directory -> directory.resolve(program))
                .filter(Files::isExecutable).findFirst().orElse(null);
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
