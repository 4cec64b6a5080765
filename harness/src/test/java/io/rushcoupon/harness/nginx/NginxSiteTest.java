package io.rushcoupon.harness.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NginxSiteTest {

    private static final Path PROJECT_ROOT = Path.of("..");

    @Test
    void putsEveryGatewayIntoTheGatewaysUpstreamAdminAndWalletIntoTheirsAndListensOnLoopbackOnly() {
        NginxSite site = NginxSite.local(8000, List.of(8080, 8090), 8081, 8084);

        assertThat(site.upstreams()).contains("upstream gateways {\n    server 127.0.0.1:8080 max_fails=1 fail_timeout=5s;\n"
                + "    server 127.0.0.1:8090 max_fails=1 fail_timeout=5s;\n    keepalive 64;\n}")
                .contains("upstream admin {\n    server 127.0.0.1:8081;")
                .contains("upstream wallet {\n    server 127.0.0.1:8084;");
        assertThat(site.listenDirective()).endsWith("listen 127.0.0.1:8000;\n");
        assertThat(site.baseUrl()).isEqualTo("http://127.0.0.1:8000");
    }

    @Test
    void writesTheRulesUnchangedNextToTheSitesOwnFiles(@TempDir Path prefix) throws Exception {
        Path configuration = NginxSite.local(8000, List.of(8080), 8081, 8084).writeTo(PROJECT_ROOT, prefix);

        assertThat(configuration).isEqualTo(prefix.resolve("nginx.conf"));
        assertThat(Files.readString(configuration)).isEqualTo(Files.readString(PROJECT_ROOT.resolve(NginxSite.RULES)))
                .contains("include upstreams.conf;").contains("include listen.conf;");
        assertThat(prefix.resolve("upstreams.conf")).content().contains("server 127.0.0.1:8080");
        assertThat(prefix.resolve("listen.conf")).content().contains("listen 127.0.0.1:8000;");
    }

    @Test
    void refusesASiteWithoutGateways() {
        assertThatThrownBy(() -> NginxSite.local(8000, List.of(), 8081, 8084)).hasMessage("nginx needs at least one gateway");
    }
}
