package io.rushcoupon.harness.nginx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The per-deployment half of {@code infra/nginx}: where nginx listens ({@code listen.conf}) and
 * where the gateways, the admin service and the wallet are ({@code upstreams.conf}). The rules
 * themselves stay in {@code infra/nginx/nginx.conf}, copied unchanged next to these two files,
 * because nginx resolves the rules' relative includes against the folder of the file it is
 * started with.
 *
 * @param listen   what {@code listen} takes: {@code 127.0.0.1:8000}, or {@code 8000} in a container
 * @param gateways {@code host:port} of each gateway
 * @param admin    {@code host:port} of the admin service
 * @param wallet   {@code host:port} of the wallet service
 */
public record NginxSite(String listen, List<String> gateways, String admin, String wallet) {

    /** The rules, relative to the repository root. */
    public static final Path RULES = Path.of("infra", "nginx", "nginx.conf");

    public NginxSite {
        if (gateways.isEmpty()) {
            throw new IllegalArgumentException("nginx needs at least one gateway");
        }
        gateways = List.copyOf(gateways);
    }

    /** Everything on this machine's loopback: nginx on {@code port}, the services on theirs. */
    public static NginxSite local(int port, List<Integer> gatewayPorts, int adminPort, int walletPort) {
        return new NginxSite("127.0.0.1:" + port,
                gatewayPorts.stream().map(gatewayPort -> "127.0.0.1:" + gatewayPort).toList(), "127.0.0.1:" + adminPort,
                "127.0.0.1:" + walletPort);
    }

    /** The upstream blocks the rules proxy to; {@code infra/nginx/upstreams.conf} is the same for compose's names. */
    public String upstreams() {
        // a gateway that refused a connection sits out 5 s while the others take its requests;
        // keepalive: idle connections each nginx worker keeps open to the services
        String servers = gateways.stream().map(gateway -> "    server " + gateway + " max_fails=1 fail_timeout=5s;\n")
                .collect(Collectors.joining());
        return "# written by the local stack (local-stack's NginxSite) for this run\n"
                + "upstream gateways {\n" + servers + "    keepalive 64;\n}\n\n"
                + "upstream admin {\n    server " + admin + ";\n    keepalive 8;\n}\n\n"
                + "upstream wallet {\n    server " + wallet + ";\n    keepalive 16;\n}\n";
    }

    public String listenDirective() {
        return "# written by the local stack (local-stack's NginxSite) for this run\nlisten " + listen + ";\n";
    }

    /**
     * Puts a complete configuration into {@code prefix}: the rules from the repository and this
     * site's two files. nginx then runs with {@code -p prefix -c prefix/nginx.conf}, and everything
     * it writes (pid, temp folders) stays under the prefix.
     *
     * @return the configuration file to give {@code nginx -c}
     */
    public Path writeTo(Path projectRoot, Path prefix) throws IOException {
        Path rules = projectRoot.resolve(RULES);
        if (!Files.isRegularFile(rules)) {
            throw new IllegalStateException("no nginx rules at " + rules.toAbsolutePath());
        }
        Files.createDirectories(prefix);
        Path configuration = prefix.resolve("nginx.conf");
        Files.copy(rules, configuration, StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(prefix.resolve("upstreams.conf"), upstreams());
        Files.writeString(prefix.resolve("listen.conf"), listenDirective());
        return configuration;
    }

    /** The address clients use: {@code http://127.0.0.1:8000}. */
    public String baseUrl() {
        return "http://" + (listen.contains(":") ? listen : "127.0.0.1:" + listen);
    }
}
