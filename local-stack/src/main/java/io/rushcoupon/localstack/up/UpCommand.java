package io.rushcoupon.localstack.up;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.rushcoupon.harness.stack.Stack;
import io.rushcoupon.localstack.Options;
import io.rushcoupon.harness.process.ServiceProcess;
import io.rushcoupon.localstack.stack.StackInfo;
import io.rushcoupon.localstack.token.TokenCommand;

/**
 * {@code ./rushcoupon up}: the whole system on this machine, in the foreground, until Ctrl-C.
 * Everything it starts it stops again; logs go to the run folder, not the terminal. With
 * {@code --gateways N} (N > 1), N gateways run behind nginx: the first on the gateway port, the
 * others on the ports after the highest of gateway, admin and worker port (8083, 8084, …), nginx
 * on 8000.
 */
public final class UpCommand {

    /** More would not fit a laptop: each gateway is a JVM with a 512 MB heap. */
    static final int MOST_GATEWAYS = 8;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile Stack stack;

    public int run(List<String> args) throws Exception {
        Options options = Options.parse(args, Set.of("--gateway-port", "--admin-port", "--worker-port", "--partitions",
                "--gateways", "--nginx-port"), Set.of());
        int gatewayPort = (int) options.number("--gateway-port", envNumber("RUSHCOUPON_GATEWAY_PORT", 8080));
        int adminPort = (int) options.number("--admin-port", envNumber("RUSHCOUPON_ADMIN_PORT", 8081));
        int workerPort = (int) options.number("--worker-port", envNumber("RUSHCOUPON_WORKER_PORT", 8082));
        int gateways = (int) options.number("--gateways", 1);
        if (gateways > MOST_GATEWAYS) {
            throw new IllegalArgumentException("--gateways takes at most " + MOST_GATEWAYS + ", not " + gateways);
        }
        if (gateways == 1 && options.text("--nginx-port", null) != null) {
            throw new IllegalArgumentException("--nginx-port needs --gateways 2 or more (one gateway runs without nginx)");
        }
        List<Integer> moreGatewayPorts = moreGatewayPorts(gateways, gatewayPort, adminPort, workerPort);
        int nginxPort = gateways > 1 ? (int) options.number("--nginx-port", envNumber("RUSHCOUPON_NGINX_PORT", 8000)) : 0;
        checkDistinct(gatewayPort, adminPort, workerPort, moreGatewayPorts, nginxPort);
        Path runFolder = newRunFolder();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "rushcoupon-stop"));

        String secret = System.getenv("RUSHCOUPON_JWT_SECRET");
        boolean generatedSecret = secret == null || secret.isBlank();
        if (generatedSecret) {
            secret = TokenCommand.newSecret();
        }
        List<Integer> gatewayPorts = new ArrayList<>(List.of(gatewayPort));
        gatewayPorts.addAll(moreGatewayPorts);
        Stack.Builder builder = Stack.builder().projectRoot(Path.of(".")).logs(runFolder)
                .steps(what -> System.out.println("• " + what)).secret(secret).localServers("rushcoupon", 0)
                .partitions((int) options.number("--partitions", 8)).gatewayPorts(gatewayPorts)
                .workerPort(workerPort).admin(adminPort)
                // Ctrl-C stops the services gracefully (stop() below), not with kill -9
                .killOnJvmExit(false);
        if (nginxPort > 0) {
            builder.nginx(nginxPort);
        }
        stack = builder.start();
        StackInfo info = StackInfo.of(stack);
        info.write(runFolder);

        System.out.printf("""

                RushCoupon is up. Logs: %s
                %s  Admin API           %s        Swagger UI %s/swagger-ui.html
                  Issuance worker     %s
                  Metrics             %s/actuator/prometheus (each service has one)
                  Kafka               %s (in-process KRaft broker)
                  PostgreSQL          %s, database rushcoupon
                  Redis               %s, database 0
                  Token secret        %s
                Get a token:  ./rushcoupon token --user 42          (admin: ./rushcoupon token --user 1 --admin)
                Try a rush:   ./rushcoupon demo
                Ready. Ctrl-C stops everything.
                """, runFolder.toAbsolutePath(), userApiLines(info), info.adminUrl(), info.adminUrl(),
                info.workerUrl(), info.gatewayInstanceUrls().getFirst(), info.kafkaBootstrapServers(),
                stack.endpoints().postgresOrigin(),
                stack.endpoints().redisOrigin(),
                generatedSecret ? "generated for this run (RUSHCOUPON_JWT_SECRET chooses your own): " + secret
                        : "from RUSHCOUPON_JWT_SECRET");
        watch(stack.services());
        return 0;
    }

    /** The gateway and, with several, nginx in front and each gateway's own address. */
    private static String userApiLines(StackInfo info) {
        List<String> gateways = info.gatewayInstanceUrls();
        if (info.nginxUrl() == null) {
            return "  Gateway (user API)  %s        Swagger UI %s/swagger-ui.html\n".formatted(gateways.getFirst(),
                    gateways.getFirst());
        }
        StringBuilder lines = new StringBuilder("  nginx (user API)    %s        also /api/v1/admin/ (infra/nginx/nginx.conf)\n"
                .formatted(info.nginxUrl()));
        for (int i = 0; i < gateways.size(); i++) {
            lines.append("    gateway-api-%d     %s        Swagger UI %s/swagger-ui.html\n".formatted(i + 1,
                    gateways.get(i), gateways.get(i)));
        }
        return lines.toString();
    }

    /** The ports of gateways 2..N: after the highest of the three service ports. */
    static List<Integer> moreGatewayPorts(int gateways, int gatewayPort, int adminPort, int workerPort) {
        int next = Math.max(gatewayPort, Math.max(adminPort, workerPort)) + 1;
        List<Integer> ports = new ArrayList<>();
        for (int i = 1; i < gateways; i++) {
            ports.add(next++);
        }
        return ports;
    }

    private static void checkDistinct(int gatewayPort, int adminPort, int workerPort, List<Integer> moreGatewayPorts,
            int nginxPort) {
        List<Integer> ports = new ArrayList<>(List.of(gatewayPort, adminPort, workerPort));
        ports.addAll(moreGatewayPorts);
        if (nginxPort > 0) {
            ports.add(nginxPort);
        }
        if (new HashSet<>(ports).size() != ports.size() || ports.stream().anyMatch(port -> port > 65_535)) {
            throw new IllegalArgumentException("the ports must differ and be at most 65535: " + ports);
        }
    }

    static Path newRunFolder() throws Exception {
        Path runFolder = StackInfo.RUNS.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(runFolder);
        Files.deleteIfExists(StackInfo.CURRENT);
        Files.createSymbolicLink(StackInfo.CURRENT, runFolder.getFileName());
        return runFolder;
    }

    /** Blocks until Ctrl-C; says so when a service (or nginx) dies on its own. */
    private void watch(List<ServiceProcess> services) throws InterruptedException {
        Set<String> reported = new HashSet<>();
        while (!stopped.await(1, TimeUnit.SECONDS)) {
            Map<String, Path> died = new TreeMap<>();
            for (ServiceProcess service : services) {
                if (!service.alive() && !reported.contains(service.name())) {
                    died.put(service.name(), service.log());
                }
            }
            stack.nginx().filter(nginx -> !nginx.alive() && !reported.contains("nginx"))
                    .ifPresent(nginx -> died.put("nginx", nginx.log()));
            // Ctrl-C reaches every child at once and nginx is gone in a moment: give the stop a second
            if (died.isEmpty() || stopped.await(1, TimeUnit.SECONDS) || stopping) {
                continue;
            }
            died.forEach((name, log) -> {
                reported.add(name);
                System.out.println(name + " stopped on its own; see " + log.toAbsolutePath());
            });
        }
    }

    private void stop() {
        stopping = true;
        System.out.println("\nStopping RushCoupon …");
        try {
            if (stack != null) {
                stack.close();
            }
        } catch (Exception e) {
            System.err.println("while stopping: " + e.getMessage());
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
