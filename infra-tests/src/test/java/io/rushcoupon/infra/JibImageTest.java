package io.rushcoupon.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import io.rushcoupon.harness.host.HostTools;

/**
 * The container images Jib builds (root pom.xml's plugin configuration, each service's pom.xml).
 * Building one needs a base image this machine cannot pull, so these check what the build would use.
 */
class JibImageTest {

    private static final Path ROOT = HostTools.projectRoot();

    /** Jib's class-file scan for the main class fails on Java 25 class files: each service names its own. */
    @ParameterizedTest
    @ValueSource(strings = {"gateway-api", "issuance-worker", "admin-service", "wallet-service"})
    void imageRunsTheServicesSpringBootApplication(String module) throws Exception {
        String mainClass = text(pom(ROOT.resolve(module).resolve("pom.xml")),
                "//plugin[artifactId='jib-maven-plugin']/configuration/container/mainClass");
        assertThat(mainClass).as(module + " names its main class for Jib").isNotBlank();

        Path source = ROOT.resolve(module).resolve("src/main/java").resolve(mainClass.replace('.', '/') + ".java");
        assertThat(source).as(mainClass + " is a class of " + module).exists();
        String code = Files.readString(source, StandardCharsets.UTF_8);
        assertThat(code).contains("@SpringBootApplication").contains("public static void main(");
    }

    /**
     * At the 768 MiB container limit the JVM's ergonomics choose SerialGC and leave direct memory
     * as large as the heap; the images set the collector, the heap share and a direct-memory cap.
     */
    @Test
    void imagesSetTheCollectorAndTheMemoryTheyMayUse() throws Exception {
        NodeList flags = (NodeList) XPathFactory.newInstance().newXPath().evaluate(
                "//plugin[artifactId='jib-maven-plugin']/configuration/container/jvmFlags/jvmFlag",
                pom(ROOT.resolve("pom.xml")), XPathConstants.NODESET);
        List<String> jvmFlags = new ArrayList<>();
        for (int i = 0; i < flags.getLength(); i++) {
            jvmFlags.add(flags.item(i).getTextContent().trim());
        }
        assertThat(jvmFlags).contains("-XX:+UseG1GC").anyMatch(flag -> flag.startsWith("-XX:MaxDirectMemorySize="));
        Matcher heap = Pattern.compile("-XX:MaxRAMPercentage=(\\d+(?:\\.\\d+)?)").matcher(String.join(" ", jvmFlags));
        assertThat(heap.find()).as("the heap is a share of the container's memory: %s", jvmFlags).isTrue();
        assertThat(Double.parseDouble(heap.group(1))).as("heap share, leaving room for direct memory and metaspace")
                .isBetween(55.0, 70.0);
    }

    private static Document pom(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    private static String text(Document document, String xpath) throws Exception {
        return XPathFactory.newInstance().newXPath().evaluate(xpath, document).trim();
    }
}
