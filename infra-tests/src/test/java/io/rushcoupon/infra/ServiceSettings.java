package io.rushcoupon.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.type.filter.AnnotationTypeFilter;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What one service module reads from its environment, learned from the module itself rather than
 * from a list kept in the tests: the properties of its {@code @ConfigurationProperties} records
 * (and web-support's, when it uses web-support), the keys of its application.yml, and Spring
 * Boot's configuration metadata of the libraries on the classpath. Whether an environment variable
 * of a deployment file reaches one of them is decided by Spring Boot's own relaxed binding, so a
 * renamed record component or a misspelt variable is reported as a name that binds to nothing.
 */
final class ServiceSettings {

    /** Names a JVM or the image reads itself, not Spring. */
    private static final Set<String> NOT_SPRING = Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "TZ");
    private static final Pattern YAML_PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::[^}]*)?}");

    private final String module;
    private final Map<String, Object> applicationYaml;
    private final Set<ConfigurationPropertyName> ownProperties;
    private final Set<ConfigurationPropertyName> ownMaps;
    private final Set<String> requiredProperties;
    private final BootMetadata boot;

    private ServiceSettings(String module, Map<String, Object> applicationYaml, Set<ConfigurationPropertyName> ownProperties,
            Set<ConfigurationPropertyName> ownMaps, Set<String> requiredProperties, BootMetadata boot) {
        this.module = module;
        this.applicationYaml = applicationYaml;
        this.ownProperties = ownProperties;
        this.ownMaps = ownMaps;
        this.requiredProperties = requiredProperties;
        this.boot = boot;
    }

    /** The settings of the module in {@code <root>/<module>}, e.g. {@code gateway-api}. */
    static ServiceSettings of(Path root, String module, BootMetadata boot) {
        Path moduleDir = root.resolve(module);
        if (!Files.isDirectory(moduleDir.resolve("src/main/java"))) {
            throw new IllegalArgumentException("no service module " + module + " under " + root);
        }
        String pom = read(moduleDir.resolve("pom.xml"));
        List<Path> sourceRoots = new ArrayList<>(List.of(moduleDir.resolve("src/main/java")));
        if (pom.contains("<artifactId>web-support</artifactId>")) {
            sourceRoots.add(root.resolve("web-support/src/main/java"));
        }
        Set<ConfigurationPropertyName> properties = new LinkedHashSet<>();
        Set<ConfigurationPropertyName> maps = new LinkedHashSet<>();
        for (Path sources : sourceRoots) {
            recordProperties(basePackage(sources), properties, maps);
        }
        sharedProperties(root, moduleDir.resolve("src/main/java"), properties);
        Map<String, Object> yaml = Yamls.flatten(Yamls.loadMap(moduleDir.resolve("src/main/resources/application.yml")));
        return new ServiceSettings(module, yaml, properties, maps, required(pom, yaml), boot);
    }

    String module() {
        return module;
    }

    /** {@code server.port} of the module's application.yml. */
    int serverPort() {
        Object port = applicationYaml.get("server.port");
        if (port == null) {
            throw new IllegalStateException(module + "'s application.yml sets no server.port");
        }
        return Integer.parseInt(port.toString());
    }

    /** The port the service listens on with this environment: SERVER_PORT when set, else application.yml's. */
    int serverPort(Map<String, String> environment) {
        String port = valueOf(environment, "server.port");
        return port == null ? serverPort() : Integer.parseInt(port);
    }

    /** Flattened application.yml: {@code spring.kafka.consumer.group-id} → value. */
    Map<String, Object> applicationYaml() {
        return applicationYaml;
    }

    /**
     * Properties a deployment must set because the default points at this machine or does not
     * exist: every loopback address in application.yml, and what the module's dependencies need
     * (Redis through Redisson, Kafka, PostgreSQL, the JWT secret of web-support).
     */
    Set<String> requiredProperties() {
        return requiredProperties;
    }

    /** The environment names (of {@code environment}) that bind to no property of this service. */
    Set<String> unboundNames(Collection<String> environment) {
        Set<String> unbound = new TreeSet<>();
        for (String name : environment) {
            if (!NOT_SPRING.contains(name) && !binds(name)) {
                unbound.add(name);
            }
        }
        return unbound;
    }

    /** The value {@code environment} gives the property, through relaxed binding, or null. */
    static String valueOf(Map<String, String> environment, String property) {
        var value = source(environment).getConfigurationProperty(ConfigurationPropertyName.of(property));
        return value == null ? null : String.valueOf(value.getValue());
    }

    private boolean binds(String environmentName) {
        // application.yml's own placeholders (webhook-urls: ${RUSHCOUPON_DISCORD_WEBHOOK_URL:}) read it by name
        if (yamlPlaceholders().contains(environmentName)) {
            return true;
        }
        ConfigurationPropertySource single = source(Map.of(environmentName, "x"));
        // project settings bind only to a record component: a key left in application.yml after
        // the record was renamed would otherwise hide the rename
        for (ConfigurationPropertyName property : ownProperties) {
            if (single.getConfigurationProperty(property) != null) {
                return true;
            }
        }
        for (String key : applicationYaml.keySet()) {
            if (!key.startsWith("rushcoupon.") && ConfigurationPropertyName.isValid(key)
                    && single.getConfigurationProperty(ConfigurationPropertyName.of(key)) != null) {
                return true;
            }
        }
        if (boot.binds(single)) {
            return true;
        }
        return ownMaps.stream().anyMatch(map -> descendsFrom(single, map));
    }

    /** The names application.yml's values read as {@code ${NAME}} or {@code ${NAME:default}}. */
    private Set<String> yamlPlaceholders() {
        Set<String> names = new TreeSet<>();
        for (Object value : applicationYaml.values()) {
            Matcher placeholder = YAML_PLACEHOLDER.matcher(String.valueOf(value));
            while (placeholder.find()) {
                names.add(placeholder.group(1));
            }
        }
        return names;
    }

    static boolean descendsFrom(ConfigurationPropertySource source, ConfigurationPropertyName map) {
        return ((IterableConfigurationPropertySource) source).stream().anyMatch(map::isAncestorOf);
    }

    /** The environment as Spring Boot sees the process environment (its mapper applies only to that name). */
    private static ConfigurationPropertySource source(Map<String, String> environment) {
        return ConfigurationPropertySource.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new LinkedHashMap<>(environment)));
    }

    private static Set<String> required(String pom, Map<String, Object> yaml) {
        Set<String> required = new TreeSet<>();
        yaml.forEach((key, value) -> {
            String text = String.valueOf(value);
            if (text.contains("127.0.0.1") || text.contains("localhost")) {
                required.add(key);
            }
        });
        if (pom.contains("redisson")) {
            required.add("spring.data.redis.host");
        }
        if (pom.contains("spring-boot-starter-kafka")) {
            required.add("spring.kafka.bootstrap-servers");
        }
        if (pom.contains("<artifactId>postgresql</artifactId>")) {
            required.add("spring.datasource.url");
            required.add("spring.datasource.password");
        }
        if (pom.contains("<artifactId>web-support</artifactId>")) {
            // JwtProperties has no default secret; the alternative is an identity provider's JWK set
            required.add("rushcoupon.jwt.secret");
        }
        return Collections.unmodifiableSet(required);
    }

    /** The package every class of a source tree lives in, e.g. {@code io.rushcoupon.gateway}. */
    private static String basePackage(Path sources) {
        try (Stream<Path> files = Files.walk(sources)) {
            List<List<String>> packages = files.filter(file -> file.toString().endsWith(".java"))
                    .map(file -> sources.relativize(file.getParent()))
                    .distinct()
                    .map(folder -> Stream.of(folder.toString().split("/")).toList())
                    .toList();
            if (packages.isEmpty()) {
                throw new IllegalStateException("no Java sources under " + sources);
            }
            List<String> common = new ArrayList<>(packages.getFirst());
            for (List<String> other : packages) {
                int same = 0;
                while (same < common.size() && same < other.size() && common.get(same).equals(other.get(same))) {
                    same++;
                }
                common.subList(same, common.size()).clear();
            }
            return String.join(".", common);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void recordProperties(String basePackage, Set<ConfigurationPropertyName> properties,
            Set<ConfigurationPropertyName> maps) {
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        Set<BeanDefinition> candidates = scanner.findCandidateComponents(basePackage);
        if (candidates.isEmpty()) {
            throw new IllegalStateException("no @ConfigurationProperties class under " + basePackage
                    + " on the test classpath: is the module a test dependency of infra-tests?");
        }
        for (BeanDefinition candidate : candidates) {
            Class<?> type;
            try {
                type = Class.forName(candidate.getBeanClassName());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            ConfigurationProperties annotation = AnnotationUtils.findAnnotation(type, ConfigurationProperties.class);
            String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
            if (!type.isRecord()) {
                throw new IllegalStateException(type + " is not a record; the project's settings are records");
            }
            collect(prefix, type, properties, maps);
        }
    }

    /**
     * Settings records of {@code common} carry no Spring annotation; a service binds one with
     * {@code Binder} and its {@code PREFIX}, and common's hand-written metadata lists their properties.
     */
    private static void sharedProperties(Path root, Path sources, Set<ConfigurationPropertyName> properties) {
        JsonNode metadata = JsonMapper.builder().build().readTree(
                read(root.resolve("common/src/main/resources/META-INF/spring-configuration-metadata.json")));
        String code;
        try (Stream<Path> files = Files.walk(sources)) {
            code = String.join("\n", files.filter(file -> file.toString().endsWith(".java")).map(ServiceSettings::read).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (JsonNode property : metadata.path("properties")) {
            String type = property.path("sourceType").asString();
            if (code.contains(type.substring(type.lastIndexOf('.') + 1) + ".PREFIX")) {
                properties.add(ConfigurationPropertyName.of(property.path("name").asString()));
            }
        }
    }

    private static void collect(String prefix, Class<?> record, Set<ConfigurationPropertyName> properties,
            Set<ConfigurationPropertyName> maps) {
        for (RecordComponent component : record.getRecordComponents()) {
            String name = prefix + "." + DataObjectPropertyName.toDashedForm(component.getName());
            Class<?> type = component.getType();
            if (type.isRecord()) {
                collect(name, type, properties, maps);
            } else if (Map.class.isAssignableFrom(type)) {
                maps.add(ConfigurationPropertyName.of(name));
            } else {
                properties.add(ConfigurationPropertyName.of(name));
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every property Spring Boot and the libraries on the classpath document in their
     * {@code META-INF/(additional-)spring-configuration-metadata.json}.
     */
    static final class BootMetadata {

        private final Set<ConfigurationPropertyName> properties;
        private final Set<ConfigurationPropertyName> maps;

        private BootMetadata(Set<ConfigurationPropertyName> properties, Set<ConfigurationPropertyName> maps) {
            this.properties = properties;
            this.maps = maps;
        }

        static BootMetadata load() {
            JsonMapper json = JsonMapper.builder().build();
            Set<ConfigurationPropertyName> properties = new LinkedHashSet<>();
            Set<ConfigurationPropertyName> maps = new LinkedHashSet<>();
            for (String resource : List.of("META-INF/spring-configuration-metadata.json",
                    "META-INF/additional-spring-configuration-metadata.json")) {
                try {
                    Enumeration<URL> files = ServiceSettings.class.getClassLoader().getResources(resource);
                    while (files.hasMoreElements()) {
                        try (InputStream in = files.nextElement().openStream()) {
                            for (JsonNode property : json.readTree(in).path("properties")) {
                                String name = property.path("name").asString();
                                // the project's own settings count only as record components
                                if (!ConfigurationPropertyName.isValid(name) || name.startsWith("rushcoupon.")) {
                                    continue;
                                }
                                ConfigurationPropertyName parsed = ConfigurationPropertyName.of(name);
                                properties.add(parsed);
                                if (property.path("type").asString().startsWith("java.util.Map")) {
                                    maps.add(parsed);
                                }
                            }
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (properties.stream().noneMatch(name -> name.toString().equals("spring.kafka.bootstrap-servers"))) {
                throw new IllegalStateException("Spring Boot's configuration metadata is not on the test classpath");
            }
            return new BootMetadata(properties, maps);
        }

        private boolean binds(ConfigurationPropertySource single) {
            for (ConfigurationPropertyName property : properties) {
                if (single.getConfigurationProperty(property) != null) {
                    return true;
                }
            }
            return maps.stream().anyMatch(map -> descendsFrom(single, map));
        }
    }
}
