package io.rushcoupon.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rushcoupon.harness.host.HostTools;

/**
 * The Prometheus configuration and alert rules under infra/prometheus, checked by Prometheus's own
 * promtool (Debian's package, installed by infra/install-tools.sh when missing), as they are in the
 * repository: a config promtool refuses would stop Prometheus from starting.
 */
class PromtoolCheckTest {

    private static final Path PROMETHEUS = HostTools.projectRoot().resolve("infra/prometheus");

    @Test
    void acceptsThePrometheusConfigurationWithItsRuleFile() throws Exception {
        Result result = promtool("check", "config", PROMETHEUS.resolve("prometheus.yml").toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("1 rule files found");
    }

    @Test
    void acceptsTheAlertRules() throws Exception {
        Result result = promtool("check", "rules", PROMETHEUS.resolve("alerts.yml").toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).containsPattern("SUCCESS: \\d+ rules found");
    }

    /** Guards the two checks above: promtool really parses PromQL and says so in its exit code. */
    @Test
    void refusesARuleWhoseExpressionIsNotPromQl(@TempDir Path folder) throws Exception {
        Path broken = folder.resolve("broken.yml");
        Files.writeString(broken, """
                groups:
                  - name: broken
                    rules:
                      - alert: Broken
                        expr: sum(rate(rushcoupon_issue_requests_total[1m]) > 
                """, StandardCharsets.UTF_8);

        Result result = promtool("check", "rules", broken.toString());

        assertThat(result.exitCode()).as(result.output()).isNotZero();
    }

    private record Result(int exitCode, String output) {
    }

    private static Result promtool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(HostTools.require("promtool").toString());
        command.addAll(List.of(arguments));
        // output to a file, so reading it can never block on a tool that hangs
        Path log = Files.createTempFile("promtool", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            // promtool answers in well under a second; the bound only keeps a hung tool from hanging the build
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("promtool " + String.join(" ", arguments) + " did not finish in 60 s");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            System.out.println("promtool " + String.join(" ", arguments) + " → " + process.exitValue() + "\n" + output);
            return new Result(process.exitValue(), output);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
