package io.rushcoupon.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Test libraries stay in test code: in main code only test-support (a test-only module) uses
 * them, and only the launchers that start containers when a Docker engine runs use Testcontainers.
 */
@AnalyzeClasses(packages = MainClasses.ROOT, importOptions = MainClasses.class)
class TestLibrariesTest {

    private static final String TEST_SUPPORT = "io.rushcoupon.testsupport..";

    @ArchTest
    static final ArchRule mainCodeUsesNoTestLibrary = noClasses()
            .that().resideOutsideOfPackage(TEST_SUPPORT)
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.junit..", "org.mockito..", "org.assertj..", "org.springframework.test..",
                    "org.springframework.boot.test..", "org.springframework.kafka.test..",
                    "com.code_intelligence.jazzer..")
            .because("a test library in main code ships in the service jars");

    @ArchTest
    static final ArchRule onlyLaunchersStartContainers = noClasses()
            .that().resideOutsideOfPackages(TEST_SUPPORT, "io.rushcoupon.localstack..", "io.rushcoupon.harness..")
            .should().dependOnClassesThat().resideInAnyPackage("org.testcontainers..", "com.redis.testcontainers..")
            .because("containers are started by the launchers and the tests, never by a service");
}
