package io.rushcoupon.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.harness.nginx.Nginx;
import io.rushcoupon.harness.nginx.NginxSite;
import io.rushcoupon.harness.host.HostTools;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * infra/nginx checked by nginx itself ({@code nginx -t}, Debian's package, installed by
 * infra/install-tools.sh when missing): the rules with the site the local stack writes, and with
 * docker-compose's site. {@code nginx -t} resolves upstream host names, and gateway-1 exists only
 * on compose's network, so compose's site is tested with its names pointed at loopback and, as
 * text, against what the local stack writes for compose's names. Runtime files go under a
 * temporary prefix: no root-owned folders needed.
 */
class NginxConfigTest {

    private static final Path ROOT = HostTools.projectRoot();
    private static final Path NGINX = ROOT.resolve("infra/nginx");
    private static final NginxSite COMPOSE = new NginxSite("8000", List.of("gateway-1:8080", "gateway-2:8080"),
            "admin:8081", "wallet:8084");

    @Test
    void acceptsTheRulesWithTheSiteTheLocalStackWrites(@TempDir Path prefix) throws Exception {
        Path configuration = NginxSite.local(18000, List.of(18080, 18090), 18081, 18084).writeTo(ROOT, prefix);

        Result result = nginxTest(prefix, configuration);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("test is successful");
        // the rules' runtime paths are relative: they landed under the prefix, not in /var/lib/nginx
        assertThat(prefix.resolve("client_body_temp")).isDirectory();
        assertThat(prefix.resolve("proxy_temp")).isDirectory();
    }

    @Test
    void acceptsTheComposeSiteWithItsServiceNamesPointedAtLoopback(@TempDir Path prefix) throws Exception {
        for (String file : List.of("nginx.conf", "listen.conf")) {
            Files.copy(NGINX.resolve(file), prefix.resolve(file));
        }
        String upstreams = Files.readString(NGINX.resolve("upstreams.conf"));
        String onLoopback = upstreams.replaceAll("\\b(gateway-1|gateway-2|admin|wallet):", "127.0.0.1:");
        assertThat(onLoopback).as("compose's upstreams name its services").isNotEqualTo(upstreams);
        Files.writeString(prefix.resolve("upstreams.conf"), onLoopback);

        Result result = nginxTest(prefix, prefix.resolve("nginx.conf"));

        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void composeSiteIsWhatTheLocalStackWritesForComposesServiceNames() throws Exception {
        assertThat(directives(Files.readString(NGINX.resolve("upstreams.conf"))))
                .isEqualTo(directives(COMPOSE.upstreams()));
        assertThat(directives(Files.readString(NGINX.resolve("listen.conf"))))
                .isEqualTo(directives(COMPOSE.listenDirective()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeRunsTheServicesNginxProxiesToAndMountsTheseRules() throws Exception {
        Path composeFile = ROOT.resolve("docker-compose.yml");
        Map<String, Object> compose = new Yaml().load(Files.readString(composeFile));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");

        for (String address : COMPOSE.gateways()) {
            assertThat(services).containsKey(address.substring(0, address.indexOf(':')));
        }
        assertThat(services).containsKey(COMPOSE.admin().substring(0, COMPOSE.admin().indexOf(':')));
        assertThat(services).containsKey(COMPOSE.wallet().substring(0, COMPOSE.wallet().indexOf(':')));
        Map<String, Object> nginx = (Map<String, Object>) services.get("nginx");
        assertThat((List<String>) nginx.get("volumes")).anyMatch(volume -> volume.startsWith("./infra/nginx:"));
    }

    /** Guards the checks above: nginx -t really reads the rules and says so in its exit code. */
    @Test
    void refusesADirectiveNginxDoesNotKnow(@TempDir Path prefix) throws Exception {
        Path configuration = NginxSite.local(18000, List.of(18080), 18081, 18084).writeTo(ROOT, prefix);
        Files.writeString(configuration, Files.readString(configuration).replace("server_tokens off;",
                "server_tokens off;\n    proxy_retry_everything on;"));

        Result result = nginxTest(prefix, configuration);

        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("proxy_retry_everything");
    }

    @Test
    void everyProblemNginxAnswersCarriesAnErrorCodeWithItsStatusAndTitle() throws Exception {
        String rules = Files.readString(NGINX.resolve("nginx.conf"));
        Map<String, Integer> statusByLocation = new HashMap<>();
        Matcher location = Pattern.compile("location (@\\w+|/) \\{(.*?)\\n        \\}", Pattern.DOTALL).matcher(rules);
        JsonMapper json = JsonMapper.builder().build();
        List<String> codes = new ArrayList<>();
        while (location.find()) {
            Matcher answer = Pattern.compile("return (\\d{3}) '(\\{.*})\\\\n';").matcher(location.group(2));
            assertThat(answer.find()).as("location " + location.group(1) + " answers a problem").isTrue();
            int status = Integer.parseInt(answer.group(1));
            statusByLocation.put(location.group(1), status);
            JsonNode problem = json.readTree(answer.group(2));
            ErrorCode code = ErrorCode.valueOf(problem.get("code").asString());
            codes.add(code.name());
            assertThat(code.httpStatus()).as(code.name()).isEqualTo(status);
            assertThat(problem.get("status").asInt()).as(code.name()).isEqualTo(status);
            assertThat(problem.get("title").asString()).as(code.name()).isEqualTo(code.title());
            assertThat(problem.get("type").asString()).isEqualTo(
                    "urn:rushcoupon:problem:" + code.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            assertThat(location.group(2)).contains("default_type application/problem+json;");
        }
        assertThat(codes).contains("RATE_LIMITED", "PAYLOAD_TOO_LARGE", "UPSTREAM_FAILED", "UPSTREAM_TIMEOUT",
                "NOT_FOUND");

        // each error nginx itself answers goes to the location answering that status
        Matcher errorPage = Pattern.compile("error_page (\\d{3}) (@\\w+);").matcher(rules);
        Map<Integer, String> pages = new HashMap<>();
        while (errorPage.find()) {
            pages.put(Integer.parseInt(errorPage.group(1)), errorPage.group(2));
        }
        assertThat(pages).containsOnlyKeys(413, 429, 502, 504);
        pages.forEach((status, name) -> assertThat(statusByLocation.get(name)).as(name).isEqualTo(status));
    }

    /**
     * Every API location is rate limited, on the client the token map derives (the token with its
     * scheme stripped, whatever its case), and status polls and the wallet each have a location
     * and zone of their own.
     */
    @Test
    void limitsEveryApiLocationPerClientAndStatusPollsAndTheWalletApart() throws Exception {
        String rules = Files.readString(NGINX.resolve("nginx.conf"));
        Matcher zone = Pattern.compile("limit_req_zone (\\$\\w+) zone=(\\w+):").matcher(rules);
        Map<String, String> keyByZone = new HashMap<>();
        while (zone.find()) {
            keyByZone.put(zone.group(2), zone.group(1));
        }
        Matcher location = Pattern.compile("location (/api/\\S*) \\{(.*?)\\n        \\}", Pattern.DOTALL).matcher(rules);
        Map<String, String> zoneByLocation = new HashMap<>();
        while (location.find()) {
            Matcher limit = Pattern.compile("limit_req zone=(\\w+)").matcher(location.group(2));
            assertThat(limit.find()).as("location " + location.group(1) + " is rate limited").isTrue();
            zoneByLocation.put(location.group(1), limit.group(1));
        }

        assertThat(zoneByLocation).containsKeys("/api/v1/", "/api/v1/admin/", "/api/v1/issue-requests/", "/api/v1/me/");
        assertThat(zoneByLocation.get("/api/v1/issue-requests/")).isNotEqualTo(zoneByLocation.get("/api/v1/"));
        assertThat(zoneByLocation.get("/api/v1/me/")).isNotIn(zoneByLocation.get("/api/v1/"),
                zoneByLocation.get("/api/v1/issue-requests/"));
        assertThat(zoneByLocation.values()).allSatisfy(name -> assertThat(keyByZone).containsEntry(name, "$rushcoupon_client"));
        assertThat(rules).doesNotContain("default $http_authorization");
    }

    /** Directives only: comments and blank lines dropped, whitespace collapsed. */
    private static String directives(String configuration) {
        return configuration.lines().map(line -> line.replaceAll("#.*", "").trim().replaceAll("\\s+", " "))
                .filter(line -> !line.isEmpty()).collect(Collectors.joining("\n"));
    }

    private record Result(int exitCode, String output) {
    }

    private static Result nginxTest(Path prefix, Path configuration) throws IOException, InterruptedException {
        List<String> command = Nginx.command(HostTools.require("nginx"), prefix, configuration, "-t");
        // output to a file, so reading it can never block on a tool that hangs
        Path log = Files.createTempFile("nginx-t", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 60 s");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            System.out.println(String.join(" ", command) + " → " + process.exitValue() + "\n" + output);
            return new Result(process.exitValue(), output);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
