package io.rushcoupon.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.w3c.dom.Document;

import io.rushcoupon.harness.host.HostTools;

/**
 * docker-compose.yml, parsed and checked against the services' own configuration: what Docker
 * cannot check before `up` (there is no Docker engine here), and what it would not check at all —
 * that every environment variable reaches a real property, that ports and addresses agree with
 * the services, nginx and Prometheus, and that the worker can be scaled.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComposeFileTest {

    private static final Path ROOT = HostTools.projectRoot();
    private static final String SERVICE_IMAGE_PREFIX = "io.rushcoupon/";
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*)|(:?\\?)[^}]*)?}");

    private Map<String, Object> compose;
    private Map<String, Map<String, Object>> services;
    private ServiceSettings.BootMetadata boot;
    private final Map<String, ServiceSettings> settingsByModule = new LinkedHashMap<>();

    @BeforeAll
    void load() {
        compose = Yamls.loadMap(ROOT.resolve("docker-compose.yml"));
        services = new TreeMap<>();
        Yamls.map(compose.get("services")).forEach((name, service) -> services.put(name, Yamls.map(service)));
        boot = ServiceSettings.BootMetadata.load();
    }

    @Test
    void runsTheWholeSystem() {
        assertThat(services).containsKeys("postgres", "redis", "kafka", "gateway-1", "gateway-2", "nginx",
                "issuance-worker", "admin", "wallet", "prometheus", "grafana");
        assertThat(moduleOf("gateway-1")).isEqualTo("gateway-api");
        assertThat(moduleOf("gateway-2")).isEqualTo("gateway-api");
        assertThat(moduleOf("issuance-worker")).isEqualTo("issuance-worker");
        assertThat(moduleOf("admin")).isEqualTo("admin-service");
        assertThat(moduleOf("wallet")).isEqualTo("wallet-service");
        assertThat(Yamls.at(compose, "services", "kafka", "environment", "KAFKA_PROCESS_ROLES"))
                .as("Kafka runs in KRaft mode, without ZooKeeper").isEqualTo("broker,controller");
    }

    /**
     * Every dependency waits for health, but nginx's: nginx only needs its upstreams' names to resolve
     * and passes over a sick gateway itself, so one unhealthy gateway must not keep the entry point down.
     */
    @Test
    void everyDependencyIsAServiceThatMustBeHealthyFirstButNginxWaitsOnlyForTheStart() {
        List<String> problems = new ArrayList<>();
        services.forEach((name, service) -> {
            Object dependsOn = service.get("depends_on");
            if (dependsOn instanceof List<?>) {
                problems.add(name + ": depends_on as a list only waits for the start, not for health");
                return;
            }
            String wanted = "nginx".equals(name) ? "service_started" : "service_healthy";
            Yamls.map(dependsOn).forEach((target, condition) -> {
                if (!services.containsKey(target)) {
                    problems.add(name + " depends on " + target + ", which is no service");
                } else if (!wanted.equals(Yamls.at(condition, "condition"))) {
                    problems.add(name + " → " + target + " does not wait for condition: " + wanted);
                } else if ("service_healthy".equals(wanted) && services.get(target).get("healthcheck") == null) {
                    problems.add(name + " waits for " + target + " to be healthy, but it has no healthcheck");
                }
            });
        });
        assertThat(problems).isEmpty();
    }

    /** Monitoring must show a sick service, so it cannot wait for the services to be healthy. */
    @Test
    void prometheusWaitsForNoService() {
        assertThat(Yamls.map(services.get("prometheus").get("depends_on"))).isEmpty();
    }

    @Test
    void everyServiceRotatesItsLog() {
        Map<String, String> unrotated = new TreeMap<>();
        services.forEach((name, service) -> {
            Object driver = Yamls.at(service, "logging", "driver");
            Object maxSize = Yamls.at(service, "logging", "options", "max-size");
            Object maxFile = Yamls.at(service, "logging", "options", "max-file");
            if (!"json-file".equals(driver) && !"local".equals(driver) || maxSize == null || maxFile == null) {
                unrotated.put(name, driver + " max-size=" + maxSize + " max-file=" + maxFile);
            }
        });
        assertThat(unrotated).as("services whose log grows without bound").isEmpty();
    }

    /** CVE-2025-49844 and the other Lua-engine fixes of October 2025 landed in these releases of each line. */
    @Test
    void redisImageHasTheLuaEngineFixes() {
        Map<String, Integer> fixedPatchByLine = Map.of("6.2", 20, "7.2", 11, "7.4", 6, "8.0", 4, "8.2", 2);
        String image = String.valueOf(services.get("redis").get("image"));
        Matcher version = Pattern.compile("redis:(\\d+\\.\\d+)\\.(\\d+)").matcher(image);
        assertThat(version.find()).as("redis image %s names a full version", image).isTrue();
        String line = version.group(1);
        boolean fixedLine = fixedPatchByLine.containsKey(line) || Double.parseDouble(line) > 8.2;
        assertThat(fixedLine).as("redis %s is a line with the fixes", line).isTrue();
        assertThat(Integer.parseInt(version.group(2))).as(image).isGreaterThanOrEqualTo(fixedPatchByLine.getOrDefault(line, 0));
    }

    @Test
    void everyServiceHasAHealthcheck() {
        List<String> missing = new ArrayList<>();
        services.forEach((name, service) -> {
            Object test = Yamls.at(service, "healthcheck", "test");
            if (test == null || Boolean.TRUE.equals(Yamls.at(service, "healthcheck", "disable"))
                    || String.valueOf(test).contains("NONE")) {
                missing.add(name);
            }
        });
        assertThat(missing).as("services without a healthcheck").isEmpty();
    }

    @Test
    void everyImageIsPinnedToAVersion() {
        Map<String, String> unpinned = new TreeMap<>();
        services.forEach((name, service) -> {
            Object image = service.get("image");
            if (image == null) {
                unpinned.put(name, "no image (a build: would not be a pinned, tested artifact)");
                return;
            }
            String resolved = withDefaults(image.toString());
            String tag = tagOf(resolved);
            if (tag == null || tag.isBlank() || tag.equals("latest") || tag.contains("${")) {
                unpinned.put(name, image.toString());
            }
        });
        assertThat(unpinned).isEmpty();
    }

    @Test
    void serviceImagesAreTheJibImagesOfTheirModulesAtTheProjectVersion() throws Exception {
        String version = projectVersion();
        Map<String, String> wrong = new TreeMap<>();
        for (String name : javaServices()) {
            String image = withDefaults(services.get(name).get("image").toString());
            String module = moduleOf(name);
            String modulePom = Files.readString(ROOT.resolve(module).resolve("pom.xml"), StandardCharsets.UTF_8);
            if (!modulePom.contains("<artifactId>jib-maven-plugin</artifactId>")) {
                wrong.put(name, module + " does not build an image with Jib");
            } else if (!image.equals(SERVICE_IMAGE_PREFIX + module + ":" + version)) {
                wrong.put(name, image + " is not " + SERVICE_IMAGE_PREFIX + module + ":" + version);
            }
        }
        assertThat(javaServices()).hasSize(5);
        assertThat(wrong).isEmpty();
    }

    @Test
    void kafkaBrokerRunsTheVersionOfTheServicesClient() throws Exception {
        // the kafka-clients jar the services resolve (Spring Boot manages its version)
        String kafkaVersion = AppInfoParser.getVersion();

        assertThat(services.get("kafka").get("image")).isEqualTo("apache/kafka:" + kafkaVersion);
    }

    @Test
    void environmentNamesBindToPropertiesOfTheService() {
        Map<String, Set<String>> unbound = new TreeMap<>();
        for (String name : javaServices()) {
            Set<String> names = settings(name).unboundNames(environment(name).keySet());
            if (!names.isEmpty()) {
                unbound.put(name + " (" + moduleOf(name) + ")", names);
            }
        }
        assertThat(unbound).as("environment variables that bind to no property of their service").isEmpty();
    }

    @Test
    void environmentSetsWhatTheServiceCannotDefault() {
        Map<String, Set<String>> missing = new TreeMap<>();
        for (String name : javaServices()) {
            Map<String, String> environment = environment(name);
            Set<String> unset = new TreeSet<>();
            for (String property : settings(name).requiredProperties()) {
                if (ServiceSettings.valueOf(environment, property) == null) {
                    unset.add(property);
                }
            }
            if (!unset.isEmpty()) {
                missing.put(name, unset);
            }
        }
        assertThat(missing).as("properties whose default points at the container itself or does not exist").isEmpty();
    }

    @Test
    void addressesGivenToTheServicesNameComposeServicesThatListenThere() {
        Map<String, String> kafka = environment("kafka");
        Map<String, String> postgres = environment("postgres");
        List<String> problems = new ArrayList<>();
        for (String name : javaServices()) {
            Map<String, String> environment = environment(name);
            String redis = ServiceSettings.valueOf(environment, "spring.data.redis.host");
            if (redis != null && !services.containsKey(redis)) {
                problems.add(name + ": Redis host " + redis + " is no service");
            }
            String bootstrap = ServiceSettings.valueOf(environment, "spring.kafka.bootstrap-servers");
            if (bootstrap != null) {
                for (String server : bootstrap.split(",")) {
                    String host = server.substring(0, server.lastIndexOf(':'));
                    if (!services.containsKey(host)) {
                        problems.add(name + ": Kafka bootstrap server " + server + " is no service");
                    } else if (!("," + environment(host).get("KAFKA_ADVERTISED_LISTENERS")).contains("//" + server)) {
                        problems.add(name + ": " + server + " is not one of the broker's advertised listeners");
                    }
                }
            }
            String url = ServiceSettings.valueOf(environment, "spring.datasource.url");
            if (url != null) {
                Matcher jdbc = Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/([^?]+).*").matcher(url);
                if (!jdbc.matches() || !services.containsKey(jdbc.group(1))) {
                    problems.add(name + ": " + url + " names no service");
                } else if (!jdbc.group(3).equals(postgres.get("POSTGRES_DB"))) {
                    problems.add(name + ": database " + jdbc.group(3) + " is not the one PostgreSQL creates");
                } else if (!postgres.get("POSTGRES_USER").equals(ServiceSettings.valueOf(environment, "spring.datasource.username"))
                        || !postgres.get("POSTGRES_PASSWORD").equals(ServiceSettings.valueOf(environment, "spring.datasource.password"))) {
                    problems.add(name + ": database user or password differ from PostgreSQL's");
                }
            }
        }
        assertThat(kafka).containsKey("KAFKA_ADVERTISED_LISTENERS");
        assertThat(problems).isEmpty();
    }

    @Test
    void javaServicesExposeAndProbeThePortTheyListenOn() {
        List<String> problems = new ArrayList<>();
        for (String name : javaServices()) {
            int port = settings(name).serverPort(environment(name));
            List<String> exposed = Yamls.list(services.get(name).get("expose")).stream().map(String::valueOf).toList();
            if (!exposed.contains(Integer.toString(port))) {
                problems.add(name + " listens on " + port + " but exposes " + exposed);
            }
            String healthcheck = String.valueOf(Yamls.at(services.get(name), "healthcheck", "test"));
            if (!healthcheck.contains("/dev/tcp/127.0.0.1/" + port + " ")
                    || !healthcheck.contains("/actuator/health/readiness")) {
                problems.add(name + "'s healthcheck does not ask the readiness probe on port " + port + ": " + healthcheck);
            }
        }
        assertThat(problems).isEmpty();
        assertThat(settings("gateway-1").serverPort()).isEqualTo(8080);
        assertThat(settings("admin").serverPort()).isEqualTo(8081);
        assertThat(settings("wallet").serverPort()).isEqualTo(8084);
    }

    @Test
    void workerScalesWithoutAFixedNameOrHostPort() {
        Map<String, Object> worker = services.get("issuance-worker");

        assertThat(worker).doesNotContainKey("container_name").doesNotContainKey("ports");
        assertThat(Yamls.at(worker, "deploy", "replicas")).isNull();
    }

    @Test
    void threeWorkersWithTheirConsumersFitThePartitions() {
        Map<String, String> environment = environment("issuance-worker");
        Map<String, Object> yaml = settings("issuance-worker").applicationYaml();
        int partitions = Integer.parseInt(valueOr(environment, "rushcoupon.worker.partitions", yaml));
        int concurrency = Integer.parseInt(valueOr(environment, "rushcoupon.worker.concurrency", yaml));

        // docs/operations.md scales to 3; more consumers than partitions would sit idle
        assertThat(3 * concurrency).isLessThanOrEqualTo(partitions);
        assertThat(environment.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE")).isNull();
        assertThat(environment("kafka").get("KAFKA_AUTO_CREATE_TOPICS_ENABLE"))
                .as("an auto-created topic would have one partition and cap the consumers at one").isEqualTo("false");
    }

    @Test
    void nginxBalancesBothGatewaysAndTheAdminOnTheirPorts() throws IOException {
        String upstreams = Files.readString(ROOT.resolve("infra/nginx/upstreams.conf"), StandardCharsets.UTF_8);
        Map<String, Integer> servers = new TreeMap<>();
        Matcher server = Pattern.compile("(?m)^\\s*server\\s+([A-Za-z0-9._-]+):(\\d+)").matcher(upstreams);
        while (server.find()) {
            servers.put(server.group(1), Integer.parseInt(server.group(2)));
        }
        Map<String, Integer> expected = new TreeMap<>();
        for (String name : javaServices()) {
            if (!moduleOf(name).equals("issuance-worker")) {
                expected.put(name, settings(name).serverPort(environment(name)));
            }
        }
        assertThat(servers).isEqualTo(expected);

        Matcher listen = Pattern.compile("listen\\s+(\\d+)").matcher(
                Files.readString(ROOT.resolve("infra/nginx/listen.conf"), StandardCharsets.UTF_8));
        assertThat(listen.find()).isTrue();
        Map<String, Object> nginx = services.get("nginx");
        assertThat(Yamls.list(nginx.get("ports"))).map(String::valueOf).anyMatch(port -> port.endsWith(":" + listen.group(1)));
        assertThat(String.valueOf(Yamls.at(nginx, "healthcheck", "test"))).contains(":" + listen.group(1) + "/");
        assertThat(Yamls.map(nginx.get("depends_on"))).containsKeys(expected.keySet().toArray(String[]::new));
    }

    @Test
    void prometheusScrapesEveryServiceOnItsPort() {
        Map<String, Object> prometheus = Yamls.loadMap(ROOT.resolve("infra/prometheus/prometheus.yml"));
        Set<String> targets = new TreeSet<>();
        for (Object job : Yamls.list(prometheus.get("scrape_configs"))) {
            for (Object config : Yamls.list(Yamls.at(job, "static_configs"))) {
                Yamls.list(Yamls.at(config, "targets")).forEach(target -> targets.add(target.toString()));
            }
            for (Object config : Yamls.list(Yamls.at(job, "dns_sd_configs"))) {
                Yamls.list(Yamls.at(config, "names")).forEach(host -> targets.add(host + ":" + Yamls.at(config, "port")));
            }
        }
        Set<String> expected = new TreeSet<>();
        for (String name : javaServices()) {
            expected.add(name + ":" + settings(name).serverPort(environment(name)));
        }
        assertThat(targets).containsAll(expected);
        assertThat(targets).allSatisfy(target -> assertThat(services).containsKey(target.substring(0, target.lastIndexOf(':'))));
    }

    @Test
    void statefulServicesKeepTheirDataInDeclaredNamedVolumes() {
        Set<String> declared = Yamls.map(compose.get("volumes")).keySet();
        Set<String> used = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        services.forEach((name, service) -> {
            for (Object volume : Yamls.list(service.get("volumes"))) {
                String source = volumeSource(volume);
                if (!source.startsWith(".") && !source.startsWith("/")) {
                    used.add(source);
                    if (!declared.contains(source)) {
                        problems.add(name + " uses volume " + source + ", which is not declared");
                    }
                }
            }
        });
        for (String stateful : List.of("postgres", "redis", "kafka", "prometheus", "grafana")) {
            boolean named = Yamls.list(services.get(stateful).get("volumes")).stream()
                    .map(ComposeFileTest::volumeSource).anyMatch(declared::contains);
            if (!named) {
                problems.add(stateful + " keeps its data in no named volume");
            }
        }
        assertThat(problems).isEmpty();
        assertThat(used).as("declared volumes nobody uses").containsAll(declared);
    }

    @Test
    void everyMountedFileOrFolderExistsInTheRepository() {
        List<String> missing = new ArrayList<>();
        services.forEach((name, service) -> {
            for (Object volume : Yamls.list(service.get("volumes"))) {
                String source = volumeSource(volume);
                if (source.startsWith(".") && !Files.exists(ROOT.resolve(source).normalize())) {
                    missing.add(name + ": " + source);
                }
            }
        });
        assertThat(missing).isEmpty();
        assertThat(ROOT.resolve("infra/grafana/provisioning/dashboards")).isDirectory();
        assertThat(ROOT.resolve("infra/prometheus/prometheus.yml")).isRegularFile();
        assertThat(ROOT.resolve("infra/nginx/nginx.conf")).isRegularFile();
    }

    @Test
    void publishedPortsListenOnLoopbackOnly() {
        List<String> open = new ArrayList<>();
        services.forEach((name, service) -> {
            for (Object port : Yamls.list(service.get("ports"))) {
                String published = port instanceof Map<?, ?> longSyntax
                        ? longSyntax.get("host_ip") + ":" + longSyntax.get("published") + ":" + longSyntax.get("target")
                        : port.toString();
                if (!published.startsWith("127.0.0.1:")) {
                    open.add(name + ": " + published);
                }
            }
        });
        assertThat(open).isEmpty();
    }

    /** Guards the environment check: misspelt, renamed and misplaced names are reported, real ones are not. */
    @Test
    void environmentCheckReportsNamesThatBindToNothing() {
        ServiceSettings gateway = ServiceSettings.of(ROOT, "gateway-api", boot);
        ServiceSettings worker = ServiceSettings.of(ROOT, "issuance-worker", boot);

        assertThat(gateway.unboundNames(List.of("SPRING_DATA_REDIS_HOST", "SPRING_KAFKA_BOOTSTRAP_SERVERS",
                "RUSHCOUPON_GATEWAY_SEND_TIMEOUT", "RUSHCOUPON_JWT_SECRET", "SERVER_PORT",
                "SPRING_KAFKA_PRODUCER_PROPERTIES_LINGER_MS",
                "SPRING_DATA_REDIS_HOSTNAME", "RUSHCOUPON_GATEWAY_SEND_TIMEOUTS", "RUSHCOUPON_GATEWAY")))
                .containsExactly("RUSHCOUPON_GATEWAY", "RUSHCOUPON_GATEWAY_SEND_TIMEOUTS", "SPRING_DATA_REDIS_HOSTNAME");
        // nested settings records bind; the JWT secret belongs to web-support, which the worker does not use
        assertThat(worker.unboundNames(List.of("RUSHCOUPON_WORKER_VERSION_RETRY_ATTEMPTS",
                "RUSHCOUPON_WORKER_RECONCILER_PENDING_THRESHOLD", "RUSHCOUPON_ISSUE_REQUEST_TTL", "RUSHCOUPON_JWT_SECRET",
                // read by name as a placeholder of application.yml; a misspelt one is not
                "RUSHCOUPON_DISCORD_WEBHOOK_URL", "RUSHCOUPON_DISCORD_WEBHOOK")))
                .containsExactly("RUSHCOUPON_DISCORD_WEBHOOK", "RUSHCOUPON_JWT_SECRET");
    }

    private List<String> javaServices() {
        return services.entrySet().stream()
                .filter(entry -> String.valueOf(entry.getValue().get("image")).startsWith(SERVICE_IMAGE_PREFIX))
                .map(Map.Entry::getKey)
                .toList();
    }

    private String moduleOf(String service) {
        String image = withDefaults(String.valueOf(services.get(service).get("image")));
        if (!image.startsWith(SERVICE_IMAGE_PREFIX)) {
            throw new IllegalArgumentException(service + " does not run a RushCoupon image: " + image);
        }
        String repository = image.substring(SERVICE_IMAGE_PREFIX.length());
        return repository.contains(":") ? repository.substring(0, repository.indexOf(':')) : repository;
    }

    private ServiceSettings settings(String service) {
        return settingsByModule.computeIfAbsent(moduleOf(service), module -> ServiceSettings.of(ROOT, module, boot));
    }

    private Map<String, String> environment(String service) {
        Object environment = services.get(service).get("environment");
        Map<String, String> result = new TreeMap<>();
        if (environment instanceof List<?> list) {
            for (Object entry : list) {
                String text = entry.toString();
                int equals = text.indexOf('=');
                result.put(equals < 0 ? text : text.substring(0, equals), equals < 0 ? "" : text.substring(equals + 1));
            }
        } else {
            Yamls.map(environment).forEach((name, value) -> result.put(name, value == null ? "" : withDefaults(value.toString())));
        }
        return result;
    }

    private static String valueOr(Map<String, String> environment, String property, Map<String, Object> yaml) {
        String value = ServiceSettings.valueOf(environment, property);
        return value != null ? value : String.valueOf(yaml.get(property));
    }

    private static String volumeSource(Object volume) {
        if (volume instanceof Map<?, ?> longSyntax) {
            return String.valueOf(longSyntax.get("source"));
        }
        String text = volume.toString();
        return text.contains(":") ? text.substring(0, text.indexOf(':')) : text;
    }

    /** What Compose makes of {@code ${NAME:-default}} when NAME is unset; required variables stay visible. */
    private static String withDefaults(String value) {
        Matcher matcher = INTERPOLATION.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String replacement = matcher.group(2) != null ? matcher.group(3) : "${" + matcher.group(1) + "}";
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }

    private static String tagOf(String image) {
        String name = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        if (image.contains("@sha256:")) {
            return "digest";
        }
        int slash = name.lastIndexOf('/');
        int colon = name.lastIndexOf(':');
        return colon > slash ? name.substring(colon + 1) : null;
    }

    /** The project's own version (not its parent's), e.g. 0.1.0-SNAPSHOT. */
    static String projectVersion() throws Exception {
        var children = pom().getDocumentElement().getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if ("version".equals(children.item(i).getNodeName())) {
                return children.item(i).getTextContent().trim();
            }
        }
        throw new IllegalStateException("the root pom has no version of its own");
    }

    private static Document pom() throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve("pom.xml").toFile());
    }
}
