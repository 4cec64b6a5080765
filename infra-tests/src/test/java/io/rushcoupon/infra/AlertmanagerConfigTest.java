package io.rushcoupon.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rushcoupon.harness.host.HostTools;

/**
 * infra/alertmanager, checked by Alertmanager's own amtool (Debian's prometheus-alertmanager, the
 * version docker-compose.yml and infra/k8s run): the configuration as committed, the copy start.sh
 * writes with a webhook URL, and where Prometheus's alerts are routed.
 */
class AlertmanagerConfigTest {

    private static final Path ALERTMANAGER = HostTools.projectRoot().resolve("infra/alertmanager");
    private static final String PLACEHOLDER = "https://discord-webhook-url.invalid/set-by-start.sh";
    private static final String TOKEN = "tok3n-Secret_0123456789abcdef";
    private static final String WEBHOOK = "https://discord.com/api/webhooks/1234567890/" + TOKEN + "?thread_id=42&wait=true";

    @Test
    void acceptsTheCommittedConfigurationWithItsDiscordReceiverAndTemplates() throws Exception {
        ToolRun result = amtool("check-config", ALERTMANAGER.resolve("alertmanager.yml").toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS").contains("1 receivers").contains("1 templates");
        assertThat(Yamls.at(Yamls.list(Yamls.at(config(ALERTMANAGER.resolve("alertmanager.yml")), "receivers")).getFirst(),
                "name")).isEqualTo("discord");
    }

    @Test
    void theMessageTemplatesRender() throws Exception {
        ToolRun result = amtool("template", "render", "--template.glob=" + ALERTMANAGER.resolve("templates/*.tmpl"),
                "--template.text={{ template \"rushcoupon.discord.title\" . }}|{{ template \"rushcoupon.discord.message\" . }}");

        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    /** The URL (a secret) reaches only the copy Alertmanager reads: never the script's output. */
    @Test
    void startPutsTheWebhookUrlIntoACopyAmtoolAcceptsAndPrintsItMaskedOnly(@TempDir Path folder) throws Exception {
        Path copy = folder.resolve("alertmanager.yml");

        ToolRun start = start(Map.of("DISCORD_WEBHOOK_URL", WEBHOOK), copy);

        assertThat(start.exitCode()).as(start.output()).isZero();
        assertThat(start.output()).contains("https://discord.com/api/webhooks/1234567890/****").doesNotContain(TOKEN);
        assertThat(webhookUrl(copy)).isEqualTo(WEBHOOK);
        assertThat(folder.resolve("templates/discord.tmpl")).isRegularFile();
        ToolRun check = amtool("check-config", copy.toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
    }

    /** Kubernetes mounts the Secret as a file; it wins over the variable. */
    @Test
    void startReadsTheWebhookUrlFromItsFileFirst(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("alerts-webhook-url");
        Files.writeString(file, WEBHOOK + "\n", StandardCharsets.UTF_8);
        Path copy = folder.resolve("alertmanager.yml");

        ToolRun start = start(Map.of("DISCORD_WEBHOOK_URL_FILE", file.toString(),
                "DISCORD_WEBHOOK_URL", "https://discord.com/api/webhooks/1/other-token-0123456789"), copy);

        assertThat(start.exitCode()).as(start.output()).isZero();
        assertThat(webhookUrl(copy)).isEqualTo(WEBHOOK);
    }

    /** Without a URL, or with one that is none (a quote would break out of the YAML), the placeholder stays. */
    @Test
    void startKeepsThePlaceholderWithoutAUsableUrlAndSaysAlertsAreNotDelivered(@TempDir Path folder) throws Exception {
        Path copy = folder.resolve("alertmanager.yml");
        for (String url : List.of("", "http://plain.example/api/webhooks/1/t", "https://x.example/a' b: c")) {
            ToolRun start = start(Map.of("DISCORD_WEBHOOK_URL", url), copy);

            assertThat(start.exitCode()).as(start.output()).isZero();
            assertThat(start.output()).contains("alerts are not delivered");
            assertThat(webhookUrl(copy)).as(url).isEqualTo(PLACEHOLDER);
        }
    }

    /** Every rule's alert, with its severity, reaches the Discord receiver. */
    @Test
    @SuppressWarnings("unchecked")
    void everyAlertRuleIsRoutedToDiscord() throws Exception {
        Map<String, Object> rules = Yamls.loadMap(HostTools.projectRoot().resolve("infra/prometheus/alerts.yml"));
        List<Map<String, Object>> alerts = Yamls.list(rules.get("groups")).stream()
                .flatMap(group -> Yamls.list(Yamls.at(group, "rules")).stream()).map(Yamls::map).toList();
        assertThat(alerts).hasSizeGreaterThan(10);
        for (Map<String, Object> alert : alerts) {
            ToolRun route = amtool("config", "routes", "test", "--config.file=" + ALERTMANAGER.resolve("alertmanager.yml"),
                    "--verify.receivers=discord", "alertname=" + alert.get("alert"),
                    "severity=" + ((Map<String, Object>) alert.get("labels")).get("severity"), "job=issuance-worker");

            assertThat(route.exitCode()).as(alert.get("alert") + ": " + route.output()).isZero();
        }
    }

    @Test
    void composeRunsTheAlertmanagerVersionAmtoolChecksWith() throws Exception {
        Map<String, Object> compose = Yamls.loadMap(HostTools.projectRoot().resolve("docker-compose.yml"));

        assertThat(Yamls.at(compose, "services", "alertmanager", "image")).isEqualTo("prom/alertmanager:v" + amtoolVersion());
    }

    /** amtool's version, e.g. 0.25.0: the first with discord_configs. */
    static String amtoolVersion() throws IOException, InterruptedException {
        ToolRun version = ToolRun.of("amtool", "--version");
        Matcher number = Pattern.compile("version (\\d+\\.\\d+\\.\\d+)").matcher(version.output());
        assertThat(number.find()).as(version.output()).isTrue();
        return number.group(1);
    }

    private static ToolRun start(Map<String, String> environment, Path copy) throws IOException, InterruptedException {
        return ToolRun.withEnvironment(environment, "sh", ALERTMANAGER.resolve("start.sh").toString(), copy.toString());
    }

    private static String webhookUrl(Path config) {
        Object receiver = Yamls.list(Yamls.at(config(config), "receivers")).getFirst();
        return String.valueOf(Yamls.at(Yamls.list(Yamls.at(receiver, "discord_configs")).getFirst(), "webhook_url"));
    }

    private static Map<String, Object> config(Path file) {
        return Yamls.loadMap(file);
    }

    private static ToolRun amtool(String... arguments) throws IOException, InterruptedException {
        return ToolRun.of("amtool", arguments);
    }
}
