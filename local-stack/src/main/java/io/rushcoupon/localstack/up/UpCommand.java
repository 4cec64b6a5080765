package io.rushcoupon.localstack.up;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.rushcoupon.localstack.Options;
import io.rushcoupon.localstack.process.ServiceProcess;
import io.rushcoupon.localstack.stack.LocalStack;
import io.rushcoupon.localstack.stack.StackInfo;
import io.rushcoupon.localstack.token.TokenCommand;

/**
 * {@code ./rushcoupon up}: the whole system on this machine, in the foreground, until Ctrl-C.
 * Everything it starts it stops again; logs go to the run folder, not the terminal.
 */
public final class UpCommand {

    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile LocalStack stack;

    public int run(List<String> args) throws Exception {
        Options options = Options.parse(args, Set.of("--gateway-port", "--admin-port", "--worker-port", "--partitions"),
                Set.of());
        Path runFolder = newRunFolder();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "rushcoupon-stop"));

        String secret = System.getenv("RUSHCOUPON_JWT_SECRET");
        boolean generatedSecret = secret == null || secret.isBlank();
        if (generatedSecret) {
            secret = TokenCommand.newSecret();
        }
        LocalStack.Settings settings = new LocalStack.Settings(runFolder, "rushcoupon", 0,
                (int) options.number("--partitions", 8),
                (int) options.number("--gateway-port", envNumber("RUSHCOUPON_GATEWAY_PORT", 8080)),
                (int) options.number("--admin-port", envNumber("RUSHCOUPON_ADMIN_PORT", 8081)),
                (int) options.number("--worker-port", envNumber("RUSHCOUPON_WORKER_PORT", 8082)),
                false, Map.of());
        stack = LocalStack.start(settings, secret, what -> System.out.println("• " + what));
        StackInfo info = stack.info();
        info.write(runFolder);

        System.out.printf("""

                RushCoupon is up. Logs: %s
                  Gateway (user API)  %s        Swagger UI %s/swagger-ui.html
                  Admin API           %s        Swagger UI %s/swagger-ui.html
                  Issuance worker     %s
                  Metrics             %s/actuator/prometheus (each service has one)
                  Kafka               %s (in-process KRaft broker)
                  PostgreSQL          %s, database rushcoupon
                  Redis               %s, database 0
                  Token secret        %s
                Get a token:  ./rushcoupon token --user 42          (admin: ./rushcoupon token --user 1 --admin)
                Try a rush:   ./rushcoupon demo
                Ready. Ctrl-C stops everything.
                """, runFolder.toAbsolutePath(), info.gatewayUrl(), info.gatewayUrl(), info.adminUrl(), info.adminUrl(),
                info.workerUrl(), info.gatewayUrl(), info.kafkaBootstrapServers(), stack.endpoints().postgresOrigin(),
                stack.endpoints().redisOrigin(),
                generatedSecret ? "generated for this run (RUSHCOUPON_JWT_SECRET chooses your own): " + secret
                        : "from RUSHCOUPON_JWT_SECRET");
        watch(stack.services());
        return 0;
    }

    static Path newRunFolder() throws Exception {
        Path runFolder = StackInfo.RUNS.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(runFolder);
        Files.deleteIfExists(StackInfo.CURRENT);
        Files.createSymbolicLink(StackInfo.CURRENT, runFolder.getFileName());
        return runFolder;
    }

    /** Blocks until Ctrl-C; says so when a service dies on its own. */
    private void watch(List<ServiceProcess> services) throws InterruptedException {
        Set<String> reported = new HashSet<>();
        while (!stopped.await(1, TimeUnit.SECONDS)) {
            for (ServiceProcess service : services) {
                if (!stopping && !service.alive() && reported.add(service.name())) {
                    System.out.println(service.name() + " stopped on its own; see " + service.log().toAbsolutePath());
                }
            }
        }
    }

    private void stop() {
        stopping = true;
        System.out.println("\nStopping RushCoupon …");
        if (stack != null) {
            stack.close();
        }
        try {
            Files.deleteIfExists(StackInfo.CURRENT.resolve("stack.properties"));
            Files.deleteIfExists(StackInfo.CURRENT);
        } catch (Exception e) {
            System.err.println("while cleaning up: " + e.getMessage());
        }
        stopped.countDown();
        System.out.println("Stopped.");
    }

    private static long envNumber(String name, long fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Long.parseLong(value);
    }
}
