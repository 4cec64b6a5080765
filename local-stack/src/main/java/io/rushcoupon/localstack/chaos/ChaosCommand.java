package io.rushcoupon.localstack.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;

import io.rushcoupon.harness.chaos.ChaosRunner;
import io.rushcoupon.harness.chaos.ChaosRunner.Summary;
import io.rushcoupon.harness.stack.Stack;
import io.rushcoupon.localstack.Options;
import io.rushcoupon.localstack.stack.StackInfo;
import io.rushcoupon.localstack.token.TokenCommand;

/**
 * {@code ./rushcoupon chaos --runs N [--seed S]}: randomized rushes with admin operations and
 * faults on a stack of its own (free loopback ports, its own redis-server and broker, the services
 * from their jars, the machine's PostgreSQL in schema {@value #SCHEMA}), each run's history checked
 * (docs/reliability.md, "Randomized history checker"). Exit code 0 only when every run held.
 */
public final class ChaosCommand {

    static final String SCHEMA = "rushcoupon_chaos";

    public int run(List<String> args) throws Exception {
        Options options = Options.parse(args, Set.of("--runs", "--seed"), Set.of());
        int runs = (int) options.number("--runs", 1);
        long seed = options.number("--seed", new SecureRandom().nextLong(1, 1_000_000_000L));
        Path folder = StackInfo.RUNS.resolve("chaos-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(folder);
        System.out.printf("chaos: %d run%s from seed %d; logs in %s%n", runs, runs == 1 ? "" : "s", seed, folder);

        String host = env("RUSHCOUPON_PG_HOST", "127.0.0.1");
        String port = env("RUSHCOUPON_PG_PORT", "5432");
        String url = "jdbc:postgresql://" + host + ":" + port + "/postgres";
        String user = env("RUSHCOUPON_PG_USER", "postgres");
        String password = env("RUSHCOUPON_PG_PASSWORD", "");
        String secret = TokenCommand.newSecret();
        Progress progress = new Progress();
        try (ChaosRunner runner = new ChaosRunner(() -> ChaosRunner.configure(Stack.builder()
                        .projectRoot(Path.of(".")).logs(folder).steps(progress::accept).secret(secret)
                        .postgres(url, user, password, SCHEMA).fresh(true)).start(),
                progress.out(), progress::accept, folder)) {
            Summary summary = runner.run(seed, runs);
            return summary.allHeld() ? 0 : 1;
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
