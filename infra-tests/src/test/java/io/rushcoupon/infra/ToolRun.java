package io.rushcoupon.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.rushcoupon.harness.host.HostTools;

/** A host tool (promtool, amtool, sh) run to its end, its output and errors together. */
record ToolRun(int exitCode, String output) {

    /** {@code tool} looked up as the tests look tools up (infra/install-tools.sh installs them). */
    static ToolRun of(String tool, String... arguments) throws IOException, InterruptedException {
        return withEnvironment(Map.of(), tool, arguments);
    }

    /** As {@link #of}, with {@code environment} added to this JVM's. */
    static ToolRun withEnvironment(Map<String, String> environment, String tool, String... arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(HostTools.require(tool).toString());
        command.addAll(List.of(arguments));
        // output to a file, so reading it can never block on a tool that hangs
        Path log = Files.createTempFile(tool, ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            // these tools answer in well under a second; the bound only keeps a hung tool from hanging the build
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(tool + " " + String.join(" ", arguments) + " did not finish in 60 s");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            System.out.println(tool + " " + String.join(" ", arguments) + " → " + process.exitValue() + "\n" + output);
            return new ToolRun(process.exitValue(), output);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
