package io.rushcoupon.harness.nginx;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx as a child process in the foreground ({@code daemon off;}), with the rules of
 * {@code infra/nginx} and a {@link NginxSite} of this machine, its prefix (pid, temp folders) in a
 * folder of the run and its access and error log in one file. Closing it stops master and workers.
 */
public final class Nginx implements AutoCloseable {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final NginxSite site;
    private final Path log;
    private final Process process;

    private Nginx(NginxSite site, Path log, Process process) {
        this.site = site;
        this.log = log;
        this.process = process;
    }

    /**
     * Writes the configuration into {@code prefix} and starts nginx on it.
     *
     * @param projectRoot the repository root, where {@code infra/nginx} is
     * @param prefix      nginx's prefix: configuration, pid and temp folders; created when missing
     * @param log         file for nginx's output (access log and error log)
     */
    public static Nginx start(Path program, Path projectRoot, Path prefix, NginxSite site, Path log) throws IOException {
        Path absolutePrefix = prefix.toAbsolutePath().normalize();
        Path configuration = site.writeTo(projectRoot, absolutePrefix);
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command(program, absolutePrefix, configuration, "-g", "daemon off;"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new Nginx(site, log, builder.start());
    }

    /**
     * {@code nginx -p <prefix>/ -c <configuration> -e stderr} and what follows: the prefix makes
     * relative paths of the rules land under it, {@code -e} keeps nginx off the compiled-in error
     * log before it has read the configuration.
     */
    public static List<String> command(Path program, Path prefix, Path configuration, String... more) {
        List<String> command = new ArrayList<>(List.of(program.toString(), "-p", prefix + "/", "-c",
                configuration.toString(), "-e", "stderr"));
        command.addAll(List.of(more));
        return command;
    }

    /** Waits until nginx answers its health location, failing early if it exited (a taken port, a bad rule). */
    public void awaitReady(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        URI health = URI.create(baseUrl() + "/nginx/health");
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited with " + process.exitValue() + ": " + lastLine()
                        + " (see " + log.toAbsolutePath() + ")");
            }
            try {
                var response = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("nginx not ready within " + timeout + "; see " + log.toAbsolutePath());
    }

    private String lastLine() {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.isEmpty() ? "no output" : lines.getLast();
        } catch (IOException e) {
            return "no output";
        }
    }

    public String baseUrl() {
        return site.baseUrl();
    }

    public NginxSite site() {
        return site;
    }

    public Path log() {
        return log;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /**
     * SIGTERM: nginx's fast shutdown, in which the master stops its workers and then exits. Should
     * the master hang, the workers and the master are killed, so nothing stays behind either way.
     */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> workers = process.descendants().toList();
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                workers.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor();
            }
        }
        for (ProcessHandle worker : workers) {
            try {
                worker.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception stillThere) {
                worker.destroyForcibly();
            }
        }
    }
}
