package io.rushcoupon.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Which module may use which (README.md, "Boundaries"): the gateway stays off the database,
 * common stays plain contracts, and the services, the shared web pieces and the launcher do not
 * reach into each other.
 */
@AnalyzeClasses(packages = MainClasses.ROOT, importOptions = MainClasses.class)
class ModuleBoundariesTest {

    private static final String COMMON = "io.rushcoupon.common..";
    private static final String WEB_SUPPORT = "io.rushcoupon.web..";
    private static final String GATEWAY = "io.rushcoupon.gateway..";
    private static final String WORKER = "io.rushcoupon.worker..";
    private static final String ADMIN = "io.rushcoupon.admin..";
    private static final String WALLET = "io.rushcoupon.wallet..";
    private static final String TEST_SUPPORT = "io.rushcoupon.testsupport..";
    private static final String LOCAL_STACK = "io.rushcoupon.localstack..";
    private static final String HARNESS = "io.rushcoupon.harness..";

    @ArchTest
    static final ArchRule gatewayNeverTouchesTheDatabase = noClasses()
            .that().resideInAPackage(GATEWAY)
            // Hibernate Validator is Bean Validation for settings, not the ORM
            .should().dependOnClassesThat(resideInAnyPackage(
                    "java.sql..", "javax.sql..", "jakarta.persistence..", "org.springframework.jdbc..",
                    "org.springframework.data.jpa..", "org.hibernate..", "org.postgresql..", "org.flywaydb..")
                    .and(not(resideInAPackage("org.hibernate.validator.."))))
            .because("the rush path touches Redis and Kafka only; PostgreSQL belongs to the worker, the admin and the wallet");

    @ArchTest
    static final ArchRule walletNeverTouchesRedisOrKafka = noClasses()
            .that().resideInAPackage(WALLET)
            .should().dependOnClassesThat().resideInAnyPackage("org.redisson..", "org.springframework.data.redis..",
                    "io.lettuce..", "redis.clients..", "org.apache.kafka..", "org.springframework.kafka..",
                    "io.rushcoupon.common.redis..", "io.rushcoupon.common.event..")
            .because("the wallet's truth is PostgreSQL alone: it keeps answering whatever happens to Redis or Kafka");

    @ArchTest
    static final ArchRule commonIsPlainJavaWithoutSpring = noClasses()
            .that().resideInAPackage(COMMON)
            .should().dependOnClassesThat().resideInAPackage("org.springframework..")
            .because("common holds the contracts every service shares, usable without a Spring context");

    @ArchTest
    static final ArchRule commonKnowsNoOtherModule = noClasses()
            .that().resideInAPackage(COMMON)
            .should().dependOnClassesThat().resideInAnyPackage(
                    WEB_SUPPORT, GATEWAY, WORKER, ADMIN, WALLET, TEST_SUPPORT, LOCAL_STACK, HARNESS);

    @ArchTest
    static final ArchRule webSupportKnowsNoService = noClasses()
            .that().resideInAPackage(WEB_SUPPORT)
            .should().dependOnClassesThat().resideInAnyPackage(
                    GATEWAY, WORKER, ADMIN, WALLET, TEST_SUPPORT, LOCAL_STACK, HARNESS)
            .because("web-support is shared by the HTTP services and must not pull any one in");

    @ArchTest
    static final ArchRule gatewayUsesNoOtherService = serviceUsesNone(GATEWAY, WORKER, ADMIN, WALLET);

    @ArchTest
    static final ArchRule workerUsesNoOtherService = serviceUsesNone(WORKER, GATEWAY, ADMIN, WALLET);

    @ArchTest
    static final ArchRule adminUsesNoOtherService = serviceUsesNone(ADMIN, GATEWAY, WORKER, WALLET);

    @ArchTest
    static final ArchRule walletUsesNoOtherService = serviceUsesNone(WALLET, GATEWAY, WORKER, ADMIN);

    @ArchTest
    static final ArchRule servicesNeverUseTheLauncher = noClasses()
            .that().resideInAnyPackage(COMMON, WEB_SUPPORT, GATEWAY, WORKER, ADMIN, WALLET)
            .should().dependOnClassesThat().resideInAnyPackage(LOCAL_STACK, HARNESS)
            .because("the launcher starts the services from their jars; the services know nothing of it");

    @ArchTest
    static final ArchRule mainCodeNeverUsesTestSupport = noClasses()
            .that().resideOutsideOfPackages(TEST_SUPPORT)
            .should().dependOnClassesThat().resideInAPackage(TEST_SUPPORT)
            .because("test-support is a test-only module");

    private static ArchRule serviceUsesNone(String service, String... otherServices) {
        return noClasses()
                .that().resideInAPackage(service)
                .should().dependOnClassesThat().resideInAnyPackage(otherServices)
                .because("services share contracts through common, never each other's classes");
    }
}
