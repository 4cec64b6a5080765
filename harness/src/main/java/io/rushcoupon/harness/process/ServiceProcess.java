package io.rushcoupon.harness.process;

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
import java.util.Map;
import java.util.stream.Stream;

/**
 * One RushCoupon service run from its production jar ({@code <module>/target/*-exec.jar}) as a
 * child process, the way it runs in production, with its output in a log file.
 */
public final class ServiceProcess implements AutoCloseable {

    /** What to start: which module's jar, under which name, on which port, with which settings. */
    public record Spec(String module, String name, int port, Map<String, String> environment, List<String> jvmOptions) {

        public Spec(String module, String name, int port, Map<String, String> environment) {
            this(module, name, port, environment, List.of("-Xmx512m"));
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Spec spec;
    private final Path log;
    private final Process process;

    private ServiceProcess(Spec spec, Path log, Process process) {
        this.spec = spec;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts a service.
     *
     * @param projectRoot the repository root, where the module folders are
     * @param logs        folder for the log file {@code <name>.log}
     */
    public static ServiceProcess start(Path projectRoot, Path logs, Spec spec) throws IOException {
        Path jar = executableJar(projectRoot, spec.module());
        Files.createDirectories(logs);
        Path log = logs.resolve(spec.name() + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(spec.jvmOptions());
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(spec.environment());
        builder.environment().put("SERVER_PORT", Integer.toString(spec.port()));
        return new ServiceProcess(spec, log, builder.start());
    }

    /** The executable jar of a module, or a sentence saying how to build it. */
    public static Path executableJar(Path projectRoot, String module) throws IOException {
        Path target = projectRoot.resolve(module).resolve("target");
        if (Files.isDirectory(target)) {
            try (Stream<Path> files = Files.list(target)) {
                var jar = files.filter(file -> file.getFileName().toString().endsWith("-exec.jar")).findFirst();
                if (jar.isPresent()) {
                    return jar.get();
                }
            }
        }
        throw new IllegalStateException("no executable jar in " + target.toAbsolutePath()
                + "; build it first with ./mvnw -DskipTests install");
    }

    /** Waits until the readiness probe answers 200, failing early if the process died. */
    public void awaitReady(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        URI readiness = URI.create(baseUrl() + "/actuator/health/readiness");
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(spec.name() + " exited with " + process.exitValue() + "; see "
                        + log.toAbsolutePath());
            }
            try {
                var response = http.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(spec.name() + " not ready within " + timeout + "; see " + log.toAbsolutePath());
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + spec.port();
    }

    public String name() {
        return spec.name();
    }

    public int port() {
        return spec.port();
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** {@code kill -9}: no shutdown hooks, no graceful close. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Asks the service to stop (SIGTERM, a graceful shutdown) and waits; kills it if it hangs. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(Duration.ofSeconds(20))) {
                kill();
            }
        }
    }
}
