package io.rushcoupon.localstack.up;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import io.rushcoupon.common.notification.DiscordWebhook;
import io.rushcoupon.common.redis.CouponKeys;
import io.rushcoupon.harness.stack.Stack;
import io.rushcoupon.localstack.Options;
import io.rushcoupon.harness.process.ServiceProcess;
import io.rushcoupon.localstack.stack.StackInfo;
import io.rushcoupon.localstack.token.TokenCommand;

/**
 * {@code ./rushcoupon up}: the whole system on this machine, in the foreground, until Ctrl-C.
 * Everything it starts it stops again; logs go to the run folder, not the terminal. With
 * {@code --gateways N} (N > 1), N gateways run behind nginx: the first on the gateway port, the
 * others on 8090, 8091, … (clear of the services' own 8080–8089), nginx on 8000.
 */
public final class UpCommand {

    /** More would not fit a laptop: each gateway is a JVM with a 512 MB heap. */
    static final int MOST_GATEWAYS = 8;
    /** Brokers a laptop runs in one JVM: each is a whole KRaft broker and controller. */
    static final int MOST_KAFKA_BROKERS = 5;
    /** Where gateways 2..N go: past the ports of the services (8080–8084) and room for more of them. */
    static final int MORE_GATEWAYS_FROM = 8090;
    /** {@code --redis-cluster}: the six nodes' ports, 7000–7005 (their cluster bus on 17000–17005). */
    static final List<Integer> REDIS_CLUSTER_PORTS = List.of(7000, 7001, 7002, 7003, 7004, 7005);

    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile Stack stack;

    public int run(List<String> args) throws Exception {
        Options options = Options.parse(args, Set.of("--gateway-port", "--admin-port", "--worker-port",
                "--wallet-port", "--partitions", "--gateways", "--nginx-port", "--discord-webhook", "--kafka-brokers"),
                Set.of("--redis-cluster"));
        boolean redisCluster = options.flag("--redis-cluster");
        String discord = options.text("--discord-webhook", System.getenv("RUSHCOUPON_DISCORD_WEBHOOK_URL"));
        // checked and masked before anything starts; the URLs themselves are never printed
        String discordShown = discordShown(discord);
        int gatewayPort = (int) options.number("--gateway-port", envNumber("RUSHCOUPON_GATEWAY_PORT", 8080));
        int adminPort = (int) options.number("--admin-port", envNumber("RUSHCOUPON_ADMIN_PORT", 8081));
        int workerPort = (int) options.number("--worker-port", envNumber("RUSHCOUPON_WORKER_PORT", 8082));
        int walletPort = (int) options.number("--wallet-port", envNumber("RUSHCOUPON_WALLET_PORT", 8084));
        int gateways = (int) options.number("--gateways", 1);
        if (gateways > MOST_GATEWAYS) {
            throw new IllegalArgumentException("--gateways takes at most " + MOST_GATEWAYS + ", not " + gateways);
        }
        int kafkaBrokers = (int) options.number("--kafka-brokers", 1);
        if (kafkaBrokers > MOST_KAFKA_BROKERS) {
            throw new IllegalArgumentException("--kafka-brokers takes at most " + MOST_KAFKA_BROKERS + ", not " + kafkaBrokers);
        }
        if (gateways == 1 && options.text("--nginx-port", null) != null) {
            throw new IllegalArgumentException("--nginx-port needs --gateways 2 or more (one gateway runs without nginx)");
        }
        List<Integer> moreGatewayPorts = moreGatewayPorts(gateways);
        int nginxPort = gateways > 1 ? (int) options.number("--nginx-port", envNumber("RUSHCOUPON_NGINX_PORT", 8000)) : 0;
        Map<String, Integer> ports = ports(gatewayPort, adminPort, workerPort, walletPort, moreGatewayPorts, nginxPort);
        if (redisCluster) {
            for (int port : REDIS_CLUSTER_PORTS) {
                ports.put("Redis Cluster node " + port + " of --redis-cluster", port);
                ports.put("Redis Cluster bus " + (port + 10_000) + " of --redis-cluster", port + 10_000);
            }
        }
        checkDistinct(ports);
        checkFree(ports);
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
                .partitions((int) options.number("--partitions", 8)).kafkaBrokers(kafkaBrokers).gatewayPorts(gatewayPorts)
                .workerPort(workerPort).admin(adminPort).wallet(walletPort)
                .discordWebhookUrls(discord)
                // Ctrl-C stops the services gracefully (stop() below), not with kill -9
                .killOnJvmExit(false);
        if (nginxPort > 0) {
            builder.nginx(nginxPort);
        }
        if (redisCluster) {
            builder.redisCluster(REDIS_CLUSTER_PORTS);
        }
        stack = builder.start();
        StackInfo info = StackInfo.of(stack);
        info.write(runFolder);
        String redisLine = redisCluster ? stack.endpoints().redisOrigin() + "\n                      coupons 1–1000 per master (port): "
                + stack.redisCluster().spread(couponKeys(1_000)) : stack.endpoints().redisOrigin() + ", database 0";

        System.out.printf("""

                RushCoupon is up. Logs: %s
                %s  Admin API           %s        Swagger UI %s/swagger-ui.html
                  Wallet API          %s        Swagger UI %s/swagger-ui.html
                  Issuance worker     %s
                  Metrics             %s/actuator/prometheus (each service has one)
                  Kafka               %s (%s)
                  PostgreSQL          %s, database rushcoupon
                  Redis               %s
                  Token secret        %s
                  Notifications       %s
                Get a token:  ./rushcoupon token --user 42          (admin: ./rushcoupon token --user 1 --admin)
                Try a rush:   ./rushcoupon demo
                Ready. Ctrl-C stops everything.
                """, runFolder.toAbsolutePath(), userApiLines(info), info.adminUrl(), info.adminUrl(),
                info.walletUrl(), info.walletUrl(), info.workerUrl(), info.gatewayInstanceUrls().getFirst(), info.kafkaBootstrapServers(), kafkaShown(kafkaBrokers),
                stack.endpoints().postgresOrigin(),
                redisLine,
                generatedSecret ? "generated for this run (RUSHCOUPON_JWT_SECRET chooses your own): " + secret
                        : "from RUSHCOUPON_JWT_SECRET",
                discordShown);
        NotificationLines notifications = stack.discordConfigured() ? null
                : new NotificationLines(this::workerLogs, line -> System.out.println("📣 " + line));
        watch(stack.services(), notifications);
        return 0;
    }

    /** What the summary says of Kafka besides its addresses. */
    static String kafkaShown(int brokers) {
        if (brokers == 1) {
            return "in-process KRaft broker";
        }
        return brokers + " in-process KRaft brokers, one controller quorum; issue topic replicated " + Math.min(3, brokers)
                + "×" + (brokers >= 3 ? ", min.insync.replicas 2" : "");
    }

    /** The coupon hash keys of coupons 1..{@code count}: each coupon's slot, for the spread over the masters. */
    private static List<String> couponKeys(int count) {
        return LongStream.rangeClosed(1, count).mapToObj(id -> CouponKeys.of(id).coupon()).toList();
    }

    /** The gateway and, with several, nginx in front and each gateway's own address. */
    private static String userApiLines(StackInfo info) {
        List<String> gateways = info.gatewayInstanceUrls();
        if (info.nginxUrl() == null) {
            return "  Gateway (user API)  %s        Swagger UI %s/swagger-ui.html\n".formatted(gateways.getFirst(),
                    gateways.getFirst());
        }
        StringBuilder lines = new StringBuilder(
                "  nginx (user API)    %s        also /api/v1/admin/, /api/v1/me/ (infra/nginx/nginx.conf)\n"
                        .formatted(info.nginxUrl()));
        for (int i = 0; i < gateways.size(); i++) {
            lines.append("    gateway-api-%d     %s        Swagger UI %s/swagger-ui.html\n".formatted(i + 1,
                    gateways.get(i), gateways.get(i)));
        }
        return lines.toString();
    }

    /** The ports of gateways 2..N: 8090, 8091, … */
    static List<Integer> moreGatewayPorts(int gateways) {
        List<Integer> ports = new ArrayList<>();
        for (int i = 1; i < gateways; i++) {
            ports.add(MORE_GATEWAYS_FROM + i - 1);
        }
        return ports;
    }

    /** Each port by the option that chooses it, in the order they start. */
    static Map<String, Integer> ports(int gatewayPort, int adminPort, int workerPort, int walletPort,
            List<Integer> moreGatewayPorts, int nginxPort) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("--gateway-port", gatewayPort);
        ports.put("--admin-port", adminPort);
        ports.put("--worker-port", workerPort);
        ports.put("--wallet-port", walletPort);
        for (int i = 0; i < moreGatewayPorts.size(); i++) {
            ports.put("gateway " + (i + 2) + " of --gateways", moreGatewayPorts.get(i));
        }
        if (nginxPort > 0) {
            ports.put("--nginx-port", nginxPort);
        }
        return ports;
    }

    static void checkDistinct(Map<String, Integer> ports) {
        if (new HashSet<>(ports.values()).size() != ports.size() || ports.values().stream().anyMatch(port -> port > 65_535)) {
            throw new IllegalArgumentException("the ports must differ and be at most 65535: " + ports);
        }
    }

    /**
     * Before anything starts: a port another program holds is a sentence naming the option that
     * moves it, not a service that dies half-way through the start with "see its log".
     */
    static void checkFree(Map<String, Integer> ports) {
        List<String> taken = new ArrayList<>();
        ports.forEach((option, port) -> {
            try (ServerSocket socket = new ServerSocket()) {
                // as the services bind it (SERVER_ADDRESS=127.0.0.1, ServiceEnvironment)
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            } catch (IOException inUse) {
                taken.add(port + " (" + option + ")");
            }
        });
        if (!taken.isEmpty()) {
            throw new IllegalArgumentException("port" + (taken.size() == 1 ? " " : "s ") + String.join(", ", taken)
                    + (taken.size() == 1 ? " is" : " are") + " in use by another program (an earlier ./rushcoupon up"
                    + " still running?); stop it or choose other ports with the options named");
        }
    }

    static Path newRunFolder() throws Exception {
        Path runFolder = StackInfo.RUNS.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(runFolder);
        Files.deleteIfExists(StackInfo.CURRENT);
        Files.createSymbolicLink(StackInfo.CURRENT, runFolder.getFileName());
        return runFolder;
    }

    /**
     * What the summary says of notifications: the webhooks masked (…/webhooks/&lt;id&gt;/****), or
     * that they are printed here. A URL that is none is refused before anything starts.
     */
    static String discordShown(String urls) {
        if (urls == null || urls.isBlank()) {
            return "printed here (no --discord-webhook or RUSHCOUPON_DISCORD_WEBHOOK_URL), not sent";
        }
        List<String> masked = new ArrayList<>();
        for (String url : urls.split(",")) {
            masked.add(DiscordWebhook.of(url).masked());
        }
        return "to Discord " + String.join(", ", masked);
    }

    private List<Path> workerLogs() {
        return stack.services().stream().filter(service -> service.name().startsWith("issuance-worker"))
                .map(ServiceProcess::log).distinct().toList();
    }

    /**
     * Blocks until Ctrl-C; says so when a service (or nginx) dies on its own, and prints the
     * notifications the workers log when no webhook is configured ({@code notifications}, or null).
     */
    private void watch(List<ServiceProcess> services, NotificationLines notifications) throws InterruptedException {
        Set<String> reported = new HashSet<>();
        while (!stopped.await(1, TimeUnit.SECONDS)) {
            if (notifications != null && !stopping) {
                notifications.look();
            }
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
