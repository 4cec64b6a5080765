package io.rushcoupon.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.rushcoupon.common.event.Topics;
import io.rushcoupon.harness.host.HostTools;

/**
 * infra/k8s as Kubernetes would receive it: rendered by {@code kubectl kustomize} (kustomize
 * built into kubectl; nothing is sent to a cluster) and checked against the services' own
 * configuration — probes, ports, environment names, and the worker's autoscaling bound by the
 * topic's partitions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KustomizeTest {

    private static final Path ROOT = HostTools.projectRoot();
    private static final String SERVICE_IMAGE_PREFIX = "io.rushcoupon/";

    private int exitCode;
    private String output;
    private List<Map<String, Object>> resources;
    private ServiceSettings.BootMetadata boot;
    private final Map<String, ServiceSettings> settingsByModule = new LinkedHashMap<>();

    @BeforeAll
    void render() throws Exception {
        Path kubectl = kubectl();
        Path log = Files.createTempFile("kustomize", ".yaml");
        try {
            Process process = new ProcessBuilder(kubectl.toString(), "kustomize", ROOT.resolve("infra/k8s").toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            // rendering takes well under a second; the bound only keeps a hung tool from hanging the build
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("kubectl kustomize infra/k8s did not finish in 120 s");
            }
            exitCode = process.exitValue();
            output = Files.readString(log, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(log);
        }
        resources = exitCode == 0 ? Yamls.loadAll(output) : List.of();
        boot = ServiceSettings.BootMetadata.load();
    }

    @Test
    void rendersEveryKindTheDeploymentNeeds() {
        assertThat(exitCode).as(output).isZero();
        assertThat(kinds()).containsEntry("Deployment", 5L)
                .containsEntry("Service", 5L)
                .containsEntry("PodDisruptionBudget", 5L)
                .containsEntry("HorizontalPodAutoscaler", 1L)
                .containsEntry("ScaledObject", 1L)
                .containsEntry("ServiceMonitor", 4L)
                .containsEntry("ConfigMap", 2L)
                .containsEntry("Namespace", 1L);
        assertThat(modules()).containsOnly("gateway-api", "issuance-worker", "admin-service", "wallet-service");
    }

    @Test
    void everyContainerProbesLivenessAndReadinessOnThePortItListensOn() {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> deployment : services()) {
            Map<String, Object> container = container(deployment);
            int port = settings(deployment).serverPort(environment(deployment));
            problems.addAll(probe(deployment, container, "livenessProbe", "/actuator/health/liveness", port));
            problems.addAll(probe(deployment, container, "readinessProbe", "/actuator/health/readiness", port));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyContainerRequestsAndLimitsCpuAndMemory() {
        List<String> missing = new ArrayList<>();
        for (Map<String, Object> deployment : of("Deployment")) {
            Map<String, Object> container = container(deployment);
            for (String bound : List.of("requests", "limits")) {
                for (String resource : List.of("cpu", "memory")) {
                    if (Yamls.at(container, "resources", bound, resource) == null) {
                        missing.add(name(deployment) + " " + bound + "." + resource);
                    }
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void environmentNamesBindToPropertiesOfTheService() {
        Map<String, Set<String>> unbound = new TreeMap<>();
        for (Map<String, Object> deployment : services()) {
            Set<String> names = settings(deployment).unboundNames(environment(deployment).keySet());
            if (!names.isEmpty()) {
                unbound.put(name(deployment), names);
            }
        }
        assertThat(unbound).isEmpty();
    }

    @Test
    void configurationComesFromTheConfigMapAndSecretsFromTheSecret() {
        List<String> problems = new ArrayList<>();
        Map<String, Object> configMap = of("ConfigMap").stream()
                .filter(candidate -> name(candidate).startsWith("rushcoupon-config")).findFirst().orElseThrow();
        Set<String> configKeys = Yamls.map(configMap.get("data")).keySet();
        for (Map<String, Object> deployment : services()) {
            Map<String, String> environment = environment(deployment);
            for (String property : settings(deployment).requiredProperties()) {
                if (ServiceSettings.valueOf(environment, property) == null) {
                    problems.add(name(deployment) + " does not set " + property);
                }
            }
            for (Object entry : Yamls.list(container(deployment).get("env"))) {
                String variable = String.valueOf(Yamls.at(entry, "name"));
                Object configKey = Yamls.at(entry, "valueFrom", "configMapKeyRef", "key");
                if (configKey != null && (!name(configMap).equals(Yamls.at(entry, "valueFrom", "configMapKeyRef", "name"))
                        || !configKeys.contains(configKey.toString()))) {
                    problems.add(name(deployment) + ": " + variable + " refers to a ConfigMap key that does not exist");
                }
                // a webhook URL carries its secret token in its path
                boolean secret = variable.contains("SECRET") || variable.contains("PASSWORD")
                        || variable.contains("WEBHOOK");
                if (secret && Yamls.at(entry, "valueFrom", "secretKeyRef", "name") == null) {
                    problems.add(name(deployment) + ": " + variable + " is not read from a Secret");
                }
            }
        }
        assertThat(configKeys).noneMatch(key -> key.contains("SECRET") || key.contains("PASSWORD"));
        assertThat(problems).isEmpty();
    }

    @Test
    void workerScalesOnConsumerLagUpToThePartitions() {
        Map<String, Object> scaledObject = of("ScaledObject").getFirst();
        Map<String, Object> worker = deploymentOf("issuance-worker");
        Map<String, String> environment = environment(worker);
        Map<String, Object> yaml = settings(worker).applicationYaml();
        int partitions = Integer.parseInt(valueOr(environment, "rushcoupon.worker.partitions", yaml));
        int concurrency = Integer.parseInt(valueOr(environment, "rushcoupon.worker.concurrency", yaml));
        int maxReplicas = ((Number) Yamls.at(scaledObject, "spec", "maxReplicaCount")).intValue();
        Map<String, Object> trigger = Yamls.list(Yamls.at(scaledObject, "spec", "triggers")).stream()
                .map(Yamls::map).filter(candidate -> "kafka".equals(candidate.get("type"))).findFirst().orElseThrow();
        Map<String, Object> metadata = Yamls.map(trigger.get("metadata"));

        assertThat(Yamls.at(scaledObject, "spec", "scaleTargetRef", "name")).isEqualTo(name(worker));
        assertThat(metadata.get("topic")).isEqualTo(Topics.ISSUE_REQUESTED);
        assertThat(metadata.get("consumerGroup")).isEqualTo(yaml.get("spring.kafka.consumer.group-id"));
        assertThat(maxReplicas * concurrency).as("consumers at most (more than partitions would sit idle)")
                .isLessThanOrEqualTo(partitions);
        assertThat(partitions).isEqualTo(8);
        // the reconciler runs in the worker: never scaled to zero
        assertThat(((Number) Yamls.at(scaledObject, "spec", "minReplicaCount")).intValue()).isGreaterThanOrEqualTo(1);
        Object fromEnvironment = metadata.get("bootstrapServersFromEnv");
        assertThat(fromEnvironment != null ? environment.get(fromEnvironment.toString()) : metadata.get("bootstrapServers"))
                .as("the scaler reads the brokers the worker uses").isNotNull()
                .isEqualTo(ServiceSettings.valueOf(environment, "spring.kafka.bootstrap-servers"));
        assertThat(of("HorizontalPodAutoscaler")).as("KEDA owns the worker's HPA")
                .noneMatch(hpa -> name(worker).equals(Yamls.at(hpa, "spec", "scaleTargetRef", "name")));
    }

    @Test
    void gatewayScalesOnCpuFromTwoReplicas() {
        Map<String, Object> hpa = of("HorizontalPodAutoscaler").getFirst();
        Map<String, Object> gateway = deploymentOf("gateway-api");

        assertThat(Yamls.at(hpa, "spec", "scaleTargetRef", "kind")).isEqualTo("Deployment");
        assertThat(Yamls.at(hpa, "spec", "scaleTargetRef", "name")).isEqualTo(name(gateway));
        assertThat(((Number) Yamls.at(hpa, "spec", "minReplicas")).intValue()).isGreaterThanOrEqualTo(2);
        assertThat(Yamls.list(Yamls.at(hpa, "spec", "metrics")))
                .anyMatch(metric -> "cpu".equals(Yamls.at(metric, "resource", "name")));
    }

    /** Every {@code kubectl apply -k} during a drop would reset the replicas an autoscaler chose. */
    @Test
    void noDeploymentAnAutoscalerOwnsSetsReplicas() {
        Set<String> scaled = new TreeSet<>();
        of("HorizontalPodAutoscaler").forEach(hpa -> scaled.add(String.valueOf(Yamls.at(hpa, "spec", "scaleTargetRef", "name"))));
        of("ScaledObject").forEach(keda -> scaled.add(String.valueOf(Yamls.at(keda, "spec", "scaleTargetRef", "name"))));
        assertThat(scaled).contains(name(deploymentOf("gateway-api")), name(deploymentOf("issuance-worker")));
        assertThat(of("Deployment")).filteredOn(deployment -> scaled.contains(name(deployment)))
                .allSatisfy(deployment -> assertThat(Yamls.at(deployment, "spec", "replicas")).as(name(deployment)).isNull());
    }

    /**
     * A Prometheus run by the Prometheus Operator finds each service through a ServiceMonitor on a
     * named port of its Service, and labels its targets with the application name the service's
     * metrics carry, which infra/prometheus's rules and the dashboard select by.
     */
    @Test
    void everyServiceIsScrapedByAServiceMonitorWithItsApplicationLabel() {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> deployment : services()) {
            Map<String, Object> labels = Yamls.map(Yamls.at(deployment, "spec", "template", "metadata", "labels"));
            String application = String.valueOf(settings(deployment).applicationYaml().get("spring.application.name"));
            boolean scraped = of("Service").stream()
                    .filter(service -> selects(Yamls.at(service, "spec", "selector"), labels))
                    .anyMatch(service -> monitorEndpointsOf(service).anyMatch(endpoint -> scrapesAs(endpoint, service, application)));
            if (!scraped) {
                problems.add(name(deployment) + " (application " + application + ") has no ServiceMonitor on its Service's port labelling it so");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyDeploymentHasADisruptionBudgetAndAServiceOnItsPort() {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> deployment : of("Deployment")) {
            Map<String, Object> labels = Yamls.map(Yamls.at(deployment, "spec", "template", "metadata", "labels"));
            int port = isService(deployment) ? settings(deployment).serverPort(environment(deployment))
                    : ((Number) Yamls.at(Yamls.list(container(deployment).get("ports")).getFirst(), "containerPort")).intValue();
            boolean budget = of("PodDisruptionBudget").stream()
                    .anyMatch(pdb -> selects(Yamls.at(pdb, "spec", "selector", "matchLabels"), labels));
            if (!budget) {
                problems.add(name(deployment) + " has no PodDisruptionBudget");
            }
            boolean service = of("Service").stream()
                    .filter(candidate -> selects(Yamls.at(candidate, "spec", "selector"), labels))
                    .flatMap(candidate -> Yamls.list(Yamls.at(candidate, "spec", "ports")).stream())
                    .anyMatch(servicePort -> port == containerPort(container(deployment), Yamls.at(servicePort, "targetPort")));
            if (!service) {
                problems.add(name(deployment) + " has no Service sending to port " + port);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void containersRunTheServiceImagesAtTheProjectVersionAsNonRoot() throws Exception {
        String version = ComposeFileTest.projectVersion();
        for (Map<String, Object> deployment : services()) {
            Map<String, Object> container = container(deployment);

            assertThat(container.get("image").toString()).endsWith("/" + moduleOf(deployment) + ":" + version);
            assertThat(Yamls.at(deployment, "spec", "template", "spec", "securityContext", "runAsNonRoot")).isEqualTo(true);
            assertThat(Yamls.at(container, "securityContext", "allowPrivilegeEscalation")).isEqualTo(false);
        }
    }

    /**
     * Alertmanager runs the image of the version amtool checks infra/alertmanager with (as
     * docker-compose.yml does), from the generated ConfigMap of those files, with the Discord
     * webhook from an optional Secret, never a literal.
     */
    @Test
    void alertmanagerRunsTheCheckedConfigurationWithItsWebhookFromAnOptionalSecret() throws Exception {
        Map<String, Object> deployment = of("Deployment").stream().filter(candidate -> "alertmanager".equals(name(candidate)))
                .findFirst().orElseThrow(() -> new AssertionError("no Deployment alertmanager"));
        Map<String, Object> container = container(deployment);
        Map<String, Object> compose = Yamls.loadMap(ROOT.resolve("docker-compose.yml"));
        List<Object> volumes = Yamls.list(Yamls.at(deployment, "spec", "template", "spec", "volumes"));
        Object configName = volumes.stream().map(volume -> Yamls.at(volume, "configMap", "name")).filter(Objects::nonNull)
                .findFirst().orElseThrow();
        Map<String, Object> secret = volumes.stream().map(volume -> Yamls.map(Yamls.at(volume, "secret")))
                .filter(candidate -> !candidate.isEmpty()).findFirst().orElseThrow();

        assertThat(container.get("image")).isEqualTo("prom/alertmanager:v" + AlertmanagerConfigTest.amtoolVersion())
                .isEqualTo(Yamls.at(compose, "services", "alertmanager", "image"));
        assertThat(Yamls.map(configMap(configName.toString()).get("data")))
                .containsEntry("alertmanager.yml", Files.readString(ROOT.resolve("infra/alertmanager/alertmanager.yml")))
                .containsKeys("start.sh", "discord.tmpl");
        assertThat(secret).containsEntry("optional", true);
        assertThat(environment(deployment)).containsKey("DISCORD_WEBHOOK_URL_FILE").doesNotContainKey("DISCORD_WEBHOOK_URL");
        assertThat(Yamls.at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/-/ready");
        assertThat(Yamls.at(deployment, "spec", "template", "spec", "securityContext", "runAsNonRoot")).isEqualTo(true);
    }

    private List<String> probe(Map<String, Object> deployment, Map<String, Object> container, String probe,
            String path, int port) {
        Object actualPath = Yamls.at(container, probe, "httpGet", "path");
        Object actualPort = Yamls.at(container, probe, "httpGet", "port");
        if (!path.equals(actualPath) || containerPort(container, actualPort) != port) {
            return List.of(name(deployment) + "." + probe + " asks " + actualPath + " on " + actualPort
                    + ", expected " + path + " on " + port);
        }
        return List.of();
    }

    /** A port given by number or by the name of one of the container's ports. */
    /** The endpoints of the ServiceMonitors that select this Service. */
    private Stream<Object> monitorEndpointsOf(Map<String, Object> service) {
        Map<String, Object> labels = Yamls.map(Yamls.at(service, "metadata", "labels"));
        return of("ServiceMonitor").stream()
                .filter(monitor -> selects(Yamls.at(monitor, "spec", "selector", "matchLabels"), labels))
                .flatMap(monitor -> Yamls.list(Yamls.at(monitor, "spec", "endpoints")).stream());
    }

    /** Whether a ServiceMonitor endpoint scrapes one of the Service's named ports with this application label. */
    private static boolean scrapesAs(Object endpoint, Map<String, Object> service, String application) {
        Object port = Yamls.at(endpoint, "port");
        boolean namedPort = port != null && Yamls.list(Yamls.at(service, "spec", "ports")).stream()
                .anyMatch(servicePort -> port.equals(Yamls.at(servicePort, "name")));
        boolean labelled = Yamls.list(Yamls.at(endpoint, "relabelings")).stream()
                .anyMatch(relabel -> "application".equals(Yamls.at(relabel, "targetLabel"))
                        && application.equals(Yamls.at(relabel, "replacement")));
        return namedPort && labelled && "/actuator/prometheus".equals(Yamls.at(endpoint, "path"));
    }

    private static int containerPort(Map<String, Object> container, Object port) {
        if (port instanceof Number number) {
            return number.intValue();
        }
        return Yamls.list(container.get("ports")).stream()
                .filter(candidate -> Objects.equals(port, Yamls.at(candidate, "name")))
                .map(candidate -> ((Number) Yamls.at(candidate, "containerPort")).intValue())
                .findFirst().orElse(-1);
    }

    private static boolean selects(Object selector, Map<String, Object> labels) {
        Map<String, Object> wanted = Yamls.map(selector);
        return !wanted.isEmpty() && labels.entrySet().containsAll(wanted.entrySet());
    }

    /**
     * The container's environment with values: literal ones, ConfigMap keys resolved from the
     * rendered ConfigMap (also through envFrom), Secret keys as a placeholder.
     */
    private Map<String, String> environment(Map<String, Object> deployment) {
        Map<String, Object> container = container(deployment);
        Map<String, String> environment = new TreeMap<>();
        for (Object source : Yamls.list(container.get("envFrom"))) {
            Object configMap = Yamls.at(source, "configMapRef", "name");
            if (configMap != null) {
                Yamls.map(configMap(configMap.toString()).get("data"))
                        .forEach((key, value) -> environment.put(key, String.valueOf(value)));
            }
        }
        for (Object entry : Yamls.list(container.get("env"))) {
            String name = String.valueOf(Yamls.at(entry, "name"));
            Object literal = Yamls.at(entry, "value");
            Object configKey = Yamls.at(entry, "valueFrom", "configMapKeyRef", "key");
            if (literal != null) {
                environment.put(name, literal.toString());
            } else if (configKey != null) {
                Object configMap = Yamls.at(entry, "valueFrom", "configMapKeyRef", "name");
                environment.put(name, String.valueOf(Yamls.at(configMap(String.valueOf(configMap)), "data", configKey.toString())));
            } else {
                environment.put(name, "<secret>");
            }
        }
        return environment;
    }

    private Map<String, Object> configMap(String name) {
        return of("ConfigMap").stream().filter(candidate -> name.equals(name(candidate))).findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap " + name + " in the rendered output"));
    }

    private static String valueOr(Map<String, String> environment, String property, Map<String, Object> yaml) {
        String value = ServiceSettings.valueOf(environment, property);
        return value != null ? value : String.valueOf(yaml.get(property));
    }

    private ServiceSettings settings(Map<String, Object> deployment) {
        return settingsByModule.computeIfAbsent(moduleOf(deployment), module -> ServiceSettings.of(ROOT, module, boot));
    }

    private Map<String, Object> deploymentOf(String module) {
        return services().stream().filter(deployment -> moduleOf(deployment).equals(module)).findFirst()
                .orElseThrow(() -> new AssertionError("no Deployment runs " + module));
    }

    private static Map<String, Object> container(Map<String, Object> deployment) {
        List<Object> containers = Yamls.list(Yamls.at(deployment, "spec", "template", "spec", "containers"));
        assertThat(containers).as(name(deployment) + " runs one container").hasSize(1);
        return Yamls.map(containers.getFirst());
    }

    /** The module whose Jib image the deployment runs, e.g. gateway-api. */
    private static String moduleOf(Map<String, Object> deployment) {
        String image = String.valueOf(container(deployment).get("image"));
        String repository = image.substring(image.lastIndexOf('/') + 1);
        assertThat(image).as(name(deployment) + "'s image").contains(SERVICE_IMAGE_PREFIX.substring(0, SERVICE_IMAGE_PREFIX.length() - 1));
        return repository.substring(0, repository.indexOf(':'));
    }

    private Set<String> modules() {
        Set<String> modules = new TreeSet<>();
        services().forEach(deployment -> modules.add(moduleOf(deployment)));
        return modules;
    }

    private Map<String, Long> kinds() {
        Map<String, Long> kinds = new TreeMap<>();
        resources.forEach(resource -> kinds.merge(String.valueOf(resource.get("kind")), 1L, Long::sum));
        return kinds;
    }

    /** The Deployments that run a RushCoupon service (not Alertmanager). */
    private List<Map<String, Object>> services() {
        return of("Deployment").stream().filter(KustomizeTest::isService).toList();
    }

    private static boolean isService(Map<String, Object> deployment) {
        return String.valueOf(container(deployment).get("image")).contains(SERVICE_IMAGE_PREFIX);
    }

    private List<Map<String, Object>> of(String kind) {
        assertThat(exitCode).as("kubectl kustomize infra/k8s failed:\n" + output).isZero();
        return resources.stream().filter(resource -> kind.equals(resource.get("kind"))).toList();
    }

    private static String name(Map<String, Object> resource) {
        return String.valueOf(Yamls.at(resource, "metadata", "name"));
    }

    /** kubectl from the PATH or the usual places; the machine image provides it (see infra/install-tools.sh). */
    private static Path kubectl() {
        return HostTools.find("kubectl").orElseGet(() -> fail(
                "KustomizeTest needs kubectl (its built-in kustomize renders infra/k8s), and there is none on the PATH "
                        + "or in the usual bin and sbin folders. Install kubectl (Kubernetes' apt repository or a release "
                        + "binary) and run the test again."));
    }
}
