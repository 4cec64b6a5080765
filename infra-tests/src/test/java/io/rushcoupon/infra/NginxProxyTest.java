package io.rushcoupon.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import io.rushcoupon.harness.nginx.Nginx;
import io.rushcoupon.harness.nginx.NginxSite;
import io.rushcoupon.harness.host.FreePorts;
import io.rushcoupon.harness.host.HostTools;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The rules of infra/nginx at work: a real nginx (started as {@code ./rushcoupon up} starts it)
 * in front of stand-in gateways, admin service and wallet that record what reaches them. What the rush
 * path needs from the proxy: spreading, routing, request ids, the limits answered as problem
 * details, and never sending an issue request to a second gateway once one has taken it.
 */
class NginxProxyTest {

    private static final Path ROOT = HostTools.projectRoot();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final List<AutoCloseable> started = new ArrayList<>();

    @TempDir
    Path prefix;

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable closeable : started.reversed()) {
            closeable.close();
        }
    }

    @Test
    void spreadsIssueRequestsOverEveryGatewayAndSendsAdminCallsToTheAdminService() throws Exception {
        Upstream first = upstream("gateway-1");
        Upstream second = upstream("gateway-2");
        Upstream admin = upstream("admin");
        Nginx nginx = nginx(List.of(first.port(), second.port()), admin.port());

        for (int user = 1; user <= 10; user++) {
            assertThat(send(nginx, post("/api/v1/coupons/7/issue-requests", "user-" + user)).statusCode()).isEqualTo(202);
        }
        assertThat(send(nginx, get("/api/v1/admin/coupons", "admin")).statusCode()).isEqualTo(202);

        assertThat(first.seen()).isNotEmpty().allMatch(seen -> seen.path().startsWith("/api/v1/coupons/"));
        assertThat(second.seen()).isNotEmpty().allMatch(seen -> seen.path().startsWith("/api/v1/coupons/"));
        assertThat(first.seen().size() + second.seen().size()).isEqualTo(10);
        assertThat(admin.seen()).singleElement().satisfies(seen -> assertThat(seen.path()).isEqualTo("/api/v1/admin/coupons"));
    }

    @Test
    void sendsEveryWalletCallToTheWalletAndNothingElse() throws Exception {
        Upstream gateway = upstream("gateway");
        Upstream admin = upstream("admin");
        Upstream wallet = upstream("wallet");
        Nginx nginx = nginx(List.of(gateway.port()), admin.port(), wallet.port());

        assertThat(send(nginx, get("/api/v1/me/coupons?status=AVAILABLE&page=0&size=20", "user")).statusCode()).isEqualTo(202);
        assertThat(send(nginx, get("/api/v1/me/coupons/7-1", "user")).statusCode()).isEqualTo(202);
        assertThat(send(nginx, post("/api/v1/me/coupons/7-1/redemptions", "user").header("Idempotency-Key", "k-1"))
                .statusCode()).isEqualTo(202);
        assertThat(send(nginx, post("/api/v1/me/redemptions/3/cancellation", "user")).statusCode()).isEqualTo(202);
        assertThat(send(nginx, get("/api/v1/me/coupon-stats", "user")).statusCode()).isEqualTo(202);
        assertThat(send(nginx, get("/api/v1/coupons/7", "user")).statusCode()).isEqualTo(202);

        assertThat(wallet.seen()).extracting(Seen::method, Seen::path).containsExactly(
                tuple("GET", "/api/v1/me/coupons"), tuple("GET", "/api/v1/me/coupons/7-1"),
                tuple("POST", "/api/v1/me/coupons/7-1/redemptions"), tuple("POST", "/api/v1/me/redemptions/3/cancellation"),
                tuple("GET", "/api/v1/me/coupon-stats"));
        assertThat(gateway.seen()).extracting(Seen::path).containsExactly("/api/v1/coupons/7");
        assertThat(admin.seen()).isEmpty();
    }

    /**
     * The wallet has a budget of its own per token: a client looping over its coupons meets 429
     * there, and its issue requests in the next rush keep theirs.
     */
    @Test
    void limitsWalletCallsPerTokenWithoutTouchingTheBudgetOfIssueRequests() throws Exception {
        Upstream gateway = upstream("gateway");
        Upstream wallet = upstream("wallet");
        Nginx nginx = nginx(List.of(gateway.port()), FreePorts.closed(), wallet.port());

        // bursts of 60 at once until the wallet's limit (20/s, burst 40) answers; bounded
        HttpResponse<String> limited = firstLimited(nginx, 60, call -> get("/api/v1/me/coupons/7-" + call, "browser"));
        List<HttpResponse<String>> clicks = sendAtOnce(nginx, 15, call -> post("/api/v1/coupons/7/issue-requests", "browser"));

        assertThat(limited).as("a 429 within 10 bursts of 60 wallet calls").isNotNull();
        assertProblem(limited, 429, "RATE_LIMITED");
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(clicks).extracting(HttpResponse::statusCode).containsOnly(202);
        assertThat(send(nginx, get("/api/v1/me/coupons", "another-browser")).statusCode()).isEqualTo(202);
    }

    /** A redemption's outcome is unknown when the wallet fails: the answer says a repeat with its key is safe. */
    @Test
    void answersUpstreamFailedAsAProblemWhenTheWalletIsDown() throws Exception {
        Upstream gateway = upstream("gateway");
        Nginx nginx = nginx(List.of(gateway.port()), FreePorts.closed(), FreePorts.closed());

        HttpResponse<String> response = send(nginx, post("/api/v1/me/coupons/7-1/redemptions", "user")
                .header("Idempotency-Key", "k-1"));

        assertProblem(response, 502, "UPSTREAM_FAILED");
        assertThat(json.readTree(response.body()).get("detail").asString()).contains("Idempotency-Key");
        assertThat(gateway.seen()).isEmpty();
    }

    @Test
    void keepsTheClientsRequestIdOrGivesOneAndPassesItOnAndBack() throws Exception {
        Upstream gateway = upstream("gateway");
        Nginx nginx = nginx(List.of(gateway.port()), FreePorts.closed());

        HttpResponse<String> kept = send(nginx, get("/api/v1/issue-requests/1", "user").header("X-Request-Id", "trace-42.a"));
        HttpResponse<String> unfit = send(nginx, get("/api/v1/issue-requests/2", "user").header("X-Request-Id", "two words"));
        HttpResponse<String> given = send(nginx, get("/api/v1/issue-requests/3", "user"));

        assertThat(kept.headers().firstValue("X-Request-Id")).hasValue("trace-42.a");
        assertThat(unfit.headers().firstValue("X-Request-Id")).get().asString().matches("[0-9a-f]{32}");
        assertThat(given.headers().firstValue("X-Request-Id")).get().asString().matches("[0-9a-f]{32}");
        assertThat(gateway.seen()).extracting(Seen::requestId).containsExactly("trace-42.a",
                unfit.headers().firstValue("X-Request-Id").orElseThrow(),
                given.headers().firstValue("X-Request-Id").orElseThrow());
    }

    @Test
    void answersRateLimitedAsAProblemWhenOneClientAsksTooOftenWhileOthersGoOn() throws Exception {
        Upstream gateway = upstream("gateway");
        Nginx nginx = nginx(List.of(gateway.port()), FreePorts.closed());

        // bursts of 30 at once until the limit (10/s, burst 20) answers; bounded
        HttpResponse<String> limited = firstLimited(nginx, 30, call -> get("/api/v1/coupons/7", "hammer"));

        assertThat(limited).as("a 429 within 10 bursts of 30").isNotNull();
        assertProblem(limited, 429, "RATE_LIMITED");
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(limited.headers().firstValue("X-Request-Id")).isPresent();
        assertThat(send(nginx, get("/api/v1/coupons/7", "someone-else")).statusCode()).isEqualTo(202);
    }

    /**
     * The scheme's spelling is not part of the client: "bearer", "BEARER" and "Bearer" with one
     * token are one client. 20 calls per spelling fit one client's burst (20 beyond the rate), 60
     * do not (finding 13 of issue #12: keyed on the raw header, each spelling was a client of its own).
     */
    @Test
    void countsOneTokenAsOneClientHoweverItsSchemeIsSpelled() throws Exception {
        Upstream gateway = upstream("gateway");
        Nginx nginx = nginx(List.of(gateway.port()), FreePorts.closed());
        List<String> schemes = List.of("Bearer ", "bearer ", "BEARER  ");

        List<HttpResponse<String>> answers = sendAtOnce(nginx, 60, call ->
                HttpRequest.newBuilder(URI.create("http://placeholder/api/v1/coupons/7"))
                        .header("Authorization", schemes.get(call % schemes.size()) + "one-token").GET());

        assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(202, 429).contains(429);
    }

    /**
     * Status polls have a limit of their own, per token: a client polling hard meets 429 there,
     * and its issue requests keep their own budget, so polling never costs a user a click.
     */
    @Test
    void limitsStatusPollsPerTokenWithoutTouchingTheBudgetOfIssueRequests() throws Exception {
        Upstream gateway = upstream("gateway");
        Nginx nginx = nginx(List.of(gateway.port()), FreePorts.closed());

        // bursts of 60 polls at once until their limit (20/s, burst 40) answers; bounded
        HttpResponse<String> limited = firstLimited(nginx, 60, call -> get("/api/v1/issue-requests/7-1", "poller"));
        List<HttpResponse<String>> clicks = sendAtOnce(nginx, 15, call -> post("/api/v1/coupons/7/issue-requests", "poller"));

        assertThat(limited).as("a 429 within 10 bursts of 60 polls").isNotNull();
        assertProblem(limited, 429, "RATE_LIMITED");
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(clicks).extracting(HttpResponse::statusCode).containsOnly(202);
        assertThat(send(nginx, get("/api/v1/issue-requests/7-1", "another-poller")).statusCode()).isEqualTo(202);
    }

    @Test
    void answersPayloadTooLargeAsAProblemWithoutBotheringTheService() throws Exception {
        Upstream admin = upstream("admin");
        Nginx nginx = nginx(List.of(FreePorts.closed()), admin.port());

        HttpResponse<String> response = send(nginx, HttpRequest.newBuilder(URI.create(nginx.baseUrl() + "/api/v1/admin/coupons"))
                .header("Authorization", "Bearer admin").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + "x".repeat(17 * 1024) + "\"}")));

        assertProblem(response, 413, "PAYLOAD_TOO_LARGE");
        assertThat(admin.seen()).isEmpty();
    }

    @Test
    void passesAnIssueRequestToTheNextGatewayWhenTheFirstRefusesTheConnection() throws Exception {
        Upstream alive = upstream("gateway-2");
        Nginx nginx = nginx(List.of(FreePorts.closed(), alive.port()), FreePorts.closed());

        for (int user = 1; user <= 6; user++) {
            assertThat(send(nginx, post("/api/v1/coupons/7/issue-requests", "user-" + user)).statusCode()).isEqualTo(202);
        }
        assertThat(alive.seen()).hasSize(6);
    }

    /**
     * A gateway that read the request and died before answering may have admitted the user: nginx
     * must answer 502 rather than let a second gateway admit the same click again.
     */
    @Test
    void neverSendsAnIssueRequestToASecondGatewayOnceTheFirstTookIt() throws Exception {
        Swallower dying = swallower();
        Upstream alive = upstream("gateway-2");
        Nginx nginx = nginx(List.of(dying.port(), alive.port()), FreePorts.closed());

        Taken taken = firstTakenBy(dying, nginx, user -> post("/api/v1/coupons/7/issue-requests", "user-" + user));

        assertThat(taken).as("nginx sent an issue request to the dying gateway within 20 tries").isNotNull();
        assertProblem(taken.answer(), 502, "UPSTREAM_FAILED");
        assertThat(alive.seen()).noneMatch(seen -> seen.requestId().equals(taken.requestId()));
    }

    @Test
    void retriesAStatusPollOnAnotherGatewayWhenTheFirstDiesWithIt() throws Exception {
        Swallower dying = swallower();
        Upstream alive = upstream("gateway-2");
        Nginx nginx = nginx(List.of(dying.port(), alive.port()), FreePorts.closed());

        Taken taken = firstTakenBy(dying, nginx, poll -> get("/api/v1/issue-requests/7-" + poll, "user"));

        assertThat(taken).as("nginx sent a poll to the dying gateway within 20 tries").isNotNull();
        assertThat(taken.answer().statusCode()).isEqualTo(202);
        assertThat(alive.seen()).anyMatch(seen -> seen.requestId().equals(taken.requestId()));
    }

    @Test
    void answersNotFoundForEverythingOutsideTheApiSoActuatorsStayInternal() throws Exception {
        Upstream gateway = upstream("gateway");
        Nginx nginx = nginx(List.of(gateway.port()), FreePorts.closed());

        assertProblem(send(nginx, get("/actuator/prometheus", "user")), 404, "NOT_FOUND");
        assertThat(gateway.seen()).isEmpty();
    }

    @Test
    void answersUpstreamFailedAsAProblemWhenNoGatewayAnswers() throws Exception {
        Nginx nginx = nginx(List.of(FreePorts.closed(), FreePorts.closed()), FreePorts.closed());

        assertProblem(send(nginx, post("/api/v1/coupons/7/issue-requests", "user")), 502, "UPSTREAM_FAILED");
    }

    @Test
    void leavesNoNginxProcessBehindWhenClosed() throws Exception {
        Upstream gateway = upstream("gateway");
        Nginx nginx = nginx(List.of(gateway.port()), FreePorts.closed());
        String prefixArgument = prefix.resolve("nginx").toAbsolutePath().normalize() + "/";
        List<ProcessHandle> running = nginxProcessesWith(prefixArgument);
        assertThat(running).as("master and workers").hasSizeGreaterThanOrEqualTo(2);

        nginx.close();

        assertThat(nginx.alive()).isFalse();
        assertThat(running).noneMatch(ProcessHandle::isAlive);
        assertThat(nginxProcessesWith(prefixArgument)).isEmpty();
    }

    // --- helpers --------------------------------------------------------------------------------

    /** nginx with no wallet behind it: its upstream is a port nobody listens on. */
    private Nginx nginx(List<Integer> gatewayPorts, int adminPort) throws Exception {
        return nginx(gatewayPorts, adminPort, FreePorts.closed());
    }

    private Nginx nginx(List<Integer> gatewayPorts, int adminPort, int walletPort) throws Exception {
        Nginx nginx = Nginx.start(HostTools.require("nginx"), ROOT, prefix.resolve("nginx"),
                NginxSite.local(FreePorts.free(), gatewayPorts, adminPort, walletPort), prefix.resolve("nginx.log"));
        started.add(nginx);
        nginx.awaitReady(Duration.ofSeconds(30));
        return nginx;
    }

    /**
     * The master started with this prefix and its workers. nginx rewrites its command line into a
     * title ("nginx: master process nginx -p … -c …"), so it is read as the kernel shows it.
     */
    private static List<ProcessHandle> nginxProcessesWith(String prefixArgument) {
        List<ProcessHandle> masters = ProcessHandle.allProcesses()
                .filter(process -> commandLine(process).contains("-p " + prefixArgument)).toList();
        List<ProcessHandle> all = new ArrayList<>(masters);
        masters.forEach(master -> master.children().forEach(all::add));
        return all;
    }

    private static String commandLine(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"), StandardCharsets.ISO_8859_1)
                    .replace('\0', ' ');
        } catch (IOException | RuntimeException gone) {
            return "";
        }
    }

    private HttpRequest.Builder get(String path, String token) {
        return request(path, token).GET();
    }

    private HttpRequest.Builder post(String path, String token) {
        return request(path, token).POST(HttpRequest.BodyPublishers.noBody());
    }

    private HttpRequest.Builder request(String path, String token) {
        return HttpRequest.newBuilder(URI.create("http://placeholder" + path)).header("Authorization", "Bearer " + token);
    }

    private HttpResponse<String> send(Nginx nginx, HttpRequest.Builder builder) throws Exception {
        HttpRequest draft = builder.build();
        HttpRequest request = HttpRequest.newBuilder(draft, (name, value) -> true)
                .uri(URI.create(nginx.baseUrl() + draft.uri().getRawPath()
                        + (draft.uri().getRawQuery() == null ? "" : "?" + draft.uri().getRawQuery())))
                .timeout(Duration.ofSeconds(30)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** {@code count} calls at once; {@code request} builds call number 0, 1, … */
    private List<HttpResponse<String>> sendAtOnce(Nginx nginx, int count, IntFunction<HttpRequest.Builder> request)
            throws Exception {
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                int call = i;
                futures.add(executor.submit(() -> send(nginx, request.apply(call))));
            }
        }
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (Future<HttpResponse<String>> future : futures) {
            responses.add(future.get());
        }
        return responses;
    }

    /** Bursts of {@code count} calls at once, at most 10, until one is answered 429; that answer, or null. */
    private HttpResponse<String> firstLimited(Nginx nginx, int count, IntFunction<HttpRequest.Builder> request)
            throws Exception {
        for (int burst = 0; burst < 10; burst++) {
            for (HttpResponse<String> response : sendAtOnce(nginx, count, request)) {
                if (response.statusCode() == 429) {
                    return response;
                }
            }
        }
        return null;
    }

    private void assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("code").asString()).isEqualTo(code);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
    }

    /** What reached a stand-in service. */
    /** A request the dying gateway read (by its X-Request-Id), and what nginx answered for it. */
    private record Taken(String requestId, HttpResponse<String> answer) {
    }

    /**
     * Sends requests (numbered from 1, each with its own request id) until nginx hands one to the
     * dying gateway; round-robin reaches it within a few, 20 is the bound.
     *
     * @return that request and nginx's answer, or null if the dying gateway never got one
     */
    private Taken firstTakenBy(Swallower dying, Nginx nginx, IntFunction<HttpRequest.Builder> request)
            throws Exception {
        for (int attempt = 1; attempt <= 20; attempt++) {
            String requestId = UUID.randomUUID().toString();
            HttpResponse<String> answer = send(nginx, request.apply(attempt).header("X-Request-Id", requestId));
            if (dying.seen().stream().anyMatch(seen -> seen.requestId().equals(requestId))) {
                return new Taken(requestId, answer);
            }
        }
        return null;
    }

    private record Seen(String method, String path, String requestId) {
    }

    /** A stand-in service that answers 202 to everything and remembers what it saw. */
    private record Upstream(HttpServer server, Queue<Seen> seenQueue) implements AutoCloseable {

        int port() {
            return server.getAddress().getPort();
        }

        List<Seen> seen() {
            return List.copyOf(seenQueue);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private Upstream upstream(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        Queue<Seen> seen = new ConcurrentLinkedQueue<>();
        byte[] body = ("{\"service\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("X-Request-Id")));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(202, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        Upstream upstream = new Upstream(server, seen);
        started.add(upstream);
        return upstream;
    }

    /** A gateway that reads each request in full and dies with it: the connection closes, no answer. */
    private record Swallower(ServerSocket socket, Queue<Seen> seenQueue, Thread acceptor) implements AutoCloseable {

        int port() {
            return socket.getLocalPort();
        }

        List<Seen> seen() {
            return List.copyOf(seenQueue);
        }

        @Override
        public void close() throws Exception {
            socket.close();
            acceptor.join(5_000);
        }
    }

    private Swallower swallower() throws IOException {
        ServerSocket socket = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        Queue<Seen> seen = new ConcurrentLinkedQueue<>();
        Thread acceptor = Thread.ofVirtual().start(() -> {
            while (!socket.isClosed()) {
                try (Socket connection = socket.accept()) {
                    String head = readHead(connection.getInputStream());
                    String[] requestLine = head.lines().findFirst().orElse("? ?").split(" ");
                    String requestId = head.lines().filter(line -> line.toLowerCase(Locale.ROOT).startsWith("x-request-id:"))
                            .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse(null);
                    seen.add(new Seen(requestLine[0], requestLine[1], requestId));
                } catch (IOException closed) {
                    // the test is over, or nginx gave up on the connection
                }
            }
        });
        Swallower swallower = new Swallower(socket, seen, acceptor);
        started.add(swallower);
        return swallower;
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) != -1) {
            head.append((char) b);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return head.toString();
    }
}
